package catalog

// This file: one synthetic entry with realistic attribute distributions
// (see seed.go).

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/region"
)

// seedLicences and their weights: about 55 % open source, the rest
// proprietary terms.
var (
	seedLicences = []string{"EUPL-1.2", "MIT", "Apache-2.0", "GPL-3.0-or-later", "AGPL-3.0-only", "MPL-2.0", "GPL-2.0-or-later",
		"LicenseRef-Kommerziell", "LicenseRef-Proprietaer"}
	seedLicenceWeights = []int{16, 10, 10, 8, 6, 3, 2, 38, 7}
)

// solution generates entry number i (0-based) of the run.
func (g *seedGen) solution(i int) SeedSolution {
	// Entries were written over the last five years, at working hours.
	created := g.now.AddDate(0, 0, -1-g.rng.IntN(5*365)).Truncate(24 * time.Hour).Add(time.Duration(7*3600+g.rng.IntN(11*3600)) * time.Second)
	fields := []string{pick(g, g.leaves)}
	if g.chance(0.3) {
		if f := pick(g, g.leaves); f != fields[0] {
			fields = append(fields, f)
		}
	}
	term := g.term(fields[0])
	name := fmt.Sprintf("%s %s %d", term, pick(g, seedQualifiers), 2+g.rng.IntN(9998))
	slug := g.slug(name)
	e := Entry{Name: name, Fields: fields, Licence: weighted(g, seedLicences, seedLicenceWeights)}
	e.Short = cut(fmt.Sprintf("%s für %s: %s.", term, pick(g, seedAudiences), pick(g, seedBenefits)), MaxShort)
	e.Description = g.description(term, fields)
	e.Website = "https://www.example.org/seed/" + slug
	open := OpenSource(e.Licence)
	if open {
		e.Repository = pick(g, []string{"https://gitlab.opencode.de/seed/", "https://github.com/seed-kommunal/", "https://codeberg.org/seed/"}) + slug
	}
	e.Delivery = g.delivery(open)
	e.Evidence = g.evidence(created, slug, e.Delivery)
	e.Standards = sample(g, Standards, weighted(g, []int{0, 1, 2, 3}, []int{35, 35, 20, 10}))
	e.Maturity = weighted(g, Maturities, []int{8, 22, 55, 15})
	e.Origin = weighted(g, append([]string{""}, Origins...), []int{10, 12, 10, 13, 15, 40})
	if e.Origin == "smart_cities_model_project" || e.Origin == "state_programme" || e.Origin == "ozg_efa" {
		e.Programme = pick(g, seedProgrammes)
	}
	lo := g.rng.IntN(len(region.Bands))
	hi := lo + g.rng.IntN(len(region.Bands)-lo)
	e.Sizes = slices.Clone(region.Bands[lo : hi+1])
	e.Languages = []string{"de"}
	if g.chance(0.35) {
		e.Languages = append(e.Languages, "en")
	}
	if g.chance(0.1) {
		e.Languages = append(e.Languages, sample(g, []string{"ar", "pl", "ru", "tr", "uk"}, 1+g.rng.IntN(3))...)
	}
	slices.Sort(e.Languages)
	e.Contact = "vertrieb-" + slug + "@example.org"
	if len(e.Contact) > 100 {
		e.Contact = "vertrieb@example.org"
	}
	e.Support = pick(g, seedSupport)
	return SeedSolution{ID: g.id(created), Slug: slug, ImportedFrom: fmt.Sprintf("%s%d", SeedSource, i+1), Created: created, Entry: e}
}

// term returns a product term of a field of action; fields added by
// curators borrow from the whole vocabulary.
func (g *seedGen) term(field string) string {
	if list, ok := seedTerms[field]; ok {
		return pick(g, list)
	}
	return pick(g, seedTerms[pick(g, g.leaves)])
}

// description writes the long Markdown description.
func (g *seedGen) description(term string, fields []string) string {
	var b strings.Builder
	other := g.term(pick(g, g.leaves))
	phrases := g.rng.Perm(len(seedPhrases))[:2+g.rng.IntN(3)]
	for _, i := range phrases[1:] {
		b.WriteString(fmt.Sprintf(seedPhrases[i], term, pick(g, seedAudiences), other))
		b.WriteString(" ")
	}
	b.WriteString("\n\n## Funktionen\n\n")
	for _, f := range sample(g, seedFeatures, 3+g.rng.IntN(5)) {
		b.WriteString("- " + f + "\n")
	}
	b.WriteString("\n## Einsatz in der Kommune\n\n")
	b.WriteString(fmt.Sprintf(seedPhrases[phrases[0]], term, pick(g, seedAudiences), g.term(fields[len(fields)-1])))
	if g.chance(0.4) {
		b.WriteString(fmt.Sprintf("\n\n**Hinweis:** %s lässt sich schrittweise einführen; %s.", term, pick(g, seedBenefits)))
	}
	return b.String()
}

// delivery draws one to three delivery models with prices.
func (g *seedGen) delivery(open bool) []Delivery {
	var out []Delivery
	onPrem := 0.25
	if open {
		onPrem = 0.7
	}
	for _, m := range []struct {
		model string
		p     float64
	}{{SaaS, 0.65}, {Managed, 0.3}, {OnPremises, onPrem}} {
		if g.chance(m.p) {
			out = append(out, g.price(m.model, open))
		}
	}
	if len(out) == 0 {
		out = append(out, g.price(SaaS, open))
	}
	return out
}

func (g *seedGen) price(model string, open bool) Delivery {
	d := Delivery{Model: model}
	if model != OnPremises {
		d.Hosting = weighted(g, HostingLocations, []int{70, 22, 8})
	}
	weights := []int{5, 30, 25, 20, 20} // free, flat, per_inhabitant, per_user, on_request
	if open && model == OnPremises {
		weights = []int{80, 5, 5, 5, 5}
	}
	d.Price = weighted(g, PriceModels, weights)
	// Euros per unit: a year's flat fee, per inhabitant and year, per
	// user and month.
	var lo, hi float64
	switch d.Price {
	case "flat":
		lo, hi = 500, 60000
	case "per_inhabitant":
		lo, hi = 0.02, 1.5
	case "per_user":
		lo, hi = 2, 45
	default:
		return d
	}
	a := round2(lo + g.rng.Float64()*(hi-lo))
	d.PriceMin = &a
	if g.chance(0.6) {
		b := round2(a * (1.2 + g.rng.Float64()*2))
		d.PriceMax = &b
	}
	return d
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// evidence draws certifications; they were valid when the entry was
// written and some have expired since.
func (g *seedGen) evidence(created time.Time, slug string, delivery []Delivery) []Evidence {
	hosted := slices.ContainsFunc(delivery, func(d Delivery) bool { return d.Model != OnPremises })
	var kinds []string
	for _, k := range EvidenceKinds {
		p := 0.15
		switch k {
		case "gdpr_dpa":
			if hosted {
				p = 0.6
			}
		case "bitv_statement":
			p = 0.45
		case "bsi_c5":
			if !hosted {
				p = 0
			}
		}
		if g.chance(p) {
			kinds = append(kinds, k)
		}
	}
	var out []Evidence
	day := created.Truncate(24 * time.Hour)
	for _, k := range kinds {
		ev := Evidence{Kind: k, Link: "https://www.example.org/seed/" + slug + "/nachweise/" + k}
		if k != "bitv_statement" && k != "gdpr_dpa" {
			exp := day.AddDate(1+g.rng.IntN(3), 0, 0)
			ev.Expires = &exp
		}
		if k == "evb_it" {
			ev.Note = pick(g, []string{"EVB-IT Cloud", "EVB-IT Überlassung Typ A und Pflege S", "EVB-IT System"})
		}
		out = append(out, ev)
	}
	return out
}
