package http

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/sso"
	"github.com/smartregions/smartregions/internal/sso/ssotest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// ssoID is the provider the SSO tests configure.
const ssoID = "testop"

// ssoEnv is the platform, served on a local port, with single sign-on at
// a real OpenID provider (package ssotest) started for the test.
type ssoEnv struct {
	s    *Server
	db   *store.DB
	op   *ssotest.Provider
	base string // the platform's address, also the redirect base
}

// newSSOEnv serves the real router over db with the provider ssoID, at
// which users have accounts.
func newSSOEnv(t *testing.T, db *store.DB, users ...ssotest.User) *ssoEnv {
	t.Helper()
	s := newServerOn(t, db)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	op := ssotest.Start(t, users, ssotest.Client{ID: "smartregions", Secret: "client-secret",
		RedirectURIs: []string{ts.URL + "/anmelden/sso/" + ssoID + "/callback"}})
	c, err := sso.New(context.Background(), []sso.ProviderConfig{{ID: ssoID, Name: "Servicekonto Test", Issuer: op.URL,
		ClientID: "smartregions", ClientSecret: "client-secret"}}, ts.URL, []byte("0123456789abcdef0123456789abcdef-sso-test"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The handlers read s.SSO on each request, so setting it after New is
	// as good as passing it in Deps.
	s.SSO = c
	return &ssoEnv{s: s, db: db, op: op, base: ts.URL}
}

// browser returns a new cookie-keeping client on the platform.
func (e *ssoEnv) browser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: e.base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// toCallback clicks the provider's button (start, with next as the
// return path), follows the redirects through the provider's authorize
// endpoint to its login step, signs in there as user (the provider
// refuses when user is "") and stops before the platform's callback,
// whose address it returns.
func (e *ssoEnv) toCallback(b *browser, next, user string) *url.URL {
	b.t.Helper()
	u, _ := url.Parse(e.base + "/anmelden/sso/" + ssoID + "?weiter=" + url.QueryEscape(next))
	for range 10 {
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		code, body, h := b.do(req)
		if code != http.StatusFound && code != http.StatusSeeOther {
			b.t.Fatalf("GET %s: %d\n%s", u, code, body)
		}
		loc, err := u.Parse(h.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		if strings.HasPrefix(loc.String(), e.op.URL+"/login?") {
			q := loc.Query()
			if user == "" {
				q.Set("deny", "1")
			} else {
				q.Set("user", user)
			}
			loc.RawQuery = q.Encode()
		}
		if strings.HasPrefix(loc.String(), e.base+"/anmelden/sso/"+ssoID+"/callback?") {
			return loc
		}
		u = loc
	}
	b.t.Fatal("too many redirects on the way to the provider and back")
	return nil
}

// callback calls the platform's callback in the language lang.
func (e *ssoEnv) callback(b *browser, cb *url.URL, lang string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, cb.String(), nil)
	req.Header.Set("Accept-Language", lang)
	return b.do(req)
}

// login signs b in at the provider as user and returns the callback's answer.
func (e *ssoEnv) login(b *browser, next, user string) (int, string, http.Header) {
	b.t.Helper()
	return e.callback(b, e.toCallback(b, next, user), "de")
}

// wantSession fails t unless h sets a session cookie as a login must.
func wantSession(t *testing.T, h http.Header) {
	t.Helper()
	c := h.Values("Set-Cookie")
	if !slices.ContainsFunc(c, func(v string) bool {
		return strings.HasPrefix(v, sessionCookie+"=") && !strings.HasPrefix(v, sessionCookie+"=;") &&
			strings.Contains(v, "HttpOnly") && strings.Contains(v, "SameSite=Lax")
	}) {
		t.Errorf("no session cookie set: %q", c)
	}
}

// wantNoSession fails t if h sets a session cookie.
func wantNoSession(t *testing.T, h http.Header) {
	t.Helper()
	for _, v := range h.Values("Set-Cookie") {
		if strings.HasPrefix(v, sessionCookie+"=") && !strings.HasPrefix(v, sessionCookie+"=;") {
			t.Errorf("session cookie set: %q", v)
		}
	}
}

// wantActions fails t unless the audit log of user holds each action.
func wantActions(t *testing.T, db *store.DB, userID string, actions ...string) {
	t.Helper()
	page, err := db.AuditLog(context.Background(), account.AuditFilter{ActorID: userID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Items {
		got = append(got, e.Action)
	}
	for _, a := range actions {
		if !slices.Contains(got, a) {
			t.Errorf("audit log of %s has no %s: %v", userID, a, got)
		}
	}
}

var ssoEva = ssotest.User{Subject: "u-eva", Email: "eva@amt.example.de", EmailVerified: true, Name: "Eva Muster"}

// TestSSOLogin: the first login creates a confirmed account and signs it
// in; a second login, in another browser, signs in the same account.
func TestSSOLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newSSOEnv(t, db, ssoEva)
		b := e.browser(t)
		code, body, _ := b.get("/anmelden?weiter=%2Fkommunen")
		if code != http.StatusOK || !strings.Contains(body, `href="/anmelden/sso/testop?weiter=%2Fkommunen"`) || !strings.Contains(body, "Anmelden mit Servicekonto Test") {
			t.Fatalf("login page: %d, want a button for the provider that keeps the return path\n%s", code, body)
		}

		code, _, h := e.login(b, "/kommunen", ssoEva.Subject)
		if code != http.StatusSeeOther || h.Get("Location") != "/kommunen" {
			t.Fatalf("callback: %d to %q, want 303 to the return path /kommunen", code, h.Get("Location"))
		}
		wantSession(t, h)
		code, body, _ = b.get("/konto")
		if code != http.StatusOK || !strings.Contains(body, ssoEva.Email) || !strings.Contains(body, ssoEva.Name) {
			t.Fatalf("account page after the SSO login: %d\n%s", code, body)
		}
		u, err := db.IdentityUser(ctx, ssoID, ssoEva.Subject)
		if err != nil {
			t.Fatalf("the provider's account is not linked: %v", err)
		}
		if u.Email != ssoEva.Email || u.Name != ssoEva.Name || !u.Confirmed() || u.HasPassword {
			t.Errorf("new account %+v: want the provider's verified address, its name, no password", u)
		}
		wantActions(t, db, u.ID, "account.register_sso", "account.login_sso")

		// A second login, from another browser, signs in the same account.
		b2 := e.browser(t)
		code, _, h = e.login(b2, "/konto", ssoEva.Subject)
		if code != http.StatusSeeOther || h.Get("Location") != "/konto" {
			t.Fatalf("second callback: %d to %q, want 303 to /konto", code, h.Get("Location"))
		}
		wantSession(t, h)
		again, err := db.IdentityUser(ctx, ssoID, ssoEva.Subject)
		if err != nil || again.ID != u.ID {
			t.Fatalf("second login: account %s (%v), want %s", again.ID, err, u.ID)
		}
		if byMail, _, err := db.UserByEmail(ctx, ssoEva.Email); err != nil || byMail.ID != u.ID {
			t.Fatalf("account by e-mail %s (%v), want the one account %s", byMail.ID, err, u.ID)
		}
		if sessions, err := e.s.Accounts.Sessions(ctx, u, ""); err != nil || len(sessions) != 2 {
			t.Fatalf("%d sessions (%v), want one per browser", len(sessions), err)
		}
		if code, body, _ := b2.get("/konto"); code != http.StatusOK || !strings.Contains(body, ssoEva.Email) {
			t.Fatalf("account page in the second browser: %d", code)
		}
	})
}

// registerConfirmed creates a password account with a confirmed address,
// as a person does by registering and following the mailed link.
func (e *ssoEnv) registerConfirmed(t *testing.T, email, name string) account.User {
	t.Helper()
	ctx := context.Background()
	if err := e.s.Accounts.Register(ctx, email, testPassword, name, account.Meta{Lang: "de"}); err != nil {
		t.Fatal(err)
	}
	link := e.browser(t).mailLink(e.s, email)
	u, err := e.s.Accounts.Confirm(ctx, strings.TrimPrefix(link, "/konto/bestaetigen/"), account.Meta{})
	if err != nil {
		t.Fatalf("confirm %s: %v", link, err)
	}
	return u
}

// TestSSOLinksConfirmedAccount: a provider that has verified the address
// of an existing account signs that account in and is linked to it.
func TestSSOLinksConfirmedAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		lena := ssotest.User{Subject: "u-lena", Email: "Lena.Lang@Amt.example.de", EmailVerified: true, Name: "Lena Lang"}
		e := newSSOEnv(t, db, lena)
		existing := e.registerConfirmed(t, "lena.lang@amt.example.de", "Lena Lang")

		b := e.browser(t)
		code, _, h := e.login(b, "/konto", lena.Subject)
		if code != http.StatusSeeOther || h.Get("Location") != "/konto" {
			t.Fatalf("callback: %d to %q", code, h.Get("Location"))
		}
		wantSession(t, h)
		linked, err := db.IdentityUser(ctx, ssoID, lena.Subject)
		if err != nil || linked.ID != existing.ID {
			t.Fatalf("linked account %s (%v), want the existing %s", linked.ID, err, existing.ID)
		}
		wantActions(t, db, existing.ID, "account.identity_linked", "account.login_sso")
		if code, body, _ := b.get("/konto"); code != http.StatusOK || !strings.Contains(body, existing.Email) {
			t.Fatalf("account page: %d", code)
		}
		// The password still works next to the provider.
		if _, _, err := e.s.Accounts.Login(ctx, existing.Email, testPassword, account.Meta{IP: "192.0.2.1"}); err != nil {
			t.Errorf("password login after linking: %v", err)
		}
	})
}

// TestSSOUnverifiedEmailNoTakeover: a provider that has not verified the
// address must not sign in the existing account that has it.
func TestSSOUnverifiedEmailNoTakeover(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mallory := ssotest.User{Subject: "u-mallory", Email: "otto@amt.example.de", EmailVerified: false, Name: "Mallory"}
		e := newSSOEnv(t, db, mallory)
		otto := e.registerConfirmed(t, "otto@amt.example.de", "Otto Ortmann")

		b := e.browser(t)
		code, body, h := e.login(b, "/konto", mallory.Subject)
		if code != http.StatusConflict || !strings.Contains(body, "Für diese E-Mail-Adresse gibt es schon ein Konto") ||
			!strings.Contains(body, "Anmeldung nicht möglich") || !strings.Contains(body, `href="/anmelden"`) {
			t.Fatalf("callback: %d, want 409 with the translated explanation\n%s", code, body)
		}
		wantNoSession(t, h)
		if _, err := db.IdentityUser(ctx, ssoID, mallory.Subject); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the provider's account was linked: %v", err)
		}
		if code, _, _ := b.get("/konto"); code != http.StatusSeeOther {
			t.Fatalf("/konto after the refused login: %d, want 303 to the login", code)
		}
		if sessions, err := e.s.Accounts.Sessions(ctx, otto, ""); err != nil || len(sessions) != 0 {
			t.Fatalf("Otto has %d sessions (%v)", len(sessions), err)
		}
	})
}

// TestSSOFailures: a changed or missing login state, a refusal at the
// provider and an unknown provider each end on a translated page, never
// a server error, and sign nobody in.
func TestSSOFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newSSOEnv(t, db, ssoEva)
		for _, tc := range []struct {
			name, lang string
			run        func(t *testing.T) (int, string, http.Header)
			code       int
			want       string
		}{
			{"TamperedState", "de", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				cb := e.toCallback(b, "/", ssoEva.Subject)
				q := cb.Query()
				q.Set("state", q.Get("state")+"x")
				cb.RawQuery = q.Encode()
				return e.callback(b, cb, "de")
			}, http.StatusBadRequest, "Die Anmeldung ist abgelaufen oder wurde in einem anderen Fenster begonnen."},
			{"TamperedStateEnglish", "en", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				cb := e.toCallback(b, "/", ssoEva.Subject)
				q := cb.Query()
				q.Del("state")
				cb.RawQuery = q.Encode()
				return e.callback(b, cb, "en")
			}, http.StatusBadRequest, "The sign-in has expired or was started in another window."},
			{"MissingStateCookie", "de", func(t *testing.T) (int, string, http.Header) {
				cb := e.toCallback(e.browser(t), "/", ssoEva.Subject)
				return e.callback(e.browser(t), cb, "de") // another browser, without the cookie
			}, http.StatusBadRequest, "Die Anmeldung ist abgelaufen oder wurde in einem anderen Fenster begonnen."},
			{"AccessDenied", "de", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				cb := e.toCallback(b, "/", "")
				if cb.Query().Get("error") != "access_denied" {
					t.Fatalf("callback %s, want error=access_denied", cb)
				}
				return e.callback(b, cb, "de")
			}, http.StatusForbidden, "Die Anmeldung wurde beim Anmeldedienst abgebrochen oder abgelehnt."},
			{"AccessDeniedEnglish", "en", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				return e.callback(b, e.toCallback(b, "/", ""), "en")
			}, http.StatusForbidden, "The sign-in was cancelled or refused at the sign-in service."},
			{"UnknownProvider", "de", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				return b.get("/anmelden/sso/nope")
			}, http.StatusNotFound, "Dieser Anmeldedienst ist nicht eingerichtet."},
			{"UnknownProviderCallback", "de", func(t *testing.T) (int, string, http.Header) {
				b := e.browser(t)
				return b.get("/anmelden/sso/nope/callback?code=c&state=s")
			}, http.StatusNotFound, "Dieser Anmeldedienst ist nicht eingerichtet."},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, body, h := tc.run(t)
				if code != tc.code || !strings.Contains(body, tc.want) {
					t.Fatalf("%d, want %d with %q\n%s", code, tc.code, tc.want, body)
				}
				if !strings.Contains(body, `<html lang="`+tc.lang+`"`) || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
					t.Errorf("not an HTML page in %s: %s", tc.lang, h.Get("Content-Type"))
				}
				wantNoSession(t, h)
			})
		}
		if _, err := db.IdentityUser(context.Background(), ssoID, ssoEva.Subject); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a failed login linked or created an account: %v", err)
		}
	})
}
