package catalog

import (
	"fmt"
	"strings"
)

// Change is one field that differs between two versions of an entry.
type Change struct {
	Field    string // the form's field name, e.g. "short", "delivery"
	Old, New string // the values as text
}

// Diff lists the fields that differ between two versions, in form order.
func Diff(a, b Entry) []Change {
	fa, fb := flatten(a), flatten(b)
	var out []Change
	for i, f := range fa {
		if f.value != fb[i].value {
			out = append(out, Change{Field: f.name, Old: f.value, New: fb[i].value})
		}
	}
	return out
}

type flatField struct{ name, value string }

// flatten writes an entry as text, one value per form field.
func flatten(e Entry) []flatField {
	var delivery, evidence []string
	for _, d := range e.Delivery {
		s := d.Model + ": " + d.Price
		if d.PriceMin != nil || d.PriceMax != nil {
			s += fmt.Sprintf(" %s–%s €", price(d.PriceMin), price(d.PriceMax))
		}
		if d.Hosting != "" {
			s += " (" + d.Hosting + ")"
		}
		delivery = append(delivery, s)
	}
	for _, ev := range e.Evidence {
		s := ev.Kind
		if ev.Expires != nil {
			s += " bis " + ev.Expires.Format("2006-01-02")
		}
		if ev.Link != "" {
			s += " " + ev.Link
		}
		evidence = append(evidence, s)
	}
	var sizes []string
	for _, b := range e.Sizes {
		sizes = append(sizes, string(b))
	}
	var screenshots []string
	for _, sc := range e.Screenshots {
		screenshots = append(screenshots, sc.Alt+" ("+mediumTag(sc.ID)+")")
	}
	return []flatField{
		{"name", e.Name}, {"short", e.Short}, {"description", e.Description}, {"fields", strings.Join(e.Fields, ", ")},
		{"sizes", strings.Join(sizes, ", ")}, {"licence", e.Licence}, {"repository", e.Repository}, {"website", e.Website},
		{"delivery", strings.Join(delivery, "; ")}, {"evidence", strings.Join(evidence, "; ")}, {"standards", strings.Join(e.Standards, ", ")},
		{"maturity", e.Maturity}, {"origin", e.Origin}, {"programme", e.Programme}, {"languages", strings.Join(e.Languages, ", ")},
		{"contact", e.Contact}, {"support", e.Support}, {"logo", mediumTag(e.Logo)}, {"screenshots", strings.Join(screenshots, "; ")},
	}
}

// mediumTag names a medium in a difference by the end of its id (the
// random part of a UUIDv7), "" for none.
func mediumTag(id string) string {
	if len(id) <= 8 {
		return id
	}
	return "…" + id[len(id)-8:]
}

func price(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%g", *p)
}
