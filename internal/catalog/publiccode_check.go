package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/publiccode"
)

// Note is something a publiccode.yml says that the catalogue entry does
// not hold, or that the mapping had to assume: a message key
// ("harvest.note.…") with its arguments, so that providers read it in
// their language.
type Note struct {
	Key  string            `json:"key"`
	Args map[string]string `json:"args,omitempty"`
}

// KV returns the arguments as key/value pairs for translation.
func (n Note) KV() []any {
	keys := make([]string, 0, len(n.Args))
	for k := range n.Args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	kv := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		kv = append(kv, k, n.Args[k])
	}
	return kv
}

func note(key string, kv ...string) Note {
	n := Note{Key: "harvest.note." + key}
	for i := 0; i+1 < len(kv); i += 2 {
		if n.Args == nil {
			n.Args = map[string]string{}
		}
		n.Args[kv[i]] = kv[i+1]
	}
	return n
}

// CategoryField is a category of a publiccode.yml with the field of action
// it becomes ("" when it has none).
type CategoryField struct {
	Category string
	Field    string
}

// PublicCodeCheck is what the catalogue makes of a publiccode.yml: the
// standard's findings, the entry it maps to with the catalogue's own
// findings about that entry, and what could not be mapped.
type PublicCodeCheck struct {
	// File is nil when the input is not YAML at all.
	File     *publiccode.File
	Problems []publiccode.Problem
	// Entry is the mapped entry, normalised by the catalogue's checks.
	Entry Entry
	// EntryErr holds the catalogue's field errors about Entry; nil when a
	// draft could be created from it as it is.
	EntryErr error
	// Language is the description language the texts were taken from.
	Language   string
	Categories []CategoryField
	Notes      []Note
}

// Valid reports whether the file follows the standard (warnings allowed).
func (c PublicCodeCheck) Valid() bool { return c.File != nil && !publiccode.HasErrors(c.Problems) }

// Errors counts the problems of severity error.
func (c PublicCodeCheck) Errors() int {
	n := 0
	for _, p := range c.Problems {
		if p.Severity == publiccode.Error {
			n++
		}
	}
	return n
}

// CheckPublicCode reads a publiccode.yml of at most MaxPublicCodeSize
// bytes, maps it to an entry and checks that entry as Create would. A
// file that is too large is refused with a message for the field
// "publiccode"; problems of the file itself are reported in the result.
func (s *Solutions) CheckPublicCode(ctx context.Context, data []byte) (PublicCodeCheck, error) {
	if len(data) > MaxPublicCodeSize {
		var v apperr.Validation
		v.Add("publiccode", "harvest.error.file_too_large")
		return PublicCodeCheck{}, v.Err()
	}
	f, problems := publiccode.Parse(data)
	c := PublicCodeCheck{File: f, Problems: problems}
	if f == nil {
		return c, nil
	}
	known, err := s.knownFields(ctx)
	if err != nil {
		return c, fmt.Errorf("catalog: check publiccode.yml: %w", err)
	}
	c.Entry, _ = FromPublicCode(&f.Software)
	c.EntryErr = c.Entry.Check(known, s.Now().UTC())
	c.Language = descriptionLanguage(&f.Software)
	for _, cat := range f.Software.Categories {
		c.Categories = append(c.Categories, CategoryField{Category: cat, Field: categoryFields[cat]})
	}
	c.Notes = publicCodeNotes(f, c.Language)
	return c, nil
}

// descriptionLanguage is the language FromPublicCode takes the texts from.
func descriptionLanguage(sw *publiccode.Software) string {
	for _, l := range []string{"de", "de-DE", "en", "en-GB", "en-US"} {
		if _, ok := sw.Description[l]; ok {
			return l
		}
	}
	keys := make([]string, 0, len(sw.Description))
	for k := range sw.Description {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		return keys[0]
	}
	return ""
}

// publicCodeNotes lists what the file holds beyond the entry and what the
// mapping assumed, in the order of the file's sections.
func publicCodeNotes(f *publiccode.File, lang string) []Note {
	sw := &f.Software
	var out []Note
	add := func(cond bool, key string, kv ...string) {
		if cond {
			out = append(out, note(key, kv...))
		}
	}
	list := func(items []string) string { return strings.Join(items, ", ") }

	add(sw.ApplicationSuite != "", "application_suite", "Name", sw.ApplicationSuite)
	add(len(sw.IsBasedOn) > 0, "is_based_on", "List", list(sw.IsBasedOn))
	add(sw.SoftwareVersion != "" || sw.ReleaseDate != "", "release", "Version", orDash(sw.SoftwareVersion), "Date", orDash(sw.ReleaseDate))
	add(sw.Logo != "" || sw.MonochromeLogo != "", "logo")
	add(len(sw.Platforms) > 0, "platforms", "List", list(sw.Platforms))
	mapped := false
	for _, c := range sw.Categories {
		if _, ok := categoryFields[c]; ok {
			mapped = true
		} else {
			add(true, "category_unmapped", "Category", c)
		}
	}
	add(!mapped, "fallback_field", "Field", fallbackField)
	add(len(sw.UsedBy) > 0, "used_by", "List", list(sw.UsedBy))
	var funders []string
	for _, o := range sw.FundedBy {
		funders = append(funders, cmp.Or(o.Name, o.URI))
	}
	add(len(funders) > 0, "funded_by", "List", list(funders))
	add(sw.Roadmap != "", "roadmap", "URL", sw.Roadmap)
	_, known := maturityOf[sw.DevelopmentStatus]
	add(!known, "status_assumed", "Status", orDash(sw.DevelopmentStatus))
	add(sw.SoftwareType != "", "software_type", "Type", sw.SoftwareType)
	add(sw.Organisation != nil, "organisation", "Name", organisationName(sw.Organisation))
	ia := sw.IntendedAudience
	add(len(ia.Countries)+len(ia.UnsupportedCountries)+len(ia.Scope) > 0, "intended_audience",
		"Scope", orDash(list(ia.Scope)), "Countries", orDash(list(ia.Countries)))

	var others []string
	for l := range sw.Description {
		if l != lang {
			others = append(others, l)
		}
	}
	slices.Sort(others)
	add(len(others) > 0, "other_languages", "List", list(others), "Language", lang)
	d := sw.Description[lang]
	add(d.Documentation != "" || d.APIDocumentation != "", "documentation")
	add(len(d.Screenshots)+len(d.Videos) > 0, "media", "Screenshots", fmt.Sprint(len(d.Screenshots)), "Videos", fmt.Sprint(len(d.Videos)))
	add(len(d.Awards) > 0, "awards", "List", list(d.Awards))

	add(sw.Legal.MainCopyrightOwner != "" || sw.Legal.RepoOwner != "", "copyright", "Owner", cmp.Or(sw.Legal.MainCopyrightOwner, sw.Legal.RepoOwner))
	emails := 0
	for _, c := range sw.Maintenance.Contacts {
		if c.Email != "" {
			emails++
		}
	}
	add(emails > 1 || len(sw.Maintenance.Contacts) > emails, "contacts")
	add(sw.Localisation.LocalisationReady, "localisation_ready")
	var deps []string
	for _, group := range [][]publiccode.Dependency{sw.DependsOn.Open, sw.DependsOn.Proprietary, sw.DependsOn.Hardware} {
		for _, dep := range group {
			deps = append(deps, dep.Name)
		}
	}
	add(len(deps) > 0, "depends_on", "List", list(deps))
	out = append(out, note("delivery_assumed"))
	var countries []string
	for k := range sw.Countries {
		countries = append(countries, k)
	}
	slices.Sort(countries)
	add(len(countries) > 0, "country_sections", "List", list(countries))
	for _, u := range f.Unmapped {
		add(true, "unmapped_key", "Path", u.Path, "Line", fmt.Sprint(u.Line))
	}
	return out
}

func organisationName(o *publiccode.Organisation) string {
	if o == nil {
		return ""
	}
	return cmp.Or(o.Name, o.URI)
}

func orDash(s string) string { return cmp.Or(s, "–") }
