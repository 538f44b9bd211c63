package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/i18n"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// oneSolution is a catalogue of one solution for the exploration.
type oneSolution struct{}

func (oneSolution) Search(ctx context.Context, q search.Query) (search.Result, error) {
	s := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "parkfuchs", OrgID: uuid.Must(uuid.NewV7()).String(), OrgName: "Anbieter",
		Published: &catalog.Version{Number: 1, Entry: catalog.Entry{Name: "Parkfuchs", Licence: "EUPL-1.2"}}}
	return search.Result{Items: []search.Hit{{Solution: s}}, Total: 1}, nil
}

func (oneSolution) UsesByBand(ctx context.Context, ids []string) (map[string]map[region.Band]int, error) {
	return nil, nil
}

func TestVerifyReport(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			ctx := t.Context()
			dsn := storetest.DSN(t, d)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: "einkauf@stadt.example", Lang: "de", Created: now, EmailConfirmed: &now}
			if err := db.CreateUser(ctx, account.NewUser{User: u, PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
			o, err := db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "stadt", Kind: org.Municipality, Name: "Stadt"}, u.ID, account.AuditEntry{})
			if err != nil {
				t.Fatal(err)
			}
			texts, err := i18n.Load()
			if err != nil {
				t.Fatal(err)
			}
			svc := exploration.NewService(db, nil, oneSolution{}, nil, texts)
			a := exploration.Actor{User: &u, Orgs: []org.Membership{{OrgID: o.ID, OrgSlug: o.Slug, OrgName: o.Name, OrgKind: org.Municipality, Verified: true}}}
			e, err := svc.Create(ctx, a, exploration.Start{Query: "q=parken"}, account.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, format := range []string{"json", "pdf"} {
				f, err := svc.Report(ctx, a, e.ID, format, "de", account.Meta{})
				if err != nil {
					t.Fatal(err)
				}
				good, bad := filepath.Join(dir, "gut."+format), filepath.Join(dir, "falsch."+format)
				changed := bytes.Clone(f.Body)
				changed[len(changed)/2] ^= 1
				if os.WriteFile(good, f.Body, 0o600) != nil || os.WriteFile(bad, changed, 0o600) != nil {
					t.Fatal("write")
				}
				var out, errOut bytes.Buffer
				if err := run(ctx, []string{"verify-report", good, "--db", dsn}, env(), strings.NewReader(""), &out, &errOut); err != nil ||
					!strings.Contains(out.String(), "genuine and unchanged") || !strings.Contains(out.String(), "einkauf@stadt.example") {
					t.Errorf("%s: %v\n%s", format, err, out.String())
				}
				out.Reset()
				if err := run(ctx, []string{"verify-report", bad, "--db", dsn}, env(), strings.NewReader(""), &out, &errOut); err == nil || !strings.Contains(err.Error(), "NOT") {
					t.Errorf("%s changed: %v\n%s", format, err, out.String())
				}
			}
			if err := run(ctx, []string{"verify-report", "--db", dsn}, env(), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
				t.Error("no file must fail")
			}
		})
	}
}
