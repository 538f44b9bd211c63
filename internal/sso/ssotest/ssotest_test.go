package ssotest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/sso/ssotest"
)

const callback = "http://127.0.0.1:9/callback" // never called: the test stops at the redirect

// client follows no redirects, so that the test sees each step.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func send(t *testing.T, method, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// authorize starts a login as the platform does and returns the ID of the
// auth request at the provider's login step.
func authorize(t *testing.T, p *ssotest.Provider) string {
	t.Helper()
	sum := sha256.Sum256([]byte("verifier-verifier-verifier-verifier-verifier"))
	resp, body := send(t, http.MethodGet, p.URL+"/authorize?"+url.Values{
		"client_id": {"app"}, "response_type": {"code"}, "scope": {"openid email profile"},
		"redirect_uri": {callback}, "state": {"st"}, "nonce": {"no"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}.Encode(), nil)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Path != "/login" {
		t.Fatalf("authorize: %s to %q\n%s", resp.Status, resp.Header.Get("Location"), body)
	}
	return loc.Query().Get("authRequestID")
}

// TestLoginForm walks the login page as a browser test does: the form,
// an unknown user, a refusal, a user found by e-mail address.
func TestLoginForm(t *testing.T) {
	p := ssotest.Start(t, []ssotest.User{{Subject: "u1", Email: "Ute@Example.de", EmailVerified: true, Name: "Ute"}},
		ssotest.Client{ID: "app", Secret: "s", RedirectURIs: []string{callback}})

	id := authorize(t, p)
	resp, body := send(t, http.MethodGet, p.URL+"/login?authRequestID="+id, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="authRequestID" value="`+id+`"`) ||
		!strings.Contains(body, `<label for="user">User</label>`) || !strings.Contains(body, `id="signin"`) {
		t.Fatalf("login page: %s\n%s", resp.Status, body)
	}
	resp, body = send(t, http.MethodPost, p.URL+"/login", url.Values{"authRequestID": {id}, "user": {"nobody"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "nobody") {
		t.Fatalf("unknown user: %s\n%s", resp.Status, body)
	}
	resp, _ = send(t, http.MethodPost, p.URL+"/login", url.Values{"authRequestID": {id}, "deny": {"1"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, callback+"?") ||
		!strings.Contains(loc, "error=access_denied") || !strings.Contains(loc, "state=st") {
		t.Fatalf("refusal: %s to %q", resp.Status, loc)
	}

	id = authorize(t, p)
	resp, _ = send(t, http.MethodPost, p.URL+"/login", url.Values{"authRequestID": {id}, "user": {"ute@example.de"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %s", resp.Status)
	}
	resp, body = send(t, http.MethodGet, resp.Header.Get("Location"), nil)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || !strings.HasPrefix(loc.String(), callback+"?") ||
		loc.Query().Get("code") == "" || loc.Query().Get("state") != "st" {
		t.Fatalf("after the sign-in: %s to %q\n%s", resp.Status, resp.Header.Get("Location"), body)
	}
	if r := p.LastAuthRequest(); r.ClientID != "app" || r.CodeChallengeMethod != "S256" {
		t.Errorf("last auth request %+v", r)
	}
}

// TestUnknownAuthRequest: the login step of a request the provider does
// not know is refused.
func TestUnknownAuthRequest(t *testing.T) {
	p := ssotest.Start(t, nil)
	if resp, _ := send(t, http.MethodGet, p.URL+"/login?authRequestID=nope", nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%s, want 400", resp.Status)
	}
}
