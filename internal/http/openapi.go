package http

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes the JSON API. openapi_test.go checks every
// documented route against a real response, so the document cannot drift
// from the handlers unnoticed.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPIDocument)
	return nil
}
