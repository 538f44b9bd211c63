package http

// This file: the JSON API of the competence centre's search
// (/api/v1/centre/search); the page is in centre_search_pages.go.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/centre"
)

type apiCentreHit struct {
	Kind    string    `json:"kind"`
	Slug    string    `json:"slug"`
	Title   string    `json:"title"`
	Summary string    `json:"summary"`
	URL     string    `json:"url"`
	Fields  []string  `json:"fields"`
	Date    time.Time `json:"date"`
}

type apiCentreResult struct {
	list[apiCentreHit]
	Counts map[string]int `json:"counts"`
}

func (s *Server) handleAPICentreSearch(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "q", "kind", "field", "limit", "cursor")
	limit := p.int("limit", centre.DefaultLimit, 1, centre.MaxLimit)
	offset := p.int("cursor", 0, 0, centre.MaxOffset)
	if err := p.Err(); err != nil {
		return err
	}
	var kinds []string
	if k := p.str("kind"); k != "" {
		kinds = centre.ParseKinds([]string{k})
	}
	res, err := s.Centre.Search(r.Context(), centre.Query{Text: p.str("q"), Kinds: kinds, Field: p.str("field"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := apiCentreResult{list: list[apiCentreHit]{Items: []apiCentreHit{}, Total: res.Total}, Counts: map[string]int{}}
	for _, k := range centre.Kinds {
		out.Counts[k] = res.Counts[k]
	}
	for _, h := range res.Items {
		out.Items = append(out.Items, apiCentreHit{Kind: h.Kind, Slug: h.Slug, Title: h.Title, Summary: h.Summary,
			URL: s.Config.BaseURL + h.Link, Fields: nonNil(h.Fields), Date: h.Date})
	}
	if res.Next > 0 {
		out.Next = strconv.Itoa(res.Next)
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
