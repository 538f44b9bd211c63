package http

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestOutbox: without SMTP, a registration's confirmation mail lands in
// the outbox, where an operator (and only an operator) reads its link.
func TestOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		s.Accounts = account.NewService(db, mail.Accounts(s.Mail), s.Bundle, "http://platform.test", slog.New(slog.NewTextHandler(io.Discard, nil)))
		if _, err := s.Accounts.CreateOperator(context.Background(), "betrieb@platform.test", testPassword, "Betrieb"); err != nil {
			t.Fatal(err)
		}
		visitor := newBrowser(t, s)
		if code, _, _ := visitor.post("/registrieren", "/registrieren", url.Values{"email": {"neu@gemeinde.example"}, "password": {testPassword}}); code != http.StatusOK {
			t.Fatalf("register: %d", code)
		}
		// Until the address is confirmed there is no login.
		if code, _, _ := visitor.post("/anmelden", "/anmelden", url.Values{"email": {"neu@gemeinde.example"}, "password": {testPassword}}); code != http.StatusForbidden {
			t.Fatalf("unconfirmed login: %d", code)
		}
		op := newBrowser(t, s)
		if code, _, _ := op.post("/anmelden", "/anmelden", url.Values{"email": {"betrieb@platform.test"}, "password": {testPassword}}); code != http.StatusSeeOther {
			t.Fatalf("operator login: %d", code)
		}
		code, body, _ := op.get("/betrieb/postausgang")
		m := regexp.MustCompile(`href="(/betrieb/postausgang/[^"]+)"`).FindStringSubmatch(body)
		if code != http.StatusOK || m == nil || !strings.Contains(body, "neu@gemeinde.example") || !strings.Contains(body, "gespeichert") {
			t.Fatalf("outbox: %d", code)
		}
		code, body, _ = op.get(m[1])
		if code != http.StatusOK || !strings.Contains(body, "http://platform.test/konto/bestaetigen/") {
			t.Fatalf("outbox mail: %d", code)
		}
		if code, _, _ := visitor.get(m[1]); code != http.StatusSeeOther {
			t.Fatalf("visitor on an outbox mail: %d", code)
		}
	})
}
