package http

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/smartregions/smartregions/internal/apperr"
)

// CSRF protection has two layers: http.CrossOriginProtection refuses
// cross-site requests by their Sec-Fetch-Site/Origin headers, and every
// form carries a token bound to a random per-browser cookie (double submit,
// signed with the instance-shared key), for browsers that send neither
// header.
const csrfCookie = "csrf"

// csrfToken returns the form token for r, setting the cookie on w when the
// browser has none yet.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	seed := ""
	if err == nil && len(c.Value) == 43 {
		seed = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		seed = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true,
			Secure: s.https(r), SameSite: http.SameSiteLaxMode})
	}
	return s.sign(seed)
}

func (s *Server) sign(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF verifies the form token of a state-changing request.
func (s *Server) checkCSRF(r *http.Request) error {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return apperr.New(apperr.Forbidden, "error.csrf")
	}
	got := r.PostFormValue("csrf_token")
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	if !hmac.Equal([]byte(got), []byte(s.sign(c.Value))) {
		return apperr.New(apperr.Forbidden, "error.csrf")
	}
	return nil
}

// crossOrigin refuses cross-origin state-changing requests.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apperr.New(apperr.Forbidden, "error.csrf"))
	}))
	return cop.Handler(next)
}
