package search

import (
	"fmt"
	"testing"
	"time"
)

// TestMemIndexReplaces: a solution added again replaces its earlier copy
// (searches and counts see it once), and many replacements make the
// index stale, which starts a rebuild.
func TestMemIndexReplaces(t *testing.T) {
	ix := newMemIndex(0)
	for round := range 3 {
		for i := range 1000 {
			ix.add(IndexedDoc{ID: fmt.Sprintf("s%04d", i), NameKey: fmt.Sprintf("parkplatz %04d", i), Created: time.Unix(int64(i), 0),
				Doc: Doc{Name: "parkplatz", Description: fmt.Sprintf("runde%d", round)}, Facets: []FacetValue{{Facet: FacetOpen, Value: "yes"}}})
		}
	}
	if ix.nLive != 1000 || len(ix.docs) != 3000 || !ix.stale() {
		t.Fatalf("live %d of %d, stale %v", ix.nLive, len(ix.docs), ix.stale())
	}
	q := memQuery{Plan: Plan{Groups: []Group{{Alts: []Alt{{Stems: []string{"park"}, Prefix: true}}}}, Sort: SortName, Limit: 2}}
	res := ix.search(q, time.Now())
	if res.total != 1000 || len(res.ids) != 2 || res.ids[0] != "s0000" || !res.more {
		t.Errorf("search: %d %v %v", res.total, res.ids, res.more)
	}
	if c := res.facets[FacetOpen]; len(c) != 1 || c[0].Count != 1000 {
		t.Errorf("facet counts %v", c)
	}
	// only the newest copy's words are found
	for word, want := range map[string]int{"runde0": 0, "runde2": 1000} {
		q.Groups = []Group{{Alts: []Alt{{Stems: []string{word}}}}}
		if got := ix.search(q, time.Now()).total; got != want {
			t.Errorf("%s: %d, want %d", word, got, want)
		}
	}
	// a removal read from the change log takes it out
	changed{ids: []string{"s0001"}, newest: 7}.applyTo(ix)
	q.Groups = nil
	if res := ix.search(q, time.Now()); res.total != 999 || ix.seq != 7 || res.ids[1] != "s0002" {
		t.Errorf("after removal: %d, seq %d, %v", res.total, ix.seq, res.ids)
	}
	// paging after a cursor
	q.After = "s0002"
	if res := ix.search(q, time.Now()); len(res.ids) != 2 || res.ids[0] != "s0003" {
		t.Errorf("after cursor: %v", res.ids)
	}
}
