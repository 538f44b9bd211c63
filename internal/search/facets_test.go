package search_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestEntryFacets: the facet values of an entry, with parents of fields
// of action, each value once, the longest lasting evidence of a kind.
func TestEntryFacets(t *testing.T) {
	early, late := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	parent := func(k string) string {
		return map[string]string{"mobility.parking": "mobility", "mobility.sharing": "mobility"}[k]
	}
	tests := []struct {
		name string
		e    catalog.Entry
		want string
	}{
		{"empty", catalog.Entry{}, "[{open_source no <nil>}]"},
		{"fields with parent once", catalog.Entry{Fields: []string{"mobility.parking", "mobility.sharing"}, Licence: "MIT"},
			"[{field mobility.parking <nil>} {field mobility <nil>} {field mobility.sharing <nil>} {open_source yes <nil>}]"},
		{"deliveries", catalog.Entry{Delivery: []catalog.Delivery{{Model: "saas", Hosting: "de", Price: "flat"}, {Model: "on_premises", Price: "flat"}}},
			"[{delivery saas <nil>} {hosting de <nil>} {price flat <nil>} {delivery on_premises <nil>} {open_source no <nil>}]"},
		{"evidence: the later expiry", catalog.Entry{Evidence: []catalog.Evidence{{Kind: "iso27001", Expires: &early}, {Kind: "iso27001", Expires: &late}}},
			"[{open_source no <nil>} {evidence iso27001 2028-01-01 00:00:00 +0000 UTC}]"},
		{"evidence: no expiry wins", catalog.Entry{Evidence: []catalog.Evidence{{Kind: "bsi_c5", Expires: &early}, {Kind: "bsi_c5"}}},
			"[{open_source no <nil>} {evidence bsi_c5 <nil>}]"},
		{"maturity and standards", catalog.Entry{Maturity: "pilot", Standards: []string{"OParl", "OParl"}},
			"[{open_source no <nil>} {maturity pilot <nil>} {standard OParl <nil>}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, v := range search.EntryFacets(tc.e, parent) {
				exp := "<nil>"
				if v.Expires != nil {
					exp = v.Expires.String()
				}
				got = append(got, fmt.Sprintf("{%s %s %s}", v.Facet, v.Value, exp))
			}
			if s := fmt.Sprint(got); s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
		})
	}
}

// BenchmarkFacets measures searches with facet counting over the demo
// catalogue per backend: no selection, selections in several facets,
// and a text with a selection.
func BenchmarkFacets(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.New(b, d)
			fields := catalog.NewFields(db)
			if _, err := fields.Ensure(b.Context()); err != nil {
				b.Fatal(err)
			}
			if _, err := catalog.NewSolutions(db, db, db).ImportDemo(b.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
				b.Fatal(err)
			}
			svc := search.New(db, fields)
			if err := svc.Init(b.Context()); err != nil {
				b.Fatal(err)
			}
			queries := []search.Query{
				{},
				{Filters: search.Filters{search.FacetDelivery: {"saas", "on_premises"}, search.FacetOpen: {"yes"}}},
				{Filters: search.Filters{search.FacetField: {"mobility"}, search.FacetMaturity: {"production"}}, Sort: search.SortUsed},
				{Text: "Verwaltung", Filters: search.Filters{search.FacetOpen: {"yes"}}, Sort: search.SortNewest},
			}
			i := 0
			for b.Loop() {
				if _, err := svc.Search(b.Context(), queries[i%len(queries)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
