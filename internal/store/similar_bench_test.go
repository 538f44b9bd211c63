package store_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// similarBenchDB returns a fresh database with part of the register
// (districts of Baden-Württemberg, Bayern and Schleswig-Holstein) and a
// synthetic catalogue of 2,000 entries with verified use (catalog.Seeder),
// indexed for search.
func similarBenchDB(b *testing.B, d store.Dialect) *store.DB {
	b.Helper()
	db := storetest.New(b, d)
	regiontest.ImportDistricts(b, db, "08421", "08425", "08426", "08436", "09162", "09184", "09188", "01051", "01058")
	if _, err := catalog.NewFields(db).Ensure(b.Context()); err != nil {
		b.Fatal(err)
	}
	seeder := catalog.NewSeeder(db, db)
	seeder.Log = slog.New(slog.DiscardHandler)
	seeder.Now = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }
	if _, err := seeder.Seed(b.Context(), catalog.SeedOptions{Solutions: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ReindexSolutions(b.Context()); err != nil {
		b.Fatal(err)
	}
	return db
}

// benchTargets picks the most used solution, a solution used by one
// municipality and one used by none, and the municipality with the most
// verified use.
func benchTargets(b *testing.B, db *store.DB) (sols map[string]string, ags string) {
	b.Helper()
	ctx := b.Context()
	q := func(query string) string {
		var v string
		if err := db.Pool().QueryRowContext(ctx, query).Scan(&v); err != nil {
			b.Fatalf("%s: %v", query, err)
		}
		return v
	}
	sols = map[string]string{
		"most_used": q(`SELECT solution_id FROM solution_usages GROUP BY solution_id ORDER BY COUNT(*) DESC, solution_id LIMIT 1`),
		"used_once": q(`SELECT solution_id FROM solution_usages GROUP BY solution_id HAVING COUNT(*) = 1 ORDER BY solution_id LIMIT 1`),
		"unused": q(`SELECT d.solution_id FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM solution_usages u WHERE u.solution_id = d.solution_id)
			ORDER BY d.solution_id LIMIT 1`),
	}
	ags = q(`SELECT o.region_key FROM solution_usages u JOIN organisations o ON o.id = u.org_id WHERE o.region_key IS NOT NULL
		GROUP BY o.region_key ORDER BY COUNT(*) DESC, o.region_key LIMIT 1`)
	return sols, ags
}

// benchSimilar measures Similar and PeersUse on db.
func benchSimilar(b *testing.B, db *store.DB) {
	svc := search.NewSimilarity(db, region.NewService(db, slog.New(slog.DiscardHandler)))
	sols, ags := benchTargets(b, db)
	for _, name := range []string{"most_used", "used_once", "unused"} {
		b.Run("similar_"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Similar(b.Context(), sols[name], search.MaxSimilar); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("peers_use", func(b *testing.B) {
		for b.Loop() {
			if p, err := svc.PeersUse(b.Context(), ags, 10); err != nil || len(p.Uses) == 0 {
				b.Fatalf("%+v %v", p.Uses, err)
			}
		}
	})
}

// BenchmarkSimilar measures similar solutions and "Kommunen wie Ihre
// nutzen …" over a synthetic catalogue of 2,000 entries, per backend.
// Speed is not asserted; see docs/performance.md.
func BenchmarkSimilar(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) { benchSimilar(b, similarBenchDB(b, d)) })
	}
}
