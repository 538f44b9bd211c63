package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/search"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestFacetsAPI: /api/v1/search returns the counts of every facet; each
// count is the total of the search with that value also selected, OR
// within a facet and AND across facets; bad values are 400.
func TestFacetsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		n, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		call := func(q string) (int, apiSearchResult) {
			t.Helper()
			var res apiSearchResult
			rec := get(t, s, "/api/v1/search?"+q)
			if rec.Code == http.StatusOK {
				if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			return rec.Code, res
		}
		code, all := call("limit=1")
		if code != http.StatusOK || all.Total != n {
			t.Fatalf("all: %d %d, want %d", code, all.Total, n)
		}
		for _, name := range search.FacetNames {
			if _, ok := all.Facets[name]; !ok {
				t.Errorf("facet %s missing", name)
			}
		}
		// Every count is the total with that value selected.
		checked := 0
		for _, name := range search.FacetNames {
			for _, c := range all.Facets[name] {
				code, res := call(url.Values{name: {c.Value}, "limit": {"1"}}.Encode())
				if code != http.StatusOK || res.Total != c.Count {
					t.Errorf("%s=%s: %d total %d, want %d", name, c.Value, code, res.Total, c.Count)
				}
				checked++
			}
		}
		if checked < 8 {
			t.Errorf("only %d facet values in the demo catalogue", checked)
		}
		// OR within a facet: two delivery models find at least as many as either.
		dm := all.Facets[search.FacetDelivery]
		if len(dm) >= 2 {
			_, both := call("delivery=" + dm[0].Value + "," + dm[1].Value)
			if both.Total < dm[0].Count || both.Total < dm[1].Count || both.Total > dm[0].Count+dm[1].Count {
				t.Errorf("delivery OR: %d from %v", both.Total, dm[:2])
			}
			// its own counts stay those without its selection
			if fmt.Sprint(both.Facets[search.FacetDelivery]) != fmt.Sprint(dm) {
				t.Errorf("delivery counts changed by its own selection: %v, want %v", both.Facets[search.FacetDelivery], dm)
			}
		}
		// AND across facets: the counts of open_source under a delivery
		// model add up to that model's total.
		if len(dm) > 0 {
			_, sel := call("delivery=" + dm[0].Value)
			sum := 0
			for _, c := range sel.Facets[search.FacetOpen] {
				sum += c.Count
				_, and := call("delivery=" + dm[0].Value + "&open_source=" + c.Value)
				if and.Total != c.Count {
					t.Errorf("delivery=%s&open_source=%s: %d, want %d", dm[0].Value, c.Value, and.Total, c.Count)
				}
			}
			if sum != sel.Total {
				t.Errorf("open_source under delivery=%s: %d, want %d", dm[0].Value, sum, sel.Total)
			}
		}
		for _, q := range []string{"sort=used", "sort=newest", "sort=name", "sort=relevance&q=Karte"} {
			if code, _ := call(q); code != http.StatusOK {
				t.Errorf("%s: %d", q, code)
			}
		}
		for _, q := range []string{"delivery=cloud", "open_source=ja", "field=space", "evidence=tuev", "maturity=alpha", "price=cheap",
			"hosting=mars", "delivery=saas&delivery=managed", "delivery=,", "sort=popular", "size=small"} {
			if code, _ := call(q); code != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", q, code)
			}
		}
	})
}

// TestFacetsPage: /loesungen shows the facets as check boxes with counts;
// the URL holds the selection (ticked boxes stay ticked, the next page
// keeps it); the htmx form targets the results; bad values are 400.
func TestFacetsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		if _, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir); err != nil {
			t.Fatal(err)
		}
		if err := s.Search.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		res, err := s.Search.Search(t.Context(), search.Query{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, c := range res.Facets[search.FacetOpen] {
			if c.Value == "yes" {
				open = c.Count
			}
		}
		anon := newBrowser(t, s)
		code, body, _ := anon.get("/loesungen")
		wantPage(t, "list", code, body, http.StatusOK, "<legend", "Bereitstellung", "Open Source", `name="offen" value="ja"`,
			fmt.Sprintf("Ja (%d)", open), "Filter anwenden", `hx-target="#results"`, `hx-push-url="true"`, `id="results"`, `name="sort"`)
		code, body, _ = anon.get("/loesungen?offen=ja&sort=name")
		wantPage(t, "open source", code, body, http.StatusOK, `name="offen" value="ja" checked`, fmt.Sprintf("%d Lösungen", open),
			`<option value="name" selected>`)
		if open > 20 && !strings.Contains(body, "offen=ja") {
			t.Error("the next page loses the selection")
		}
		code, body, _ = anon.getWith("/loesungen?offen=ja&offen=nein&sort=neu", "Accept-Language: en")
		wantPage(t, "both, in English", code, body, http.StatusOK, `value="ja" checked`, `value="nein" checked`, "Apply filters",
			`<option value="neu" selected>`)
		code, body, _ = anon.getWith("/loesungen?offen=ja", "HX-Request: true")
		wantPage(t, "htmx", code, body, http.StatusOK, `id="results"`, `id="facet-panel"`)
		// A ticked top-level field of action shows its sub-fields with results.
		for _, c := range res.Facets[search.FacetField] {
			if strings.Contains(c.Value, ".") {
				continue
			}
			top := c.Value
			child := ""
			for _, cc := range res.Facets[search.FacetField] {
				if strings.HasPrefix(cc.Value, top+".") {
					child = cc.Value
				}
			}
			code, body, _ := anon.get("/loesungen?feld=" + url.QueryEscape(top))
			wantPage(t, "field "+top, code, body, http.StatusOK, `name="feld" value="`+top+`" checked`, fmt.Sprintf("%d Lösung", c.Count))
			if child != "" && !strings.Contains(body, `value="`+child+`"`) {
				t.Errorf("field %s: sub-field %s not offered", top, child)
			}
			break
		}
		for _, q := range []string{"offen=vielleicht", "bereitstellung=cloud", "feld=space", "sort=beliebt", "farbe=rot", "groesse=riesig", "land=99", "q=a&q=b"} {
			code, body, _ := anon.get("/loesungen?" + q)
			wantPage(t, q, code, body, http.StatusBadRequest)
		}
	})
}
