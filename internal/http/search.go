package http

import (
	"net/http"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

// listSolutions returns a page of published solutions: with a query text
// found by the full-text search, by relevance, with why each was found
// (by solution id); without one, all by name.
func (s *Server) listSolutions(r *http.Request, q, field, after string, limit int) (catalog.Page, map[string]*search.Why, error) {
	if q == "" {
		page, err := s.Solutions.List(r.Context(), catalog.ListQuery{Field: field, After: after, Limit: limit})
		return page, nil, err
	}
	res, err := s.Search.Search(r.Context(), search.Query{Text: q, Field: field, After: after, Limit: limit})
	if err != nil {
		return catalog.Page{}, nil, err
	}
	page := catalog.Page{Total: res.Total, Next: res.Next, Items: make([]catalog.Solution, 0, len(res.Items))}
	why := make(map[string]*search.Why, len(res.Items))
	for _, h := range res.Items {
		page.Items = append(page.Items, h.Solution)
		why[h.Solution.ID] = &h.Why
	}
	return page, why, nil
}
