package http

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestAPITokenJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Accounts.CreateOperator(t.Context(), "it@kreis.example", testPassword, "IT"); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, s)
		if code, _, _ := b.post("/anmelden", "/anmelden", url.Values{"email": {"it@kreis.example"}, "password": {testPassword}}); code != http.StatusSeeOther {
			t.Fatalf("login: %d", code)
		}
		// A failed form keeps what was chosen.
		code, body, _ := b.post("/konto", "/konto/schluessel", url.Values{"name": {""}, "scopes": {"write"}, "days": {"365"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Bitte füllen Sie dieses Feld aus.") ||
			!strings.Contains(body, `value="write" checked`) || strings.Contains(body, `value="read" checked`) ||
			!strings.Contains(body, `value="365" selected`) {
			t.Fatalf("token without name: %d", code)
		}
		code, body, h := b.post("/konto", "/konto/schluessel", url.Values{"name": {"Fachverfahren"}, "scopes": {"read"}, "days": {"90"}})
		m := regexp.MustCompile(`<code class="app-secret">(sr_[^<]+)</code>`).FindStringSubmatch(body)
		if code != http.StatusOK || m == nil || h.Get("Cache-Control") != "no-store" {
			t.Fatalf("create token: %d", code)
		}
		secret := m[1]
		api := func(auth string) int {
			req, _ := http.NewRequest(http.MethodGet, b.base+"/api/v1/states", nil)
			req.Header.Set("Authorization", auth)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if c := api("Bearer " + secret); c != http.StatusOK {
			t.Fatalf("API with token: %d", c)
		}
		if c := api("Bearer sr_unbekannt"); c != http.StatusUnauthorized {
			t.Fatalf("API with a wrong token: %d", c)
		}
		// The secret is shown once: the account page lists the token, not the secret.
		if _, body, _ = b.get("/konto"); strings.Contains(body, secret) || !strings.Contains(body, "Fachverfahren") {
			t.Fatal("account page shows the secret again or lacks the token")
		}
		id := regexp.MustCompile(`/konto/schluessel/([^/]+)/widerrufen`).FindStringSubmatch(body)
		if id == nil {
			t.Fatal("no revoke form")
		}
		if code, _, _ := b.post("/konto", "/konto/schluessel/"+id[1]+"/widerrufen", url.Values{}); code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", code)
		}
		if c := api("Bearer " + secret); c != http.StatusUnauthorized {
			t.Fatalf("API with a revoked token: %d", c)
		}
		// Another user cannot revoke someone else's token.
		other := newBrowser(t, s)
		if _, err := s.Accounts.CreateOperator(t.Context(), "x@kreis.example", testPassword, ""); err != nil {
			t.Fatal(err)
		}
		other.post("/anmelden", "/anmelden", url.Values{"email": {"x@kreis.example"}, "password": {testPassword}})
		if code, _, _ := other.post("/konto", "/konto/schluessel/"+id[1]+"/widerrufen", url.Values{}); code != http.StatusNotFound {
			t.Fatalf("revoke by another user: %d", code)
		}
	})
}
