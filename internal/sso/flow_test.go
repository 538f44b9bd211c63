package sso

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/sso/ssotest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef-test-key")

var (
	alice = ssotest.User{Subject: "u-alice", Email: "alice@example.de", Name: "Alice Amsel", EmailVerified: true}
	bob   = ssotest.User{Subject: "u-bob", Email: "bob@example.de", Name: "Bob Bussard", EmailVerified: false}
)

// testEnv is a running provider and a running app that uses Client on the
// routes the HTTP layer will use.
type testEnv struct {
	op     *ssotest.Provider
	app    *httptest.Server
	client *Client
	clock  atomic.Int64 // offset added to the client's clock, in ns
}

// result is what the test app answers on the callback.
type result struct {
	Identity *Identity `json:"identity,omitempty"`
	Return   string    `json:"return,omitempty"`
	Code     string    `json:"code,omitempty"`
	Key      string    `json:"key,omitempty"`
	Err      string    `json:"err,omitempty"`
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	env := &testEnv{}
	var handler http.Handler
	env.app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(env.app.Close)
	cb := func(id string) []string { return []string{env.app.URL + "/anmelden/sso/" + id + "/callback"} }
	env.op = ssotest.Start(t, []ssotest.User{alice, bob},
		// alpha gets the profile claims from userinfo (the OpenID Connect
		// default when an access token is issued), beta in the ID token,
		// public is a client without secret.
		ssotest.Client{ID: "alpha-client", Secret: "alpha-secret", RedirectURIs: cb("alpha")},
		ssotest.Client{ID: "beta-client", Secret: "beta-secret", RedirectURIs: cb("beta"), ClaimsInIDToken: true},
		ssotest.Client{ID: "public-client", RedirectURIs: cb("public")},
	)
	providers := []ProviderConfig{
		{ID: "alpha", Name: "Alpha", Issuer: env.op.URL, ClientID: "alpha-client", ClientSecret: "alpha-secret"},
		{ID: "beta", Name: "Beta", Issuer: env.op.URL, ClientID: "beta-client", ClientSecret: "beta-secret"},
		{ID: "public", Name: "Public", Issuer: env.op.URL, ClientID: "public-client"},
	}
	c, err := New(context.Background(), providers, env.app.URL, testKey, &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.now = func() time.Time { return time.Now().Add(time.Duration(env.clock.Load())) }
	env.client = c

	mux := http.NewServeMux()
	mux.HandleFunc("GET /anmelden/sso/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := c.Start(w, r, r.PathValue("id"), r.URL.Query().Get("next"), false); err != nil {
			writeResult(w, result{}, err)
		}
	})
	mux.HandleFunc("GET /anmelden/sso/{id}/callback", func(w http.ResponseWriter, r *http.Request) {
		id, ret, err := c.Finish(w, r, r.PathValue("id"))
		writeResult(w, result{Identity: &id, Return: ret}, err)
	})
	handler = mux
	return env
}

func writeResult(w http.ResponseWriter, res result, err error) {
	status := http.StatusOK
	if err != nil {
		res = result{Code: string(apperr.CodeOf(err)), Err: err.Error()}
		var e *apperr.Error
		if errors.As(err, &e) {
			res.Key = e.Msg.Key
		}
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(res)
}

// browser is a cookie-keeping HTTP client that follows redirects one at a
// time, so the test can act at the provider's login and before the callback.
type browser struct {
	t   *testing.T
	jar *cookiejar.Jar
	c   *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, jar: jar, c: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) get(u string) (*http.Response, []byte) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, body
}

// toCallback starts a login at the app and follows the redirects through
// op's real authorize endpoint. At the login step it signs in as user, or
// refuses when user is "". It stops before the app's callback and returns
// that URL.
func (b *browser) toCallback(env *testEnv, provider, next, user string) *url.URL {
	b.t.Helper()
	u := env.app.URL + "/anmelden/sso/" + provider + "?next=" + url.QueryEscape(next)
	for range 10 {
		resp, body := b.get(u)
		if resp.StatusCode != http.StatusFound {
			b.t.Fatalf("GET %s: %s %s", u, resp.Status, body)
		}
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		if loc.Path == "/login" && strings.HasPrefix(loc.String(), env.op.URL) {
			q := loc.Query()
			if user == "" {
				q.Set("deny", "1")
			} else {
				q.Set("user", user)
			}
			loc.RawQuery = q.Encode()
		}
		if strings.HasPrefix(loc.String(), env.app.URL+"/anmelden/sso/") && strings.HasSuffix(loc.Path, "/callback") {
			return loc
		}
		u = loc.String()
	}
	b.t.Fatal("too many redirects")
	return nil
}

// finish calls the app's callback.
func (b *browser) finish(u *url.URL) result {
	b.t.Helper()
	_, body := b.get(u.String())
	var res result
	if err := json.Unmarshal(body, &res); err != nil {
		b.t.Fatalf("callback answer %q: %v", body, err)
	}
	return res
}

// stateCookie returns the login state cookie the browser holds.
func (b *browser) stateCookie(env *testEnv) *http.Cookie {
	u, _ := url.Parse(env.app.URL + CookiePath + "x/callback")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == CookieName {
			return c
		}
	}
	return nil
}

func (b *browser) setStateCookie(env *testEnv, value string) {
	u, _ := url.Parse(env.app.URL + CookiePath)
	b.jar.SetCookies(u, []*http.Cookie{{Name: CookieName, Value: value, Path: CookiePath}})
}

func wantError(t *testing.T, res result, code apperr.Code, key string) {
	t.Helper()
	if res.Identity != nil || res.Code != string(code) || res.Key != key {
		t.Fatalf("got %+v, want error %s %s", res, code, key)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, tc := range []struct {
		provider string
		user     ssotest.User
		userinfo bool // whether the claims must come from the userinfo endpoint
	}{
		{"alpha", alice, true}, {"alpha", bob, true},
		// beta puts the claims in the ID token, but this provider leaves
		// out email_verified when it is false, so Finish asks userinfo.
		{"beta", alice, false}, {"beta", bob, true},
		{"public", alice, true}, // client without secret
	} {
		t.Run(tc.provider+"/"+tc.user.Subject, func(t *testing.T) {
			b := newBrowser(t)
			calls := env.op.UserinfoCalls()
			res := b.finish(b.toCallback(env, tc.provider, "/kommunen?land=09", tc.user.Subject))
			if called := env.op.UserinfoCalls() > calls; called != tc.userinfo {
				t.Errorf("userinfo called: %v, want %v", called, tc.userinfo)
			}
			want := Identity{Provider: tc.provider, Subject: tc.user.Subject, Email: tc.user.Email, EmailVerified: tc.user.EmailVerified, Name: tc.user.Name}
			if res.Identity == nil || *res.Identity != want {
				t.Fatalf("got %+v, want identity %+v", res, want)
			}
			if res.Return != "/kommunen?land=09" {
				t.Errorf("return path %q", res.Return)
			}
			if c := b.stateCookie(env); c != nil {
				t.Errorf("state cookie still set after the callback: %v", c)
			}
		})
	}
}

func TestLoginForeignReturnPath(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	res := b.finish(b.toCallback(env, "alpha", "//evil.example/phish", alice.Subject))
	if res.Identity == nil || res.Return != "/" {
		t.Fatalf("got %+v, want login with return path /", res)
	}
}

func TestPKCE(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", alice.Subject)

	// Start sent an S256 challenge of the verifier it sealed in the cookie.
	req := env.op.LastAuthRequest()
	st, err := env.client.seal.open(b.stateCookie(env).Value, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(st.Verifier))
	if req.CodeChallengeMethod != "S256" || req.CodeChallenge != base64.RawURLEncoding.EncodeToString(sum[:]) {
		t.Fatalf("challenge %q (%s), want S256 of the sealed verifier", req.CodeChallenge, req.CodeChallengeMethod)
	}
	if req.Nonce != st.Nonce || req.State != st.State || req.ClientID != "alpha-client" {
		t.Fatalf("authorize request %+v does not match the sealed state", req)
	}

	// op verifies the verifier: the same login with another verifier fails.
	st.Verifier = strings.Repeat("x", 43)
	forged, err := env.client.seal.seal(st)
	if err != nil {
		t.Fatal(err)
	}
	b.setStateCookie(env, forged)
	wantError(t, b.finish(cb), apperr.Unauthenticated, "sso.error.exchange")
}

func TestProviderRefusesLoginWithoutPKCE(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	u := env.op.URL + "/authorize?" + url.Values{
		"client_id": {"alpha-client"}, "response_type": {"code"}, "scope": {"openid email"},
		"redirect_uri": {env.app.URL + "/anmelden/sso/alpha/callback"}, "state": {"s"}, "nonce": {"n"},
	}.Encode()
	resp, _ := newBrowser(t).get(u)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "error=invalid_request") {
		t.Fatalf("authorize without code_challenge: %s, Location %q", resp.Status, loc)
	}
}

func TestTamperedState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", alice.Subject)
	q := cb.Query()
	q.Set("state", q.Get("state")+"x")
	cb.RawQuery = q.Encode()
	wantError(t, b.finish(cb), apperr.Invalid, "sso.error.state")
}

func TestMissingStateCookie(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cb := newBrowser(t).toCallback(env, "alpha", "/", alice.Subject)
	// Another browser (without the cookie) must not finish this login.
	wantError(t, newBrowser(t).finish(cb), apperr.Invalid, "sso.error.state")
}

func TestReplayedCallback(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", alice.Subject)
	cookie := b.stateCookie(env)
	if res := b.finish(cb); res.Identity == nil {
		t.Fatalf("first callback: %+v", res)
	}
	// The browser lost the cookie with the first callback.
	wantError(t, b.finish(cb), apperr.Invalid, "sso.error.state")
	// With the cookie put back, the provider refuses the used code.
	b.setStateCookie(env, cookie.Value)
	res := b.finish(cb)
	wantError(t, res, apperr.Unauthenticated, "sso.error.exchange")
	if strings.Contains(res.Err, cb.Query().Get("code")) {
		t.Errorf("error text contains the code: %s", res.Err)
	}
}

func TestCookieOfAnotherProvider(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", alice.Subject)
	cb.Path = "/anmelden/sso/beta/callback"
	wantError(t, b.finish(cb), apperr.Invalid, "sso.error.state")
}

func TestUnknownProvider(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	resp, body := b.get(env.app.URL + "/anmelden/sso/nope?next=/")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"key":"sso.error.provider_unknown"`) || !strings.Contains(string(body), `"code":"not_found"`) {
		t.Fatalf("start: %s %s", resp.Status, body)
	}
	u, _ := url.Parse(env.app.URL + "/anmelden/sso/nope/callback?code=c&state=s")
	wantError(t, b.finish(u), apperr.NotFound, "sso.error.provider_unknown")
}

func TestAccessDenied(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", "")
	if cb.Query().Get("error") != "access_denied" {
		t.Fatalf("callback %s, want error=access_denied", cb)
	}
	wantError(t, b.finish(cb), apperr.Forbidden, "sso.error.denied")
}

func TestNonceMismatch(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "beta", "/", alice.Subject)
	st, err := env.client.seal.open(b.stateCookie(env).Value, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	st.Nonce = "another-nonce"
	forged, err := env.client.seal.seal(st)
	if err != nil {
		t.Fatal(err)
	}
	b.setStateCookie(env, forged)
	wantError(t, b.finish(cb), apperr.Unauthenticated, "sso.error.token")
}

func TestExpiredState(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	b := newBrowser(t)
	cb := b.toCallback(env, "alpha", "/", alice.Subject)
	env.clock.Store(int64(stateLifetime + time.Minute))
	wantError(t, b.finish(cb), apperr.Invalid, "sso.error.state")
}

func TestStartCookie(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, secure := range []bool{false, true} {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/anmelden/sso/alpha", nil)
		if err := env.client.Start(rec, r, "alpha", "/x", secure); err != nil {
			t.Fatal(err)
		}
		cookies := rec.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("cookies %v", cookies)
		}
		c := cookies[0]
		if c.Name != CookieName || c.Path != CookiePath || c.MaxAge != 600 || !c.HttpOnly || c.Secure != secure || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("secure=%v: cookie %s", secure, c)
		}
		loc, err := url.Parse(rec.Header().Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := loc.Query()
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if q.Get(k) == "" {
				t.Errorf("authorize URL without %s: %s", k, loc)
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("scope") != "openid email profile" || q.Get("redirect_uri") != env.app.URL+"/anmelden/sso/alpha/callback" {
			t.Errorf("authorize URL %s", loc)
		}
		if rec.Code != http.StatusFound || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("status %d, Cache-Control %q", rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
}

func TestLazyDiscovery(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	c, err := New(context.Background(), []ProviderConfig{
		{ID: "down", Name: "Down", Issuer: down.URL, ClientID: "x"},
		// The discovery document names another issuer.
		{ID: "mismatch", Name: "Mismatch", Issuer: strings.Replace(env.op.URL, "127.0.0.1", "localhost", 1), ClientID: "alpha-client"},
	}, env.app.URL, testKey, nil)
	if err != nil {
		t.Fatalf("New must not contact providers: %v", err)
	}
	start := func(c *Client, id string) error {
		rec := httptest.NewRecorder()
		err := c.Start(rec, httptest.NewRequest(http.MethodGet, "/anmelden/sso/"+id, nil), id, "/", false)
		if err == nil && rec.Code != http.StatusFound {
			t.Fatalf("%s: status %d", id, rec.Code)
		}
		return err
	}
	wantUnavailable := func(err error) {
		t.Helper()
		var e *apperr.Error
		if !errors.As(err, &e) || e.Code != apperr.Internal || e.Msg.Key != "sso.error.unavailable" {
			t.Errorf("got %v, want sso.error.unavailable", err)
		}
	}
	wantUnavailable(start(c, "down"))
	wantUnavailable(start(c, "mismatch"))

	// A failed discovery is remembered for a while, then tried again.
	env.op.SetDown(true)
	wantUnavailable(start(env.client, "alpha"))
	env.op.SetDown(false)
	wantUnavailable(start(env.client, "alpha"))
	env.clock.Store(int64(retryDiscovery))
	if err := start(env.client, "alpha"); err != nil {
		t.Fatalf("after the provider came back: %v", err)
	}
}
