package publiccode

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// ErrInvalid is wrapped by the error Write returns when the written file
// would not validate.
var ErrInvalid = errors.New("publiccode: software does not make a valid publiccode.yml")

// Write renders s as a publiccode.yml of the current version
// (CurrentVersion), keys in the order of the standard. It parses its own
// output again: if that shows errors, it still returns the bytes, together
// with an error wrapping ErrInvalid that lists them.
func Write(s *Software) ([]byte, error) {
	// Literal blocks read best for long descriptions, but the YAML library
	// loses text in some of them (a first line starting with a space), so
	// the output is read back and, if anything changed, written again with
	// quoted strings only.
	out, err := marshal(s, true)
	if err != nil {
		return nil, err
	}
	back, problems := Parse(out)
	if back == nil || !Equal(s, &back.Software) {
		if out, err = marshal(s, false); err != nil {
			return nil, err
		}
		_, problems = Parse(out)
	}
	var errs []string
	for _, p := range problems {
		if p.Severity == Error {
			errs = append(errs, p.String())
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return out, nil
}

func marshal(s *Software, literal bool) ([]byte, error) {
	out, err := yaml.MarshalWithOptions(document(s),
		yaml.Indent(2), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(literal))
	if err != nil {
		return nil, fmt.Errorf("publiccode: write: %w", err)
	}
	return out, nil
}

// document builds the ordered YAML mapping; empty values are left out.
func document(s *Software) yaml.MapSlice {
	var m mapping
	m.set("publiccodeYmlVersion", CurrentVersion)
	m.set("name", s.Name)
	m.set("applicationSuite", s.ApplicationSuite)
	m.set("url", s.URL)
	m.set("landingURL", s.LandingURL)
	m.set("isBasedOn", s.IsBasedOn)
	m.set("softwareVersion", s.SoftwareVersion)
	m.set("releaseDate", s.ReleaseDate)
	m.set("logo", s.Logo)
	m.set("monochromeLogo", s.MonochromeLogo)
	m.set("platforms", s.Platforms)
	m.set("categories", s.Categories)
	m.set("usedBy", s.UsedBy)
	var funded []yaml.MapSlice
	for _, o := range s.FundedBy {
		funded = append(funded, organisation(o))
	}
	m.set("fundedBy", funded)
	m.set("roadmap", s.Roadmap)
	m.set("developmentStatus", s.DevelopmentStatus)
	m.set("softwareType", s.SoftwareType)
	var supports []yaml.MapSlice
	for _, id := range s.Supports {
		supports = append(supports, yaml.MapSlice{{Key: "id", Value: id}})
	}
	m.set("supports", supports)
	if s.Organisation != nil {
		m.set("organisation", organisation(*s.Organisation))
	}
	var aud mapping
	aud.set("countries", s.IntendedAudience.Countries)
	aud.set("unsupportedCountries", s.IntendedAudience.UnsupportedCountries)
	aud.set("scope", s.IntendedAudience.Scope)
	m.set("intendedAudience", aud.slice)
	m.set("inputTypes", s.InputTypes)
	m.set("outputTypes", s.OutputTypes)
	m.set("description", descriptions(s.Description))
	m.set("legal", legal(&s.Legal))
	m.set("maintenance", maintenance(&s.Maintenance))
	m.slice = append(m.slice, yaml.MapItem{Key: "localisation", Value: yaml.MapSlice{
		{Key: "localisationReady", Value: s.Localisation.LocalisationReady},
		{Key: "availableLanguages", Value: s.Localisation.AvailableLanguages},
	}})
	var deps mapping
	deps.set("open", dependencies(s.DependsOn.Open))
	deps.set("proprietary", dependencies(s.DependsOn.Proprietary))
	deps.set("hardware", dependencies(s.DependsOn.Hardware))
	m.set("dependsOn", deps.slice)
	for _, k := range sortedKeys(s.Countries) {
		m.slice = append(m.slice, yaml.MapItem{Key: k, Value: ordered(s.Countries[k])})
	}
	return m.slice
}

// mapping collects key/value pairs, skipping empty values.
type mapping struct{ slice yaml.MapSlice }

func (m *mapping) set(key string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case []yaml.MapSlice:
		if len(x) == 0 {
			return
		}
	case yaml.MapSlice:
		if len(x) == 0 {
			return
		}
	}
	m.slice = append(m.slice, yaml.MapItem{Key: key, Value: v})
}

func organisation(o Organisation) yaml.MapSlice {
	var m mapping
	m.set("uri", o.URI)
	m.set("name", o.Name)
	return m.slice
}

func descriptions(ds map[string]Description) yaml.MapSlice {
	var out yaml.MapSlice
	for _, lang := range sortedKeys(ds) {
		d := ds[lang]
		var m mapping
		m.set("localisedName", d.LocalisedName)
		m.set("genericName", d.GenericName)
		m.set("shortDescription", d.ShortDescription)
		m.set("longDescription", d.LongDescription)
		m.set("documentation", d.Documentation)
		m.set("apiDocumentation", d.APIDocumentation)
		m.set("features", d.Features)
		m.set("screenshots", d.Screenshots)
		m.set("videos", d.Videos)
		m.set("awards", d.Awards)
		out = append(out, yaml.MapItem{Key: lang, Value: m.slice})
	}
	return out
}

func legal(l *Legal) yaml.MapSlice {
	var m mapping
	m.set("license", l.License)
	m.set("mainCopyrightOwner", l.MainCopyrightOwner)
	m.set("repoOwner", l.RepoOwner)
	m.set("authorsFile", l.AuthorsFile)
	return m.slice
}

func maintenance(mt *Maintenance) yaml.MapSlice {
	var m mapping
	m.set("type", mt.Type)
	var contractors []yaml.MapSlice
	for _, c := range mt.Contractors {
		var cm mapping
		cm.set("name", c.Name)
		cm.set("until", c.Until)
		cm.set("email", c.Email)
		cm.set("website", c.Website)
		contractors = append(contractors, cm.slice)
	}
	m.set("contractors", contractors)
	var contacts []yaml.MapSlice
	for _, c := range mt.Contacts {
		var cm mapping
		cm.set("name", c.Name)
		cm.set("email", c.Email)
		cm.set("phone", c.Phone)
		cm.set("affiliation", c.Affiliation)
		contacts = append(contacts, cm.slice)
	}
	m.set("contacts", contacts)
	return m.slice
}

func dependencies(deps []Dependency) []yaml.MapSlice {
	var out []yaml.MapSlice
	for _, d := range deps {
		var m mapping
		m.set("name", d.Name)
		m.set("versionMin", d.VersionMin)
		m.set("versionMax", d.VersionMax)
		m.set("version", d.Version)
		if d.Optional {
			m.slice = append(m.slice, yaml.MapItem{Key: "optional", Value: true})
		}
		out = append(out, m.slice)
	}
	return out
}

// ordered turns maps inside country sections into sorted MapSlices so that
// the output is the same on every run.
func ordered(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(yaml.MapSlice, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, yaml.MapItem{Key: k, Value: ordered(x[k])})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = ordered(it)
		}
		return out
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
