// Package centre is the full-text search of the competence centre: one
// search across published knowledge articles, published practice
// examples and public events. It analyses text and queries exactly like
// the catalogue's search (package search: folding, German stemming,
// synonyms, compound prefixes, typo correction, "phrases" and -exclusion);
// the store keeps the index current in the same transactions that publish,
// change or withdraw the documents.
package centre

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

// The kinds of documents.
const (
	KindArticle = "article"
	KindExample = "example"
	KindEvent   = "event"
)

// Kinds are the kinds of documents in the order the filter shows them.
var Kinds = []string{KindArticle, KindExample, KindEvent}

// Limits of a search.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 10000          // deeper pages are refused rather than scanned
	MaxText      = search.MaxText // characters of a query text, as in the catalogue
)

// Query is a search as a user asks it.
type Query struct {
	Text   string
	Kinds  []string // kinds to show; none means all
	Field  string   // key of a field of action; a top-level key includes its children
	Limit  int      // 1–MaxLimit; 0 means DefaultLimit
	Offset int      // hits to skip, 0–MaxOffset
}

// Plan is an analysed query for the store: every group must match, no
// excluded alternative may.
type Plan struct {
	Groups  []search.Group
	Exclude []search.Alt
	Kinds   []string // empty: all
	Field   string
	Limit   int
	Offset  int
}

// Hit is one document found.
type Hit struct {
	Kind    string
	Slug    string
	Title   string
	Summary string
	Link    string
	Fields  []string
	Date    time.Time
}

// Found is what the store found for a plan.
type Found struct {
	Items  []Hit
	Total  int            // hits of the selected kinds
	Counts map[string]int // hits per kind, regardless of the kind filter
}

// Result is a page of results.
type Result struct {
	Items    []Hit
	Total    int            // hits of the selected kinds
	Counts   map[string]int // hits per kind, regardless of the kind filter
	Next     int            // offset of the next page; 0 on the last
	Searched bool           // false when the query had nothing to search for
}

// Store is the index of the competence centre.
type Store interface {
	// CentreSearch returns a page of the documents matching the plan,
	// best first (title > summary > field labels > body), the total and
	// the counts per kind.
	CentreSearch(ctx context.Context, p Plan) (Found, error)
	// CentreMatches reports whether any document matches one of alts.
	CentreMatches(ctx context.Context, alts []search.Alt) (bool, error)
	// CentreNear returns the words of the documents that may be one edit
	// away from word (same length ±1, sharing the first or last two
	// letters).
	CentreNear(ctx context.Context, word string) ([]string, error)
	// SearchSynonyms returns the synonym groups of the catalogue's search.
	SearchSynonyms(ctx context.Context) ([][]string, error)
	// IndexCentre indexes the published documents that are not yet in the
	// index and returns how many it added.
	IndexCentre(ctx context.Context) (int, error)
}

// FieldLister lists the fields of action (catalog.Fields).
type FieldLister interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Service searches the competence centre.
type Service struct {
	store  Store
	fields FieldLister
}

// New returns the service.
func New(store Store, fields FieldLister) *Service { return &Service{store: store, fields: fields} }

// Init indexes what is published but not yet indexed (after an upgrade,
// or documents of a kind that came later). Run it on start.
func (s *Service) Init(ctx context.Context) error {
	if _, err := s.store.IndexCentre(ctx); err != nil {
		return fmt.Errorf("centre: index: %w", err)
	}
	return nil
}

// ParseKinds returns the kinds of a filter from their names as a form or
// API sends them: repeated values and comma-separated lists; empty values
// are ignored.
func ParseKinds(values []string) []string {
	var out []string
	for _, v := range values {
		for k := range strings.SplitSeq(v, ",") {
			if k = strings.TrimSpace(k); k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// Search finds documents. The text is never invalid (see search.Parse),
// only too long; unknown kinds and fields and impossible pages are
// validation errors. A text without anything to search for finds nothing.
func (s *Service) Search(ctx context.Context, q Query) (Result, error) {
	var v apperr.Validation
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 1 || q.Limit > MaxLimit {
		v.Add("limit", "error.param.limit", "Max", MaxLimit)
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		v.Add("cursor", "error.param.cursor")
	}
	if utf8.RuneCountInString(q.Text) > MaxText {
		v.Add("q", "form.error.too_long", "Max", MaxText)
	}
	if len(q.Kinds) > len(Kinds) {
		v.Add("kind", "centresearch.error.kind")
	} else {
		for _, k := range q.Kinds {
			if !slices.Contains(Kinds, k) {
				v.Add("kind", "centresearch.error.kind")
				break
			}
		}
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
	if err := v.Err(); err != nil {
		return Result{}, err
	}
	out := Result{Items: []Hit{}, Counts: map[string]int{}}
	parsed := search.Parse(q.Text)
	if len(parsed.Words) == 0 && len(parsed.Phrases) == 0 {
		return out, nil // exclusions alone search for nothing
	}
	plan, err := s.plan(ctx, parsed)
	if err != nil {
		return Result{}, err
	}
	plan.Kinds, plan.Field = q.Kinds, q.Field
	if len(plan.Kinds) == len(Kinds) {
		plan.Kinds = nil
	}
	plan.Limit, plan.Offset = q.Limit, q.Offset
	found, err := s.store.CentreSearch(ctx, plan)
	if err != nil {
		return Result{}, fmt.Errorf("centre: search: %w", err)
	}
	out.Searched, out.Items, out.Total = true, found.Items, found.Total
	if found.Counts != nil {
		out.Counts = found.Counts
	}
	if end := q.Offset + len(found.Items); len(found.Items) > 0 && end < found.Total {
		out.Next = end
	}
	return out, nil
}

func (s *Service) knownField(ctx context.Context, key string) (bool, error) {
	if s.fields == nil {
		return false, nil
	}
	tree, err := s.fields.All(ctx)
	if err != nil {
		return false, fmt.Errorf("centre: fields of action: %w", err)
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
// typos of words that match nothing, as the catalogue's search does.
func (s *Service) plan(ctx context.Context, p search.Parsed) (Plan, error) {
	groups, err := s.store.SearchSynonyms(ctx)
	if err != nil {
		return Plan{}, fmt.Errorf("centre: synonyms: %w", err)
	}
	syn := search.SynonymAlts(groups)
	var plan Plan
	for _, w := range p.Words {
		alts := search.WithSynonyms(search.Alt{Stems: []string{w.Stem}, Prefix: true, Label: w.Key}, syn)
		if utf8.RuneCountInString(w.Key) >= search.MinTypoWord {
			found, err := s.store.CentreMatches(ctx, alts)
			if err != nil {
				return Plan{}, fmt.Errorf("centre: %w", err)
			}
			if !found {
				fixed, err := s.corrections(ctx, w.Key, syn)
				if err != nil {
					return Plan{}, err
				}
				alts = append(alts, fixed...)
			}
		}
		plan.Groups = append(plan.Groups, search.Group{Alts: alts})
	}
	for _, ph := range p.Phrases {
		a := search.Alt{}
		var keys []string
		for _, w := range ph {
			a.Stems, keys = append(a.Stems, w.Stem), append(keys, w.Key)
		}
		a.Label = `"` + strings.Join(keys, " ") + `"`
		plan.Groups = append(plan.Groups, search.Group{Alts: []search.Alt{a}})
	}
	for _, ex := range p.Exclude {
		plan.Exclude = append(plan.Exclude, search.Alt{Stems: ex, Prefix: len(ex) == 1})
	}
	return plan, nil
}

// maxCorrections bounds the corrections tried for one word.
const maxCorrections = 5

// corrections returns the words of the documents one edit away from key.
func (s *Service) corrections(ctx context.Context, key string, syn map[string][]search.Alt) ([]search.Alt, error) {
	near, err := s.store.CentreNear(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("centre: typo: %w", err)
	}
	slices.Sort(near)
	var out []search.Alt
	for _, w := range near {
		if len(out) >= maxCorrections {
			break
		}
		if w == key || !search.OneEdit(key, w) {
			continue
		}
		for _, a := range search.WithSynonyms(search.Alt{Stems: []string{search.Stem(w)}, Prefix: true, Label: w}, syn) {
			if !slices.ContainsFunc(out, func(x search.Alt) bool { return slices.Equal(x.Stems, a.Stems) }) {
				out = append(out, a)
			}
		}
	}
	return out, nil
}
