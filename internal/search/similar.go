package search

// This file: similar solutions ("Ähnliche Lösungen"). They live in the
// search package because every signal comes from what the search index
// already holds: the fields of action of solution_facets, the analysed
// name and short text of the full-text index, and verified use (the
// "size" and "state" facets come from the same rule). Candidates are
// found by a few bounded, indexed queries per signal and scored here, so
// the rule stays readable and testable without a database.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

// The kinds of reasons why a solution is similar.
const (
	ReasonFields         = "fields"         // shared fields of action
	ReasonMunicipalities = "municipalities" // verified municipalities that use both
	ReasonTerms          = "terms"          // shared rare words of name and short text
)

// The points of the score (see score): a shared field of action below a top
// level is specific, a shared top level says little; each municipality
// that uses both and each shared rare word count too, up to a cap so that
// one signal alone cannot crowd out the others.
const (
	PointsLeafField    = 3
	PointsTopField     = 1
	PointsMunicipality = 2
	MaxMunicipalities  = 5 // counted towards the score
	PointsTerm         = 2
	MaxTerms           = 4 // counted towards the score
	// MinScore is what a candidate needs to be shown: a shared top
	// level field alone is not enough.
	MinScore = 2
)

// Bounds of the work per request, whatever the catalogue's size.
const (
	// MaxSimilar is the most similar solutions returned.
	MaxSimilar = 6
	// CandidatesPerSignal bounds the candidates each signal contributes.
	CandidatesPerSignal = 40
	// TermDocsCap: a word found in this many solutions or more is too
	// common to say anything; counting stops there.
	TermDocsCap = 100
	// maxQueryTerms bounds the words searched for.
	maxQueryTerms = 6
	// minTermLen: shorter words are not searched for.
	minTermLen = 4
)

// FieldRef is a field of action of a solution as the index holds it, with
// its parent ("" for a top level).
type FieldRef struct {
	Key, Parent string
}

// SimilarSource is what the index holds about the solution whose similar
// solutions are wanted.
type SimilarSource struct {
	Name, Short string     // of the published entry, as written
	Fields      []FieldRef // its fields of action with their parents
}

// CandidateQuery asks the store for candidates: up to PerSignal
// solutions per signal (sharing the most Fields, the most Terms in name
// or short text, the most verified municipalities).
type CandidateQuery struct {
	SolutionID string
	Fields     []string // keys of fields of action (those below a top level)
	Terms      []string // analysed terms (stems) to look for
	PerSignal  int
}

// Candidate is a possibly similar solution with its signals.
type Candidate struct {
	ID     string
	Fields []string // keys of its fields of action, with their parents
	Terms  []string // analysed terms of its name and short text
	// SharedOrgs is the number of verified municipalities that use both
	// (current use, counted by the rule of verified use).
	SharedOrgs int
}

// Reason says why a solution is similar: Count shared things; Items are
// the field keys or the words (as written in the source solution).
type Reason struct {
	Kind  string
	Count int
	Items []string
}

// SimilarSolution is a similar solution with its score and reasons.
type SimilarSolution struct {
	Solution catalog.Solution
	Score    int
	Reasons  []Reason
}

// SimilarStore is what similar solutions need from the database
// (store.DB).
type SimilarStore interface {
	// SimilarSource returns the source signals of a published, not
	// archived solution; apperr.NotFound when it is not in the index.
	SimilarSource(ctx context.Context, solutionID string) (SimilarSource, error)
	// TermDocs counts per term the indexed solutions with the term in
	// name or short text, counting at most upTo.
	TermDocs(ctx context.Context, terms []string, upTo int) (map[string]int, error)
	// SimilarCandidates returns the candidates of q without the source;
	// their SharedOrgs count only up to a bounded number of the source's
	// municipalities.
	SimilarCandidates(ctx context.Context, q CandidateQuery) ([]Candidate, error)
	// SharedOrgs counts exactly, per solution of ids, the municipalities
	// that use it and the solution solutionID (verified, current).
	SharedOrgs(ctx context.Context, solutionID string, ids []string) (map[string]int, error)
	// SimilarSolutions returns the published, not archived solutions of
	// ids (with their published version) in the order of ids, leaving
	// out those that are not.
	SimilarSolutions(ctx context.Context, ids []string) ([]catalog.Solution, error)
}

// SimilarityStore is the store of Similarity (store.DB).
type SimilarityStore interface {
	SimilarStore
	PeerStore // peers.go
}

// Similarity finds similar solutions and what municipalities like a
// given one use (peers.go).
type Similarity struct {
	store SimilarityStore
	munis Municipalities
}

// NewSimilarity returns the service.
func NewSimilarity(store SimilarityStore, munis Municipalities) *Similarity {
	return &Similarity{store: store, munis: munis}
}

// Similar returns up to limit (at most MaxSimilar; 0 means MaxSimilar)
// published, not archived solutions similar to the solution, best first.
// A solution that is not in the index (a draft, archived) has none.
func (s *Similarity) Similar(ctx context.Context, solutionID string, limit int) ([]SimilarSolution, error) {
	if limit <= 0 || limit > MaxSimilar {
		limit = MaxSimilar
	}
	src, err := s.store.SimilarSource(ctx, solutionID)
	if err != nil {
		if isNotFound(err) {
			return []SimilarSolution{}, nil
		}
		return nil, fmt.Errorf("search: similar to %s: %w", solutionID, err)
	}
	words := sourceWords(src)
	stems := make([]string, 0, len(words))
	for _, w := range words {
		stems = append(stems, w.Stem)
	}
	docs, err := s.store.TermDocs(ctx, stems, TermDocsCap)
	if err != nil {
		return nil, fmt.Errorf("search: similar to %s: %w", solutionID, err)
	}
	q := CandidateQuery{SolutionID: solutionID, Terms: rareTerms(stems, docs), PerSignal: CandidatesPerSignal}
	for _, f := range src.Fields {
		if f.Parent != "" {
			q.Fields = append(q.Fields, f.Key)
		}
	}
	cands, err := s.store.SimilarCandidates(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search: similar to %s: %w", solutionID, err)
	}
	scored := score(src, q.Terms, words, cands)
	if len(scored) > limit {
		scored = scored[:limit]
	}
	ids := make([]string, len(scored))
	for i, c := range scored {
		ids[i] = c.Solution.ID
	}
	// The candidates were scored by a bounded sample of the source's
	// municipalities; the few shown are scored by all of them.
	shared, err := s.store.SharedOrgs(ctx, solutionID, ids)
	if err != nil {
		return nil, fmt.Errorf("search: similar to %s: %w", solutionID, err)
	}
	byCand := map[string]Candidate{}
	for _, c := range cands {
		byCand[c.ID] = c
	}
	final := make([]Candidate, 0, len(ids))
	for _, id := range ids {
		c := byCand[id]
		c.SharedOrgs = shared[id]
		final = append(final, c)
	}
	scored = score(src, q.Terms, words, final)
	ids = ids[:0]
	for _, c := range scored {
		ids = append(ids, c.Solution.ID)
	}
	sols, err := s.store.SimilarSolutions(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("search: similar to %s: %w", solutionID, err)
	}
	byID := map[string]catalog.Solution{}
	for _, sol := range sols {
		byID[sol.ID] = sol
	}
	out := make([]SimilarSolution, 0, len(scored))
	for _, c := range scored {
		if sol, ok := byID[c.Solution.ID]; ok { // archived in the meantime
			c.Solution = sol
			out = append(out, c)
		}
	}
	return out, nil
}

// sourceWord is a word of the source's name or short text with its stem.
type sourceWord struct {
	Word, Stem string
}

// sourceWords returns the distinct stems of the name and short text that
// are worth searching for (no numbers, at least minTermLen letters), each
// with the word as first written.
func sourceWords(src SimilarSource) []sourceWord {
	var out []sourceWord
	seen := map[string]bool{}
	for _, text := range []string{src.Name, src.Short} {
		for _, raw := range rawWords(text) {
			ws := words(raw)
			if len(ws) != 1 || utf8.RuneCountInString(ws[0].Key) < minTermLen || hasDigit(ws[0].Key) || seen[ws[0].Stem] {
				continue
			}
			seen[ws[0].Stem] = true
			out = append(out, sourceWord{Word: raw, Stem: ws[0].Stem})
		}
	}
	return out
}

// rareTerms picks up to maxQueryTerms stems that other solutions have
// but that are not common (found in fewer than TermDocsCap solutions),
// rarest first; the source itself is one of the docs.
func rareTerms(stems []string, docs map[string]int) []string {
	var out []string
	for _, st := range stems {
		if n := docs[st]; n > 1 && n < TermDocsCap {
			out = append(out, st)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(docs[a], docs[b]) })
	if len(out) > maxQueryTerms {
		out = out[:maxQueryTerms]
	}
	return out
}

// score scores the candidates against the source and returns those with
// at least MinScore, best first (ties: more shared municipalities, then
// id), each with its reasons; the Solution of each has only its ID.
// terms are the stems that were searched for, words the source's words.
func score(src SimilarSource, terms []string, words []sourceWord, cands []Candidate) []SimilarSolution {
	parent := map[string]string{}
	for _, f := range src.Fields {
		parent[f.Key] = f.Parent
	}
	label := map[string]string{}
	for _, w := range words {
		label[w.Stem] = w.Word
	}
	type scored struct {
		SimilarSolution
		orgs int
	}
	var list []scored
	for _, c := range cands {
		if c.ID == "" {
			continue
		}
		sc := scored{SimilarSolution: SimilarSolution{Solution: catalog.Solution{ID: c.ID}}, orgs: c.SharedOrgs}
		// Fields: every shared one scores; the reason names the most
		// specific ones (a top level only when none of its children is
		// shared).
		var shared []string
		coveredTop := map[string]bool{}
		for _, k := range c.Fields {
			p, ok := parent[k]
			if !ok || slices.Contains(shared, k) {
				continue
			}
			shared = append(shared, k)
			if p != "" {
				sc.Score += PointsLeafField
				coveredTop[p] = true
			} else {
				sc.Score += PointsTopField
			}
		}
		var named []string
		for _, k := range shared {
			if parent[k] != "" || !coveredTop[k] {
				named = append(named, k)
			}
		}
		if len(named) > 0 {
			sc.Reasons = append(sc.Reasons, Reason{Kind: ReasonFields, Count: len(named), Items: named})
		}
		if c.SharedOrgs > 0 {
			sc.Score += PointsMunicipality * min(c.SharedOrgs, MaxMunicipalities)
			sc.Reasons = append(sc.Reasons, Reason{Kind: ReasonMunicipalities, Count: c.SharedOrgs})
		}
		var common []string
		for _, t := range terms {
			if slices.Contains(c.Terms, t) {
				common = append(common, label[t])
			}
		}
		if len(common) > 0 {
			sc.Score += PointsTerm * min(len(common), MaxTerms)
			sc.Reasons = append(sc.Reasons, Reason{Kind: ReasonTerms, Count: len(common), Items: common})
		}
		if sc.Score >= MinScore {
			list = append(list, sc)
		}
	}
	slices.SortFunc(list, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.orgs, a.orgs), cmp.Compare(a.Solution.ID, b.Solution.ID))
	})
	out := make([]SimilarSolution, len(list))
	for i, sc := range list {
		out[i] = sc.SimilarSolution
	}
	return out
}

// rawWords splits a text into its words as written (where the analysis
// splits it, see words).
func rawWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.In(r, unicode.L, unicode.N, unicode.M) })
}

func hasDigit(s string) bool { return strings.ContainsFunc(s, unicode.IsDigit) }

func isNotFound(err error) bool { return apperr.Is(err, apperr.NotFound) }
