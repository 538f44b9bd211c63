package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

// apiSearchHit is a solution found by the search with why it was found.
type apiSearchHit struct {
	Solution apiSolution `json:"solution"`
	Why      apiWhy      `json:"why"`
}

// apiWhy explains a hit: the indexed fields that matched and the words
// (as typed, or the synonym or correction used instead).
type apiWhy struct {
	Fields []string `json:"fields"`
	Terms  []string `json:"terms"`
}

func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, append([]string{"q", "sort", "limit", "cursor"}, search.FacetNames...)...)
	limit := p.int("limit", 50, 1, 200)
	cursor := p.id("cursor")
	filters := readAPIFilters(p) // facets.go
	if err := p.Err(); err != nil {
		return err
	}
	res, err := s.Search.Search(r.Context(), search.Query{Text: p.str("q"), Filters: filters, Sort: p.str("sort"), After: cursor, Limit: limit})
	if err != nil {
		return err
	}
	now := time.Now()
	sols := make([]catalog.Solution, 0, len(res.Items))
	api := make([]apiSolution, 0, len(res.Items))
	for _, h := range res.Items {
		sols, api = append(sols, h.Solution), append(api, apiSolutionOf(h.Solution, now, s.Config.BaseURL))
	}
	if err := s.usedBy(r, sols, api); err != nil {
		return err
	}
	out := apiSearchResult{Items: make([]apiSearchHit, 0, len(res.Items)), Total: res.Total, Next: res.Next, Facets: apiFacetsOf(res.Facets)}
	for i, h := range res.Items {
		out.Items = append(out.Items, apiSearchHit{Solution: api[i], Why: apiWhy{Fields: nonNil(h.Why.Fields), Terms: nonNil(h.Why.Terms)}})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
