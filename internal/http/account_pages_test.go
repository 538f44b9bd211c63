package http

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// browser is a cookie-keeping client against a test server; it does not
// follow redirects, so tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, s *Server) *browser {
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: ts.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("Accept-Language", "de")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, sb.String(), resp.Header
}

var reToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// post sends a form taken from page, with its CSRF token.
func (b *browser) post(page, action string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := reToken.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("%s has no form token", page)
	}
	form.Set("csrf_token", m[1])
	req, _ := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "de")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

var reMailLink = regexp.MustCompile(`http://platform\.test(/konto/\S+)`)

func (b *browser) mailLink(s *Server, to string) string {
	b.t.Helper()
	box := inboxOf(s)
	box.mu.Lock()
	defer box.mu.Unlock()
	for i := len(box.mails) - 1; i >= 0; i-- {
		if box.mails[i].To == to {
			if m := reMailLink.FindStringSubmatch(box.mails[i].Text); m != nil {
				return m[1]
			}
		}
	}
	b.t.Fatalf("no mail with a link to %s", to)
	return ""
}

const testPassword = "Gemeinderat-tagt-donnerstags"

func TestAccountJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		b := newBrowser(t, s)

		// The account page sends visitors to the login, which returns there.
		code, _, h := b.get("/konto")
		if code != http.StatusSeeOther || h.Get("Location") != "/anmelden?weiter=%2Fkonto" {
			t.Fatalf("visitor on /konto: %d %s", code, h.Get("Location"))
		}

		// Registration with faulty input keeps the input and explains.
		code, body, _ := b.post("/registrieren", "/registrieren", url.Values{"name": {"Eva Muster"}, "email": {"eva@"}, "password": {"kurz"}})
		if code != http.StatusBadRequest || !strings.Contains(body, `value="Eva Muster"`) || !strings.Contains(body, "gültige E-Mail-Adresse") ||
			!strings.Contains(body, "mindestens 10 Zeichen") || strings.Contains(body, `value="kurz"`) {
			t.Fatalf("faulty registration: %d", code)
		}
		code, body, _ = b.post("/registrieren", "/registrieren", url.Values{"name": {"Eva Muster"}, "email": {"eva@amt.example.de"}, "password": {testPassword}})
		if code != http.StatusOK || !strings.Contains(body, "eva@amt.example.de") {
			t.Fatalf("registration: %d", code)
		}
		link := b.mailLink(s, "eva@amt.example.de")
		// Opening the link shows a button; only the button confirms.
		code, body, _ = b.get(link)
		if code != http.StatusOK || !strings.Contains(body, "Adresse bestätigen") {
			t.Fatalf("confirm page: %d", code)
		}
		if code, body, _ = b.post(link, link, url.Values{}); code != http.StatusOK || !strings.Contains(body, "Adresse bestätigt") {
			t.Fatalf("confirm: %d", code)
		}
		if code, body, _ = b.post(link, link, url.Values{}); code != http.StatusBadRequest || !strings.Contains(body, "bereits benutzt") {
			t.Fatalf("second confirm: %d", code)
		}

		// Wrong password: one message that does not say which part is wrong.
		code, body, _ = b.post("/anmelden", "/anmelden", url.Values{"email": {"eva@amt.example.de"}, "password": {"falsches-passwort"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "E-Mail-Adresse oder Passwort stimmen nicht.") || !strings.Contains(body, `value="eva@amt.example.de"`) {
			t.Fatalf("wrong password: %d", code)
		}
		code, _, h = b.post("/anmelden?weiter=/konto", "/anmelden", url.Values{"email": {"eva@amt.example.de"}, "password": {testPassword}, "weiter": {"/konto"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/konto" || !strings.Contains(h.Get("Set-Cookie"), "sid=") ||
			!strings.Contains(h.Get("Set-Cookie"), "HttpOnly") || !strings.Contains(h.Get("Set-Cookie"), "SameSite=Lax") {
			t.Fatalf("login: %d %q %q", code, h.Get("Location"), h.Get("Set-Cookie"))
		}
		code, body, _ = b.get("/konto")
		if code != http.StatusOK || !strings.Contains(body, "eva@amt.example.de") || !strings.Contains(body, "(dieses Gerät)") {
			t.Fatalf("account page: %d", code)
		}
		// Signed-in pages are never served from the shared cache.
		if _, body, _ = b.get("/kommunen"); !strings.Contains(body, "Mein Konto: Eva Muster") {
			t.Fatal("header does not show the signed-in user")
		}
		anon := newBrowser(t, s)
		if _, body, _ = anon.get("/kommunen"); strings.Contains(body, "Eva Muster") {
			t.Fatal("a visitor sees another user's header")
		}

		// Logout ends the session.
		if code, _, _ = b.post("/konto", "/abmelden", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("logout: %d", code)
		}
		if code, _, _ = b.get("/konto"); code != http.StatusSeeOther {
			t.Fatalf("after logout /konto: %d", code)
		}

		// Forgotten password: the same answer for known and unknown addresses.
		_, known, _ := b.post("/passwort-vergessen", "/passwort-vergessen", url.Values{"email": {"eva@amt.example.de"}})
		_, unknown, _ := b.post("/passwort-vergessen", "/passwort-vergessen", url.Values{"email": {"niemand@amt.example.de"}})
		if strings.Replace(unknown, "niemand@", "eva@", 1) != strings.Replace(known, "niemand@", "eva@", 1) && !strings.Contains(unknown, "Wenn es für niemand@amt.example.de ein Konto gibt") {
			t.Fatal("reset answers differ between known and unknown addresses")
		}
		reset := b.mailLink(s, "eva@amt.example.de")
		if code, body, _ = b.post(reset, reset, url.Values{"password": {"1234567890"}}); code != http.StatusBadRequest || !strings.Contains(body, "sehr verbreitet") {
			t.Fatalf("common password: %d", code)
		}
		if code, body, _ = b.post(reset, reset, url.Values{"password": {"Neues-Kennwort-fuer-die-Verwaltung"}}); code != http.StatusOK || !strings.Contains(body, "Passwort geändert") {
			t.Fatalf("reset: %d", code)
		}
		code, _, _ = b.post("/anmelden", "/anmelden", url.Values{"email": {"eva@amt.example.de"}, "password": {"Neues-Kennwort-fuer-die-Verwaltung"}})
		if code != http.StatusSeeOther {
			t.Fatalf("login with the new password: %d", code)
		}
	})
}

func TestLoginRedirectOnlyLocal(t *testing.T) {
	for in, want := range map[string]string{"/konto": "/konto", "//evil.example": "", "https://evil.example/": "", "/\\evil": "", "konto": "", "/a\r\nb": ""} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q", in, got)
		}
	}
}
