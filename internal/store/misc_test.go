package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/feedback"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestSetting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		v, err := db.Setting(ctx, "k", func() (string, error) { return "first", nil })
		if err != nil || v != "first" {
			t.Fatalf("Setting = %q, %v", v, err)
		}
		v, err = db.Setting(ctx, "k", func() (string, error) { return "", errors.New("must not be called") })
		if err != nil || v != "first" {
			t.Fatalf("second Setting = %q, %v", v, err)
		}
	})
}

func TestFeedback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := feedback.NewService(db)
		if _, err := svc.Submit(ctx, feedback.Feedback{Lang: "de", Message: "Kontrast zu gering", Email: "a@example.org"}); err != nil {
			t.Fatal(err)
		}
		list, err := svc.List(ctx, 10)
		if err != nil || len(list) != 1 || list[0].Message != "Kontrast zu gering" || list[0].Created.IsZero() {
			t.Fatalf("List = %+v, %v", list, err)
		}
	})
}

// TestReservedSlugs: organisations and solutions named like the fixed
// paths beside their pages get numbered slugs.
func TestReservedSlugs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: "slug@example.org", Lang: "de", Created: now}
		if err := db.CreateUser(ctx, account.NewUser{User: u}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, want string }{{"Neu", "neu-2"}, {"Import", "import-2"}, {"Vergleich", "vergleich-2"}, {"Compare", "compare-2"}, {"Importe", "importe"}} {
			o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(tc.name), Kind: org.Company, Name: tc.name},
				u.ID, account.AuditEntry{})
			if err != nil || o.Slug != tc.want {
				t.Errorf("organisation %q: slug %q, %v; want %q", tc.name, o.Slug, err, tc.want)
				continue
			}
			sol, err := db.CreateSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: org.Slug(tc.name), OrgID: o.ID},
				catalog.Entry{Name: tc.name}, account.AuditEntry{})
			if err != nil || sol.Slug != tc.want {
				t.Errorf("solution %q: slug %q, %v; want %q", tc.name, sol.Slug, err, tc.want)
			}
		}
	})
}
