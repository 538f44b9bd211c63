package search_test

import (
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/search/searchtest"
	"github.com/smartregions/smartregions/internal/store"
)

// EnvBenchDB names a database filled by `smartregions seed` (a SQLite
// file or a postgres:// URL) for BenchmarkSearchMix.
const EnvBenchDB = "SMARTREGIONS_BENCH_DB"

// BenchmarkSearchMix runs the search service over a seeded catalogue
// (normally 100,000 solutions, docs/performance.md), one search of the
// mix (internal/search/searchtest) per operation, facet counting
// included, and reports the latency percentiles of the searches:
//
//	SMARTREGIONS_BENCH_DB=/tmp/seed-bench.db go test ./internal/search/ -run '^$' -bench SearchMix -benchtime 2000x
//
// Without SMARTREGIONS_BENCH_DB it is skipped: seeding 100,000 entries takes
// minutes.
func BenchmarkSearchMix(b *testing.B) {
	dsn := os.Getenv(EnvBenchDB)
	if dsn == "" {
		b.Skip(EnvBenchDB + " not set: seed a database with `smartregions seed --solutions 100000` first")
	}
	db, err := store.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	mix, err := searchtest.Mix()
	if err != nil {
		b.Fatal(err)
	}
	svc := search.New(db, catalog.NewFields(db))
	start := time.Now()
	if err := svc.Init(b.Context()); err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("index read into memory in %s; heap in use afterwards %d MiB", took, ms.HeapInuse>>20)
	for _, m := range mix { // warm the caches of the database and the service once
		if _, err := svc.Search(b.Context(), m.Query); err != nil {
			b.Fatalf("%s: %v", m.API, err)
		}
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		m := mix[i%len(mix)]
		i++
		start := time.Now()
		if _, err := svc.Search(b.Context(), m.Query); err != nil {
			b.Fatalf("%s: %v", m.API, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p int) float64 {
		return float64(lat[min(len(lat)-1, max(0, (len(lat)*p+99)/100-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(95), "p95-ms")
	b.ReportMetric(pct(99), "p99-ms")
}
