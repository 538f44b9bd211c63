package http

import (
	"net/http"
)

// routes lists every route with its authorisation rule. Until accounts
// exist (next issue) everything here is public and read-only, except the
// anonymous accessibility feedback form, which BITV 2.0 requires to be
// open to everyone; it is protected against CSRF.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	public := func(pattern string, h handlerFunc) { mux.Handle(pattern, s.handle(h)) }

	// Pages (German paths; the language comes from ?lang=, cookie or Accept-Language).
	public("GET /{$}", s.handleHome)
	public("GET /kommunen", s.handleMunicipalityList)
	public("GET /kommunen/{ags}", s.handleMunicipalityView)
	public("GET /laender", s.handleStateList)
	public("GET /laender/{key}", s.handleStateView)
	public("GET /kreise/{key}", s.handleDistrictView)
	public("GET /impressum", s.handleLegal("impressum"))
	public("GET /datenschutz", s.handleLegal("datenschutz"))
	public("GET /barrierefreiheit", s.handleLegal("barrierefreiheit"))
	public("POST /barrierefreiheit/rueckmeldung", s.handleFeedbackCreate)

	// JSON API.
	public("GET /api/v1/municipalities", s.handleAPIMunicipalityList)
	public("GET /api/v1/municipalities/{ags}", s.handleAPIMunicipalityView)
	public("GET /api/v1/districts", s.handleAPIDistrictList)
	public("GET /api/v1/districts/{key}", s.handleAPIDistrictView)
	public("GET /api/v1/states", s.handleAPIStateList)
	public("GET /api/v1/states/{key}", s.handleAPIStateView)
	public("GET /api/openapi.json", s.handleOpenAPI)

	// Operations.
	public("GET /healthz", s.handleHealth)
	public("GET /readyz", s.handleReady)
	mux.Handle("GET /metrics", s.metrics.handler)
	mux.Handle("GET /static/", s.Renderer.Static())
	mux.Handle("GET /hello", http.HandlerFunc(handleHello))

	// Anything else is a translated 404 page or problem document.
	public("/", func(w http.ResponseWriter, r *http.Request) error { return errNotFound })

	return s.observe(s.secure(s.crossOrigin(s.language(noteRoute(mux)))))
}

// handleHello is the smallest possible handler, the baseline for load
// tests that compare the platform's pages with the server's own overhead.
func handleHello(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("hello\n"))
}
