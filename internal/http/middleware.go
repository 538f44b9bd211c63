package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/i18n"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyLang
	keyRoute
)

// routeNote carries the matched route pattern from the mux back out to
// observe, which sees an earlier copy of the request.
type routeNote struct{ pattern string }

// noteRoute records the pattern that the mux matched.
func noteRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if n, ok := r.Context().Value(keyRoute).(*routeNote); ok {
			n.pattern = r.Pattern
		}
	})
}

// maxBody bounds every request body; routes that need more say so.
const maxBody = 1 << 20

var reRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, logs one line per request, records
// metrics and turns a panic into a 500 instead of a dropped connection.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !reRequestID.MatchString(id) {
			b := make([]byte, 8)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		note := &routeNote{}
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, id), keyRoute, note)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "request_id", id, "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.fail(sw, r, errInternal)
				}
			}
			route := note.pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.observe(route, r.Method, sw.status, d)
			s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("route", route), slog.Int("status", sw.status), slog.Int("bytes", sw.size),
				slog.Duration("duration", d), slog.String("remote", s.clientIP(r)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// clientIP is the peer address, or the proxy's X-Forwarded-For when the
// operator trusts the proxy.
func (s *Server) clientIP(r *http.Request) string {
	if s.Config.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// https reports whether the client reached us over TLS.
func (s *Server) https(r *http.Request) bool {
	return r.TLS != nil || (s.Config.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

// contentSecurityPolicy allows only the platform's own scripts and styles:
// no inline code, no third party, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers and bounds the request body.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if s.https(r) {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r))
		}
		next.ServeHTTP(w, r)
	})
}

// language picks the request's language and remembers an explicit choice
// (?lang=) in a cookie, so the switch keeps working on the following pages.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := i18n.Negotiate(r)
		if q := r.URL.Query().Get("lang"); q != "" && i18n.IsSupported(q) {
			http.SetCookie(w, &http.Cookie{Name: "lang", Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.https(r), SameSite: http.SameSiteLaxMode})
		}
		w.Header().Add("Vary", "Accept-Language, Cookie")
		w.Header().Set("Content-Language", lang)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyLang, lang)))
	})
}

// langOf returns the language chosen for the request.
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(keyLang).(string); ok {
		return l
	}
	return i18n.Default
}

// requestID returns the request's id.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}
