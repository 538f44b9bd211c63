package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// BenchmarkSolutionPage measures the solution page and the catalogue list
// over the demo catalogue (44 entries from the real publiccode.yml
// sample), one request at a time, per backend. Signed-out requests of
// these pages are not cached.
func BenchmarkSolutionPage(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.New(b, store.Dialect(d))
			s := newServerOn(b, db)
			if _, err := s.Solutions.ImportDemo(b.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
				b.Fatal(err)
			}
			page, err := s.Solutions.List(b.Context(), listFirst())
			if err != nil || len(page.Items) == 0 {
				b.Fatalf("no solution: %v", err)
			}
			for _, c := range []struct{ name, target, want string }{
				{"page", "/loesungen/" + page.Items[0].Slug, page.Items[0].Published.Entry.Name},
				{"list", "/loesungen", "Lösungen"},
				{"publiccode", "/loesungen/" + page.Items[0].Slug + "/publiccode.yml", "publiccodeYmlVersion"},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						rec := get(b, s, c.target, benchLang)
						if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), c.want) {
							b.Fatalf("%s: %d", c.target, rec.Code)
						}
					}
				})
			}
		})
	}
}
