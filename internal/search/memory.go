package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// The in-memory index. The database holds the search index (FTS5 or
// tsvector, the analysed text, the facet values) and stays the only
// state; every instance keeps a copy of the word lists and facet values in
// memory, built from the database and kept current through the change
// log (search_changes): every write that changes what the search finds
// (publishing, archiving, verified use) records the solution in the same
// transaction, and each search first reads the log from the number it
// has seen. So all instances answer from the same data, and a search
// finds a solution as soon as its publication is committed.
//
// Why in memory: at 100,000 solutions, counting ten facets over the hits
// of a frequent word took ten queries over tens of thousands of rows, and
// PostgreSQL alone needed 100–150 ms to rank such a word's 40,000 hits
// (docs/performance.md). In memory, the hits of a word are a list and the
// facet counts are intersections of bit sets.

// IndexedDoc is a solution as the in-memory index reads it from the
// store.
type IndexedDoc struct {
	ID      string
	NameKey string // the name folded for sorting
	Created time.Time
	Doc     Doc
	// Facets holds the values of the published entry and, for size and
	// state, those of the municipalities that use it.
	Facets []FacetValue
	Used   int // municipalities using it (verified, current)
	// Groups counts those municipalities by size band and state.
	Groups []UseGroup
}

// UseGroup is the number of municipalities of a size band in a state
// that use a solution.
type UseGroup struct {
	Band, State string
	N           int
}

// Change is an entry of the change log: a solution whose search data
// changed ("" for all).
type Change struct {
	Seq        int64
	SolutionID string
}

// The fields of a document, as bits of a posting.
const (
	bitName = 1 << iota
	bitShort
	bitFields
	bitDescription
)

// fieldWeight is the weight of a term found in the fields of mask: name
// 10, short description 5, fields of action and standards 3, description
// 1, as in the databases' rankings.
func fieldWeight(mask uint8) float32 {
	var w float32
	for _, f := range []struct {
		bit uint8
		w   float32
	}{{bitName, 10}, {bitShort, 5}, {bitFields, 3}, {bitDescription, 1}} {
		if mask&f.bit != 0 {
			w += f.w
		}
	}
	return w
}

// postings lists the documents with a term and the fields it is in.
type postings struct {
	ords   []int32
	fields []uint8
}

type memDoc struct {
	id      string
	nameKey string
	created int64
	used    int32
	groups  []UseGroup
}

// expiring is evidence that counts until a time.
type expiring struct {
	ord   int32
	until int64
}

// memIndex is one instance's copy of the index. Documents are numbered
// in the order they are added; a changed solution is added anew and its
// old number is no longer live.
type memIndex struct {
	seq      int64 // the last change applied
	docs     []memDoc
	byID     map[string]int32
	live     bitset
	nLive    int
	terms    map[string]*postings
	sorted   []string                     // the terms in order, for prefixes; nil after new terms
	values   map[string]map[string]bitset // facet → value → documents
	expiring map[string][]expiring        // evidence with an expiry, by kind (not in values)
}

func newMemIndex(seq int64) *memIndex {
	return &memIndex{seq: seq, byID: map[string]int32{}, terms: map[string]*postings{}, values: map[string]map[string]bitset{},
		expiring: map[string][]expiring{}}
}

// remove takes a solution out.
func (ix *memIndex) remove(id string) {
	if ord, ok := ix.byID[id]; ok {
		ix.live[ord>>6] &^= 1 << (uint(ord) & 63)
		ix.nLive--
		delete(ix.byID, id)
	}
}

// add puts a solution in, replacing an earlier copy.
func (ix *memIndex) add(d IndexedDoc) {
	ix.remove(d.ID)
	ord := int32(len(ix.docs))
	ix.docs = append(ix.docs, memDoc{id: d.ID, nameKey: d.NameKey, created: d.Created.UnixNano(), used: int32(d.Used), groups: d.Groups})
	ix.byID[d.ID] = ord
	ix.live = ix.live.grown(len(ix.docs))
	ix.live.set(ord)
	ix.nLive++
	masks := map[string]uint8{}
	for i, text := range []string{d.Doc.Name, d.Doc.Short, d.Doc.Fields, d.Doc.Description} {
		for _, t := range strings.Fields(text) {
			masks[t] |= 1 << i
		}
	}
	for t, m := range masks {
		p := ix.terms[t]
		if p == nil {
			p = &postings{}
			ix.terms[t] = p
			ix.sorted = nil
		}
		p.ords, p.fields = append(p.ords, ord), append(p.fields, m)
	}
	for _, f := range d.Facets {
		if f.Facet == FacetEvidence && f.Expires != nil {
			ix.expiring[f.Value] = append(ix.expiring[f.Value], expiring{ord: ord, until: f.Expires.UnixNano()})
			continue
		}
		vals := ix.values[f.Facet]
		if vals == nil {
			vals = map[string]bitset{}
			ix.values[f.Facet] = vals
		}
		b := vals[f.Value].grown(len(ix.docs))
		b.set(ord)
		vals[f.Value] = b
	}
}

// stale reports whether so many documents were replaced that a rebuild
// pays off.
func (ix *memIndex) stale() bool {
	dead := len(ix.docs) - ix.nLive
	return dead > 1000 && dead > ix.nLive/4
}

// sortedTerms returns the terms in order.
func (ix *memIndex) sortedTerms() []string {
	if ix.sorted == nil {
		ix.sorted = make([]string, 0, len(ix.terms))
		for t := range ix.terms {
			ix.sorted = append(ix.sorted, t)
		}
		slices.Sort(ix.sorted)
	}
	return ix.sorted
}

// prefixed calls fn for every term that starts with prefix.
func (ix *memIndex) prefixed(prefix string, fn func(term string, p *postings)) {
	terms := ix.sortedTerms()
	i, _ := slices.BinarySearch(terms, prefix)
	for ; i < len(terms) && strings.HasPrefix(terms[i], prefix); i++ {
		fn(terms[i], ix.terms[terms[i]])
	}
}

// idf weighs a term by how rare it is.
func (ix *memIndex) idf(p *postings) float32 {
	return float32(math.Log(1 + float64(max(ix.nLive, 1))/float64(len(p.ords))))
}

// memory keeps an instance's in-memory index current.
type memory struct {
	store Store

	mu sync.RWMutex // guards ix for searches (read) and updates (write)
	ix *memIndex

	update     sync.Mutex // one update or build at a time
	rebuilding bool       // a background rebuild is running (guarded by update)
}

// sync brings the index up to the change log (building it on first
// use).
func (m *memory) sync(ctx context.Context) error {
	m.mu.RLock()
	ix := m.ix
	var seq int64
	if ix != nil {
		seq = ix.seq
	}
	m.mu.RUnlock()
	if ix == nil {
		return m.build(ctx)
	}
	changes, err := m.store.SearchChanges(ctx, seq)
	if err != nil {
		return fmt.Errorf("search: change log: %w", err)
	}
	if len(changes) == 0 {
		return nil
	}
	return m.apply(ctx, changes)
}

// read returns the index with its read lock held; the caller must call
// release and must not call read again before.
func (m *memory) read() *memIndex {
	m.mu.RLock()
	return m.ix
}

func (m *memory) release() { m.mu.RUnlock() }

// maxChanges is the most changes applied one by one; with more, the
// index is built anew.
const maxChanges = 5000

// apply loads the solutions of changes and puts them in the index.
func (m *memory) apply(ctx context.Context, changes []Change) error {
	m.update.Lock()
	defer m.update.Unlock()
	m.mu.RLock()
	seq := m.ix.seq
	m.mu.RUnlock()
	c, err := m.readChanges(ctx, seq, changes)
	if err != nil || c.full {
		if err == nil {
			err = m.buildLocked(ctx)
		}
		return err
	}
	if c.newest <= seq {
		return nil // applied by a concurrent search meanwhile
	}
	m.mu.Lock()
	c.applyTo(m.ix)
	stale := m.ix.stale()
	m.mu.Unlock()
	if stale && !m.rebuilding {
		m.rebuilding = true
		go m.rebuildInBackground()
	}
	return nil
}

// changed is what a run of the change log changed, read from the store.
type changed struct {
	ids    []string     // the solutions changed
	docs   []IndexedDoc // those of them still indexed
	newest int64        // the log's last number
	full   bool         // everything changed: build anew
}

// readChanges loads the solutions of the changes after seq.
func (m *memory) readChanges(ctx context.Context, seq int64, changes []Change) (changed, error) {
	c := changed{newest: seq}
	seen := map[string]bool{}
	for _, ch := range changes {
		c.newest = max(c.newest, ch.Seq)
		if ch.Seq <= seq || seen[ch.SolutionID] {
			continue
		}
		if ch.SolutionID == "" || len(c.ids) >= maxChanges {
			return changed{full: true}, nil
		}
		seen[ch.SolutionID] = true
		c.ids = append(c.ids, ch.SolutionID)
	}
	if len(c.ids) > 0 {
		if err := m.store.SearchIndexed(ctx, c.ids, func(d IndexedDoc) error { c.docs = append(c.docs, d); return nil }); err != nil {
			return changed{}, fmt.Errorf("search: load changes: %w", err)
		}
	}
	return c, nil
}

// applyTo puts the changes into ix.
func (c changed) applyTo(ix *memIndex) {
	for _, id := range c.ids {
		ix.remove(id)
	}
	for _, d := range c.docs {
		ix.add(d)
	}
	ix.seq = max(ix.seq, c.newest)
}

// build makes the index when there is none yet.
func (m *memory) build(ctx context.Context) error {
	m.update.Lock()
	defer m.update.Unlock()
	m.mu.RLock()
	done := m.ix != nil
	m.mu.RUnlock()
	if done {
		return nil
	}
	return m.buildLocked(ctx)
}

// buildLocked reads the whole index; the change log's position is read
// first, so changes committed during the build are applied after it.
func (m *memory) buildLocked(ctx context.Context) error {
	ix, err := m.load(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.ix = ix
	m.mu.Unlock()
	return nil
}

func (m *memory) load(ctx context.Context) (*memIndex, error) {
	changes, err := m.store.SearchChanges(ctx, -1)
	if err != nil {
		return nil, fmt.Errorf("search: change log: %w", err)
	}
	var seq int64
	if len(changes) > 0 {
		seq = changes[len(changes)-1].Seq
	}
	ix := newMemIndex(seq)
	if err := m.store.SearchIndexed(ctx, nil, func(d IndexedDoc) error { ix.add(d); return nil }); err != nil {
		return nil, fmt.Errorf("search: build index: %w", err)
	}
	ix.sortedTerms()
	return ix, nil
}

// rebuildInBackground replaces an index with many replaced documents by
// a fresh one; searches go on with the old one meanwhile.
func (m *memory) rebuildInBackground() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ix, err := m.load(ctx)
	m.update.Lock()
	defer m.update.Unlock()
	m.rebuilding = false
	if err != nil {
		return // the next change tries again
	}
	// what changed while it was read, before the copy is used
	changes, err := m.store.SearchChanges(ctx, ix.seq)
	if err != nil {
		return
	}
	c, err := m.readChanges(ctx, ix.seq, changes)
	if err != nil || c.full {
		return // a full build happened meanwhile, or the next change tries again
	}
	c.applyTo(ix)
	m.mu.Lock()
	m.ix = ix
	m.mu.Unlock()
}
