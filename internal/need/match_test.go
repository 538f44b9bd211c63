package need

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
)

// fakeCatalogue answers every search with its solutions and records the
// queries.
type fakeCatalogue struct {
	sols    []catalog.Solution
	queries []search.Query
	peers   map[region.Band][]search.PeerCount
}

func (f *fakeCatalogue) Search(_ context.Context, q search.Query) (search.Result, error) {
	f.queries = append(f.queries, q)
	var r search.Result
	for _, s := range f.sols {
		r.Items = append(r.Items, search.Hit{Solution: s})
	}
	return r, nil
}

func (f *fakeCatalogue) UsesByBand(_ context.Context, ids []string) (map[string]map[region.Band]int, error) {
	out := map[string]map[region.Band]int{}
	for band, counts := range f.peers {
		for _, c := range counts {
			if slices.Contains(ids, c.SolutionID) {
				if out[c.SolutionID] == nil {
					out[c.SolutionID] = map[region.Band]int{}
				}
				out[c.SolutionID][band] = c.Municipalities
			}
		}
	}
	return out, nil
}

func sol(id string, e catalog.Entry) catalog.Solution {
	return catalog.Solution{ID: id, Slug: id, Published: &catalog.Version{Entry: e}}
}

func TestMatch(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	later := now.AddDate(1, 0, 0)
	earlier := now.AddDate(-1, 0, 0)
	cat := &fakeCatalogue{
		sols: []catalog.Solution{
			// meets everything
			sol("a", catalog.Entry{Name: "Alpha Parken", Description: "Handyparken per App", Licence: "MIT", Maturity: "production",
				Delivery: []catalog.Delivery{{Model: "saas", Hosting: "de"}}, Evidence: []catalog.Evidence{{Kind: "bsi_c5", Expires: &later}},
				Standards: []string{"OParl"}}),
			// hosted outside the EU: must unmet
			sol("b", catalog.Entry{Name: "Beta", Licence: "Proprietary", Maturity: "scaled",
				Delivery: []catalog.Delivery{{Model: "saas", Hosting: "other"}}, Evidence: []catalog.Evidence{{Kind: "bsi_c5", Expires: &later}}}),
			// expired C5: unknown; no standard: unknown
			sol("c", catalog.Entry{Name: "Gamma", Licence: "EUPL-1.2", Maturity: "pilot",
				Delivery: []catalog.Delivery{{Model: "saas", Hosting: "eu"}}, Evidence: []catalog.Evidence{{Kind: "bsi_c5", Expires: &earlier}}}),
			// same as a but fewer users, later by name order otherwise
			sol("d", catalog.Entry{Name: "Delta Parken", Description: "Handyparken", Licence: "MIT", Maturity: "production",
				Delivery: []catalog.Delivery{{Model: "saas", Hosting: "de"}}, Evidence: []catalog.Evidence{{Kind: "bsi_c5", Expires: &later}},
				Standards: []string{"oparl"}}),
		},
		peers: map[region.Band][]search.PeerCount{
			region.Band5kTo20k:  {{SolutionID: "d", Municipalities: 4}, {SolutionID: "a", Municipalities: 1}},
			region.BandOver100k: {{SolutionID: "a", Municipalities: 2}},
		},
	}
	n := Need{Slug: "parken", Title: "Handyparken", Field: "mobilitaet", Hosting: "eu", Evidence: []string{"bsi_c5"},
		Reqs: []Requirement{
			{Text: "Als SaaS", Kind: Must, Attribute: "delivery:saas"},
			{Text: "OParl", Kind: Should, Weight: 3, Attribute: "standard:OParl"},
			{Text: "Open Source", Kind: Should, Weight: 1, Attribute: "open_source"},
			{Text: "Bezahlung per Handyparken", Kind: Should, Weight: 4},
			{Text: "Barrierefreie Bedienung", Kind: Must},
		}}
	m := NewMatcher(cat)
	m.Now = func() time.Time { return now }
	got, err := m.Match(t.Context(), n, region.Band5kTo20k, 10)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range got {
		order = append(order, x.Solution.ID)
	}
	// a and d score 100; d has more users (4 vs 3) — then c, then b last (unqualified).
	if want := []string{"d", "a", "c", "b"}; !slices.Equal(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	byID := map[string]Match{}
	for _, x := range got {
		byID[x.Solution.ID] = x
	}
	if a := byID["a"]; a.Score != 100 || !a.Qualified || a.Users != 3 || a.Peers != 1 || a.Unknown != 1 {
		t.Errorf("a: %+v", a)
	}
	status := func(id string, i int) (Status, string) { o := byID[id].Outcomes[i]; return o.Status, o.Basis }
	for _, c := range []struct {
		id          string
		i           int
		want, basis string
	}{
		{"a", 0, "met", "attribute"},   // delivery saas
		{"a", 3, "met", "keyword"},     // "handyparken" in the description
		{"a", 4, "unknown", "none"},    // free text: ask the provider
		{"a", 5, "met", "attribute"},   // derived hosting eu
		{"a", 6, "met", "attribute"},   // derived bsi_c5
		{"b", 5, "unmet", "attribute"}, // hosting other
		{"b", 2, "unmet", "attribute"}, // proprietary
		{"c", 6, "unknown", "attribute"},
		{"c", 1, "unknown", "attribute"},
	} {
		if st, b := status(c.id, c.i); string(st) != c.want || b != c.basis {
			t.Errorf("%s outcome %d: %s/%s, want %s/%s", c.id, c.i, st, b, c.want, c.basis)
		}
	}
	if b := byID["b"]; b.Qualified {
		t.Errorf("b qualified: %+v", b)
	}
	// c: open source met (1 of 8 should points) → 13.
	if c := byID["c"]; c.Score != 13 {
		t.Errorf("c score %d", c.Score)
	}
	// Candidates: by field with the structured musts as facet filters, then by the title's text.
	q := cat.queries[0]
	if !slices.Equal(q.Filters[search.FacetField], []string{"mobilitaet"}) || !slices.Equal(q.Filters[search.FacetDelivery], []string{"saas"}) ||
		!slices.Equal(q.Filters[search.FacetHosting], []string{"de", "eu"}) || !slices.Equal(q.Filters[search.FacetEvidence], []string{"bsi_c5"}) ||
		q.Filters[search.FacetOpen] != nil || q.Limit != MaxCandidates {
		t.Errorf("first query %+v", q)
	}
	if len(cat.queries) != 2 || cat.queries[1].Text != "Handyparken" || cat.queries[1].Filters[search.FacetField] != nil {
		t.Errorf("queries %+v", cat.queries)
	}
	// Deterministic: the same answer again.
	again, _ := m.Match(t.Context(), n, region.Band5kTo20k, 2)
	if len(again) != 2 || again[0].Solution.ID != "d" || again[1].Solution.ID != "a" {
		t.Errorf("limit/again: %v", again)
	}
}

func TestRequirementsDerived(t *testing.T) {
	n := Need{Reqs: []Requirement{{Text: "x", Kind: Must}}, Hosting: "de", Evidence: []string{"iso27001"}, Delivery: []string{"saas", "managed"}}
	r := Requirements(n)
	if len(r) != 5 || r[1].Req.Attribute != "hosting:de" || r[2].Req.Attribute != "evidence:iso27001" || r[3].Req.Weight != 2 || !r[4].Derived {
		t.Errorf("derived %+v", r)
	}
}
