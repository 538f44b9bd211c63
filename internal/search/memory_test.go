package search_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestInstancesFollowChanges: two app instances on one database, each
// with its in-memory index, find a solution as soon as it is published
// and lose it as soon as it is archived, also after a rebuild of the
// database's index.
func TestInstancesFollowChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		one := newCorpus(t, db)
		two := search.New(db, catalog.NewFields(db))
		find := func(svc *search.Service, q string) []string {
			t.Helper()
			res, err := svc.Search(ctx, search.Query{Text: q, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, h := range res.Items {
				slugs = append(slugs, h.Solution.Slug)
			}
			return slugs
		}
		both := func(q string, want ...string) {
			t.Helper()
			for i, svc := range []*search.Service{one, two} {
				if got := find(svc, q); !slices.Equal(got, want) {
					t.Errorf("instance %d, %q: %v, want %v", i+1, q, got, want)
				}
			}
		}
		both("Quartiersgarage")
		parksmart, err := db.SolutionBySlug(ctx, "parksmart")
		if err != nil {
			t.Fatal(err)
		}
		sol := catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "quartiersgarage", OrgID: parksmart.OrgID, ImportedFrom: "test/quartiersgarage"}
		e := catalog.Entry{Name: "Quartiersgarage digital", Short: "Stellplätze im Quartier buchen und teilen.", Fields: []string{"mobility.traffic-management"}}
		if ok, err := db.ImportSolution(ctx, sol, e, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil || !ok {
			t.Fatalf("import: %v %v", ok, err)
		}
		both("Quartiersgarage", "quartiersgarage")
		both("Stellplätze teilen", "quartiersgarage")
		if _, err := db.ReindexSolutions(ctx); err != nil {
			t.Fatal(err)
		}
		both("Quartiersgarage", "quartiersgarage")
		added, err := db.SolutionBySlug(ctx, "quartiersgarage")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Archive(ctx, added.ID, added.Lock, "test", account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "test"}); err != nil {
			t.Fatal(err)
		}
		both("Quartiersgarage")
		both("Parkplatz", "parksmart")
	})
}
