package http

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestChangePasswordAndEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Accounts.CreateOperator(t.Context(), "alt@stadt.example", testPassword, "Alt"); err != nil {
			t.Fatal(err)
		}
		login := func(email, pw string) (*browser, int) {
			b := newBrowser(t, s)
			code, _, _ := b.post("/anmelden", "/anmelden", url.Values{"email": {email}, "password": {pw}})
			return b, code
		}
		b, _ := login("alt@stadt.example", testPassword)
		other, _ := login("alt@stadt.example", testPassword)

		code, body, _ := b.post("/konto", "/konto/passwort", url.Values{"current": {"falsch-falsch-falsch"}, "password": {"Neues-Passwort-im-Rathaus"}})
		if code != http.StatusBadRequest || !strings.Contains(body, "Das Passwort stimmt nicht.") || strings.Contains(body, "falsch-falsch-falsch") {
			t.Fatalf("wrong current password: %d", code)
		}
		code, body, _ = b.post("/konto", "/konto/passwort", url.Values{"current": {testPassword}, "password": {"Neues-Passwort-im-Rathaus"}})
		if code != http.StatusOK || !strings.Contains(body, "Ihr Passwort wurde geändert") || strings.Contains(body, "Neues-Passwort-im-Rathaus") {
			t.Fatalf("change password: %d", code)
		}
		// The other session ended; this one stays.
		if code, _, _ := other.get("/konto"); code != http.StatusSeeOther {
			t.Fatalf("other session after password change: %d", code)
		}
		if code, _, _ := b.get("/konto"); code != http.StatusOK {
			t.Fatalf("own session after password change: %d", code)
		}

		code, body, _ = b.post("/konto", "/konto/email", url.Values{"email": {"neu@stadt.example"}, "email_password": {"Neues-Passwort-im-Rathaus"}})
		if code != http.StatusOK || !strings.Contains(body, "neu@stadt.example") {
			t.Fatalf("request e-mail change: %d", code)
		}
		link := b.mailLink(s, "neu@stadt.example")
		if !strings.HasPrefix(link, "/konto/email-bestaetigen/") {
			t.Fatalf("link %q", link)
		}
		if code, body, _ = b.post(link, link, url.Values{}); code != http.StatusOK || !strings.Contains(body, "neu@stadt.example") {
			t.Fatalf("confirm e-mail change: %d", code)
		}
		if _, code := login("neu@stadt.example", "Neues-Passwort-im-Rathaus"); code != http.StatusSeeOther {
			t.Fatalf("login with the new address: %d", code)
		}
		if _, code := login("alt@stadt.example", "Neues-Passwort-im-Rathaus"); code != http.StatusBadRequest {
			t.Fatalf("login with the old address: %d", code)
		}
	})
}
