package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSearchPages: /loesungen?q= answers with the full-text search and
// says why each result was found, in German and English; any text gives
// a page or a clear message.
func TestSearchPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		anon := newBrowser(t, s)
		code, body, _ := anon.get("/loesungen?q=Integreat")
		wantPage(t, "search", code, body, http.StatusOK, "Integreat CMS", "Treffer in:", "Name", "gefunden mit:", "integreat",
			`value="Integreat"`, "Suchbegriffe")
		code, body, _ = anon.getWith("/loesungen?q=Integraet", "Accept-Language: en")
		wantPage(t, "search in English with a typo", code, body, http.StatusOK, "Integreat CMS", "Matches in:", "found with:", "Search words")

		// Without a query: the whole catalogue by name, no explanation.
		code, body, _ = anon.get("/loesungen")
		wantPage(t, "list", code, body, http.StatusOK, "rel=\"next\"")
		if strings.Contains(body, "Treffer in:") {
			t.Error("list without query explains hits")
		}

		// Syntax of the databases is text; too long a text is a field error.
		for _, q := range []string{`"unbalanced`, `'; DROP TABLE solutions; --`, `a* OR NEAR(b) {name}:c`, "-", `-"`, "\x01\x02", "Мюнхен 東京"} {
			code, body, _ := anon.get("/loesungen?q=" + url.QueryEscape(q))
			wantPage(t, "query "+q, code, body, http.StatusOK, "Lösungen")
		}
		code, body, _ = anon.get("/loesungen?q=" + url.QueryEscape("-Integreat"))
		wantPage(t, "only exclusions", code, body, http.StatusOK, "rel=\"next\"")
		if strings.Contains(body, "Integreat CMS") || strings.Contains(body, "Treffer in:") {
			t.Error("exclusion shows the excluded entry or an empty explanation")
		}
		code, body, _ = anon.get("/loesungen?q=" + strings.Repeat("x", 10000))
		wantPage(t, "long query", code, body, http.StatusBadRequest, "100")
	})
}

// TestSearchAPI: /api/v1/search with why, sort, paging and errors, and
// /api/v1/solutions?q= by relevance.
func TestSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		n, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		search := func(q string) (int, list[apiSearchHit]) {
			t.Helper()
			var l list[apiSearchHit]
			rec := get(t, s, "/api/v1/search?"+q)
			if rec.Code == 200 {
				if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			return rec.Code, l
		}
		code, l := search("q=Integraet")
		if code != 200 || len(l.Items) == 0 || !strings.Contains(l.Items[0].Solution.Slug, "integreat") ||
			!slices.Contains(l.Items[0].Why.Fields, "name") || !slices.Contains(l.Items[0].Why.Terms, "integreat") {
			t.Fatalf("typo: %d %+v", code, l)
		}

		// Every solution once over all pages, by name.
		seen := map[string]bool{}
		next := "limit=7&sort=name"
		for range 50 {
			code, l := search(next)
			if code != 200 || l.Total != n {
				t.Fatalf("page %s: %d total %d, want %d", next, code, l.Total, n)
			}
			for _, h := range l.Items {
				if seen[h.Solution.Slug] || len(h.Why.Fields) != 0 {
					t.Fatalf("%s twice or with why %+v", h.Solution.Slug, h.Why)
				}
				seen[h.Solution.Slug] = true
			}
			if l.Next == "" {
				break
			}
			next = "limit=7&sort=name&cursor=" + l.Next
		}
		if len(seen) != n {
			t.Errorf("pages met %d of %d", len(seen), n)
		}

		for _, q := range []string{"sort=ags", "limit=0", "cursor=x", "field=raumfahrt", "q=" + strings.Repeat("x", 101), "q=a&q=b", "page=2"} {
			if code, _ := search(q); code != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", q, code)
			}
		}
		if rec := get(t, s, "/api/v1/search?sort=neu"); !strings.Contains(rec.Body.String(), `"sort"`) {
			t.Errorf("sort error does not name the parameter: %s", rec.Body)
		}

		// The catalogue list answers a query with the search, by relevance.
		var sl list[apiSolution]
		rec := get(t, s, "/api/v1/solutions?q=Integreat")
		if err := json.Unmarshal(rec.Body.Bytes(), &sl); err != nil || rec.Code != 200 || sl.Total == 0 || !strings.Contains(sl.Items[0].Slug, "integreat") {
			t.Fatalf("solutions?q=: %d %+v %v", rec.Code, sl, err)
		}
	})
}
