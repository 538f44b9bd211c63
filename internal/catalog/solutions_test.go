package catalog_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func user(t *testing.T, db *store.DB, email string, roles ...account.Role) account.User {
	t.Helper()
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Lang: "de", Created: now, EmailConfirmed: &now, Roles: roles}
	if err := db.CreateUser(t.Context(), account.NewUser{User: u, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	return u
}

func entry() catalog.Entry {
	return catalog.Entry{Name: "Mängelmelder", Short: "Schäden im öffentlichen Raum melden.", Fields: []string{"participation.issue-reporting"},
		Licence: "EUPL-1.2", Repository: "https://gitlab.opencode.de/example/maengelmelder", Maturity: "production",
		Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_inhabitant", Hosting: "de"}}}
}

// TestCuration walks an entry through draft → submitted → changes
// requested → submitted → published → edited (published stays) → archived.
func TestCuration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		svc := catalog.NewSolutions(db, db, db)
		m := account.Meta{IP: "192.0.2.3"}
		admin := user(t, db, "it@anbieter.example")
		member := user(t, db, "dev@anbieter.example")
		outsider := user(t, db, "fremd@example.org")
		curator := user(t, db, "kuration@kompetenz.example", account.Curator)
		o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "anbieter", Kind: org.Company, Name: "Anbieter GmbH"},
			admin.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		approve := func(u account.User) {
			if err := db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: u.ID, Email: u.Email,
				Status: org.Approved}, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}

		if _, err := svc.Create(ctx, outsider, "anbieter", entry(), m); code(err) != "forbidden:catalog.error.not_member" {
			t.Fatalf("outsider creates: %s", code(err))
		}
		bad := entry()
		bad.Licence = "GPL"
		if _, err := svc.Create(ctx, admin, "anbieter", bad, m); code(err) != "invalid:error.invalid licence=catalog.error.licence" {
			t.Fatalf("bad licence: %s", code(err))
		}
		sol, err := svc.Create(ctx, admin, "anbieter", entry(), m)
		if err != nil || sol.Slug != "maengelmelder" || sol.Working == nil || sol.Working.State != catalog.Draft || sol.Published != nil {
			t.Fatalf("create: %+v %v", sol, err)
		}
		if _, _, err := svc.Get(ctx, nil, sol.Slug); code(err) != "not_found:catalog.error.solution_not_found" {
			t.Fatalf("visitor sees a draft: %s", code(err))
		}
		// An unverified organisation prepares but cannot submit.
		if err := svc.Submit(ctx, admin, sol.Slug, sol.Lock, m); code(err) != "forbidden:catalog.error.org_unverified" {
			t.Fatalf("submit unverified: %s", code(err))
		}
		approve(member) // verifies the organisation and makes member one
		if err := svc.Submit(ctx, member, sol.Slug, sol.Lock, m); err != nil {
			t.Fatal(err)
		}
		sol, _, _ = svc.Get(ctx, &admin, sol.Slug)
		if err := svc.Update(ctx, admin, sol.Slug, sol.Lock, entry(), m); code(err) != "conflict:catalog.error.in_review" {
			t.Fatalf("edit in review: %s", code(err))
		}
		queue, err := svc.Queue(ctx, curator)
		if err != nil || len(queue) != 1 || queue[0].Solution.ID != sol.ID {
			t.Fatalf("queue %+v %v", queue, err)
		}
		if _, err := svc.Queue(ctx, admin); code(err) != "forbidden:error.forbidden" {
			t.Fatalf("provider reads the queue: %s", code(err))
		}
		if err := svc.Review(ctx, admin, sol.Slug, sol.Lock, true, "", m); code(err) != "forbidden:error.forbidden" {
			t.Fatalf("provider publishes: %s", code(err))
		}
		if err := svc.Review(ctx, curator, sol.Slug, sol.Lock, false, " ", m); code(err) != "invalid:error.invalid comment=form.error.required" {
			t.Fatalf("changes without comment: %s", code(err))
		}
		stale := sol.Lock
		if err := svc.Review(ctx, curator, sol.Slug, sol.Lock, false, "Bitte Preise angeben.", m); err != nil {
			t.Fatal(err)
		}
		// A second curator who read the same state gets a conflict.
		if err := svc.Review(ctx, curator, sol.Slug, stale, true, "", m); code(err) != "conflict:catalog.error.state" && code(err) != "conflict:catalog.error.stale" {
			t.Fatalf("second reviewer: %s", code(err))
		}
		sol, _, _ = svc.Get(ctx, &admin, sol.Slug)
		if sol.Working.State != catalog.ChangesRequested || sol.Working.Comment != "Bitte Preise angeben." {
			t.Fatalf("after change request: %+v", sol.Working)
		}
		fixed := entry()
		fixed.Delivery[0].PriceMin, fixed.Delivery[0].PriceMax = ptr(0.1), ptr(0.3)
		if err := svc.Update(ctx, admin, sol.Slug, stale, fixed, m); code(err) != "conflict:catalog.error.stale" {
			t.Fatalf("stale update: %s", code(err))
		}
		if err := svc.Update(ctx, admin, sol.Slug, sol.Lock, fixed, m); err != nil {
			t.Fatal(err)
		}
		sol, _, _ = svc.Get(ctx, &admin, sol.Slug)
		if err := svc.Submit(ctx, admin, sol.Slug, sol.Lock, m); err != nil {
			t.Fatal(err)
		}
		sol, _, _ = svc.Get(ctx, &admin, sol.Slug)
		if err := svc.Review(ctx, curator, sol.Slug, sol.Lock, true, "", m); err != nil {
			t.Fatal(err)
		}
		pub, _, err := svc.Get(ctx, nil, sol.Slug)
		if err != nil || pub.Published == nil || pub.Published.Number != 1 || pub.Working != nil || *pub.Published.Entry.Delivery[0].PriceMax != 0.3 {
			t.Fatalf("published %+v %v", pub, err)
		}

		// Editing a published entry starts version 2; version 1 stays public.
		changed := fixed
		changed.Short = "Schäden melden, mit Foto und Standort."
		if err := svc.Update(ctx, member, sol.Slug, pub.Lock, changed, m); err != nil {
			t.Fatal(err)
		}
		pub, _, _ = svc.Get(ctx, nil, sol.Slug)
		if pub.Published.Number != 1 || pub.Working == nil || pub.Working.Number != 2 || pub.Published.Entry.Short == changed.Short {
			t.Fatalf("after editing the published entry: %+v", pub)
		}
		versions, err := svc.Versions(ctx, admin, sol.Slug)
		if err != nil || len(versions) != 2 || versions[0].Number != 2 {
			t.Fatalf("versions %+v %v", versions, err)
		}
		if _, err := svc.Versions(ctx, outsider, sol.Slug); code(err) != "forbidden:error.forbidden" {
			t.Fatalf("outsider reads versions: %s", code(err))
		}

		if err := svc.Archive(ctx, member, sol.Slug, pub.Lock, "Produkt eingestellt", m); code(err) != "forbidden:error.forbidden" {
			t.Fatalf("member archives: %s", code(err))
		}
		if err := svc.Archive(ctx, admin, sol.Slug, pub.Lock, " ", m); code(err) != "invalid:error.invalid reason=form.error.required" {
			t.Fatalf("archive without reason: %s", code(err))
		}
		if err := svc.Archive(ctx, admin, sol.Slug, pub.Lock, "Produkt eingestellt", m); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Get(ctx, nil, sol.Slug); code(err) != "not_found:catalog.error.solution_not_found" {
			t.Fatalf("archived solution public: %s", code(err))
		}
		if s, _, err := svc.Get(ctx, &admin, sol.Slug); err != nil || s.Archived == nil || s.Reason != "Produkt eingestellt" {
			t.Fatalf("archived for its owners: %+v %v", s, err)
		}
		log, err := db.AuditLog(ctx, account.AuditFilter{Action: "catalog.", Limit: 50})
		if err != nil || len(log.Items) != 8 { // created, submitted, changes requested, updated, submitted, published, updated, archived
			t.Errorf("audit: %d %v", len(log.Items), err)
		}
	})
}

func ptr(f float64) *float64 { return &f }
