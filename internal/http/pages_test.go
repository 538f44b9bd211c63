package http

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// untranslated finds message keys that reached a page instead of their text.
var untranslated = regexp.MustCompile(`>\s*(error|municipalit(y|ies)|figures|states?|district|band|urbanisation|d?a?type|pagination|nav|footer|home|legal|feedback|form|lang)\.[a-z_0-9.-]+\s*<`)

func TestPagesInBothLanguages(t *testing.T) {
	paths := []struct {
		path string
		want map[string]string // language → text the page must contain
	}{
		{"/", map[string]string{"de": "Kommunen", "en": "Municipalities"}},
		{"/kommunen", map[string]string{"de": "1 bis 50 von 10.751 Kommunen", "en": "1 to 50 of 10,751 municipalities"}},
		{"/kommunen?q=Muenchen", map[string]string{"de": "München, Landeshauptstadt", "en": "München, Landeshauptstadt"}},
		{"/kommunen?state=10&band=gt100k", map[string]string{"de": "Saarbrücken", "en": "Saarbrücken"}},
		{"/kommunen?page=2&sort=population", map[string]string{"de": "51 bis 100", "en": "51 to 100"}},
		{"/kommunen/09162000", map[string]string{"de": "1.505.005", "en": "1,505,005"}},
		{"/kommunen/01054039", map[string]string{"de": "Gröde", "en": "Gröde"}},
		{"/laender", map[string]string{"de": "83.577.140", "en": "83,577,140"}},
		{"/laender/09", map[string]string{"de": "13.248.928", "en": "13,248,928"}},
		{"/kreise/01051", map[string]string{"de": "Dithmarschen", "en": "District"}},
		{"/kreise/09184", map[string]string{"de": "Landkreis", "en": "Rural district"}},
		{"/impressum", map[string]string{"de": "Impressum", "en": "Legal notice"}},
		{"/datenschutz", map[string]string{"de": "Datenschutz", "en": "Privacy"}},
		{"/barrierefreiheit", map[string]string{"de": "Barrierefreiheit", "en": "Accessibility"}},
	}
	eachServer(t, func(t *testing.T, s *Server) {
		for _, p := range paths {
			for lang, want := range p.want {
				rec := get(t, s, p.path, "Accept-Language: "+lang)
				body := rec.Body.String()
				if rec.Code != http.StatusOK {
					t.Errorf("%s [%s]: status %d", p.path, lang, rec.Code)
					continue
				}
				if !strings.Contains(body, `<html lang="`+lang+`"`) {
					t.Errorf("%s [%s]: wrong html lang", p.path, lang)
				}
				if !strings.Contains(body, want) {
					t.Errorf("%s [%s]: missing %q", p.path, lang, want)
				}
				if m := untranslated.FindString(body); m != "" {
					t.Errorf("%s [%s]: untranslated key %s", p.path, lang, m)
				}
			}
		}
	})
}

func TestLanguageSwitchKeepsPage(t *testing.T) {
	s := newTestServer(t, "sqlite")
	rec := get(t, s, "/kommunen/09162000?lang=en")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<html lang="en"`) {
		t.Fatalf("?lang=en: %d", rec.Code)
	}
	var cookie string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "lang" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie != "lang=en" {
		t.Fatalf("lang cookie = %q", cookie)
	}
	// The switch on that page leads back to the same page in German.
	if !strings.Contains(rec.Body.String(), `href="/kommunen/09162000?lang=de"`) {
		t.Errorf("language switch does not keep the page")
	}
	// The cookie beats Accept-Language on the next page.
	rec = get(t, s, "/kommunen", "Cookie: "+cookie, "Accept-Language: de")
	if !strings.Contains(rec.Body.String(), `<html lang="en"`) {
		t.Errorf("cookie language not used")
	}
}

func TestBadQueryParameters(t *testing.T) {
	tests := []struct {
		path, lang, want string
		status           int
	}{
		{"/kommunen?foo=1", "de", "Der Parameter „foo“ ist hier nicht vorgesehen.", 400},
		{"/kommunen?foo=1", "en", "The parameter &#34;foo&#34; is not supported here.", 400},
		{"/kommunen?page=9999", "de", "die Liste hat 216 Seiten", 400},
		{"/kommunen?page=0", "de", "„page“ muss eine ganze Zahl", 400},
		{"/kommunen?page=abc", "en", "must be a whole number", 400},
		{"/kommunen?state=X", "de", "Landesschlüssel", 400},
		{"/kommunen?band=huge", "en", "Unknown size band", 400},
		{"/kommunen?sort=a&sort=b", "de", "nur einmal", 400},
		{"/kommunen?q=" + strings.Repeat("a", 101), "de", "höchstens 100 Zeichen", 400},
		{"/kommunen?q=%ZZ", "de", "fehlerhafte Abfrage", 400},
		{"/kommunen/12345678", "de", "Eine Kommune mit dem Schlüssel 12345678 gibt es nicht.", 404},
		{"/kommunen/abc", "en", "There is no municipality with the key abc.", 404},
		{"/laender/99", "de", "Ein Land mit dem Schlüssel 99 gibt es nicht.", 404},
		{"/kreise/99999", "en", "There is no district", 404},
		{"/gibtsnicht", "de", "Diese Seite gibt es nicht.", 404},
		{"/?x=1", "de", "„x“", 400},
	}
	s := newTestServer(t, "sqlite")
	for _, tt := range tests {
		rec := get(t, s, tt.path, "Accept-Language: "+tt.lang)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s [%s]: status %d, body lacks %q", tt.path, tt.lang, rec.Code, tt.want)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s: content type %q", tt.path, ct)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newTestServer(t, "sqlite")
	for _, path := range []string{"/", "/kommunen", "/api/v1/states", "/gibtsnicht"} {
		rec := get(t, s, path)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin", "X-Frame-Options": "DENY"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q", path, k, h.Get(k))
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without TLS", path)
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
	// Behind a trusted TLS proxy, HSTS is sent.
	s.Config.TrustProxy = true
	if rec := get(t, s, "/", "X-Forwarded-Proto: https"); rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS behind TLS proxy")
	}
}
