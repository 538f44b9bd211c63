package http

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store/storetest"
)

var reCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formSession fetches the feedback form and returns its token and cookie.
func formSession(t *testing.T, s *Server) (token, cookie string) {
	t.Helper()
	rec := get(t, s, "/barrierefreiheit")
	m := reCSRF.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("no csrf token in the feedback form")
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == csrfCookie {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("csrf cookie attributes: %+v", c)
			}
			cookie = c.Name + "=" + c.Value
		}
	}
	return m[1], cookie
}

func post(t *testing.T, s *Server, form url.Values, headers ...string) *httptestRecorder {
	t.Helper()
	h := append([]string{"Content-Type: application/x-www-form-urlencoded"}, headers...)
	return do(t, s, http.MethodPost, "/barrierefreiheit/rueckmeldung", strings.NewReader(form.Encode()), h...)
}

func TestFeedbackForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *storeDB) {
		s := newServerOn(t, db)
		token, cookie := formSession(t, s)

		// Without token or cookie: refused, nothing stored.
		rec := post(t, s, url.Values{"message": {"x"}})
		if rec.Code != http.StatusForbidden {
			t.Errorf("no token: status %d", rec.Code)
		}
		rec = post(t, s, url.Values{"message": {"x"}, "csrf_token": {"forged"}}, "Cookie: "+cookie)
		if rec.Code != http.StatusForbidden {
			t.Errorf("forged token: status %d", rec.Code)
		}
		// A cross-site request is refused even with a valid token.
		rec = post(t, s, url.Values{"message": {"x"}, "csrf_token": {token}}, "Cookie: "+cookie, "Sec-Fetch-Site: cross-site")
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site: status %d", rec.Code)
		}

		// Invalid input: the form comes back with the input and messages.
		rec = post(t, s, url.Values{"name": {"Eva"}, "email": {"kaputt"}, "message": {""}, "csrf_token": {token}},
			"Cookie: "+cookie, "Accept-Language: de")
		body := rec.Body.String()
		if rec.Code != http.StatusBadRequest || !strings.Contains(body, "Bitte füllen Sie dieses Feld aus.") ||
			!strings.Contains(body, "gültige E-Mail-Adresse") || !strings.Contains(body, `value="Eva"`) ||
			!strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("invalid: status %d, body does not show the errors and keep the input", rec.Code)
		}
		if list, _ := s.Feedback.List(t.Context(), 10); len(list) != 0 {
			t.Fatalf("stored %d reports after refused posts", len(list))
		}

		// Valid: redirect, stored, thank-you note.
		rec = post(t, s, url.Values{"message": {"Die Tabelle ist mit dem Screenreader schwer lesbar."}, "page": {"/kommunen"}, "csrf_token": {token}},
			"Cookie: "+cookie, "Accept-Language: de")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/barrierefreiheit?gesendet=1") {
			t.Fatalf("valid: status %d location %q", rec.Code, rec.Header().Get("Location"))
		}
		list, err := s.Feedback.List(t.Context(), 10)
		if err != nil || len(list) != 1 || list[0].Page != "/kommunen" || list[0].Lang != "de" {
			t.Fatalf("stored = %+v, %v", list, err)
		}
		if rec := get(t, s, "/barrierefreiheit?gesendet=1"); !strings.Contains(rec.Body.String(), `role="status"`) {
			t.Error("no thank-you note")
		}
	})
}

func TestBodyLimit(t *testing.T) {
	s := newTestServer(t, "sqlite")
	token, cookie := formSession(t, s)
	big := url.Values{"message": {strings.Repeat("a", 2<<20)}, "csrf_token": {token}}
	rec := post(t, s, big, "Cookie: "+cookie)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("2 MiB body: status %d", rec.Code)
	}
}
