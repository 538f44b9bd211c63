package fundcheck

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

type fakeCatalogue struct{ sols []catalog.Solution }

func (f fakeCatalogue) Search(_ context.Context, q search.Query) (search.Result, error) {
	var res search.Result
	for _, s := range f.sols {
		e := s.Published.Entry
		if fs := q.Filters[search.FacetField]; len(fs) > 0 && !slices.Contains(e.Fields, fs[0]) {
			continue
		}
		h := search.Hit{Solution: s}
		if q.Text != "" && strings.Contains(e.Name, "Park") {
			h.Why.Terms = []string{"Parken"}
		}
		res.Items = append(res.Items, h)
	}
	return res, nil
}

type fakePractices []Practice

func (f fakePractices) PublishedPractices(context.Context) ([]Practice, error) { return f, nil }

func solution(slug, name, licence string, fields ...string) catalog.Solution {
	return catalog.Solution{ID: slug, Slug: slug, OrgName: "Anbieter", Published: &catalog.Version{Entry: catalog.Entry{Name: name,
		Short: name + " für Kommunen", Licence: licence, Fields: fields}}}
}

func TestFind(t *testing.T) {
	f := &Finder{
		cat: fakeCatalogue{sols: []catalog.Solution{
			solution("parkraum", "Parkraumbewirtschaftung", "EUPL-1.2", "mobility.parking"),
			solution("ticket", "Ticketsystem", "LicenseRef-proprietary", "mobility.public-transport"),
			solution("wahl", "Wahlhelfer", "MIT", "administration"),
		}},
		coop: func(context.Context) ([]Cooperation, error) {
			return []Cooperation{{Slug: "gemeinsam-parken", Title: "Parkraumbewirtschaftung gemeinsam", Field: "mobility.parking", Org: "Ulm", Joined: 2},
				{Slug: "schule", Title: "Schul-WLAN", Field: "education", Org: "Kiel", Joined: 1}}, nil
		},
		practices: fakePractices{{Slug: "parken-ulm", Title: "Sensoren für Parkplätze", Fields: []string{"mobility.parking"}, Org: "Ulm"}},
	}
	ms, err := f.find(context.Background(), Input{Title: "Parkraumbewirtschaftung digital", Description: "Parkscheine verkaufen.",
		Fields: []string{"mobility.parking"}})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]Match{}
	var order []string
	for _, m := range ms {
		byKey[m.Key()] = m
		order = append(order, m.Key())
	}
	for _, tc := range []struct {
		key            string
		family         string
		fields, words  int
		related, found bool
	}{
		{key: "solution:parkraum", family: FamilyOpenSource, fields: 1, words: 2, found: true},
		{key: "solution:ticket", family: FamilyProprietary, found: false}, // only a related field: no reason enough
		{key: "solution:wahl", found: false},
		{key: "need:gemeinsam-parken", fields: 1, words: 1, found: true},
		{key: "need:schule", found: false},
		{key: "practice:parken-ulm", fields: 1, found: true},
	} {
		m, ok := byKey[tc.key]
		if ok != tc.found {
			t.Errorf("%s found %v, want %v (%v)", tc.key, ok, tc.found, order)
			continue
		}
		if !ok {
			continue
		}
		if tc.family != "" && m.Family != tc.family {
			t.Errorf("%s family %q", tc.key, m.Family)
		}
		if len(m.Fields) != tc.fields || len(m.Words) < tc.words {
			t.Errorf("%s reasons %v %v", tc.key, m.Fields, m.Words)
		}
	}
	if p := byKey["solution:parkraum"]; !slices.Contains(p.Words, "parken") {
		t.Errorf("the search's why is not reused: %v", p.Words)
	}
	if order[0] != "solution:parkraum" {
		t.Errorf("order %v", order)
	}
}
