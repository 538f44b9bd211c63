package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// TestScore: the points and reasons of each signal, the threshold and the
// order.
func TestScore(t *testing.T) {
	src := SimilarSource{Name: "Parkraum-Sensorik", Short: "Freie Parkplätze finden",
		Fields: []FieldRef{{Key: "mobility.parking", Parent: "mobility"}, {Key: "mobility", Parent: ""},
			{Key: "participation", Parent: ""}}}
	words := sourceWords(src)
	terms := []string{stem("parkraum"), stem("sensorik")}
	tests := []struct {
		name   string
		cand   Candidate
		score  int
		reason string // fmt of the reasons; "" when not shown
	}{
		{"shared leaf and its parent: the leaf is named", Candidate{ID: "a", Fields: []string{"mobility.parking", "mobility"}},
			PointsLeafField + PointsTopField, "[{fields 1 [mobility.parking]}]"},
		{"only a top level: below the threshold", Candidate{ID: "b", Fields: []string{"mobility.sharing", "mobility"}}, 0, ""},
		{"two top levels", Candidate{ID: "c", Fields: []string{"mobility", "participation"}},
			2 * PointsTopField, "[{fields 2 [mobility participation]}]"},
		{"municipalities, capped", Candidate{ID: "d", SharedOrgs: 9},
			MaxMunicipalities * PointsMunicipality, "[{municipalities 9 []}]"},
		{"one municipality", Candidate{ID: "e", SharedOrgs: 1}, PointsMunicipality, "[{municipalities 1 []}]"},
		{"words as written in the source", Candidate{ID: "f", Terms: []string{stem("sensorik"), "ander"}},
			PointsTerm, "[{terms 1 [Sensorik]}]"},
		{"a word not searched for does not count", Candidate{ID: "g", Terms: []string{stem("parkplatze")}}, 0, ""},
		{"unknown fields do not count", Candidate{ID: "h", Fields: []string{"education.school-it", "education"}}, 0, ""},
		{"all signals", Candidate{ID: "i", Fields: []string{"mobility.parking", "mobility"}, SharedOrgs: 2,
			Terms: []string{stem("parkraum"), stem("sensorik")}},
			PointsLeafField + PointsTopField + 2*PointsMunicipality + 2*PointsTerm,
			"[{fields 1 [mobility.parking]} {municipalities 2 []} {terms 2 [Parkraum Sensorik]}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := score(src, terms, words, []Candidate{tc.cand})
			if tc.reason == "" {
				if len(got) != 0 {
					t.Fatalf("shown with %d %v", got[0].Score, got[0].Reasons)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("not shown")
			}
			var rs []string
			for _, r := range got[0].Reasons {
				rs = append(rs, fmt.Sprintf("{%s %d %v}", r.Kind, r.Count, r.Items))
			}
			if got[0].Score != tc.score || fmt.Sprint(rs) != tc.reason {
				t.Errorf("score %d %v, want %d %s", got[0].Score, rs, tc.score, tc.reason)
			}
		})
	}

	// Order: score, then more shared municipalities, then id.
	cands := []Candidate{
		{ID: "z", SharedOrgs: 2},
		{ID: "y", Fields: []string{"mobility.parking"}, SharedOrgs: 1}, // 3 + 2
		{ID: "x", Terms: []string{stem("parkraum"), stem("sensorik")}}, // 4
		{ID: "w", SharedOrgs: 2},
		{ID: "v", Fields: []string{"mobility.parking", "mobility"}}, // 4
	}
	var order []string
	for _, s := range score(src, terms, words, cands) {
		order = append(order, s.Solution.ID)
	}
	if want := []string{"y", "w", "z", "v", "x"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
}

func TestRareTerms(t *testing.T) {
	tests := []struct {
		name  string
		stems []string
		docs  map[string]int
		want  []string
	}{
		{"only in the source", []string{"a"}, map[string]int{"a": 1}, nil},
		{"too common", []string{"a", "b"}, map[string]int{"a": TermDocsCap, "b": 3}, []string{"b"}},
		{"rarest first, stable", []string{"a", "b", "c", "d"}, map[string]int{"a": 50, "b": 2, "c": 50, "d": 7}, []string{"b", "d", "a", "c"}},
		{"bounded", []string{"a", "b", "c", "d", "e", "f", "g", "h"},
			map[string]int{"a": 2, "b": 2, "c": 2, "d": 2, "e": 2, "f": 2, "g": 2, "h": 2}, []string{"a", "b", "c", "d", "e", "f"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := rareTerms(tc.stems, tc.docs); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSourceWords(t *testing.T) {
	got := sourceWords(SimilarSource{Name: "Die App für 2025: Parkraum-Sensorik", Short: "Parkraum und Müll, MÜLL"})
	var ws []string
	for _, w := range got {
		ws = append(ws, w.Word+"="+w.Stem)
	}
	// Stop words, short words and numbers are left out; a stem once, as
	// first written.
	want := []string{"Parkraum=" + stem("parkraum"), "Sensorik=" + stem("sensorik"), "Müll=" + stem("mull")}
	if !slices.Equal(ws, want) {
		t.Errorf("got %v, want %v", ws, want)
	}
}

func TestOthersUse(t *testing.T) {
	counts := []PeerCount{{"a", "alpha", 3}, {"b", "beta", 3}, {"c", "gamma", 1}, {"d", "delta", 2}}
	tests := []struct {
		name      string
		own, skip map[string]bool
		limit     int
		want      string
	}{
		{"as counted", nil, nil, 10, "[{a alpha 3} {b beta 3} {d delta 2} {c gamma 1}]"},
		{"own use taken out, reordered", map[string]bool{"a": true, "c": true}, nil, 10, "[{b beta 3} {a alpha 2} {d delta 2}]"},
		{"skipped", nil, map[string]bool{"b": true}, 10, "[{a alpha 3} {d delta 2} {c gamma 1}]"},
		{"limit", nil, nil, 2, "[{a alpha 3} {b beta 3}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(othersUse(counts, tc.own, tc.skip, tc.limit)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	if counts[0].Municipalities != 3 {
		t.Error("othersUse changed the counts it was given")
	}
}

// fakeStore is a SimilarityStore over fixed data.
type fakeStore struct {
	counts  map[PeerQuery][]PeerCount
	own     []string
	sols    map[string]catalog.Solution
	sources map[string]SimilarSource
}

func (f *fakeStore) SimilarSource(_ context.Context, id string) (SimilarSource, error) {
	src, ok := f.sources[id]
	if !ok {
		return src, apperr.New(apperr.NotFound, "catalog.error.solution_not_found")
	}
	return src, nil
}
func (f *fakeStore) TermDocs(context.Context, []string, int) (map[string]int, error) {
	return map[string]int{}, nil
}
func (f *fakeStore) SimilarCandidates(_ context.Context, q CandidateQuery) ([]Candidate, error) {
	return []Candidate{{ID: "b", Fields: []string{"mobility.parking"}, SharedOrgs: 1}, {ID: "archived", Fields: []string{"mobility.parking"}}}, nil
}
func (f *fakeStore) SharedOrgs(context.Context, string, []string) (map[string]int, error) {
	return map[string]int{"b": 4}, nil
}
func (f *fakeStore) SimilarSolutions(_ context.Context, ids []string) ([]catalog.Solution, error) {
	var out []catalog.Solution
	for _, id := range ids {
		if s, ok := f.sols[id]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}
func (f *fakeStore) MunicipalityUseIDs(context.Context, string) ([]string, error) { return f.own, nil }
func (f *fakeStore) PeerCounts(_ context.Context, q PeerQuery) ([]PeerCount, error) {
	q.Limit = 0
	return f.counts[q], nil
}

type fakeMunis map[string]region.Municipality

func (f fakeMunis) Municipality(_ context.Context, ags string) (region.Municipality, error) {
	m, ok := f[ags]
	if !ok {
		return m, apperr.New(apperr.NotFound, "error.municipality_not_found")
	}
	return m, nil
}

func sol(id string) catalog.Solution {
	return catalog.Solution{ID: id, Slug: id, Published: &catalog.Version{Entry: catalog.Entry{Name: id}}}
}

// TestSimilarExactShared: the shown solutions get the exact count of
// shared municipalities; those gone from the catalogue are left out.
func TestSimilarExactShared(t *testing.T) {
	st := &fakeStore{sols: map[string]catalog.Solution{"b": sol("b")},
		sources: map[string]SimilarSource{"a": {Fields: []FieldRef{{Key: "mobility.parking", Parent: "mobility"}}}}}
	svc := NewSimilarity(st, fakeMunis{})
	got, err := svc.Similar(t.Context(), "a", 0)
	if err != nil || len(got) != 1 || got[0].Solution.Slug != "b" || got[0].Score != PointsLeafField+4*PointsMunicipality ||
		got[0].Reasons[1].Count != 4 {
		t.Fatalf("%+v %v", got, err)
	}
	if got, err := svc.Similar(t.Context(), "draft", 0); err != nil || len(got) != 0 {
		t.Errorf("not indexed: %v %v", got, err)
	}
}

// TestPeersUse: same state first, nationwide when fewer than
// MinStatePeers, own use taken out, solutions no longer published left
// out.
func TestPeersUse(t *testing.T) {
	m := region.Municipality{AGS: "08425001", StateKey: "08", Population: 1000}
	st := &fakeStore{own: []string{"a"}, sols: map[string]catalog.Solution{"a": sol("a"), "b": sol("b"), "c": sol("c")},
		counts: map[PeerQuery][]PeerCount{
			{StateKey: "08", Band: region.BandUnder5k}: {{"a", "a", 1}, {"b", "b", 1}},
			{Band: region.BandUnder5k}:                 {{"a", "a", 5}, {"b", "b", 3}, {"c", "c", 2}, {"gone", "gone", 2}},
		}}
	svc := NewSimilarity(st, fakeMunis{m.AGS: m})
	names := func(list []PeerUse) string {
		var out []string
		for _, p := range list {
			out = append(out, fmt.Sprintf("%s:%d:%v", p.Solution.ID, p.Municipalities, p.Own))
		}
		return fmt.Sprint(out)
	}
	p, err := svc.PeersUse(t.Context(), m.AGS, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Band != region.BandUnder5k || p.UsesTotal != 1 || len(p.Uses) != 1 || names(p.State) != "[b:1:false]" ||
		names(p.Nationwide) != "[a:4:true c:2:false]" {
		t.Errorf("uses %d/%d, state %s, nationwide %s", len(p.Uses), p.UsesTotal, names(p.State), names(p.Nationwide))
	}
	if _, err := svc.PeersUse(t.Context(), "99999999", 0); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("unknown AGS: %v", err)
	}
}
