package http

import (
	"net/http"
	"os"
	"testing"

	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/search/searchtest"
	"github.com/smartregions/smartregions/internal/store"
)

// BenchmarkSearchPages runs the search mix (internal/search/searchtest)
// through the real router over a seeded catalogue, one request at a
// time: the search page /loesungen (rendered with its facet panel), the
// API /api/v1/search, the page of what comparable municipalities use and
// the similar solutions of solutions. Like search.BenchmarkSearchMix it needs
// SMARTREGIONS_BENCH_DB (docs/performance.md):
//
//	SMARTREGIONS_BENCH_DB=/tmp/seed-bench.db go test ./internal/http/ -run '^$' -bench SearchPages -benchtime 700x
func BenchmarkSearchPages(b *testing.B) {
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
	s := newServerOn(b, db)
	if err := s.Search.Init(b.Context()); err != nil {
		b.Fatal(err)
	}
	mix, err := searchtest.Mix()
	if err != nil {
		b.Fatal(err)
	}
	page := make([]string, len(mix))
	api := make([]string, len(mix))
	for i, m := range mix {
		api[i] = "/api/v1/search?limit=20&" + m.API
		page[i] = "/loesungen?" + search.PageQuery(m.Query).Encode()
	}
	for _, c := range []struct {
		name    string
		targets []string
	}{{"page", page}, {"api", api},
		// "Was nutzen Kommunen wie …?": Berlin, Munich, a village of 225 and a town of 6,000
		{"peers", []string{"/kommunen/11000000/loesungen", "/kommunen/09162000/loesungen", "/kommunen/01051002/loesungen", "/kommunen/01053020/loesungen"}},
		{"similar", similarTargets(b, s)},
	} {
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				target := c.targets[i%len(c.targets)]
				i++
				if rec := get(b, s, target, benchLang); rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// similarTargets returns the similar-solutions API of the first solutions
// of the catalogue and of the most used ones.
func similarTargets(b *testing.B, s *Server) []string {
	var out []string
	for _, sort := range []string{search.SortName, search.SortUsed} {
		res, err := s.Search.Search(b.Context(), search.Query{Sort: sort, Limit: 10})
		if err != nil {
			b.Fatal(err)
		}
		for _, h := range res.Items {
			out = append(out, "/api/v1/solutions/"+h.Solution.Slug+"/similar")
		}
	}
	return out
}
