package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/publiccode"
)

// categoryFields maps publiccode.yml categories to fields of action. The
// standard's categories describe software functions, not municipal
// fields, so only the unambiguous ones are mapped; the others are reported.
var categoryFields = map[string]string{
	"appointment-scheduling":          "administration.appointments",
	"online-booking":                  "administration.appointments",
	"visitor-management":              "administration.appointments",
	"document-management":             "administration.e-file",
	"digital-asset-management":        "administration.e-file",
	"e-signature":                     "administration.e-file",
	"workflow-management":             "administration.internal-processes",
	"business-process-management":     "administration.internal-processes",
	"accounting":                      "administration.internal-processes",
	"budgeting":                       "administration.internal-processes",
	"hr":                              "administration.internal-processes",
	"payroll":                         "administration.internal-processes",
	"procurement":                     "administration.internal-processes",
	"employee-management":             "administration.internal-processes",
	"billing-and-invoicing":           "administration.e-payment",
	"payment-gateway":                 "administration.e-payment",
	"mobile-payment":                  "administration.e-payment",
	"taxes-management":                "administration.e-payment",
	"identity-management":             "administration.online-services",
	"digital-citizenship":             "administration.online-services",
	"website-builder":                 "administration.online-services",
	"content-management":              "administration.online-services",
	"customer-service-and-support":    "administration.online-services",
	"regulations-and-directives":      "administration.council-information",
	"learning-management-system":      "education.learning-platforms",
	"educational-content":             "education.learning-platforms",
	"integrated-library-system":       "education.libraries",
	"event-management":                "culture-tourism.events",
	"geographic-information-systems":  "data-infrastructure.geodata",
	"data-collection":                 "data-infrastructure.open-data",
	"data-visualization":              "data-infrastructure.urban-data-platform",
	"data-analytics":                  "data-infrastructure.urban-data-platform",
	"business-intelligence":           "data-infrastructure.urban-data-platform",
	"survey":                          "participation.consultation",
	"feedback-and-reviews-management": "participation.issue-reporting",
	"whistleblowing":                  "participation.issue-reporting",
	"online-community":                "participation.volunteering",
	"facility-management":             "energy-environment.energy-management",
	"fleet-management":                "mobility.traffic-management",
}

// fallbackField files entries none of whose categories maps.
const fallbackField = "administration.online-services"

var maturityOf = map[string]string{"concept": "concept", "development": "pilot", "beta": "pilot", "stable": "production", "obsolete": "production"}

// FromPublicCode maps a publiccode.yml to a catalogue entry (the support
// text it writes is German, as the catalogue's content is) and lists, in
// English for the operator, what it could not map or had to assume. Texts come from the
// German description when there is one, else English, else the first
// language.
func FromPublicCode(sw *publiccode.Software) (Entry, []string) {
	var notes []string
	lang := ""
	for _, l := range []string{"de", "de-DE", "en", "en-GB", "en-US"} {
		if _, ok := sw.Description[l]; ok && lang == "" {
			lang = l
		}
	}
	if lang == "" {
		keys := make([]string, 0, len(sw.Description))
		for k := range sw.Description {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if len(keys) > 0 {
			lang = keys[0]
		}
	}
	d := sw.Description[lang]
	e := Entry{Name: sw.Name, Short: d.ShortDescription, Licence: sw.Legal.License, Repository: sw.URL, Website: sw.LandingURL}
	if d.LocalisedName != "" {
		e.Name = d.LocalisedName
	}
	var desc strings.Builder
	desc.WriteString(strings.TrimSpace(d.LongDescription))
	if len(d.Features) > 0 {
		desc.WriteString("\n\n")
		for _, f := range d.Features {
			fmt.Fprintf(&desc, "- %s\n", strings.TrimSpace(f))
		}
	}
	e.Description = strings.TrimSpace(desc.String())
	if len([]rune(e.Short)) > MaxShort {
		e.Short = string([]rune(e.Short)[:MaxShort-1]) + "…"
	}

	for _, c := range sw.Categories {
		if f, ok := categoryFields[c]; ok {
			e.Fields = append(e.Fields, f)
		} else {
			notes = append(notes, "category "+c+" has no field of action")
		}
	}
	if len(e.Fields) == 0 {
		e.Fields = []string{fallbackField}
		notes = append(notes, "filed under "+fallbackField+" for want of a mapped category")
	}
	e.Maturity = maturityOf[sw.DevelopmentStatus]
	if e.Maturity == "" {
		e.Maturity = "pilot"
		notes = append(notes, "developmentStatus "+sw.DevelopmentStatus+" taken as pilot")
	}
	// publiccode.yml says nothing of delivery: open-source software can at
	// least be run by the municipality itself at no licence cost.
	e.Delivery = []Delivery{{Model: OnPremises, Price: "free"}}
	notes = append(notes, "delivery assumed: self-hosted, no licence fee")
	for _, l := range sw.Localisation.AvailableLanguages {
		if l = strings.ToLower(l); len(l) >= 2 && reLanguage.MatchString(l[:2]) && (len(l) == 2 || l[2] == '-' || l[2] == '_') {
			e.Languages = append(e.Languages, l[:2])
		}
	}
	for _, c := range sw.Maintenance.Contacts {
		if c.Email != "" {
			e.Contact = c.Email
			break
		}
	}
	switch sw.Maintenance.Type {
	case "contract":
		var names []string
		for _, c := range sw.Maintenance.Contractors {
			names = append(names, c.Name+" (bis "+c.Until+")")
		}
		e.Support = "Wartung per Vertrag: " + strings.Join(names, ", ")
	case "internal":
		e.Support = "Wartung durch die veröffentlichende Organisation"
	case "community":
		e.Support = "Wartung durch die Community"
	case "none":
		e.Support = "Wird nicht gewartet"
	}
	if len(sw.UsedBy) > 0 {
		notes = append(notes, fmt.Sprintf("usedBy names %d users; they are suggestions for verified use, not declarations", len(sw.UsedBy)))
	}
	return e, notes
}
