package catalog

import (
	"strings"

	"github.com/smartregions/smartregions/internal/publiccode"
)

var developmentStatusOf = map[string]string{"concept": "concept", "pilot": "beta", "production": "stable", "scaled": "stable"}

// maxPCShort is the standard's limit of shortDescription.
const maxPCShort = 150

// ToPublicCode describes the published version of a solution as a
// publiccode.yml. pageURL is the solution's page on the platform: it
// stands in for the repository of closed-source entries and completes a
// description that is shorter than the standard's minimum. labels names
// the fields of action, which become the features. usedBy names the
// verified municipalities that use it (Usage.UsedBy).
func ToPublicCode(s Solution, pageURL string, labels map[string]string, usedBy ...string) *publiccode.Software {
	v := s.Published
	if v == nil {
		v = s.Current()
	}
	e := v.Entry
	sw := &publiccode.Software{Name: e.Name, URL: e.Repository, LandingURL: e.Website, Platforms: []string{"web"},
		DevelopmentStatus: developmentStatusOf[e.Maturity], SoftwareType: "standalone/web",
		Legal: publiccode.Legal{License: e.Licence, MainCopyrightOwner: s.OrgName}}
	if sw.URL == "" {
		sw.URL = pageURL
	}
	if sw.LandingURL == "" {
		sw.LandingURL = pageURL
	}
	short := e.Short
	if r := []rune(short); len(r) > maxPCShort {
		short = string(r[:maxPCShort-1]) + "…"
	}
	long := e.Description
	if len([]rune(long)) < 150 {
		long = strings.TrimSpace(e.Short + "\n\n" + long + "\n\nEintrag im Lösungskatalog von smartregions, mit Angaben zu Bereitstellung, Preisen und Nachweisen: " + pageURL)
	}
	var features []string
	for _, f := range e.Fields {
		if l := labels[f]; l != "" {
			features = append(features, l)
		} else {
			features = append(features, f)
		}
	}
	features = append(features, e.Standards...)
	sw.Description = map[string]publiccode.Description{"de": {ShortDescription: short, LongDescription: long, Features: features,
		Screenshots: e.screenshotURLs(pageURL)}}
	sw.Logo = e.logoURL(pageURL)
	sw.Maintenance = publiccode.Maintenance{Type: "none"}
	if e.Contact != "" {
		sw.Maintenance = publiccode.Maintenance{Type: "internal", Contacts: []publiccode.Contact{{Name: s.OrgName, Email: e.Contact}}}
	}
	langs := e.Languages
	if len(langs) == 0 {
		langs = []string{"de"}
	}
	sw.Localisation = publiccode.Localisation{LocalisationReady: len(langs) > 1, AvailableLanguages: langs}
	if len(usedBy) > 0 {
		sw.UsedBy = append([]string(nil), usedBy...)
	}
	return sw
}
