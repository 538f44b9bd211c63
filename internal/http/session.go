package http

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/web"
)

// sessionCookie holds the session's secret; the database keeps only its hash.
const sessionCookie = "sid"

const keyUser ctxKey = 100

// signedIn is the user of a request with a valid session.
type signedIn struct {
	user    account.User
	session account.Session
	secret  string
	token   *account.APIToken // set when the request came with an API token
}

// authenticate reads the session cookie and puts its user into the
// request's context. A stale cookie is removed.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && isAPI(r) && s.Accounts != nil {
			t, u, err := s.Accounts.AuthenticateToken(r.Context(), strings.TrimSpace(bearer))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ctx := context.WithValue(r.Context(), keyUser, &signedIn{user: u, token: &t})
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || s.Accounts == nil {
			next.ServeHTTP(w, r)
			return
		}
		sess, u, err := s.Accounts.Authenticate(r.Context(), c.Value)
		if err != nil {
			s.clearSession(w, r)
			next.ServeHTTP(w, r)
			return
		}
		ctx := context.WithValue(r.Context(), keyUser, &signedIn{user: u, session: sess, secret: c.Value})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// userOf returns the signed-in user of r, nil for visitors.
func userOf(r *http.Request) *signedIn {
	u, _ := r.Context().Value(keyUser).(*signedIn)
	return u
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.https(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(account.SessionLifetime.Seconds())})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.https(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// meta describes the request for the audit log and the limits.
func (s *Server) meta(r *http.Request) account.Meta {
	return account.Meta{IP: s.clientIP(r), UserAgent: r.UserAgent(), Lang: langOf(r)}
}

// pageAccount is what the layout shows of the signed-in user.
func pageAccount(r *http.Request) *web.Account {
	u := userOf(r)
	if u == nil {
		return nil
	}
	return &web.Account{Name: u.user.Name, Email: u.user.Email, Operator: u.user.Has(account.Operator), Curator: u.user.Has(account.Curator)}
}

// localPath returns p when it is a path on this site, else "".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return ""
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return p
}

// loginRedirect sends a visitor to the login page, which returns to the
// page asked for.
func loginRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/anmelden?weiter="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}
