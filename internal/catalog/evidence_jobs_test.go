package catalog_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// mailbox keeps the mails sent; fail makes Send fail.
type mailbox struct {
	mu    sync.Mutex
	mails []account.Mail
	fail  bool
}

func (b *mailbox) Send(_ context.Context, m account.Mail) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail {
		return errors.New("outbox full")
	}
	b.mails = append(b.mails, m)
	return nil
}

func (b *mailbox) take() []account.Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := b.mails
	b.mails = nil
	return m
}

func TestEvidenceWarnings(t *testing.T) {
	texts, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
		day := func(n int) *time.Time { d := now.AddDate(0, 0, n).Truncate(24 * time.Hour); return &d }
		admin := user(t, db, "it@anbieter.example")
		member := user(t, db, "dev@anbieter.example")
		user(t, db, "kuration@kompetenz.example", account.Curator)
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter GmbH"},
			admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: member.ID, Email: member.Email,
			Status: org.Approved}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		publish := func(name string, ev ...catalog.Evidence) {
			t.Helper()
			e := entry()
			e.Name, e.Evidence = name, ev
			if _, err := db.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(name), OrgID: o.ID,
				ImportedFrom: "test/" + name}, e, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}
		publish("Ratsinfo", catalog.Evidence{Kind: "bsi_c5", Expires: day(30)}, catalog.Evidence{Kind: "gdpr_dpa"},
			catalog.Evidence{Kind: "iso27001", Expires: day(90)})
		publish("Parkleitsystem", catalog.Evidence{Kind: "bitv_statement", Expires: day(-3)})
		publish("Bürgerportal", catalog.Evidence{Kind: "iso27001", Expires: day(catalog.EvidenceWarningDays)})

		box := &mailbox{}
		w := catalog.NewEvidenceWarner(db, db, db, db, box, texts, "https://plattform.example/")
		n, err := w.Warn(ctx, now)
		if err != nil || n != 3 {
			t.Fatalf("first run: %d, %v; want 3", n, err)
		}
		mails := box.take()
		// Each of the three to the organisation's admin and the curator, not to the plain member.
		if len(mails) != 6 {
			t.Fatalf("%d mails, want 6: %+v", len(mails), mails)
		}
		var subjects []string
		for _, m := range mails {
			if m.To == member.Email || (m.To != admin.Email && m.To != "kuration@kompetenz.example") {
				t.Errorf("mail to %s", m.To)
			}
			subjects = append(subjects, m.Subject)
			if !strings.Contains(m.Text, "https://plattform.example/loesungen/") {
				t.Errorf("no link in %q", m.Text)
			}
		}
		for _, want := range []string{"Nachweis läuft ab: BSI C5 für Ratsinfo", "Nachweis abgelaufen: Erklärung zur Barrierefreiheit (BITV 2.0) für Parkleitsystem",
			"Nachweis läuft ab: ISO 27001 für Bürgerportal"} {
			if !slices.Contains(subjects, want) {
				t.Errorf("no mail %q in %q", want, subjects)
			}
		}

		// Run again: nothing new. A month later the ISO certificate of
		// Ratsinfo comes into the window.
		if n, err := w.Warn(ctx, now.Add(time.Hour)); err != nil || n != 0 || len(box.take()) != 0 {
			t.Fatalf("second run: %d, %v", n, err)
		}
		// A mail that cannot be stored leaves the evidence unwarned, so the
		// next run tries again.
		box.fail = true
		if _, err := w.Warn(ctx, now.AddDate(0, 1, 0)); err == nil {
			t.Fatal("a failing mailer is not reported")
		}
		box.fail = false
		if n, err := w.Warn(ctx, now.AddDate(0, 1, 0)); err != nil || n != 1 {
			t.Fatalf("a month later: %d, %v; want 1", n, err)
		}
	})
}
