package publiccode

import "strings"

// CurrentVersion is the version of the standard that Write produces.
const CurrentVersion = "0.7"

// version is a published version of the standard reduced to what the rules
// need: its minor number (0.2.1 → 2) and the text to show.
type version struct {
	minor int
	name  string
}

// knownVersions maps every accepted publiccodeYmlVersion spelling to its
// version. 0.6 changed nothing in the schema but is a valid declaration.
var knownVersions = map[string]version{
	"0.1":   {1, "0.1"},
	"0.2":   {2, "0.2"},
	"0.2.0": {2, "0.2.0"},
	"0.2.1": {2, "0.2.1"},
	"0.2.2": {2, "0.2.2"},
	"0.3":   {3, "0.3"},
	"0.3.0": {3, "0.3.0"},
	"0.4":   {4, "0.4"},
	"0.4.0": {4, "0.4.0"},
	"0.5":   {5, "0.5"},
	"0.5.0": {5, "0.5.0"},
	"0.6":   {6, "0.6"},
	"0.6.0": {6, "0.6.0"},
	"0.7":   {7, "0.7"},
	"0.7.0": {7, "0.7.0"},
}

// knownVersionList is shown in the message for an unknown version.
const knownVersionList = "0.1, 0.2, 0.2.0–0.2.2, 0.3, 0.4, 0.4.0, 0.5, 0.5.0, 0.6, 0.7"

var current = knownVersions[CurrentVersion]

// since renders a minor number as a version for messages ("0.3").
func since(minor int) string {
	return "0." + string(rune('0'+minor))
}

// Keys that appeared after 0.2, by dotted path (list items as []).
var keyAddedIn = map[string]int{
	"fundedBy":                              5,
	"organisation":                          5,
	"supports":                              7,
	"intendedAudience.unsupportedCountries": 5,
}

// deprecation says since which version a key is deprecated and what to use.
type deprecation struct {
	minor  int
	advice string
}

var keyDeprecated = map[string]deprecation{
	"monochromeLogo":            {3, "Remove it."},
	"inputTypes":                {3, "Remove it."},
	"outputTypes":               {3, "Remove it."},
	"description.*.genericName": {3, "Use localisedName or shortDescription."},
	"legal.authorsFile":         {4, "Remove it."},
	"legal.repoOwner":           {5, "Use organisation."},
	"it":                        {7, "Use supports and organisation."},
	"IT":                        {7, "Use supports and organisation."},
	"publiccode-yaml-version":   {2, "Use publiccodeYmlVersion."},
	"tags":                      {2, "Use categories."},
	"freeTags":                  {2, "Remove it."},
	"intendedAudience.onlyFor":  {2, "Use intendedAudience.scope."},
}

// parseVersion looks up a declared version; ok is false for unknown ones.
func parseVersion(s string) (version, bool) {
	v, ok := knownVersions[strings.TrimSpace(s)]
	return v, ok
}
