package search

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// phraseWeight scores an alternative of several words (found by the
// database, memory.go), as a term in the short description would.
const phraseWeight = 5

// memQuery is a plan with what the database found for its phrases.
type memQuery struct {
	Plan
	phrases map[string][]string // key of a phrase alternative → ids of the solutions with it
}

func phraseKey(a Alt) string { return strings.Join(a.Stems, " ") }

// isPhrase reports whether the database must find an alternative: the
// in-memory index has words, not their positions.
func isPhrase(a Alt) bool { return len(a.Stems) > 1 }

// memResult is what the in-memory index found.
type memResult struct {
	ids    []string // the page, in order
	more   bool     // a further page exists
	total  int
	facets Facets
}

// scorePool holds score arrays, one float per document.
var scorePool sync.Pool

func scratch(n int) []float32 {
	if s, ok := scorePool.Get().(*[]float32); ok && cap(*s) >= n {
		return (*s)[:n]
	}
	return make([]float32, n)
}

func putScratch(s []float32) {
	clear(s)
	scorePool.Put(&s)
}

// alt adds the documents of an alternative to set with their scores
// (the best of its terms).
func (ix *memIndex) alt(a Alt, q memQuery, set bitset, scores []float32) {
	if isPhrase(a) {
		for _, id := range q.phrases[phraseKey(a)] {
			if ord, ok := ix.byID[id]; ok {
				set.set(ord)
				scores[ord] = max(scores[ord], phraseWeight)
			}
		}
		return
	}
	add := func(_ string, p *postings) {
		idf := ix.idf(p)
		for i, ord := range p.ords {
			set.set(ord)
			scores[ord] = max(scores[ord], idf*fieldWeight(p.fields[i]))
		}
	}
	if a.Prefix {
		ix.prefixed(a.Stems[0], add)
	} else if p := ix.terms[a.Stems[0]]; p != nil {
		add(a.Stems[0], p)
	}
}

// anyMatch reports whether an alternative of a single word finds a
// live document.
func (ix *memIndex) anyMatch(a Alt) bool {
	found := false
	check := func(_ string, p *postings) {
		if !found && slices.ContainsFunc(p.ords, ix.live.has) {
			found = true
		}
	}
	if a.Prefix {
		ix.prefixed(a.Stems[0], check)
	} else if p := ix.terms[a.Stems[0]]; p != nil {
		check(a.Stems[0], p)
	}
	return found
}

// hits returns the live documents that match every group and no
// exclusion, with their scores (the caller returns them to the pool).
func (ix *memIndex) hits(q memQuery) (bitset, []float32) {
	n := len(ix.docs)
	set := newBitset(n)
	set.or(ix.live)
	total := scratch(n)
	if len(q.Groups) > 0 {
		group, scores := newBitset(n), scratch(n)
		for i, g := range q.Groups {
			clear(group)
			for _, a := range g.Alts {
				ix.alt(a, q, group, scores)
			}
			set.and(group)
			if i == 0 {
				set.each(func(o int32) { total[o] = scores[o] })
			} else {
				set.each(func(o int32) { total[o] += scores[o] })
			}
			group.each(func(o int32) { scores[o] = 0 })
		}
		putScratch(scores)
	}
	if len(q.Exclude) > 0 {
		ex, scores := newBitset(n), scratch(n)
		for _, a := range q.Exclude {
			ix.alt(a, q, ex, scores)
		}
		putScratch(scores)
		set.andNot(ex)
	}
	if q.Field != "" {
		set.and(ix.values[FacetField][q.Field])
	}
	return set, total
}

// valueSet returns the documents with a facet value at now: evidence
// counts until it expires.
func (ix *memIndex) valueSet(facet, value string, now int64) bitset {
	b := ix.values[facet][value]
	if facet != FacetEvidence {
		return b
	}
	out := newBitset(len(ix.docs))
	out.or(b)
	for _, e := range ix.expiring[value] {
		if e.until > now {
			out.set(e.ord)
		}
	}
	return out
}

// facetValues returns the values a facet has in the index.
func (ix *memIndex) facetValues(facet string) []string {
	var out []string
	for v := range ix.values[facet] {
		out = append(out, v)
	}
	if facet == FacetEvidence {
		for v := range ix.expiring {
			if _, ok := ix.values[facet][v]; !ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// search runs a plan: hits, facet selections, facet counts, the page.
func (ix *memIndex) search(q memQuery, now time.Time) memResult {
	base, scores := ix.hits(q)
	defer putScratch(scores)
	at := now.UnixNano()
	n := len(ix.docs)
	// the documents of each facet's selection
	selected := map[string]bitset{}
	for _, facet := range FacetNames {
		values := q.Filters[facet]
		if len(values) == 0 {
			continue
		}
		sel := newBitset(n)
		for _, v := range values {
			sel.or(ix.valueSet(facet, v, at))
		}
		selected[facet] = sel
	}
	all := slices.Clone(base)
	for _, sel := range selected {
		all.and(sel)
	}
	res := memResult{total: all.count(), facets: Facets{}}
	for _, facet := range FacetNames {
		within := all
		if _, ok := selected[facet]; ok { // a facet's counts ignore its own selection
			within = slices.Clone(base)
			for f, sel := range selected {
				if f != facet {
					within.and(sel)
				}
			}
		}
		counts := []FacetCount{}
		for _, v := range ix.facetValues(facet) {
			if c := within.countAnd(ix.valueSet(facet, v, at)); c > 0 {
				counts = append(counts, FacetCount{Value: v, Count: c})
			}
		}
		slices.SortFunc(counts, func(a, b FacetCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		res.facets[facet] = counts
	}
	res.ids, res.more = ix.page(q.Plan, all, scores)
	return res
}

// before reports whether document a comes before b in the sort order:
// relevance (best first), most used, newest, name; ties by name and id.
func (ix *memIndex) before(sort string, scores []float32, a, b int32) bool {
	da, db := &ix.docs[a], &ix.docs[b]
	switch sort {
	case SortRelevance:
		if scores[a] != scores[b] {
			return scores[a] > scores[b]
		}
	case SortUsed:
		if da.used != db.used {
			return da.used > db.used
		}
	case SortNewest:
		if da.created != db.created {
			return da.created > db.created
		}
		return da.id < db.id
	}
	if da.nameKey != db.nameKey {
		return da.nameKey < db.nameKey
	}
	return da.id < db.id
}

// page returns the ids of a page of set after the plan's cursor, and
// whether more follow. A cursor that is no longer among the results
// gives an empty page.
func (ix *memIndex) page(p Plan, set bitset, scores []float32) ([]string, bool) {
	after := int32(-1)
	if p.After != "" {
		ord, ok := ix.byID[p.After]
		if !ok || !set.has(ord) {
			return nil, false
		}
		after = ord
	}
	// the first Limit+1 in order: a sorted list, each document placed by
	// binary search when it beats the last
	k := p.Limit + 1
	top := make([]int32, 0, k)
	set.each(func(o int32) {
		if after >= 0 && !ix.before(p.Sort, scores, after, o) {
			return
		}
		if len(top) == k && !ix.before(p.Sort, scores, o, top[k-1]) {
			return
		}
		i, _ := slices.BinarySearchFunc(top, o, func(x, t int32) int {
			if ix.before(p.Sort, scores, x, t) {
				return -1
			}
			return 1
		})
		if len(top) == k {
			top = top[:k-1]
		}
		top = slices.Insert(top, i, o)
	})
	more := len(top) > p.Limit
	if more {
		top = top[:p.Limit]
	}
	ids := make([]string, len(top))
	for i, o := range top {
		ids[i] = ix.docs[o].id
	}
	return ids, more
}
