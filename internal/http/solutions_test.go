package http

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/publiccode"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// TestSolutionCatalogue: the demo catalogue imported from the real
// publiccode.yml sample, as pages and API; drafts stay with their owners.
func TestSolutionCatalogue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		n, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir)
		if err != nil || n < 40 {
			t.Fatalf("demo import: %d %v", n, err)
		}
		if again, err := s.Solutions.ImportDemo(t.Context(), data.PublicCode, data.PublicCodeDir); err != nil || again != 0 {
			t.Fatalf("second demo import: %d %v", again, err)
		}
		anon := newBrowser(t, s)
		code, body, _ := anon.get("/loesungen")
		wantPage(t, "list", code, body, http.StatusOK, "Beispieldaten", "Open Source", "rel=\"next\"")

		var l list[apiSolution]
		rec := get(t, s, "/api/v1/solutions?limit=200")
		if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil || rec.Code != 200 || l.Total != n || len(l.Items) != n {
			t.Fatalf("API list: %d %d/%d %v", rec.Code, len(l.Items), n, err)
		}
		first := l.Items[0]
		if !first.Demo || first.Version != 1 || first.Organisation.Slug != catalog.DemoOrg.Slug || len(first.Fields) == 0 {
			t.Errorf("first item %+v", first)
		}
		code, body, _ = anon.get("/loesungen/" + first.Slug)
		wantPage(t, "page", code, body, http.StatusOK, first.Name, "Beispieldaten: Dieser Eintrag", "Eigener Betrieb", "kostenlos", first.Licence)
		if rec := get(t, s, "/api/v1/solutions/"+first.Slug); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"slug":"`+first.Slug+`"`) {
			t.Fatalf("API view: %d", rec.Code)
		}

		// Harvesting: the feed with ETag, and each entry as publiccode.yml.
		rec = get(t, s, "/api/v1/feed")
		var fd feed
		if err := json.Unmarshal(rec.Body.Bytes(), &fd); err != nil || rec.Code != 200 || fd.Total != n || rec.Header().Get("ETag") == "" ||
			rec.Header().Get("Last-Modified") == "" || fd.Items[0].PublicCodeURL != "http://platform.test/loesungen/"+fd.Items[0].Slug+"/publiccode.yml" {
			t.Fatalf("feed: %d %v %+v", rec.Code, err, rec.Header())
		}
		if again := get(t, s, "/api/v1/feed", "If-None-Match: "+rec.Header().Get("ETag")); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("feed with If-None-Match: %d", again.Code)
		}
		if again := get(t, s, "/api/v1/feed", "If-Modified-Since: "+rec.Header().Get("Last-Modified")); again.Code != http.StatusNotModified {
			t.Fatalf("feed with If-Modified-Since: %d", again.Code)
		}
		rec = get(t, s, "/loesungen/"+first.Slug+"/publiccode.yml")
		if f, problems := publiccode.Parse(rec.Body.Bytes()); rec.Code != 200 || f == nil || publiccode.HasErrors(problems) ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/yaml") || f.Software.Name != first.Name {
			t.Fatalf("publiccode.yml: %d %v\n%s", rec.Code, problems, rec.Body)
		}

		// The catalogue as CSV: a header and one row per published entry.
		rec = get(t, s, "/loesungen.csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))).ReadAll()
		if err != nil || rec.Code != 200 || len(rows) != n+1 || rows[0][0] != "slug" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %d rows %v", rec.Code, len(rows), err)
		}
		if csvCell("=HYPERLINK(1)") != "'=HYPERLINK(1)" || csvCell("Parken") != "Parken" {
			t.Error("formula injection not guarded")
		}

		// Search by name and filter by field of action.
		name := strings.Fields(first.Name)[0]
		if rec := get(t, s, "/api/v1/solutions?q="+name); !strings.Contains(rec.Body.String(), first.Slug) {
			t.Errorf("search %q does not find %s", name, first.Slug)
		}
		top := strings.SplitN(first.Fields[0], ".", 2)[0]
		var byField list[apiSolution]
		rec = get(t, s, "/api/v1/solutions?limit=200&field="+top)
		if err := json.Unmarshal(rec.Body.Bytes(), &byField); err != nil || byField.Total == 0 || byField.Total > n {
			t.Fatalf("field %s: %d %+v", top, rec.Code, byField.Total)
		}
		for _, it := range byField.Items {
			ok := false
			for _, f := range it.Fields {
				ok = ok || f == top || strings.HasPrefix(f, top+".")
			}
			if !ok {
				t.Errorf("%s listed under %s with fields %v", it.Slug, top, it.Fields)
			}
		}
		if rec := get(t, s, "/api/v1/solutions?field=space"); rec.Code != 400 {
			t.Errorf("unknown field: %d", rec.Code)
		}
		if code, _, _ := anon.get("/loesungen?feld=space"); code != http.StatusBadRequest {
			t.Errorf("unknown field on the page: %d", code)
		}

		// A draft is seen by its organisation only.
		eva := signedInBrowser(t, s, "eva@anbieter.example")
		u, _, err := db.UserByEmail(t.Context(), "eva@anbieter.example")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Orgs.Create(t.Context(), u, orgNew("Anbieter GmbH"), account.Meta{}); err != nil {
			t.Fatal(err)
		}
		draft, err := s.Solutions.Create(t.Context(), u, "anbieter-gmbh", catalog.Entry{Name: "Ratsinfo Neu", Short: "Ratsinformation",
			Fields: []string{"administration.council-information"}, Licence: "LicenseRef-Kommerziell", Maturity: "pilot",
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "on_request", Hosting: "de"}}}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		if code, _, _ := anon.get("/loesungen/" + draft.Slug); code != http.StatusNotFound {
			t.Errorf("visitor sees a draft: %d", code)
		}
		code, body, _ = eva.get("/loesungen/" + draft.Slug)
		wantPage(t, "draft for its owner", code, body, http.StatusOK, "Ratsinfo Neu", "Entwurf", "Betrieb in Deutschland")
		if rec := get(t, s, "/api/v1/solutions/"+draft.Slug); rec.Code != 404 {
			t.Errorf("API shows a draft: %d", rec.Code)
		}
	})
}

// orgNew is a company to create.
func orgNew(name string) org.NewOrg { return org.NewOrg{Kind: org.Company, Name: name} }

// orgRequest is an approved claim of u to act for an organisation.
func orgRequest(orgID string, u account.User) org.Request {
	return org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: orgID, UserID: u.ID, Email: u.Email, Status: org.Approved}
}
