package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
)

// apiSavedSearch is a saved search in the API.
type apiSavedSearch struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Query    string     `json:"query"`
	URL      string     `json:"url"` // the search on the catalogue page
	Lang     string     `json:"lang"`
	Paused   bool       `json:"paused"`
	Created  time.Time  `json:"created_at"`
	LastRun  *time.Time `json:"last_run_at"`
	LastSent *time.Time `json:"last_sent_at"`
}

func (s *Server) apiSavedSearchOf(ss alert.SavedSearch) apiSavedSearch {
	return apiSavedSearch{ID: ss.ID, Name: ss.Name, Query: ss.Query, URL: s.Config.BaseURL + alert.Link(ss), Lang: ss.Lang, Paused: ss.Paused,
		Created: ss.Created, LastRun: ss.LastRun, LastSent: ss.LastSent}
}

// maxSavedSearchBody bounds the body of POST /api/v1/me/searches.
const maxSavedSearchBody = 8 << 10

func (s *Server) handleAPISavedSearchList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	l, err := s.Alerts.List(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	out := list[apiSavedSearch]{Items: make([]apiSavedSearch, 0, len(l)), Total: len(l)}
	for _, ss := range l {
		out.Items = append(out.Items, s.apiSavedSearchOf(ss))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// handleAPISavedSearchCreate saves a search: {"name": "…", "query":
// "q=Parken&feld=mobility"}, the query as /loesungen reads it.
func (s *Server) handleAPISavedSearchCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Name  string  `json:"name"`
		Query *string `json:"query"`
	}
	if err := decodeJSON(w, r, maxSavedSearchBody, &body); err != nil {
		return err
	}
	if body.Query == nil {
		var v apperr.Validation
		v.Add("query", "form.error.required")
		return v.Err()
	}
	ss, err := s.Alerts.Create(r.Context(), userOf(r).user, body.Name, *body.Query, langOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", s.apiSavedSearchOf(ss))
	return nil
}

func (s *Server) handleAPISavedSearchDelete(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	ss, err := s.Alerts.Delete(r.Context(), userOf(r).user, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiSavedSearchOf(ss))
	return nil
}
