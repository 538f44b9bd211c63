package http

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// evidenceRows is how many evidence rows the entry form offers.
const evidenceRows = 4

// entryFromForm reads the entry form. Delivery fields are named after the
// model ("delivery.saas.price"), evidence rows after their row
// ("evidence.2.kind"); index maps the entry's positions back to those
// names for the messages. Prices and dates that cannot be read are
// reported in v.
func entryFromForm(f url.Values) (e catalog.Entry, index map[string]string, v *apperr.Validation) {
	index, v = map[string]string{}, &apperr.Validation{}
	e = catalog.Entry{Name: f.Get("name"), Short: f.Get("short"), Description: f.Get("description"), Fields: f["fields"],
		Licence: f.Get("licence"), Repository: f.Get("repository"), Website: f.Get("website"), Maturity: f.Get("maturity"),
		Origin: f.Get("origin"), Programme: f.Get("programme"), Contact: f.Get("contact"), Support: f.Get("support"),
		Standards: splitList(f.Get("standards")), Languages: splitList(strings.ToLower(f.Get("languages")))}
	for _, b := range f["sizes"] {
		e.Sizes = append(e.Sizes, region.Band(b))
	}
	for _, m := range catalog.DeliveryModels {
		if f.Get("delivery."+m) != "1" {
			continue
		}
		p := "delivery." + m + "."
		d := catalog.Delivery{Model: m, Price: f.Get(p + "price"), Hosting: f.Get(p + "hosting")}
		d.PriceMin, d.PriceMax = number(v, p+"price_min", f.Get(p+"price_min")), number(v, p+"price_max", f.Get(p+"price_max"))
		index[fmt.Sprintf("delivery.%d.", len(e.Delivery))] = p
		e.Delivery = append(e.Delivery, d)
	}
	for i := range evidenceRows {
		p := fmt.Sprintf("evidence.%d.", i)
		kind := f.Get(p + "kind")
		if kind == "" {
			continue
		}
		ev := catalog.Evidence{Kind: kind, Link: f.Get(p + "link"), Note: f.Get(p + "note")}
		if s := strings.TrimSpace(f.Get(p + "expires")); s != "" {
			if t, ok := parseDate(s, time.UTC); !ok {
				v.Add(p+"expires", "catalog.error.date")
			} else {
				ev.Expires = &t
			}
		}
		index[fmt.Sprintf("evidence.%d.", len(e.Evidence))] = p
		e.Evidence = append(e.Evidence, ev)
	}
	entryImagesFromForm(f, &e, index)
	return e, index, v
}

// formFieldErrors renames the entry's field errors to the form's names.
func formFieldErrors(err error, index map[string]string) error {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return err
	}
	for i, fe := range e.Fields {
		for from, to := range index {
			if strings.HasPrefix(fe.Field, from) {
				e.Fields[i].Field = to + strings.TrimPrefix(fe.Field, from)
			}
		}
		if fe.Field == "delivery" {
			e.Fields[i].Field = "delivery.saas"
		}
	}
	return e
}

// entryForm writes an entry into form values, the inverse of entryFromForm.
func entryForm(e catalog.Entry) url.Values {
	f := url.Values{"name": {e.Name}, "short": {e.Short}, "description": {e.Description}, "fields": e.Fields, "licence": {e.Licence},
		"repository": {e.Repository}, "website": {e.Website}, "maturity": {e.Maturity}, "origin": {e.Origin}, "programme": {e.Programme},
		"contact": {e.Contact}, "support": {e.Support}, "standards": {strings.Join(e.Standards, ", ")}, "languages": {strings.Join(e.Languages, ", ")}}
	for _, b := range e.Sizes {
		f.Add("sizes", string(b))
	}
	for _, d := range e.Delivery {
		p := "delivery." + d.Model + "."
		f.Set("delivery."+d.Model, "1")
		f.Set(p+"price", d.Price)
		f.Set(p+"hosting", d.Hosting)
		if d.PriceMin != nil {
			f.Set(p+"price_min", strconv.FormatFloat(*d.PriceMin, 'f', -1, 64))
		}
		if d.PriceMax != nil {
			f.Set(p+"price_max", strconv.FormatFloat(*d.PriceMax, 'f', -1, 64))
		}
	}
	for i, ev := range e.Evidence {
		if i >= evidenceRows {
			break
		}
		p := fmt.Sprintf("evidence.%d.", i)
		f.Set(p+"kind", ev.Kind)
		f.Set(p+"link", ev.Link)
		f.Set(p+"note", ev.Note)
		if ev.Expires != nil {
			f.Set(p+"expires", ev.Expires.Format("2006-01-02"))
		}
	}
	entryImagesForm(e, f)
	return f
}

// splitList splits a comma- or line-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
}

// number reads an optional price ("12,50" or "12.50"); nil when empty,
// and a message in v when it is not a number.
func number(v *apperr.Validation, field, s string) *float64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != f {
		v.Add(field, "catalog.error.price_number")
		return nil
	}
	return &f
}
