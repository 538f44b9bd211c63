package http

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/web"
)

var errNotFound = apperr.New(apperr.NotFound, "error.not_found")

// page starts the page data of a request.
func (s *Server) page(r *http.Request, title string) *web.Page {
	p := &web.Page{Lang: langOf(r), Title: title, URL: r.URL, Account: pageAccount(r)}
	s.noteUnread(r, p.Account) // notify_pages.go: one indexed COUNT, for signed-in users only
	return p
}

// t translates key into the request's language.
func (s *Server) t(r *http.Request, key string, kv ...any) string {
	return s.Bundle.T(langOf(r), key, kv...)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *web.Page) error {
	s.renderStatus(w, r, http.StatusOK, name, p)
	return nil
}

// renderFormPage renders the form page name with its title, breadcrumbs,
// the form's token, the input to show again (form) with the messages at
// its fields, and data.
func (s *Server) renderFormPage(w http.ResponseWriter, r *http.Request, status int, name, title string, crumbs []web.Crumb,
	form url.Values, fields map[string]string, data any) error {
	pg := s.page(r, title)
	pg.CSRFToken = s.csrfToken(w, r)
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = crumbs
	pg.Data = data
	s.renderStatus(w, r, status, name, pg)
	return nil
}

// renderStatus renders a whole page; a template error becomes a plain 500
// because the error page itself may be what fails.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *web.Page) {
	var buf bytes.Buffer
	if err := s.Renderer.Render(&buf, name, p); err != nil {
		s.Log.Error("render", "request_id", requestID(r), "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// HomeView is the Data of the "home" page.
type HomeView struct {
	Notice string // a message after an action that ends on the start page
}

// homeNotices are the messages that ?hinweis= may ask the start page for.
var homeNotices = map[string]string{"konto-geloescht": "account.delete.done"}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "hinweis")
	var v HomeView
	if n := p.str("hinweis"); n != "" {
		if key, ok := homeNotices[n]; ok {
			v.Notice = s.t(r, key)
		} else {
			p.Add("hinweis", "error.param.value", "Name", "hinweis")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	page := s.page(r, "")
	page.Data = v
	return s.render(w, r, "home", page)
}
