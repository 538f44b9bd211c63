package http

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// BenchmarkSolutionPage measures the solution page and the catalogue list
// over the demo catalogue (44 entries from the real publiccode.yml
// sample), one request at a time, per backend; one solution is used by 40
// verified municipalities of Dithmarschen, each with an experience
// report. Signed-out requests of these pages are not cached.
func BenchmarkSolutionPage(b *testing.B) {
	for _, d := range storetest.Backends() {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.New(b, store.Dialect(d))
			s := newServerOn(b, db)
			if _, err := s.Solutions.ImportDemo(b.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
				b.Fatal(err)
			}
			page, err := s.Solutions.List(b.Context(), catalog.ListQuery{Limit: 2})
			if err != nil || len(page.Items) < 2 {
				b.Fatalf("no solutions: %v", err)
			}
			used := page.Items[1]
			benchUses(b, s, used, 40)
			for _, c := range []struct{ name, target, want string }{
				{"page", "/loesungen/" + page.Items[0].Slug, page.Items[0].Published.Entry.Name},
				{"page_used_by_40", "/loesungen/" + used.Slug, "40 verifizierte Kommunen"},
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

// benchUses has n verified municipalities of Dithmarschen declare that they
// use sol and report on it.
func benchUses(b *testing.B, s *Server, sol catalog.Solution, n int) {
	b.Helper()
	ctx := b.Context()
	regiontest.ImportDistricts(b, s.DB, "01051")
	rows, err := s.DB.Pool().QueryContext(ctx, "SELECT ags FROM municipalities WHERE district_key = '01051' ORDER BY ags LIMIT "+strconv.Itoa(n))
	if err != nil {
		b.Fatal(err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			b.Fatal(err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	again := true
	for i, ags := range keys {
		u := mustAccount(b, s, "digital-"+ags+"@dithmarschen.example", "")
		o, err := s.Orgs.Create(ctx, u, org.NewOrg{Kind: org.Municipality, RegionKey: ags}, account.Meta{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.DB.CreateRequest(ctx, orgRequest(o.ID, u), account.AuditEntry{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Usage.Declare(ctx, u, sol.Slug, catalog.UseForm{Org: o.Slug, Since: "2024-0" + strconv.Itoa(1+i%9),
			Delivery: sol.Published.Entry.Delivery[0].Model, Status: catalog.InUse}, account.Meta{}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Usage.SaveReport(ctx, u, sol.Slug, catalog.ReportForm{Org: o.Slug, Text: "Läuft stabil seit der Einführung.",
			Usability: 1 + i%5, Support: 4, Integration: 3, Value: 5, Again: &again}, account.Meta{}); err != nil {
			b.Fatal(err)
		}
	}
}
