package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSearchIndexFollowsPublishing: the index changes in the transaction
// that publishes, re-publishes or archives an entry; drafts stay out.
func TestSearchIndexFollowsPublishing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		u, o := testProvider(t, ctx, db, "it@anbieter.example", "anbieter", "Anbieter GmbH")
		fields := catalog.NewFields(db)
		audit := func() account.AuditEntry {
			return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}
		}
		svc := search.New(db, fields)
		found := func(q string) int {
			t.Helper()
			r, err := svc.Search(ctx, search.Query{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			return r.Total
		}
		e := catalog.Entry{Name: "Baumkataster Grünflächen", Short: "Bäume erfassen und kontrollieren.", Fields: []string{"energy-environment.climate-adaptation"}}
		sol, err := db.CreateSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "baumkataster", OrgID: o.ID}, e, audit())
		if err != nil {
			t.Fatal(err)
		}
		publish := func() {
			t.Helper()
			s, err := db.SolutionBySlug(ctx, "baumkataster")
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SetWorkingState(ctx, s.ID, s.Lock, []string{catalog.Draft}, catalog.Submitted, "", u.ID, audit()); err != nil {
				t.Fatal(err)
			}
			if err := db.PublishWorking(ctx, s.ID, s.Lock+1, u.ID, audit()); err != nil {
				t.Fatal(err)
			}
		}
		if found("Baumkataster") != 0 {
			t.Fatal("draft found")
		}
		publish()
		if found("Baumkataster") != 1 || found("Gruenflaechen") != 1 || found("Klimaanpassung") != 1 {
			t.Fatal("published entry not found")
		}

		// A new version replaces the old text once published.
		s, _ := db.SolutionBySlug(ctx, "baumkataster")
		e.Name = "Straßenbaum-Register"
		if err := db.SaveWorking(ctx, sol.ID, s.Lock, e, u.ID, audit()); err != nil {
			t.Fatal(err)
		}
		if found("Baumkataster") != 1 || found("Strassenbaum") != 0 {
			t.Fatal("draft changed the index")
		}
		publish()
		if found("Baumkataster") != 0 || found("Strassenbaum") != 1 || found("Register") != 1 {
			t.Fatal("re-published entry not re-indexed")
		}

		// Rebuilding gives the same; archiving takes the entry out.
		if n, err := db.ReindexSolutions(ctx); err != nil || n != 1 || found("Strassenbaum") != 1 {
			t.Fatalf("reindex: %d %v", n, err)
		}
		if missing, err := db.SearchIndexMissing(ctx); err != nil || missing {
			t.Fatalf("index missing: %v %v", missing, err)
		}
		s, _ = db.SolutionBySlug(ctx, "baumkataster")
		if err := db.Archive(ctx, s.ID, s.Lock, "test", audit()); err != nil {
			t.Fatal(err)
		}
		if found("Strassenbaum") != 0 {
			t.Fatal("archived entry found")
		}
		if n, err := db.ReindexSolutions(ctx); err != nil || n != 0 || found("Strassenbaum") != 0 {
			t.Fatalf("reindex after archive: %d %v", n, err)
		}
	})
}

// TestSearchSynonymsSeeded: the shipped groups are stored once, in order.
func TestSearchSynonymsSeeded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		groups := search.DefaultSynonyms()
		if ok, err := db.SeedSynonyms(ctx, groups); err != nil || !ok {
			t.Fatalf("seed: %v %v", ok, err)
		}
		if ok, err := db.SeedSynonyms(ctx, [][]string{{"a", "b"}}); err != nil || ok {
			t.Fatalf("second seed: %v %v", ok, err)
		}
		got, err := db.SearchSynonyms(ctx)
		if err != nil || len(got) != len(groups) || got[2][1] != groups[2][1] {
			t.Fatalf("synonyms: %v %v", got, err)
		}
	})
}

// testProvider stores a confirmed user and a company organisation with
// them as admin, with the fields of action the catalogue needs.
func testProvider(t *testing.T, ctx context.Context, db *store.DB, email, slug, name string) (account.User, org.Organisation) {
	t.Helper()
	if _, err := catalog.NewFields(db).Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Lang: "de", Created: now, EmailConfirmed: &now}
	if err := db.CreateUser(ctx, account.NewUser{User: u}); err != nil {
		t.Fatal(err)
	}
	o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: org.Company, Name: name}, u.ID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return u, o
}
