package http

import (
	"bytes"
	"net/http"

	"github.com/smartregions/smartregions/internal/web"
)

// htmxPartial reports whether r is an htmx request that replaces part of
// a page. A history restore (the page is not in htmx's cache after "back")
// needs the whole page.
func htmxPartial(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// renderSwappable renders page name whole, or only its "fragment" for an
// htmx request (the page must define one). The answer varies with the
// htmx headers, which Vary tells caches so that they never hand a
// fragment to a browser that asked for the page.
func (s *Server) renderSwappable(w http.ResponseWriter, r *http.Request, name string, p *web.Page) error {
	w.Header().Add("Vary", "HX-Request, HX-History-Restore-Request")
	if !htmxPartial(r) || !s.Renderer.HasFragment(name) {
		return s.render(w, r, name, p)
	}
	var buf bytes.Buffer
	if err := s.Renderer.RenderFragment(&buf, name, p); err != nil {
		s.Log.Error("render", "request_id", requestID(r), "page", name, "fragment", true, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	buf.WriteTo(w)
	return nil
}
