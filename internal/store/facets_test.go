package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// facetCorpus publishes three solutions with known attributes (and
// leaves a fourth as a draft) and returns the search service.
func facetCorpus(t *testing.T, ctx context.Context, db *store.DB) *search.Service {
	t.Helper()
	u, o := testProvider(t, ctx, db, "facetten@anbieter.example", "facetten", "Facetten GmbH")
	fields, now := catalog.NewFields(db), time.Now().UTC()
	audit := func() account.AuditEntry {
		return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}
	}
	future, past := now.AddDate(1, 0, 0), now.AddDate(-1, 0, 0)
	entries := []struct {
		slug    string
		e       catalog.Entry
		publish bool
	}{
		{"parkraum-app", catalog.Entry{Name: "Parkraum App", Short: "Parken digital.", Fields: []string{"mobility.parking"},
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Hosting: "de", Price: "per_user"}}, Licence: "EUPL-1.2",
			Evidence: []catalog.Evidence{{Kind: "iso27001", Expires: &future}}, Maturity: "production", Standards: []string{"OParl"}}, true},
		{"parkleitsystem", catalog.Entry{Name: "Parkleitsystem", Short: "Freie Plätze anzeigen.", Fields: []string{"mobility.traffic-management"},
			Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}, Licence: "LicenseRef-Kommerziell",
			Evidence: []catalog.Evidence{{Kind: "iso27001", Expires: &past}}, Maturity: "pilot"}, true},
		{"klimakataster", catalog.Entry{Name: "Klimakataster", Short: "Hitzeinseln finden.", Fields: []string{"energy-environment.climate-adaptation"},
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Hosting: "eu", Price: "flat"}, {Model: catalog.Managed, Hosting: "de", Price: "flat"}},
			Licence:  "MIT", Evidence: []catalog.Evidence{{Kind: "bsi_c5"}}, Maturity: "production", Standards: []string{"OParl", "XPlanung"}}, true},
		{"entwurf", catalog.Entry{Name: "Entwurf Parken", Fields: []string{"mobility.parking"}, Delivery: []catalog.Delivery{{Model: catalog.SaaS, Hosting: "de", Price: "free"}},
			Licence: "MIT", Maturity: "concept"}, false},
	}
	for _, c := range entries {
		sol, err := db.CreateSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: c.slug, OrgID: o.ID}, c.e, audit())
		if err != nil {
			t.Fatal(err)
		}
		if !c.publish {
			continue
		}
		if err := db.SetWorkingState(ctx, sol.ID, sol.Lock, []string{catalog.Draft}, catalog.Submitted, "", u.ID, audit()); err != nil {
			t.Fatal(err)
		}
		if err := db.PublishWorking(ctx, sol.ID, sol.Lock+1, u.ID, audit()); err != nil {
			t.Fatal(err)
		}
	}
	return search.New(db, fields)
}

// counts flattens facets to facet → value → count.
func counts(f search.Facets) map[string]map[string]int {
	out := map[string]map[string]int{}
	for name, cs := range f {
		out[name] = map[string]int{}
		for _, c := range cs {
			out[name][c.Value] = c.Count
		}
	}
	return out
}

// TestFacetCounts: counts over the results with the selections of the
// other facets; OR within a facet, AND across facets; the same on both
// databases.
func TestFacetCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := facetCorpus(t, ctx, db)
		tests := []struct {
			name    string
			q       search.Query
			names   []string                  // results by name
			want    map[string]map[string]int // facets checked
			noValue map[string]string         // a value that must not be counted
		}{
			{"all", search.Query{}, []string{"Klimakataster", "Parkleitsystem", "Parkraum App"}, map[string]map[string]int{
				search.FacetField: {"mobility": 2, "mobility.parking": 1, "mobility.traffic-management": 1, "energy-environment": 1,
					"energy-environment.climate-adaptation": 1},
				search.FacetDelivery: {"saas": 2, "on_premises": 1, "managed": 1},
				search.FacetOpen:     {"yes": 2, "no": 1},
				search.FacetHosting:  {"de": 2, "eu": 1},
				search.FacetEvidence: {"iso27001": 1, "bsi_c5": 1},
				search.FacetMaturity: {"production": 2, "pilot": 1},
				search.FacetPrice:    {"flat": 1, "free": 1, "per_user": 1},
				search.FacetStandard: {"OParl": 2, "XPlanung": 1},
			}, nil},
			{"or within a facet", search.Query{Filters: search.Filters{search.FacetDelivery: {"on_premises", "managed"}}},
				[]string{"Klimakataster", "Parkleitsystem"}, map[string]map[string]int{
					search.FacetDelivery: {"saas": 2, "on_premises": 1, "managed": 1}, // its own selection does not count
					search.FacetOpen:     {"yes": 1, "no": 1},
				}, nil},
			{"and across facets", search.Query{Filters: search.Filters{search.FacetDelivery: {"on_premises", "managed"}, search.FacetOpen: {"no"}}},
				[]string{"Parkleitsystem"}, map[string]map[string]int{
					search.FacetDelivery: {"on_premises": 1},
					search.FacetOpen:     {"yes": 1, "no": 1},
					search.FacetMaturity: {"pilot": 1},
				}, nil},
			{"top-level field includes children", search.Query{Filters: search.Filters{search.FacetField: {"mobility"}}},
				[]string{"Parkleitsystem", "Parkraum App"}, map[string]map[string]int{
					search.FacetField: {"mobility": 2, "mobility.parking": 1, "mobility.traffic-management": 1, "energy-environment": 1,
						"energy-environment.climate-adaptation": 1},
					search.FacetDelivery: {"saas": 1, "on_premises": 1},
				}, nil},
			{"expired evidence does not count", search.Query{Filters: search.Filters{search.FacetEvidence: {"iso27001"}}},
				[]string{"Parkraum App"}, map[string]map[string]int{search.FacetEvidence: {"iso27001": 1, "bsi_c5": 1}}, nil},
			{"standard", search.Query{Filters: search.Filters{search.FacetStandard: {"XPlanung"}}, Sort: search.SortName},
				[]string{"Klimakataster"}, map[string]map[string]int{search.FacetStandard: {"OParl": 2, "XPlanung": 1}}, nil},
			{"with a text", search.Query{Text: "Park", Sort: search.SortName},
				[]string{"Parkleitsystem", "Parkraum App"}, map[string]map[string]int{
					search.FacetOpen:     {"yes": 1, "no": 1},
					search.FacetMaturity: {"production": 1, "pilot": 1},
				}, map[string]string{search.FacetMaturity: "concept"}},
			{"text and facet", search.Query{Text: "Park", Filters: search.Filters{search.FacetHosting: {"de"}}},
				[]string{"Parkraum App"}, map[string]map[string]int{search.FacetHosting: {"de": 1}, search.FacetOpen: {"yes": 1}}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				res, err := svc.Search(ctx, tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, h := range res.Items {
					names = append(names, h.Solution.Published.Entry.Name)
				}
				if tc.q.Text == "" || tc.q.Sort == search.SortName {
					if !slices.Equal(names, tc.names) {
						t.Errorf("results %v, want %v", names, tc.names)
					}
				} else if len(names) != len(tc.names) {
					t.Errorf("results %v, want %v", names, tc.names)
				}
				if res.Total != len(tc.names) {
					t.Errorf("total %d, want %d", res.Total, len(tc.names))
				}
				got := counts(res.Facets)
				for facet, want := range tc.want {
					if !maps.Equal(got[facet], want) {
						t.Errorf("facet %s: %v, want %v", facet, got[facet], want)
					}
				}
				for facet, v := range tc.noValue {
					if _, ok := got[facet][v]; ok {
						t.Errorf("facet %s counts %s", facet, v)
					}
				}
			})
		}
	})
}

// TestFacetSorts: the sort orders and keyset paging through them.
func TestFacetSorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		svc := facetCorpus(t, ctx, db)
		tests := []struct {
			sort string
			want []string
		}{
			{search.SortName, []string{"Klimakataster", "Parkleitsystem", "Parkraum App"}},
			{search.SortNewest, []string{"Klimakataster", "Parkleitsystem", "Parkraum App"}}, // created in reverse order
			{search.SortUsed, []string{"Klimakataster", "Parkleitsystem", "Parkraum App"}},   // no use yet: by name
		}
		for _, tc := range tests {
			t.Run(tc.sort, func(t *testing.T) {
				var names []string
				after := ""
				for range 5 {
					res, err := svc.Search(ctx, search.Query{Sort: tc.sort, Limit: 1, After: after})
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range res.Items {
						names = append(names, h.Solution.Published.Entry.Name)
					}
					if after = res.Next; after == "" {
						break
					}
				}
				if !slices.Equal(names, tc.want) {
					t.Errorf("%s: %v, want %v", tc.sort, names, tc.want)
				}
			})
		}
		// bad filters are validation errors, never database errors
		for _, f := range []search.Filters{{"colour": {"red"}}, {search.FacetDelivery: {"cloud"}}, {search.FacetField: {"space"}},
			{search.FacetStandard: {""}}} {
			if _, err := svc.Search(ctx, search.Query{Filters: f}); err == nil {
				t.Errorf("%v accepted", f)
			}
		}
	})
}

// TestFacetsFromUse: size band and state come from verified current use
// and drive the "most used" order; a withdrawn use stops counting.
func TestFacetsFromUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		sol, ulm, admin := usageFixture(t, db) // Ulm: Baden-Württemberg (08), over 100,000 inhabitants
		svc := facetCorpus(t, ctx, db)
		d, err := db.SaveUse(ctx, newUse(sol, ulm, admin), true, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.Search(ctx, search.Query{Sort: search.SortUsed})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range res.Items {
			names = append(names, h.Solution.Published.Entry.Name)
		}
		if want := []string{"Lösung", "Klimakataster", "Parkleitsystem", "Parkraum App"}; !slices.Equal(names, want) {
			t.Errorf("most used: %v, want %v", names, want)
		}
		got := counts(res.Facets)
		if !maps.Equal(got[search.FacetSize], map[string]int{"gt100k": 1}) || !maps.Equal(got[search.FacetState], map[string]int{"08": 1}) {
			t.Errorf("size %v, state %v", got[search.FacetSize], got[search.FacetState])
		}
		for _, tc := range []struct {
			f    search.Filters
			want int
		}{
			{search.Filters{search.FacetState: {"08"}}, 1},
			{search.Filters{search.FacetState: {"09"}}, 0},
			{search.Filters{search.FacetState: {"08", "09"}, search.FacetSize: {"gt100k"}}, 1},
			{search.Filters{search.FacetSize: {"lt5k"}}, 0},
			{search.Filters{search.FacetSize: {"gt100k"}, search.FacetOpen: {"no"}}, 0}, // Lösung is MIT
		} {
			r, err := svc.Search(ctx, search.Query{Filters: tc.f})
			if err != nil || r.Total != tc.want {
				t.Errorf("%v: %d %v, want %d", tc.f, r.Total, err, tc.want)
			}
		}
		d.Status, d.Reason = catalog.Stopped, "replaced"
		if _, err := db.SaveUse(ctx, d, false, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil {
			t.Fatal(err)
		}
		if r, err := svc.Search(ctx, search.Query{Filters: search.Filters{search.FacetState: {"08"}}}); err != nil || r.Total != 0 {
			t.Errorf("stopped use still counts: %d %v", r.Total, err)
		}
	})
}
