package centre_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/search"
)

// fakeStore records the plans it is asked for; the search against real
// databases is tested in internal/store (centre_docs_test.go).
type fakeStore struct {
	plans []centre.Plan
	words []string // the vocabulary for typo corrections
}

func (f *fakeStore) CentreSearch(_ context.Context, p centre.Plan) (centre.Found, error) {
	f.plans = append(f.plans, p)
	return centre.Found{Items: []centre.Hit{{Kind: centre.KindArticle, Title: "a"}}, Total: 3, Counts: map[string]int{centre.KindArticle: 3}}, nil
}

func (f *fakeStore) CentreMatches(_ context.Context, alts []search.Alt) (bool, error) {
	for _, a := range alts {
		for _, w := range f.words {
			if len(a.Stems) == 1 && strings.HasPrefix(search.Stem(w), a.Stems[0]) {
				return true, nil
			}
		}
	}
	return false, nil
}

func (f *fakeStore) CentreNear(context.Context, string) ([]string, error) { return f.words, nil }

func (f *fakeStore) SearchSynonyms(context.Context) ([][]string, error) {
	return [][]string{{"Parken", "Parkraumbewirtschaftung"}}, nil
}

func (f *fakeStore) IndexCentre(context.Context) (int, error) { return 0, nil }

type fields struct{}

func (fields) All(context.Context) ([]catalog.Field, error) {
	return []catalog.Field{{Key: "mobility", Children: []catalog.Field{{Key: "mobility.parking"}}}}, nil
}

func TestParseKinds(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{""}, nil},
		{[]string{"event"}, []string{"event"}},
		{[]string{"event,article", "event"}, []string{"event", "article"}},
		{[]string{" example , ,x"}, []string{"example", "x"}},
	} {
		if got := centre.ParseKinds(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSearchPlan(t *testing.T) {
	for _, c := range []struct {
		name    string
		q       centre.Query
		plans   int
		groups  int
		exclude int
		alts    []string // labels of the first group's alternatives
	}{
		{"Empty", centre.Query{}, 0, 0, 0, nil},
		{"Operators", centre.Query{Text: `"" - * ( ) NOT:`}, 1, 1, 0, []string{"not"}},
		{"OnlyExclusion", centre.Query{Text: "-Parken"}, 0, 0, 0, nil},
		{"Synonyms", centre.Query{Text: "Parken"}, 1, 1, 0, []string{"parken", "Parkraumbewirtschaftung"}},
		{"Phrase", centre.Query{Text: `"offene Daten" -Karte`}, 1, 1, 1, []string{`"offene daten"`}},
		{"Typo", centre.Query{Text: "Beteiligng"}, 1, 1, 0, []string{"beteiligng", "beteiligung"}},
		{"AllKinds", centre.Query{Text: "x", Kinds: centre.Kinds}, 1, 1, 0, []string{"x"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &fakeStore{words: []string{"beteiligung"}}
			r, err := centre.New(st, fields{}).Search(t.Context(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.plans) != c.plans {
				t.Fatalf("%d plans, want %d", len(st.plans), c.plans)
			}
			if c.plans == 0 {
				if r.Searched || len(r.Items) != 0 || r.Items == nil {
					t.Errorf("result %+v", r)
				}
				return
			}
			p := st.plans[0]
			if len(p.Groups) != c.groups || len(p.Exclude) != c.exclude || p.Limit != centre.DefaultLimit || p.Kinds != nil {
				t.Fatalf("plan %+v", p)
			}
			var labels []string
			for _, a := range p.Groups[0].Alts {
				labels = append(labels, a.Label)
			}
			if !slices.Equal(labels, c.alts) {
				t.Errorf("alternatives %q, want %q", labels, c.alts)
			}
			if !r.Searched || r.Total != 3 || r.Next != 1 {
				t.Errorf("result %+v", r)
			}
		})
	}
}

func TestSearchErrInvalid(t *testing.T) {
	for _, c := range []struct {
		q     centre.Query
		field string
	}{
		{centre.Query{Text: strings.Repeat("ä", centre.MaxText+1)}, "q"},
		{centre.Query{Text: "x", Kinds: []string{"solution"}}, "kind"},
		{centre.Query{Text: "x", Field: "space"}, "field"},
		{centre.Query{Text: "x", Limit: centre.MaxLimit + 1}, "limit"},
		{centre.Query{Text: "x", Offset: -1}, "cursor"},
	} {
		_, err := centre.New(&fakeStore{}, fields{}).Search(t.Context(), c.q)
		var e *apperr.Error
		if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != c.field {
			t.Errorf("%.30v: %v, want invalid %s", c.q, err, c.field)
		}
	}
	// Without a list of fields of action every field is unknown.
	if _, err := centre.New(&fakeStore{}, nil).Search(t.Context(), centre.Query{Text: "x", Field: "mobility"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("no fields: %v", err)
	}
}
