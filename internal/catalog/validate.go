package catalog

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
)

// Limits of an entry's texts.
const (
	MaxName        = 120
	MaxShort       = 200
	MaxDescription = 20000
	maxFreeText    = 2000
	maxURL         = 500
	maxListItems   = 30
)

var reLanguage = regexp.MustCompile(`^[a-z]{2}$`)

// Check normalises e (trimmed texts, sorted and de-duplicated lists) and
// validates it: fields is the set of known field-of-action keys, now the
// day of the check (evidence may not have expired). Problems are reported
// per field; repeated groups name their index ("delivery.0.price").
func (e *Entry) Check(fields map[string]bool, now time.Time) error {
	var v apperr.Validation
	e.Name = strings.Join(strings.Fields(e.Name), " ")
	e.Short = strings.Join(strings.Fields(e.Short), " ")
	e.Description = strings.TrimSpace(strings.ReplaceAll(e.Description, "\r\n", "\n"))
	v.Text("name", e.Name, MaxName, true)
	v.Text("short", e.Short, MaxShort, true)
	v.Text("description", e.Description, MaxDescription, false)
	v.Text("programme", strings.TrimSpace(e.Programme), maxFreeText, false)
	v.Text("support", strings.TrimSpace(e.Support), maxFreeText, false)
	e.Programme, e.Support = strings.TrimSpace(e.Programme), strings.TrimSpace(e.Support)

	e.Fields = tidy(e.Fields)
	switch {
	case len(e.Fields) == 0:
		v.Add("fields", "catalog.error.fields_required")
	case len(e.Fields) > maxListItems:
		v.Add("fields", "catalog.error.too_many", "Max", maxListItems)
	}
	for _, f := range e.Fields {
		if !fields[f] {
			v.Add("fields", "catalog.error.field_unknown", "Key", f)
		}
	}
	var sizes []region.Band
	for _, b := range e.Sizes {
		if !slices.Contains(region.Bands, b) {
			v.Add("sizes", "catalog.error.size", "Size", string(b))
		} else if !slices.Contains(sizes, b) {
			sizes = append(sizes, b)
		}
	}
	e.Sizes = sizes

	e.Licence = strings.TrimSpace(e.Licence)
	if e.Licence == "" {
		v.Add("licence", "form.error.required")
	} else if ok, unknown := CheckLicence(e.Licence); !ok {
		v.Add("licence", "catalog.error.licence", "Unknown", strings.Join(unknown, ", "))
	}
	e.Repository = checkURL(&v, "repository", e.Repository)
	e.Website = checkURL(&v, "website", e.Website)
	if e.OpenSource() && e.Repository == "" {
		v.Add("repository", "catalog.error.repository_required")
	}

	seen := map[string]bool{}
	for i := range e.Delivery {
		d := &e.Delivery[i]
		at := fmt.Sprintf("delivery.%d.", i)
		if !slices.Contains(DeliveryModels, d.Model) || seen[d.Model] {
			v.Add(at+"model", "catalog.error.delivery_model")
		}
		seen[d.Model] = true
		if !slices.Contains(PriceModels, d.Price) {
			v.Add(at+"price", "catalog.error.price_model")
		}
		switch {
		case d.Model == OnPremises:
			d.Hosting = ""
		case !slices.Contains(HostingLocations, d.Hosting):
			v.Add(at+"hosting", "catalog.error.hosting")
		}
		if d.Price == "free" || d.Price == "on_request" {
			d.PriceMin, d.PriceMax = nil, nil
		}
		if d.PriceMin != nil && *d.PriceMin < 0 || d.PriceMax != nil && *d.PriceMax < 0 {
			v.Add(at+"price_min", "catalog.error.price_negative")
		} else if d.PriceMin != nil && d.PriceMax != nil && *d.PriceMin > *d.PriceMax {
			v.Add(at+"price_max", "catalog.error.price_range")
		}
	}
	if len(e.Delivery) == 0 {
		v.Add("delivery", "catalog.error.delivery_required")
	}

	today := now.Truncate(24 * time.Hour)
	for i := range e.Evidence {
		ev := &e.Evidence[i]
		at := fmt.Sprintf("evidence.%d.", i)
		if !slices.Contains(EvidenceKinds, ev.Kind) {
			v.Add(at+"kind", "catalog.error.evidence_kind")
		}
		ev.Link = checkURL(&v, at+"link", ev.Link)
		ev.Note = strings.TrimSpace(ev.Note)
		v.Text(at+"note", ev.Note, maxFreeText, false)
		if ev.Expires != nil && ev.Expires.Before(today) {
			v.Add(at+"expires", "catalog.error.evidence_expired")
		}
	}
	if len(e.Evidence) > maxListItems {
		v.Add("evidence", "catalog.error.too_many", "Max", maxListItems)
	}

	e.Standards = tidy(e.Standards)
	for _, s := range e.Standards {
		if utf8.RuneCountInString(s) > 60 {
			v.Add("standards", "form.error.too_long", "Max", 60)
		}
	}
	if len(e.Standards) > maxListItems {
		v.Add("standards", "catalog.error.too_many", "Max", maxListItems)
	}
	if !slices.Contains(Maturities, e.Maturity) {
		v.Add("maturity", "catalog.error.maturity")
	}
	if e.Origin != "" && !slices.Contains(Origins, e.Origin) {
		v.Add("origin", "catalog.error.origin")
	}
	e.Languages = tidy(e.Languages)
	for _, l := range e.Languages {
		if !reLanguage.MatchString(l) {
			v.Add("languages", "catalog.error.language", "Language", l)
		}
	}
	e.Contact = strings.ToLower(strings.TrimSpace(e.Contact))
	if a, err := mail.ParseAddress(e.Contact); e.Contact != "" && (err != nil || a.Address != e.Contact) {
		v.Add("contact", "form.error.email")
	}
	e.checkImages(&v)
	return v.Err()
}

// checkImages checks the form of the logo and screenshot references;
// that they are media of the same solution is checked against the store
// (Solutions.attachMedia).
func (e *Entry) checkImages(v *apperr.Validation) {
	e.Logo = strings.TrimSpace(e.Logo)
	if _, err := uuid.Parse(e.Logo); e.Logo != "" && err != nil {
		v.Add("logo", "media.error.unknown")
	}
	if len(e.Screenshots) > MaxScreenshots {
		v.Add("screenshots", "media.error.too_many", "Max", MaxScreenshots)
	}
	seen := map[string]bool{}
	for i := range e.Screenshots {
		sc := &e.Screenshots[i]
		at := fmt.Sprintf("screenshots.%d.", i)
		sc.ID = strings.TrimSpace(sc.ID)
		if _, err := uuid.Parse(sc.ID); err != nil {
			v.Add(at+"id", "media.error.unknown")
		} else if seen[sc.ID] {
			v.Add(at+"id", "media.error.repeated")
		}
		seen[sc.ID] = true
		sc.Alt = strings.Join(strings.Fields(sc.Alt), " ")
		v.Text(at+"alt", sc.Alt, MaxAlt, true)
	}
}

// checkURL validates an optional http(s) address and returns it trimmed.
func checkURL(v *apperr.Validation, field, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") || len(s) > maxURL || u.User != nil {
		v.Add(field, "catalog.error.url")
	}
	return s
}

// tidy trims, drops empty and repeated items, and sorts a list.
func tidy(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
