package http

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/web"
)

var errInternal = apperr.New(apperr.Internal, "error.internal")

// statusOf maps the domain error codes to HTTP status, in this one place.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.TooMany:         http.StatusTooManyRequests,
	apperr.Internal:        http.StatusInternalServerError,
}

// handlerFunc is a handler that returns its error to one adapter.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: an error becomes a page or a problem
// document in the request's language.
func (s *Server) handle(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []problemField `json:"errors,omitempty"`
}

type problemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// fail writes err for the user: safe, translated messages; the cause goes
// only to the log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *apperr.Error
	if !errors.As(err, &e) {
		e = errInternal
	}
	if e.Code == apperr.Internal || e.Err != nil && e.Code != apperr.NotFound {
		level := slog.LevelWarn
		if e.Code == apperr.Internal {
			level = slog.LevelError
		}
		s.Log.Log(r.Context(), level, "request failed", "request_id", requestID(r), "path", r.URL.Path, "err", err)
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	lang := langOf(r)
	msg := s.Bundle.T(lang, e.Msg.Key, e.Msg.Args...)
	fields := make([]problemField, 0, len(e.Fields))
	for _, f := range e.Fields {
		fields = append(fields, problemField{Field: f.Field, Message: s.Bundle.T(lang, f.Key, append([]any{"Name", f.Field}, f.Args...)...)})
	}
	if isAPI(r) {
		p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: msg,
			Instance: r.URL.Path, RequestID: requestID(r), Errors: fields}
		writeJSON(w, status, "application/problem+json", p)
		return
	}
	for _, f := range fields {
		msg += " " + f.Message
	}
	page := s.page(r, "")
	page.Title = s.Bundle.T(lang, "error.title")
	page.Data = web.ErrorData{Status: status, Message: msg}
	s.renderStatus(w, r, status, "error", page)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
