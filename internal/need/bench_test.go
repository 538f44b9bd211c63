package need_test

import (
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
)

// benchNeeds are needs of different shapes: a broad field with a hosting
// must, a narrow one with evidence and free text, one with an open
// source must and a maturity check, and one with many should
// requirements.
var benchNeeds = []need.Need{
	{Slug: "parken", Title: "Digitale Parkraumbewirtschaftung", Field: "mobility", Hosting: "de", Delivery: []string{"saas"},
		Reqs: []need.Requirement{{Text: "Handyparken", Kind: need.Should, Weight: 5}, {Kind: need.Must, Attribute: "delivery:saas"}}},
	{Slug: "ratsinfo", Title: "Ratsinformationssystem", Field: "administration", Evidence: []string{"gdpr_dpa"},
		Reqs: []need.Requirement{{Text: "Schnittstelle", Kind: need.Should, Weight: 6, Attribute: "standard:OParl"},
			{Text: "Barrierefreie Bedienung für Ratsmitglieder", Kind: need.Must}}},
	{Slug: "offen", Title: "Open-Data-Portal", Field: "administration",
		Reqs: []need.Requirement{{Kind: need.Must, Attribute: "open_source"}, {Kind: need.Should, Weight: 3, Attribute: "maturity:production"}}},
	{Slug: "viele", Title: "Bürgerbeteiligung online", Field: "housing-neighbourhood", Hosting: "eu",
		Reqs: []need.Requirement{{Kind: need.Should, Weight: 2, Attribute: "evidence:bsi_c5"}, {Kind: need.Should, Weight: 2, Attribute: "evidence:iso27001"},
			{Kind: need.Should, Weight: 4, Attribute: "delivery:managed"}, {Text: "Umfragen und Kartenbeiträge", Kind: need.Should, Weight: 7},
			{Text: "Moderation", Kind: need.Should, Weight: 5}, {Kind: need.Should, Weight: 1, Attribute: "open_source"}}},
}

// BenchmarkMatch ranks solutions for a few needs over a seeded catalogue
// (normally 100,000 solutions, see docs/needs.md) and reports the
// latency percentiles of one matching (search for candidates, scoring,
// evidence from verified use):
//
//	cp /tmp/seed-bench.db /tmp/needbench.db
//	SMARTREGIONS_BENCH_DB=/tmp/needbench.db go test ./internal/need/ -run '^$' -bench Match -benchtime 400x
//	SMARTREGIONS_BENCH_DB='postgres://postgres@127.0.0.1:5432/seedbench?sslmode=disable' go test ./internal/need/ -run '^$' -bench Match -benchtime 400x
//
// Without SMARTREGIONS_BENCH_DB it is skipped.
func BenchmarkMatch(b *testing.B) {
	dsn := os.Getenv("SMARTREGIONS_BENCH_DB")
	if dsn == "" {
		b.Skip("SMARTREGIONS_BENCH_DB not set: seed a database with `smartregions seed --solutions 100000` first")
	}
	db, err := store.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	fields := catalog.NewFields(db)
	if _, err := fields.Ensure(b.Context()); err != nil {
		b.Fatal(err)
	}
	svc := search.New(db, fields)
	if err := svc.Init(b.Context()); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	m := need.NewMatcher(svc)
	// The first matching after the index is read, before the caches of
	// the database are warm; it is reported, not measured.
	start := time.Now()
	got, err := m.Match(b.Context(), benchNeeds[0], region.Band5kTo20k, 20)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first matching %s, %d results", time.Since(start), len(got))
	for _, n := range benchNeeds {
		if _, err := m.Match(b.Context(), n, region.Band5kTo20k, 20); err != nil {
			b.Fatalf("%s: %v", n.Slug, err)
		}
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		n := benchNeeds[i%len(benchNeeds)]
		i++
		start := time.Now()
		if _, err := m.Match(b.Context(), n, region.Band20kTo100k, 20); err != nil {
			b.Fatalf("%s: %v", n.Slug, err)
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
