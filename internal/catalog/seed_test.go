package catalog_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// seedNow is the fixed "now" of the seed tests.
var seedNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// seedDB returns a database with a small real register (Ulm, Alb-Donau,
// München city and district) and the fields of action.
func seedDB(t *testing.T, d store.Dialect) *store.DB {
	t.Helper()
	db := storetest.New(t, d)
	regiontest.ImportDistricts(t, db, "08421", "08425", "09162", "09184")
	if _, err := catalog.NewFields(db).Ensure(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

func runSeed(t *testing.T, db *store.DB, n int, seed int64) (catalog.SeedReport, error) {
	t.Helper()
	s := catalog.NewSeeder(db, db)
	s.Now = func() time.Time { return seedNow }
	s.Log = slog.New(slog.DiscardHandler)
	return s.Seed(t.Context(), catalog.SeedOptions{Solutions: n, Seed: seed, Batch: 200})
}

// listAll pages through the public list.
func listAll(t *testing.T, db *store.DB) []catalog.Solution {
	t.Helper()
	svc := catalog.NewSolutions(db, db, db)
	var all []catalog.Solution
	q := catalog.ListQuery{Limit: 200}
	for {
		page, err := svc.List(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		q.After = page.Next
	}
}

// addSolution stores a published entry of a new organisation as if
// imported from source ("" for an entry written on the platform).
func addSolution(t *testing.T, db *store.DB, slug, source string) {
	t.Helper()
	ctx := t.Context()
	o, err := db.EnsureOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug + "-org", Kind: org.Company, Name: "Firma " + slug})
	if err != nil {
		t.Fatal(err)
	}
	e := catalog.Entry{Name: "Echte Lösung " + slug, Short: "Kurz", Fields: []string{"mobility.parking"}, Licence: "MIT",
		Repository: "https://example.org/r", Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}, Maturity: "pilot"}
	sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: o.ID, ImportedFrom: source}
	if source == "" {
		_, err = db.CreateSolution(ctx, sol, e, account.AuditEntry{})
	} else {
		_, err = db.ImportSolution(ctx, sol, e, account.AuditEntry{})
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestSeed seeds 500 entries next to a demo entry: all are published and
// listed, valid, owned by the marked organisation, and used by real
// municipalities of the register with verified declarations.
func TestSeed(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) { testSeed(t, seedDB(t, d)) })
	}
}

func testSeed(t *testing.T, db *store.DB) {
	ctx := t.Context()
	{
		addSolution(t, db, "demo-eintrag", catalog.DemoSource+"files/demo.yml")
		rep, err := runSeed(t, db, 500, 42)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Solutions != 500 || rep.Uses == 0 || rep.Municipalities == 0 {
			t.Fatalf("report = %+v", rep)
		}
		all := listAll(t, db)
		if len(all) != 501 {
			t.Fatalf("listed %d solutions, want 501", len(all))
		}
		flat, err := db.Fields(ctx)
		if err != nil {
			t.Fatal(err)
		}
		known := map[string]bool{}
		for _, f := range flat {
			known[f.Key] = true
		}
		var ids []string
		for i, s := range all {
			if s.Slug == "demo-eintrag" {
				continue
			}
			if !strings.HasPrefix(s.ImportedFrom, catalog.SeedSource) || s.OrgSlug != catalog.SeedOrg.Slug || s.Published == nil {
				t.Fatalf("solution %s: imported from %q, org %q, published %v", s.Slug, s.ImportedFrom, s.OrgSlug, s.Published != nil)
			}
			ids = append(ids, s.ID)
			if i%10 != 0 {
				continue
			}
			// A sample goes through the rules of the form, on the day the
			// entry was written (some evidence has expired since).
			e := s.Published.Entry
			if err := e.Check(known, s.Created); err != nil {
				t.Errorf("entry %s is not valid: %v", s.Slug, err)
			}
			if n := len([]rune(e.Short)); n > catalog.MaxShort || !strings.Contains(e.Description, "## Funktionen") {
				t.Errorf("entry %s: short %d characters, description %q", s.Slug, n, e.Description)
			}
		}
		usedBy, err := db.UsedBy(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(usedBy) == 0 {
			t.Fatal("no solution is used by a verified municipality")
		}
		// Declarations of a used solution: verified, of real municipalities.
		checked := 0
		for id := range usedBy {
			uses, err := db.Uses(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range uses {
				if !u.Verified || len(u.Org.AGS) != 8 || u.Org.Population == 0 || u.Org.StateName == "" || u.Since.After(seedNow) {
					t.Errorf("declaration %+v", u)
				}
			}
			if checked++; checked == 20 {
				break
			}
		}
		if _, err := db.OrgBySlug(ctx, catalog.SeedOrg.Slug); err != nil {
			t.Errorf("owner organisation: %v", err)
		}
		// A second run refuses: the catalogue is there already.
		if _, err := runSeed(t, db, 10, 42); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second seed: %v", err)
		}
	}
}

// TestSeedDeterministic: the same seed gives the same names, another
// seed other names.
func TestSeedDeterministic(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			names := func(seed int64) []string {
				db := seedDB(t, d)
				if _, err := runSeed(t, db, 120, seed); err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, s := range listAll(t, db) {
					out = append(out, s.Published.Entry.Name+"|"+s.Slug+"|"+s.ID)
				}
				return out
			}
			a, b, c := names(7), names(7), names(8)
			if strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Errorf("same seed, other catalogue:\n%v\n%v", a[:5], b[:5])
			}
			if strings.Join(a, "\n") == strings.Join(c, "\n") {
				t.Error("another seed gave the same catalogue")
			}
		})
	}
}

// TestSeedRefusesRealData: a database with an entry written on the
// platform or imported from elsewhere is refused, and nothing is
// written; an empty database and bad counts are refused too.
func TestSeedRefusesRealData(t *testing.T) {
	for _, d := range storetest.Backends() {
		t.Run(string(d), func(t *testing.T) {
			for _, tc := range []struct{ name, source string }{{"written", ""}, {"imported", "/home/kommune/publiccode"}} {
				t.Run(tc.name, func(t *testing.T) {
					db := seedDB(t, d)
					addSolution(t, db, "echt", tc.source)
					_, err := runSeed(t, db, 50, 1)
					if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "seed.error.real_data") {
						t.Fatalf("seed = %v", err)
					}
					if c, err := db.SeedCensus(t.Context(), catalog.SeedSource, catalog.DemoSource); err != nil || c.Foreign != 1 || len(c.Slugs) != 1 {
						t.Errorf("after a refused seed: %+v, %v", c, err)
					}
					if _, err := db.OrgBySlug(t.Context(), catalog.SeedOrg.Slug); !apperr.Is(err, apperr.NotFound) {
						t.Errorf("owner organisation after a refused seed: %v", err)
					}
					munis, err := db.SeedMunicipalities(t.Context())
					if err != nil || len(munis) == 0 {
						t.Errorf("municipalities got organisations: %d, %v", len(munis), err)
					}
				})
			}
			db := storetest.New(t, d) // no register
			if _, err := catalog.NewFields(db).Ensure(t.Context()); err != nil {
				t.Fatal(err)
			}
			if _, err := runSeed(t, db, 5, 1); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("seed without a register = %v", err)
			}
			for _, n := range []int{0, -1, catalog.MaxSeedSolutions + 1} {
				if _, err := runSeed(t, db, n, 1); !apperr.Is(err, apperr.Invalid) {
					t.Errorf("seed %d = %v", n, err)
				}
			}
		})
	}
}
