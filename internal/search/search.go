package search

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

// Sort orders of results.
const (
	SortRelevance = "relevance"
	SortName      = "name"
)

// The fields of a solution that are indexed, by weight.
const (
	FieldName        = "name"
	FieldShort       = "short"
	FieldFields      = "fields" // fields of action and standards
	FieldDescription = "description"
)

// Doc is the analysed text of one solution, one string of space-separated
// terms per indexed field; the store indexes it as it is.
type Doc struct {
	Name, Short, Fields, Description string
}

// NewDoc analyses a published entry; labels returns the labels (German
// and English) of a field of action and its parent.
func NewDoc(e catalog.Entry, labels func(key string) []string) Doc {
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, labels(f)...)
	}
	fields = append(fields, e.Standards...)
	join := func(texts ...string) string { return strings.Join(Terms(strings.Join(texts, " ")), " ") }
	return Doc{Name: join(e.Name), Short: join(e.Short), Fields: join(fields...), Description: join(e.Description)}
}

// DocVocabulary returns the words of an entry for the correction of
// typos.
func DocVocabulary(e catalog.Entry, labels func(key string) []string) []Word {
	texts := []string{e.Name, e.Short, e.Description}
	for _, f := range e.Fields {
		texts = append(texts, labels(f)...)
	}
	return Vocabulary(append(texts, e.Standards...)...)
}

// Alt is one way a query term matches: a single stem as a prefix of an
// indexed term (so that compounds are found by their first part), or a
// phrase of stems in a row.
type Alt struct {
	Stems  []string
	Prefix bool
	Label  string // the word or phrase shown in "why this result"
}

// Group is one term of a query: it matches when any of its alternatives
// (the word, its synonyms, corrections of a typo) does.
type Group struct{ Alts []Alt }

// Plan is an analysed query for the store: every group must match, no
// excluded alternative may.
type Plan struct {
	Groups  []Group
	Exclude []Alt  // a word excludes what it finds without synonyms (prefix), a phrase the phrase
	Field   string // a field of action; a top-level key includes its children
	Sort    string
	After   string // keyset cursor: the id of the last solution of the previous page
	Limit   int
	Filters Filters   // selected facet values (facets.go)
	Now     time.Time // evidence must not have expired at Now
}

// Found is a solution the store found with its indexed text.
type Found struct {
	Solution catalog.Solution
	Doc      Doc
}

// Store is the search index.
type Store interface {
	// SearchPhrase returns the ids of the indexed solutions with a
	// phrase (an alternative of several words).
	SearchPhrase(ctx context.Context, a Alt) ([]string, error)
	// SearchChanges returns the change log after seq, oldest first; with
	// seq < 0 only its newest entry (none when the log is empty).
	SearchChanges(ctx context.Context, seq int64) ([]Change, error)
	// SearchIndexed calls fn for each indexed solution (all when ids is
	// nil, else those of ids that are indexed) with what the in-memory
	// index needs (memory.go).
	SearchIndexed(ctx context.Context, ids []string, fn func(IndexedDoc) error) error
	// SearchLoad returns the published solutions with the ids, with their
	// indexed text, in the order of ids, leaving out any no longer
	// published.
	SearchLoad(ctx context.Context, ids []string) ([]Found, error)
	// SearchNear returns the vocabulary words that may be one edit away
	// from word (same length ±1, sharing the first or last two letters).
	SearchNear(ctx context.Context, word string) ([]string, error)
	// SearchSynonyms returns the synonym groups.
	SearchSynonyms(ctx context.Context) ([][]string, error)
	// SeedSynonyms stores groups unless there are synonyms already.
	SeedSynonyms(ctx context.Context, groups [][]string) (bool, error)
	// SearchIndexMissing reports whether published solutions exist but
	// none is indexed.
	SearchIndexMissing(ctx context.Context) (bool, error)
	// ReindexSolutions rebuilds the index of all published solutions and
	// returns how many it indexed.
	ReindexSolutions(ctx context.Context) (int, error)
}

// FieldLister lists the fields of action (catalog.Fields).
type FieldLister interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// MaxText is the longest query text accepted, in characters; Parse
// reads at most MaxQueryLen of any text.
const MaxText = 100

// Query is a search as a user asks it.
type Query struct {
	Text  string
	Field string // key of a field of action
	Limit int    // 1–200; 0 means 20
	After string // cursor from Result.Next
	Sort  string // SortRelevance (default with a text) or SortName
	// Filters are the selected facet values (facets.go).
	Filters Filters
}

// Result is a page of results.
type Result struct {
	Items []Hit
	Total int
	Next  string // cursor of the next page; "" on the last
	// Facets are the counts per facet value (facets.go).
	Facets Facets
}

// Hit is a solution found, with why it was found.
type Hit struct {
	Solution catalog.Solution
	Why      Why
}

// Why explains a hit: the indexed fields in which the query matched
// (FieldName…) and the words that matched (as typed, or the synonym or
// correction that matched instead).
type Why struct {
	Fields []string
	Terms  []string
}

//go:embed synonyms.txt
var synonymsTxt string

// DefaultSynonyms returns the shipped synonym groups.
func DefaultSynonyms() [][]string { return ParseSynonyms(synonymsTxt) }

// ParseSynonyms reads synonym groups, one a line, members separated by
// "|"; lines starting with # are comments.
func ParseSynonyms(text string) [][]string {
	var out [][]string
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for m := range strings.SplitSeq(line, "|") {
			if m = strings.TrimSpace(m); m != "" && !slices.Contains(group, m) {
				group = append(group, m)
			}
		}
		if len(group) > 1 {
			out = append(out, group)
		}
	}
	return out
}

// Service searches the catalogue.
type Service struct {
	store  Store
	fields FieldLister

	mu       sync.Mutex
	synonyms map[string][]Alt // stem → alternatives of all groups with a member of that stem
	loaded   time.Time

	mem *memory // the in-memory index (memory.go)
}

// New returns a search service.
func New(store Store, fields FieldLister) *Service {
	return &Service{store: store, fields: fields, mem: &memory{store: store}}
}

// Init seeds the synonyms from the shipped list when there are none and
// rebuilds the index when published solutions are not indexed (after an
// upgrade). Run it on start.
func (s *Service) Init(ctx context.Context) error {
	if _, err := s.store.SeedSynonyms(ctx, DefaultSynonyms()); err != nil {
		return fmt.Errorf("search: seed synonyms: %w", err)
	}
	missing, err := s.store.SearchIndexMissing(ctx)
	if err != nil {
		return fmt.Errorf("search: check index: %w", err)
	}
	if missing {
		if _, err := s.store.ReindexSolutions(ctx); err != nil {
			return fmt.Errorf("search: reindex: %w", err)
		}
	}
	return s.mem.sync(ctx)
}

// synonymsTTL is how long loaded synonyms are used before they are read
// again. Curators edit them (synonyms.go): a change drops the cache of the
// instance that made it at once; other instances see it within this time.
const synonymsTTL = time.Minute

func (s *Service) synonymAlts(ctx context.Context) (map[string][]Alt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.synonyms != nil && time.Since(s.loaded) < synonymsTTL {
		return s.synonyms, nil
	}
	groups, err := s.store.SearchSynonyms(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: synonyms: %w", err)
	}
	m := SynonymAlts(groups) // expand.go
	s.synonyms, s.loaded = m, time.Now()
	return m, nil
}

// Search finds published solutions. Invalid limits, sorts and fields are
// validation errors; the text is never one (see Parse).
func (s *Service) Search(ctx context.Context, q Query) (Result, error) {
	var v apperr.Validation
	if q.Limit == 0 {
		q.Limit = 20
	}
	if q.Limit < 1 || q.Limit > 200 {
		v.Add("limit", "error.param.limit")
	}
	if utf8.RuneCountInString(q.Text) > MaxText {
		v.Add("q", "form.error.too_long", "Max", MaxText)
	}
	if q.Sort == "" {
		q.Sort = SortName
		if strings.TrimSpace(q.Text) != "" {
			q.Sort = SortRelevance
		}
	}
	if !slices.Contains(Sorts, q.Sort) {
		v.Add("sort", "search.error.sort")
	}
	if q.Field != "" {
		known, err := s.knownField(ctx, q.Field)
		if err != nil {
			return Result{}, err
		}
		if !known {
			v.Add("field", "catalog.error.field_unknown", "Key", q.Field)
		}
	}
	filters, err := s.validateFilters(q.Filters, &v, func(key string) (bool, error) { return s.knownField(ctx, key) })
	if err != nil {
		return Result{}, err
	}
	if err := v.Err(); err != nil {
		return Result{}, err
	}
	if err := s.mem.sync(ctx); err != nil {
		return Result{}, err
	}
	plan, err := s.plan(ctx, Parse(q.Text))
	if err != nil {
		return Result{}, err
	}
	plan.Field, plan.Sort, plan.After, plan.Limit = q.Field, q.Sort, q.After, q.Limit
	plan.Filters, plan.Now = filters, time.Now().UTC()
	mq := memQuery{Plan: plan, phrases: map[string][]string{}}
	for _, a := range plan.alts() {
		if _, done := mq.phrases[phraseKey(a)]; isPhrase(a) && !done {
			ids, err := s.store.SearchPhrase(ctx, a)
			if err != nil {
				return Result{}, fmt.Errorf("search: %w", err)
			}
			mq.phrases[phraseKey(a)] = ids
		}
	}
	ix := s.mem.read()
	found := ix.search(mq, plan.Now)
	s.mem.release()
	items, err := s.store.SearchLoad(ctx, found.ids)
	if err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	out := Result{Items: make([]Hit, 0, len(items)), Total: found.total, Facets: found.facets}
	if found.more && len(found.ids) > 0 {
		out.Next = found.ids[len(found.ids)-1]
	}
	for _, f := range items {
		out.Items = append(out.Items, Hit{Solution: f.Solution, Why: explain(plan.Groups, f.Doc)})
	}
	return out, nil
}

// alts returns every alternative of the plan's groups and exclusions.
func (p Plan) alts() []Alt {
	out := slices.Clone(p.Exclude)
	for _, g := range p.Groups {
		out = append(out, g.Alts...)
	}
	return out
}

// matchesAny reports whether any indexed solution matches one of the
// alternatives.
func (s *Service) matchesAny(ctx context.Context, alts []Alt) (bool, error) {
	ix := s.mem.read()
	for _, a := range alts {
		if !isPhrase(a) && ix.anyMatch(a) {
			s.mem.release()
			return true, nil
		}
	}
	s.mem.release()
	for _, a := range alts {
		if isPhrase(a) {
			ids, err := s.store.SearchPhrase(ctx, a)
			if err != nil || len(ids) > 0 {
				return len(ids) > 0, err
			}
		}
	}
	return false, nil
}

func (s *Service) knownField(ctx context.Context, key string) (bool, error) {
	tree, err := s.fields.All(ctx)
	if err != nil {
		return false, fmt.Errorf("search: fields of action: %w", err)
	}
	for _, top := range tree {
		if top.Key == key {
			return true, nil
		}
		for _, c := range top.Children {
			if c.Key == key {
				return true, nil
			}
		}
	}
	return false, nil
}

// plan expands the words of a query by their synonyms and corrects
// typos of words that match nothing.
func (s *Service) plan(ctx context.Context, p Parsed) (Plan, error) {
	syn, err := s.synonymAlts(ctx)
	if err != nil {
		return Plan{}, err
	}
	var plan Plan
	for _, w := range p.Words {
		alts := withSynonyms(Alt{Stems: []string{w.Stem}, Prefix: true, Label: w.Key}, syn)
		if utf8.RuneCountInString(w.Key) >= MinTypoWord {
			found, err := s.matchesAny(ctx, alts)
			if err != nil {
				return Plan{}, fmt.Errorf("search: %w", err)
			}
			if !found {
				fixed, err := s.corrections(ctx, w.Key, syn)
				if err != nil {
					return Plan{}, err
				}
				alts = append(alts, fixed...)
			}
		}
		plan.Groups = append(plan.Groups, Group{Alts: alts})
	}
	for _, ph := range p.Phrases {
		a := Alt{}
		var keys []string
		for _, w := range ph {
			a.Stems, keys = append(a.Stems, w.Stem), append(keys, w.Key)
		}
		a.Label = `"` + strings.Join(keys, " ") + `"`
		plan.Groups = append(plan.Groups, Group{Alts: []Alt{a}})
	}
	for _, ex := range p.Exclude {
		plan.Exclude = append(plan.Exclude, Alt{Stems: ex, Prefix: len(ex) == 1})
	}
	return plan, nil
}

// withSynonyms returns a with the members of its synonym groups.
func withSynonyms(a Alt, syn map[string][]Alt) []Alt {
	out := []Alt{a}
	for _, o := range syn[a.Stems[0]] {
		if !slices.ContainsFunc(out, func(x Alt) bool { return slices.Equal(x.Stems, o.Stems) }) {
			out = append(out, o)
		}
	}
	return out
}

// maxCorrections bounds the corrections tried for one word.
const maxCorrections = 5

// corrections returns the vocabulary words one edit away from key.
func (s *Service) corrections(ctx context.Context, key string, syn map[string][]Alt) ([]Alt, error) {
	near, err := s.store.SearchNear(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("search: typo: %w", err)
	}
	slices.Sort(near)
	var out []Alt
	for _, w := range near {
		if len(out) >= maxCorrections {
			break
		}
		if w == key || !oneEdit(key, w) {
			continue
		}
		for _, a := range withSynonyms(Alt{Stems: []string{stem(w)}, Prefix: true, Label: w}, syn) {
			if !slices.ContainsFunc(out, func(x Alt) bool { return slices.Equal(x.Stems, a.Stems) }) {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or transposition of neighbouring letters
// (optimal string alignment distance ≤ 1).
func oneEdit(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) > len(y) {
		x, y = y, x
	}
	switch len(y) - len(x) {
	case 0:
		diff := -1
		for i := range x {
			if x[i] == y[i] {
				continue
			}
			if diff >= 0 {
				// a second difference: only a transposition of the two
				return i == diff+1 && x[diff] == y[i] && x[i] == y[diff] && string(x[i+1:]) == string(y[i+1:])
			}
			diff = i
		}
		return true
	case 1:
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		return string(x[i:]) == string(y[i+1:])
	}
	return false
}

// explain finds the indexed fields in which the groups match and the
// alternatives that matched.
func explain(groups []Group, d Doc) Why {
	why := Why{Fields: []string{}, Terms: []string{}}
	cols := []struct {
		name  string
		terms []string
	}{
		{FieldName, strings.Fields(d.Name)}, {FieldShort, strings.Fields(d.Short)},
		{FieldFields, strings.Fields(d.Fields)}, {FieldDescription, strings.Fields(d.Description)},
	}
	hit := map[string]bool{}
	for _, g := range groups {
		for _, a := range g.Alts {
			for _, c := range cols {
				if matches(a, c.terms) {
					hit[c.name] = true
					if !slices.Contains(why.Terms, a.Label) {
						why.Terms = append(why.Terms, a.Label)
					}
				}
			}
		}
	}
	for _, c := range cols {
		if hit[c.name] {
			why.Fields = append(why.Fields, c.name)
		}
	}
	return why
}

// matches reports whether a matches the indexed terms of one field.
func matches(a Alt, terms []string) bool {
	if a.Prefix && len(a.Stems) == 1 {
		return slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(t, a.Stems[0]) })
	}
	for i := 0; i+len(a.Stems) <= len(terms); i++ {
		if slices.Equal(terms[i:i+len(a.Stems)], a.Stems) {
			return true
		}
	}
	return false
}
