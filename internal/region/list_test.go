package region_test

import (
	"context"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMunicipalitySearch(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			svc := regiontest.Service(regiontest.Imported(t, d))
			ctx := context.Background()
			tests := []struct {
				query   string
				wantAGS string // expected first hit
			}{
				{"Muenchen", "09162000"},
				{"münchen", "09162000"},
				{"Munchen", "09162000"},
				{"MÜNCHEN", "09162000"},
				{"Düsseldorf", "05111000"},
				{"Duesseldorf", "05111000"},
				{"Chóśebuz", "12052000"},
				{"Cottbus", "12052000"},
				{"Gröde", "01054039"},
			}
			for _, tt := range tests {
				page, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: region.MunicipalityFilter{Query: tt.query}})
				if err != nil {
					t.Fatalf("%q: %v", tt.query, err)
				}
				if len(page.Items) == 0 || page.Items[0].AGS != tt.wantAGS {
					t.Errorf("%q: first hit %v, want %s", tt.query, first(page), tt.wantAGS)
				}
			}
			for _, q := range []string{"%", "_", "'; DROP TABLE municipalities; --", "\\", "xxxxxxxxxxqqqq"} {
				page, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: region.MunicipalityFilter{Query: q}})
				if err != nil || page.Total != 0 {
					t.Errorf("%q: total %d, %v; want no hits", q, page.Total, err)
				}
			}
		})
	}
}

func first(p region.MunicipalityPage) string {
	if len(p.Items) == 0 {
		return "none"
	}
	return p.Items[0].AGS + " " + p.Items[0].Name
}

func TestMunicipalityFilters(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			svc := regiontest.Service(regiontest.Imported(t, d))
			ctx := context.Background()
			tests := []struct {
				name      string
				filter    region.MunicipalityFilter
				sort      region.Sort
				wantTotal int
				wantFirst string
			}{
				{"all", region.MunicipalityFilter{}, region.SortPopulation, 10751, "11000000"},
				{"Bayern", region.MunicipalityFilter{StateKey: "09"}, region.SortPopulation, 2056, "09162000"},
				{"Saarland", region.MunicipalityFilter{StateKey: "10"}, "", 52, ""},
				{"Dithmarschen", region.MunicipalityFilter{DistrictKey: "01051"}, region.SortName, 0, "01051001"},
				{"big cities", region.MunicipalityFilter{Band: region.BandOver100k}, region.SortPopulation, 0, "11000000"},
				{"small rural SH", region.MunicipalityFilter{StateKey: "01", Band: region.BandUnder5k, Urbanisation: ptr(region.Rural)}, region.SortName, 0, ""},
				{"unknown urbanisation", region.MunicipalityFilter{Urbanisation: ptr(region.UrbanisationUnknown)}, region.SortName, 2, "16076094"},
			}
			for _, tt := range tests {
				page, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: tt.filter, Sort: tt.sort, Limit: 10})
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				if tt.wantTotal != 0 && page.Total != tt.wantTotal {
					t.Errorf("%s: total %d, want %d", tt.name, page.Total, tt.wantTotal)
				}
				if tt.wantFirst != "" && (len(page.Items) == 0 || page.Items[0].AGS != tt.wantFirst) {
					t.Errorf("%s: first %s, want %s", tt.name, first(page), tt.wantFirst)
				}
				for _, m := range page.Items {
					if (tt.filter.StateKey != "" && m.StateKey != tt.filter.StateKey) ||
						(tt.filter.Band != "" && m.Band() != tt.filter.Band) ||
						(tt.filter.Urbanisation != nil && m.Urbanisation != *tt.filter.Urbanisation) || !m.Political() {
						t.Errorf("%s: %s does not match the filter", tt.name, m.AGS)
					}
				}
			}
			// The band totals add up to all municipalities.
			sum := 0
			for _, b := range region.Bands {
				p, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: region.MunicipalityFilter{Band: b}, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				sum += p.Total
			}
			if sum != 10751 {
				t.Errorf("bands add up to %d", sum)
			}
		})
	}
}

func TestMunicipalityKeysetPaging(t *testing.T) {
	cases := []struct {
		sort   region.Sort
		filter region.MunicipalityFilter
	}{
		{region.SortName, region.MunicipalityFilter{StateKey: "10"}},
		{region.SortPopulation, region.MunicipalityFilter{StateKey: "10"}},
		{region.SortRelevance, region.MunicipalityFilter{StateKey: "10", Query: "bach"}},
		{region.SortRelevance, region.MunicipalityFilter{StateKey: "09", Query: "berg"}},
		{region.SortRelevance, region.MunicipalityFilter{Query: "münchen"}},
	}
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			svc := regiontest.Service(regiontest.Imported(t, d))
			ctx := context.Background()
			for _, c := range cases {
				// The whole list in one page is the reference order.
				all, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: c.filter, Sort: c.sort, Limit: region.MaxLimit})
				if err != nil || all.Next != nil || all.Total < 5 {
					t.Fatalf("%s %+v: reference page %d items, next %v, %v", c.sort, c.filter, all.Total, all.Next, err)
				}
				var got []string
				var after *region.Cursor
				for pages := 0; ; pages++ {
					if pages > 100 {
						t.Fatal("paging does not end")
					}
					page, err := svc.Municipalities(ctx, region.MunicipalityQuery{Filter: c.filter, Sort: c.sort, After: after, Limit: 3})
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range page.Items {
						got = append(got, m.AGS)
					}
					if page.Next == nil {
						break
					}
					after = page.Next
				}
				for i, m := range all.Items {
					if i >= len(got) || got[i] != m.AGS {
						t.Fatalf("%s %+v: keyset order differs at %d: %v", c.sort, c.filter, i, got)
					}
				}
				if len(got) != all.Total {
					t.Errorf("%s: paged through %d of %d", c.sort, len(got), all.Total)
				}
			}
		})
	}
}

func TestMunicipalityQueryValidation(t *testing.T) {
	svc := regiontest.Service(regiontest.Imported(t, storetest.Backends()[0]))
	tests := []struct {
		name  string
		q     region.MunicipalityQuery
		field string
	}{
		{"state", region.MunicipalityQuery{Filter: region.MunicipalityFilter{StateKey: "9"}}, "state"},
		{"district", region.MunicipalityQuery{Filter: region.MunicipalityFilter{DistrictKey: "abcde"}}, "district"},
		{"band", region.MunicipalityQuery{Filter: region.MunicipalityFilter{Band: "huge"}}, "band"},
		{"urbanisation", region.MunicipalityQuery{Filter: region.MunicipalityFilter{Urbanisation: ptr(region.Urbanisation(7))}}, "urbanisation"},
		{"sort", region.MunicipalityQuery{Sort: "random"}, "sort"},
		{"limit", region.MunicipalityQuery{Limit: 1000}, "limit"},
		{"offset", region.MunicipalityQuery{Offset: -1}, "page"},
		{"query", region.MunicipalityQuery{Filter: region.MunicipalityFilter{Query: string(make([]rune, 101))}}, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Municipalities(context.Background(), tt.q)
			var e *apperr.Error
			if !asErr(err, &e) || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("err = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestStateAndDistrict(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			svc := regiontest.Service(regiontest.Imported(t, d))
			ctx := context.Background()
			by, err := svc.State(ctx, "09")
			if err != nil || by.Name != "Bayern" || by.Figures.Population != 13248928 || by.Figures.Municipalities != 2056 {
				t.Fatalf("Bayern = %+v, %v", by, err)
			}
			di, err := svc.District(ctx, "01051")
			if err != nil || di.Name != "Dithmarschen" || di.StateName != "Schleswig-Holstein" || di.Figures.Municipalities == 0 {
				t.Fatalf("Dithmarschen = %+v, %v", di, err)
			}
			var (
				pop   int64
				n     int
				after string
			)
			for {
				page, err := svc.Districts(ctx, region.DistrictQuery{Limit: region.MaxLimit, After: after})
				if err != nil || page.Total != 400 {
					t.Fatalf("districts total %d, %v", page.Total, err)
				}
				for _, x := range page.Items {
					pop += x.Figures.Population
					n++
				}
				if after = page.Next; after == "" {
					break
				}
			}
			if n != 400 {
				t.Errorf("paged through %d districts", n)
			}
			// Every inhabited record lies in a Kreis; the two without one are uninhabited.
			if pop != 83577140 {
				t.Errorf("districts sum population %d", pop)
			}
			for _, key := range []string{"99", "x"} {
				if _, err := svc.State(ctx, key); !apperr.Is(err, apperr.NotFound) {
					t.Errorf("State(%q) err = %v", key, err)
				}
			}
			if _, err := svc.Municipality(ctx, "99999999"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown AGS err = %v", err)
			}
		})
	}
}
