package http

import (
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/web"
)

// Saved searches of the catalogue (package alert): the form on
// /loesungen, the list on /konto/suchen and the unsubscribe link of the
// mails, which works without signing in.

// SavedSearchesView is the Data of the "saved_searches" page.
type SavedSearchesView struct {
	Searches []SavedSearchItem
	Max      int
	Done     string // confirmation of a change just made
	Alert    string // why the search could not be saved
	// Query is the search of a failed attempt to save it, offered again;
	// Back leads to it on the catalogue page.
	Query, Back string
}

// SavedSearchItem is one saved search with its link to the catalogue.
type SavedSearchItem struct {
	alert.SavedSearch
	Link string
}

// UnsubscribeView is the Data of the "saved_unsubscribe" page.
type UnsubscribeView struct {
	Search alert.SavedSearch
	Token  string
	Done   bool
}

// savedDone maps the ?erledigt= values of /konto/suchen.
var savedDone = map[string]string{
	"gespeichert": "saved.done.created",
	"geloescht":   "saved.done.deleted",
	"pausiert":    "saved.done.paused",
	"fortgesetzt": "saved.done.resumed",
}

func (s *Server) handleSavedSearchList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	done := s.doneParam(r, p, savedDone)
	if err := p.Err(); err != nil {
		return err
	}
	return s.renderSavedSearches(w, r, http.StatusOK, SavedSearchesView{Done: done}, nil)
}

// renderSavedSearches shows the user's saved searches; after a failed
// attempt to save one, with its messages.
func (s *Server) renderSavedSearches(w http.ResponseWriter, r *http.Request, status int, v SavedSearchesView, fields map[string]string) error {
	list, err := s.Alerts.List(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	v.Max = alert.MaxPerUser
	for _, ss := range list {
		v.Searches = append(v.Searches, SavedSearchItem{SavedSearch: ss, Link: alert.Link(ss)})
	}
	pg := s.page(r, s.t(r, "saved.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.FieldErrors = fields
	pg.Form = keptInput(r)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "account.title"), Href: "/konto"}, {Label: s.t(r, "saved.title")}}
	pg.Data = v
	s.renderStatus(w, r, status, "saved_searches", pg)
	return nil
}

func (s *Server) handleSavedSearchCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	f := r.PostForm
	_, err := s.Alerts.Create(r.Context(), userOf(r).user, f.Get("name"), f.Get("query"), langOf(r))
	if err != nil {
		fields, msg, rest := s.formError(r, err)
		if rest != nil {
			return rest
		}
		// Only the name is a field of the form; anything wrong with the
		// search itself is said above it.
		if n, ok := fields["name"]; len(fields) > 1 || len(fields) == 1 && !ok {
			msg, fields = s.t(r, "saved.error.query"), nil
			if ok {
				fields = map[string]string{"name": n}
			}
		}
		status := http.StatusBadRequest
		if apperr.Is(err, apperr.Conflict) {
			status = http.StatusConflict
		}
		back := "/loesungen"
		if q, err := url.ParseQuery(f.Get("query")); err == nil && len(q) > 0 {
			back += "?" + q.Encode()
		}
		return s.renderSavedSearches(w, r, status, SavedSearchesView{Alert: msg, Query: f.Get("query"), Back: back}, fields)
	}
	http.Redirect(w, r, "/konto/suchen?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleSavedSearchDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if _, err := s.Alerts.Delete(r.Context(), userOf(r).user, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, "/konto/suchen?erledigt=geloescht", http.StatusSeeOther)
	return nil
}

// handleSavedSearchPause stops (paused) or resumes the mails of a search.
func (s *Server) handleSavedSearchPause(paused bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.readForm(r); err != nil {
			return err
		}
		if err := s.Alerts.SetPaused(r.Context(), userOf(r).user, r.PathValue("id"), paused); err != nil {
			return err
		}
		done := "fortgesetzt"
		if paused {
			done = "pausiert"
		}
		http.Redirect(w, r, "/konto/suchen?erledigt="+done, http.StatusSeeOther)
		return nil
	}
}

// handleUnsubscribeForm asks to confirm: a mail program that opens links
// to check them must not unsubscribe anyone.
func (s *Server) handleUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	ss, err := s.Alerts.ByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(w, r, UnsubscribeView{Search: ss, Token: r.PathValue("token")})
}

func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	ss, err := s.Alerts.Unsubscribe(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(w, r, UnsubscribeView{Search: ss, Done: true})
}

func (s *Server) renderUnsubscribe(w http.ResponseWriter, r *http.Request, v UnsubscribeView) error {
	pg := s.page(r, s.t(r, "saved.unsubscribe.title"))
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Data = v
	return s.render(w, r, "saved_unsubscribe", pg)
}
