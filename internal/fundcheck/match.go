package fundcheck

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/search"
)

// Catalogue is the catalogue search (search.Service).
type Catalogue interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
}

// Cooperation is an open public need that other public bodies joined: a
// running cooperation project.
type Cooperation struct {
	Slug, Title, Problem, Field, Org string
	Joined                           int
}

// Practice is a published practice example. The practice package is
// built separately; PracticeSource is the optional hook it can fill.
type Practice struct {
	Slug, Title, Summary, Org string
	Fields                    []string
}

// PracticeSource lists published practice examples; nil leaves them out.
type PracticeSource interface {
	PublishedPractices(ctx context.Context) ([]Practice, error)
}

// stopwords are frequent words of descriptions that say nothing about a
// solution (folded).
var stopwords = map[string]bool{"sollen": true, "sollte": true, "werden": true, "konnen": true, "unsere": true, "unserer": true,
	"einer": true, "eines": true, "einem": true, "einen": true, "diese": true, "dieser": true, "dieses": true, "durch": true,
	"sowie": true, "mussen": true, "losung": true, "system": true, "neuen": true, "neue": true, "digitale": true, "digitalen": true, "digitales": true, "digitaler": true, "digital": true,
	"which": true, "there": true, "their": true, "should": true, "solution": true, "about": true, "other": true, "these": true,
	"damit": true, "wollen": true, "haben": true, "keine": true, "einfach": true, "entwickeln": true, "entwicklung": true, "geplant": true}

// keyword is one significant word of the check with its stem.
type keyword struct{ word, stem string }

// keywords returns the significant words of text (at least five
// letters, no stop word), each once, in order.
func keywords(text string) []keyword {
	var out []keyword
	seen := map[string]bool{}
	for _, raw := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		k := fold.Key(raw)
		if len([]rune(k)) < 5 || stopwords[k] {
			continue
		}
		st := search.QueryTerms(raw)
		if len(st) == 0 || seen[st[0]] {
			continue
		}
		seen[st[0]] = true
		out = append(out, keyword{word: strings.ToLower(raw), stem: st[0]})
	}
	return out
}

// matchedWords returns the words of kws whose stem begins a term of
// text (so that "Parkraum" finds "Parkraumbewirtschaftung").
func matchedWords(kws []keyword, text string) []string {
	terms := search.Terms(text)
	var out []string
	for _, k := range kws {
		if slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(t, k.stem) }) {
			out = append(out, k.word)
		}
	}
	return out
}

// top returns the top-level part of a field key.
func top(key string) string {
	t, _, _ := strings.Cut(key, ".")
	return t
}

// fieldsOverlap returns the fields of cand equal to one of want, and
// those that only share the top level with one.
func fieldsOverlap(want, cand []string) (same, related []string) {
	for _, c := range cand {
		switch {
		case slices.Contains(want, c):
			same = append(same, c)
		case slices.ContainsFunc(want, func(w string) bool { return top(w) == top(c) }):
			related = append(related, c)
		}
	}
	return same, related
}

// score weighs the reasons: a shared field counts 3, a related one 1, a
// matched word 2.
func score(m Match) int { return 3*len(m.Fields) + len(m.Related) + 2*len(m.Words) }

// Finder looks for what exists.
type Finder struct {
	cat       Catalogue
	coop      func(ctx context.Context) ([]Cooperation, error)
	practices PracticeSource
}

// find returns the closest solutions (open source and commercial) and
// cooperation projects for in. Candidates come from the search like need
// matching does: the title as one query, each significant title word and
// each field of action on its own; every candidate is then explained by
// the fields it shares and the words of the title and description it
// contains. Only candidates with a reason are kept.
func (f *Finder) find(ctx context.Context, in Input) ([]Match, error) {
	kws := keywords(in.Title + " " + in.Description)
	titleKws := keywords(in.Title)
	seen := map[string]bool{}
	why := map[string][]string{} // the search's "why this result": words, synonyms and corrections that matched
	var cands []catalog.Solution
	collect := func(q search.Query) error {
		res, err := f.cat.Search(ctx, q)
		if err != nil {
			return fmt.Errorf("fundcheck: search: %w", err)
		}
		for _, h := range res.Items {
			for _, w := range h.Why.Terms {
				if w = strings.ToLower(w); !slices.Contains(why[h.Solution.ID], w) {
					why[h.Solution.ID] = append(why[h.Solution.ID], w)
				}
			}
			if !seen[h.Solution.ID] && h.Solution.Published != nil {
				seen[h.Solution.ID] = true
				cands = append(cands, h.Solution)
			}
		}
		return nil
	}
	if text := queryText(in.Title); text != "" {
		if err := collect(search.Query{Text: text, Sort: search.SortRelevance, Limit: 20}); err != nil {
			return nil, err
		}
	}
	for i, k := range titleKws {
		if i == 5 {
			break
		}
		if err := collect(search.Query{Text: queryText(k.word), Sort: search.SortRelevance, Limit: 20}); err != nil {
			return nil, err
		}
	}
	for _, fd := range in.Fields {
		if err := collect(search.Query{Filters: search.Filters{search.FacetField: {fd}}, Limit: 50}); err != nil {
			return nil, err
		}
	}
	var sols []Match
	for _, s := range cands {
		e := s.Published.Entry
		m := Match{Kind: KindSolution, Ref: s.Slug, Title: e.Name, Org: s.OrgName, Summary: e.Short, Licence: e.Licence, Family: FamilyProprietary}
		if e.OpenSource() {
			m.Family = FamilyOpenSource
		}
		m.Fields, m.Related = fieldsOverlap(in.Fields, e.Fields)
		m.Words = matchedWords(kws, strings.Join(append([]string{e.Name, e.Short, e.Description}, e.Standards...), " "))
		for _, w := range why[s.ID] {
			if !slices.Contains(m.Words, w) {
				m.Words = append(m.Words, w)
			}
		}
		if m.Score = score(m); m.Score > 0 && (len(m.Words) > 0 || len(m.Fields) > 0) {
			sols = append(sols, m)
		}
	}
	out := best(sols, MaxMatches)

	if f.coop != nil {
		coops, err := f.coop(ctx)
		if err != nil {
			return nil, fmt.Errorf("fundcheck: cooperation: %w", err)
		}
		var ms []Match
		for _, c := range coops {
			m := Match{Kind: KindNeed, Ref: c.Slug, Title: c.Title, Org: c.Org, Summary: summary(c.Problem), Joined: c.Joined}
			m.Fields, m.Related = fieldsOverlap(in.Fields, []string{c.Field})
			m.Words = matchedWords(kws, c.Title+" "+c.Problem)
			if m.Score = score(m); len(m.Words) > 0 || len(m.Fields) > 0 {
				ms = append(ms, m)
			}
		}
		out = append(out, best(ms, MaxCooperation)...)
	}
	if f.practices != nil {
		ps, err := f.practices.PublishedPractices(ctx)
		if err != nil {
			return nil, fmt.Errorf("fundcheck: practice examples: %w", err)
		}
		var ms []Match
		for _, p := range ps {
			m := Match{Kind: KindPractice, Ref: p.Slug, Title: p.Title, Org: p.Org, Summary: summary(p.Summary)}
			m.Fields, m.Related = fieldsOverlap(in.Fields, p.Fields)
			m.Words = matchedWords(kws, p.Title+" "+p.Summary)
			if m.Score = score(m); len(m.Words) > 0 || len(m.Fields) > 0 {
				ms = append(ms, m)
			}
		}
		out = append(out, best(ms, MaxCooperation)...)
	}
	for i := range out {
		out[i].Fields, out[i].Related, out[i].Words = orEmpty(out[i].Fields), orEmpty(out[i].Related), orEmpty(out[i].Words)
	}
	return out, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// best returns the n highest scored matches; ties by title, then ref.
func best(ms []Match, n int) []Match {
	slices.SortFunc(ms, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(fold.Key(a.Title), fold.Key(b.Title)), cmp.Compare(a.Ref, b.Ref))
	})
	return ms[:min(n, len(ms))]
}

// queryText returns text cut to what the search accepts, without the
// characters of its query syntax.
func queryText(text string) string {
	rs := []rune(strings.NewReplacer(`"`, " ", "-", " ").Replace(text))
	if len(rs) > search.MaxText {
		rs = rs[:search.MaxText]
	}
	return strings.TrimSpace(string(rs))
}

// summary returns the first 300 characters of a text.
func summary(s string) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) > 300 {
		return string(rs[:299]) + "…"
	}
	return string(rs)
}
