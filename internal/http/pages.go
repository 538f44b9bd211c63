package http

import (
	"bytes"
	"net/http"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/web"
)

var errNotFound = apperr.New(apperr.NotFound, "error.not_found")

// page starts the page data of a request.
func (s *Server) page(r *http.Request, title string) *web.Page {
	return &web.Page{Lang: langOf(r), Title: title, URL: r.URL, Account: pageAccount(r)}
}

// t translates key into the request's language.
func (s *Server) t(r *http.Request, key string, kv ...any) string {
	return s.Bundle.T(langOf(r), key, kv...)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *web.Page) error {
	s.renderStatus(w, r, http.StatusOK, name, p)
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

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	return s.render(w, r, "home", s.page(r, ""))
}
