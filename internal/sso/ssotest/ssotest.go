// Package ssotest runs a real OpenID provider for tests: zitadel's
// github.com/zitadel/oidc/v3/pkg/op over an in-memory storage, on an
// httptest server at 127.0.0.1. Discovery, authorize (PKCE with S256 is
// required), token, userinfo and keys are op's own code; only the login
// step is a stand-in for a provider's login UI:
//
//   - GET /login?authRequestID=… shows a form with a "User" field (subject
//     or e-mail address of a User given to Start), a "Sign in" and a
//     "Refuse" button, for browser tests;
//   - GET or POST /login?authRequestID=…&user=<subject or e-mail> signs
//     that user in at once, and &deny=1 refuses the login, answering the
//     client with error=access_denied, for tests with an HTTP client.
//
// Tests of several packages share it: package sso for the client, the
// HTTP layer for its routes and the browser tests for the whole journey.
package ssotest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"html/template"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a person with an account at the provider.
type User struct {
	// Subject is the provider's stable id of the person ("sub").
	Subject string
	// Email and EmailVerified are sent with the scope "email"; Name with
	// the scope "profile".
	Email         string
	EmailVerified bool
	Name          string
}

// Client is an application registered at the provider.
type Client struct {
	ID string
	// Secret authenticates the client with HTTP basic authentication
	// (client_secret_basic); empty makes a public client (auth method
	// none), which only PKCE protects.
	Secret string
	// RedirectURIs are the callbacks the provider may send the browser
	// back to; they must match exactly.
	RedirectURIs []string
	// ClaimsInIDToken puts e-mail and name into the ID token. Without it
	// they come only from the userinfo endpoint, the OpenID Connect
	// default when an access token is issued.
	ClaimsInIDToken bool
}

// Provider is a running OpenID provider.
type Provider struct {
	// URL is the issuer, http://127.0.0.1:port without a trailing slash.
	URL string

	server  *httptest.Server
	storage *storage
	down    atomic.Bool
}

// Start runs a provider with users and clients until tb ends. The signing
// key is generated for each provider.
func Start(tb testing.TB, users []User, clients ...Client) *Provider {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatalf("ssotest: signing key: %v", err)
	}
	s := &storage{
		users: map[string]User{}, clients: map[string]*client{},
		requests: map[string]*authRequest{}, codes: map[string]string{}, tokens: map[string]accessToken{},
		key: signingKey{id: "k1", key: key},
	}
	p := &Provider{storage: s}
	for _, u := range users {
		p.SetUser(u)
	}
	for _, c := range clients {
		p.AddClient(c)
	}

	var handler http.Handler
	p.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	tb.Cleanup(p.server.Close)
	p.URL = p.server.URL

	config := &op.Config{CryptoKey: sha256.Sum256([]byte("ssotest")), CodeMethodS256: true}
	provider, err := op.NewProvider(config, s, op.StaticIssuer(p.URL), op.WithAllowInsecure())
	if err != nil {
		tb.Fatalf("ssotest: provider: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/login", op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(p.login(provider)))
	mux.Handle("/", provider)
	handler = mux
	return p
}

// SetUser adds u, or replaces the user with the same subject, for the
// logins that follow.
func (p *Provider) SetUser(u User) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	p.storage.users[u.Subject] = u
}

// AddClient registers c, or replaces the client with the same ID; useful
// when the application's address is known only after Start.
func (p *Provider) AddClient(c Client) {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
	p.storage.clients[c.ID] = &client{c}
}

// SetDown makes the provider answer every request with 503 while down is
// true, as a provider in maintenance does.
func (p *Provider) SetDown(down bool) { p.down.Store(down) }

// UserinfoCalls returns how often the userinfo endpoint was asked.
func (p *Provider) UserinfoCalls() int {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	return p.storage.userinfo
}

// LastAuthRequest returns the last authorize request the provider
// received, refused ones included; the zero value when there was none.
func (p *Provider) LastAuthRequest() oidc.AuthRequest {
	p.storage.mu.Lock()
	defer p.storage.mu.Unlock()
	if len(p.storage.seen) == 0 {
		return oidc.AuthRequest{}
	}
	return p.storage.seen[len(p.storage.seen)-1]
}

// loginPage is the provider's login form. It names its fields and buttons
// as a person reads them, so that browser tests find them by label.
var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body>
<main>
<h1>Sign in at the test provider</h1>
{{with .Error}}<p role="alert">{{.}}</p>{{end}}
<form method="post" action="/login">
<input type="hidden" name="authRequestID" value="{{.ID}}">
<p><label for="user">User</label> <input id="user" name="user" autocomplete="username"></p>
<p><button type="submit" id="signin">Sign in</button> <button type="submit" id="refuse" name="deny" value="1">Refuse</button></p>
</form>
</main>
</body>
</html>
`))

// login is the login step: it signs a user in, refuses, or shows the form.
func (p *Provider) login(provider *op.Provider) http.HandlerFunc {
	callback := op.AuthCallbackURL(provider)
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("authRequestID")
		req, err := p.storage.AuthRequestByID(r.Context(), id)
		if err != nil {
			http.Error(w, "unknown auth request", http.StatusBadRequest)
			return
		}
		switch {
		case r.FormValue("deny") != "":
			// What op.AuthRequestError does, without its log line on the
			// default logger, which would clutter the test output.
			e := oidc.ErrAccessDenied().WithDescription("the user refused")
			e.State = req.GetState()
			u, err := op.AuthResponseURL(req.GetRedirectURI(), req.GetResponseType(), req.GetResponseMode(), e, provider.Encoder())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			redirect(w, r, u)
		case r.Method == http.MethodGet && !r.Form.Has("user"):
			showLogin(w, http.StatusOK, id, "")
		default:
			if err := p.storage.login(id, r.FormValue("user")); err != nil {
				showLogin(w, http.StatusBadRequest, id, err.Error())
				return
			}
			redirect(w, r, callback(r.Context(), id))
		}
	}
}

// redirect answers a GET with 302, as op's own endpoints do, and the
// login form's POST with 303.
func redirect(w http.ResponseWriter, r *http.Request, u string) {
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	http.Redirect(w, r, u, status)
}

func showLogin(w http.ResponseWriter, status int, id, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	loginPage.Execute(w, struct{ ID, Error string }{id, msg})
}
