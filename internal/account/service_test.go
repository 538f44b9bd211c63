package account_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// inbox collects the mails the service sends.
type inbox struct {
	mu    sync.Mutex
	mails []account.Mail
}

func (b *inbox) Send(_ context.Context, m account.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mails = append(b.mails, m)
	return nil
}

var reLink = regexp.MustCompile(`https?://\S+/konto/(bestaetigen|passwort-neu)/(\S+)`)

// last returns the newest mail to addr and the secret of its link.
func (b *inbox) last(t *testing.T, addr string) (account.Mail, string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := len(b.mails) - 1; i >= 0; i-- {
		if m := b.mails[i]; m.To == addr {
			secret := ""
			if x := reLink.FindStringSubmatch(m.Text); x != nil {
				secret = x[2]
			}
			return m, secret
		}
	}
	t.Fatalf("no mail to %s", addr)
	return account.Mail{}, ""
}

func (b *inbox) count() int { b.mu.Lock(); defer b.mu.Unlock(); return len(b.mails) }

func newService(t *testing.T, db *store.DB) (*account.Service, *inbox) {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	box := &inbox{}
	return account.NewService(db, box, bundle, "https://plattform.example", slog.New(slog.NewTextHandler(io.Discard, nil))), box
}

const goodPassword = "Amtsstube-Kaffeemaschine-42"

func code(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return string(e.Code) + ":" + e.Msg.Key
	}
	return fmt.Sprint(err)
}

func TestRegisterConfirmLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.1", Lang: "de"}
		if err := svc.Register(ctx, " Eva.Muster@Gemeinde-Beispiel.de ", goodPassword, "Eva Muster", m); err != nil {
			t.Fatal(err)
		}
		mail, secret := box.last(t, "eva.muster@gemeinde-beispiel.de")
		if secret == "" || !strings.Contains(mail.Subject, "bestätigen") {
			t.Fatalf("confirmation mail: %+v", mail)
		}
		// Before confirming, login sends a new link instead of a session.
		if _, _, err := svc.Login(ctx, "eva.muster@gemeinde-beispiel.de", goodPassword, m); code(err) != "forbidden:account.error.unconfirmed" {
			t.Fatalf("unconfirmed login: %v", err)
		}
		u, err := svc.Confirm(ctx, secret, m)
		if err != nil || !u.Confirmed() {
			t.Fatalf("confirm: %+v %v", u, err)
		}
		if _, err := svc.Confirm(ctx, secret, m); code(err) != "invalid:account.error.link_used" {
			t.Fatalf("second confirm: %v", err)
		}
		if _, err := svc.Confirm(ctx, "made-up", m); code(err) != "not_found:account.error.link_invalid" {
			t.Fatalf("made-up link: %v", err)
		}
		token, u, err := svc.Login(ctx, "EVA.MUSTER@gemeinde-beispiel.de", goodPassword, m)
		if err != nil || token == "" {
			t.Fatalf("login: %v", err)
		}
		sess, got, err := svc.Authenticate(ctx, token)
		if err != nil || got.ID != u.ID || sess.IP != "192.0.2.1" {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		// A second login is a new session; both are listed; one can be ended.
		token2, _, err := svc.Login(ctx, "eva.muster@gemeinde-beispiel.de", goodPassword, m)
		if err != nil || token2 == token {
			t.Fatalf("second login: %v", err)
		}
		list, err := svc.Sessions(ctx, u, token)
		if err != nil || len(list) != 2 {
			t.Fatalf("sessions: %d %v", len(list), err)
		}
		for _, s := range list {
			if !s.Current {
				if err := svc.EndSession(ctx, u, s.ID, m); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, _, err := svc.Authenticate(ctx, token2); code(err) != "unauthenticated:account.error.login_required" {
			t.Fatalf("ended session still valid: %v", err)
		}
		if err := svc.Logout(ctx, token, u, m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); err == nil {
			t.Fatal("session valid after logout")
		}
		log, err := svc.AuditLog(ctx, account.AuditFilter{ActorID: u.ID})
		if err != nil || len(log.Items) < 5 {
			t.Fatalf("audit log: %d %v", len(log.Items), err)
		}
	})
}

func TestNoEnumeration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.2"}
		if err := svc.Register(ctx, "a@example.org", goodPassword, "", m); err != nil {
			t.Fatal(err)
		}
		// Registering the same address again answers the same, and the
		// owner is told by mail.
		if err := svc.Register(ctx, "a@example.org", goodPassword+"x", "", m); err != nil {
			t.Fatalf("second registration: %v", err)
		}
		if mail, _ := box.last(t, "a@example.org"); mail.Kind != "account.mail.exists" {
			t.Fatalf("owner not told: %+v", mail)
		}
		// Wrong password and unknown address give the same error.
		_, _, e1 := svc.Login(ctx, "a@example.org", "falsches-passwort-123", m)
		_, _, e2 := svc.Login(ctx, "niemand@example.org", "falsches-passwort-123", m)
		if code(e1) != code(e2) || code(e1) != "unauthenticated:account.error.login_failed" {
			t.Fatalf("login errors differ: %v / %v", e1, e2)
		}
		// A reset for an unknown address answers like one for a known address.
		n := box.count()
		if err := svc.RequestReset(ctx, "niemand@example.org", m); err != nil {
			t.Fatal(err)
		}
		if box.count() != n {
			t.Fatal("mail sent to an unknown address")
		}
		if err := svc.RequestReset(ctx, "a@example.org", m); err != nil || box.count() != n+1 {
			t.Fatalf("reset for known address: %v", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, box := newService(t, db)
		m := account.Meta{IP: "192.0.2.3"}
		if _, err := svc.CreateOperator(ctx, "op@example.org", goodPassword, "Operator"); err != nil {
			t.Fatal(err)
		}
		token, _, err := svc.Login(ctx, "op@example.org", goodPassword, m)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.RequestReset(ctx, "op@example.org", m); err != nil {
			t.Fatal(err)
		}
		_, secret := box.last(t, "op@example.org")
		if _, err := svc.ResetPassword(ctx, secret, "kurz", m); code(err) != "invalid:error.invalid" {
			t.Fatalf("short password: %v", err)
		}
		if _, err := svc.ResetPassword(ctx, secret, "Neues-Passwort-fuer-2026", m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); err == nil {
			t.Fatal("old session survived the reset")
		}
		if _, _, err := svc.Login(ctx, "op@example.org", goodPassword, m); err == nil {
			t.Fatal("old password still works")
		}
		if _, _, err := svc.Login(ctx, "op@example.org", "Neues-Passwort-fuer-2026", m); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ResetPassword(ctx, secret, "Noch-ein-Passwort-2026", m); code(err) != "invalid:account.error.link_used" {
			t.Fatalf("reused link: %v", err)
		}
		// An expired link says so.
		if err := svc.RequestReset(ctx, "op@example.org", m); err != nil {
			t.Fatal(err)
		}
		_, secret = box.last(t, "op@example.org")
		db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		defer func() { db.Now = time.Now }()
		if _, err := svc.ResetPassword(ctx, secret, "Noch-ein-Passwort-2026", m); code(err) != "invalid:account.error.link_expired" {
			t.Fatalf("expired link: %v", err)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, _ := newService(t, db)
		if _, err := svc.CreateOperator(ctx, "op@example.org", goodPassword, ""); err != nil {
			t.Fatal(err)
		}
		var last error
		for i := 0; i < 11; i++ {
			_, _, last = svc.Login(ctx, "op@example.org", "falsch-falsch-falsch", account.Meta{IP: fmt.Sprintf("192.0.2.%d", i)})
		}
		if code(last) != "too_many_requests:account.error.too_many" {
			t.Fatalf("11th attempt on one account: %v", last)
		}
		// Even the right password is refused until the window ends.
		if _, _, err := svc.Login(ctx, "op@example.org", goodPassword, account.Meta{IP: "198.51.100.1"}); code(err) != "too_many_requests:account.error.too_many" {
			t.Fatalf("right password during the limit: %v", err)
		}
		// Per address: 50 attempts on different accounts from one IP.
		for i := 0; i < 51; i++ {
			_, _, last = svc.Login(ctx, fmt.Sprintf("x%d@example.org", i), "egal-egal-egal", account.Meta{IP: "203.0.113.9"})
		}
		if code(last) != "too_many_requests:account.error.too_many" {
			t.Fatalf("51st attempt from one address: %v", last)
		}
	})
}

func TestPasswordRules(t *testing.T) {
	tests := []struct {
		pw   string
		want string
	}{
		{"kurz", "account.error.password_short"},
		{"123456789", "account.error.password_short"},
		{"1234567890", "account.error.password_common"},
		{"PASSWORD123", "account.error.password_common"},
		{"eva@example.org", "account.error.password_email"},
		{strings.Repeat("a", 257), "account.error.password_long"},
		{"zehn zeichen", ""},
		{"Käsebrötchen", ""},
	}
	for _, tt := range tests {
		var v apperr.Validation
		account.CheckPassword(&v, "password", tt.pw, "eva@example.org")
		got := ""
		var e *apperr.Error
		if errors.As(v.Err(), &e) {
			got = e.Fields[0].Key
		}
		if got != tt.want {
			t.Errorf("%q: %q, want %q", tt.pw, got, tt.want)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h, err := account.HashPassword("ein gutes Passwort")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q %v", h, err)
	}
	for pw, want := range map[string]bool{"ein gutes Passwort": true, "ein gutes passwort": false, "": false} {
		if ok, err := account.VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("%q: %v %v", pw, ok, err)
		}
	}
	if _, err := account.VerifyPassword("$argon2id$garbage", "x"); err == nil {
		t.Error("malformed hash accepted")
	}
}
