package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// verifiedMunicipality creates the municipality ags with u as its admin
// and verifies it through an approved claim of a second member.
func verifiedMunicipality(t *testing.T, s *Server, u account.User, ags string) org.Organisation {
	t.Helper()
	o, err := s.Orgs.Create(t.Context(), u, org.NewOrg{Kind: org.Municipality, RegionKey: ags}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	verifyOrg(t, s, o.ID, "verifiziert-"+uuid.NewString()[:8]+"@"+o.Slug+".example")
	return o
}

// usageSolution stores a published solution of a verified company whose
// member is returned.
func usageSolution(t *testing.T, s *Server, slug string) (catalog.Solution, account.User) {
	t.Helper()
	ctx := t.Context()
	dev := mustAccount(t, s, "dev-"+uuid.NewString()[:8]+"@anbieter.example", "Dev")
	o, err := s.Orgs.Create(ctx, dev, orgNew("Anbieter "+slug), account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	verifyOrg(t, s, o.ID, "chef-"+uuid.NewString()[:8]+"@anbieter.example")
	if _, err := s.DB.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: o.ID, ImportedFrom: "test/" + slug},
		catalog.Entry{Name: "Ratsinfo " + slug, Short: "Sitzungen und Beschlüsse", Licence: "EUPL-1.2", Repository: "https://example.org/ratsinfo",
			Fields: []string{"administration.online-services"}, Maturity: "production",
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_inhabitant", Hosting: "de"}}}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	sol, err := s.Solutions.Public(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return sol, dev
}

func TestAPIUsage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		_, dev := usageSolution(t, s, "ratsinfo")
		eva := mustAccount(t, s, "eva@ulm.de", "Eva")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		evaKey, evaReader := testAPIToken(t, s, eva, account.ScopeRead, account.ScopeWrite), testAPIToken(t, s, eva, account.ScopeRead)
		devKey := testAPIToken(t, s, dev, account.ScopeRead, account.ScopeWrite)
		path := "/api/v1/solutions/ratsinfo/usage"

		body := func(rec *httptestRecorder) map[string]any {
			t.Helper()
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("%s: %v", rec.Body, err)
			}
			return m
		}
		if rec := apiCall(t, s, "GET", path, "", ""); rec.Code != 200 || body(rec)["summary"].(map[string]any)["municipalities"] != 0.0 {
			t.Fatalf("empty usage: %d %s", rec.Code, rec.Body)
		}
		declare := `{"organisation":"` + ulm.Slug + `","since":"2024-03","delivery_model":"saas","status":"in_use","contactable":true}`
		for _, c := range []struct {
			name, target, key, body string
			status                  int
			want                    string
		}{
			{"Anonymous", path, "", declare, 401, ""},
			{"ReadOnlyKey", path, evaReader, declare, 403, ""},
			{"MemberOfAnotherOrganisation", path, devKey, declare, 403, "gehören dieser Organisation nicht an"},
			{"Company", path, devKey, strings.Replace(declare, ulm.Slug, "anbieter-ratsinfo", 1), 400, `"field":"organisation"`},
			{"UnknownSolution", "/api/v1/solutions/gibt-es-nicht/usage", evaKey, declare, 404, ""},
			{"UnknownField", path, evaKey, `{"organisation":"x","color":"red"}`, 400, `"field":"body"`},
			{"Invalid", path, evaKey, `{"organisation":"` + ulm.Slug + `","since":"03.24","delivery_model":"cloud","status":"stopped"}`, 400,
				`"field":"since"`},
			{"Created", path, evaKey, declare, 201, `"verified":true`},
			{"Updated", path, evaKey, strings.Replace(declare, "2024-03", "2024-04", 1), 200, `"since":"2024-04"`},
		} {
			t.Run(c.name, func(t *testing.T) {
				rec := apiCall(t, s, "POST", c.target, c.key, c.body)
				if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
					t.Errorf("status %d, body %s; want %d with %s", rec.Code, rec.Body, c.status, c.want)
				}
			})
		}
		rec := apiCall(t, s, "POST", path, evaKey, `{"organisation":"`+ulm.Slug+`","since":"03.24","delivery_model":"cloud","status":"stopped"}`)
		for _, f := range []string{`"field":"delivery_model"`, `"field":"stop_reason"`} {
			if !strings.Contains(rec.Body.String(), f) {
				t.Errorf("field errors lack %s: %s", f, rec.Body)
			}
		}

		report := `{"organisation":"` + ulm.Slug + `","text":"Läuft stabil.","ratings":{"usability":5,"support":4,"integration":3,"value_for_money":4},"would_choose_again":true}`
		if rec := apiCall(t, s, "POST", path+"/reports", evaKey, strings.Replace(report, `"usability":5`, `"usability":7`, 1)); rec.Code != 400 ||
			!strings.Contains(rec.Body.String(), `"field":"ratings.usability"`) {
			t.Fatalf("bad rating: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "POST", path+"/reports", devKey, report); rec.Code != 403 {
			t.Fatalf("provider writes a report for Ulm: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "POST", path+"/reports", evaKey, report); rec.Code != 201 || body(rec)["visible"] != true {
			t.Fatalf("report: %d %s", rec.Code, rec.Body)
		}
		if rec := apiCall(t, s, "POST", path+"/reports", evaKey, report); rec.Code != 200 {
			t.Fatalf("report again: %d %s", rec.Code, rec.Body)
		}

		u := body(apiCall(t, s, "GET", path, "", ""))
		sum := u["summary"].(map[string]any)
		if sum["municipalities"] != 1.0 || sum["largest"].(map[string]any)["ags"] != "08421000" || len(u["declarations"].([]any)) != 1 ||
			len(u["reports"].([]any)) != 1 || sum["ratings"].(map[string]any)["usability"] != 5.0 {
			t.Fatalf("usage %v", u)
		}
		one := body(apiCall(t, s, "GET", "/api/v1/solutions/ratsinfo", "", ""))
		if used := one["used_by"].([]any); len(used) != 1 || used[0] != ulm.Name || one["badges"].(map[string]any)["verified_uses"] != 1.0 {
			t.Fatalf("solution %v", one)
		}
		list := body(apiCall(t, s, "GET", "/api/v1/solutions?q=ratsinfo", "", ""))
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["badges"].(map[string]any)["verified_uses"] != 1.0 {
			t.Fatalf("list %v", list)
		}
		if rec := get(t, s, "/loesungen/ratsinfo/publiccode.yml"); !strings.Contains(rec.Body.String(), "usedBy:") || !strings.Contains(rec.Body.String(), ulm.Name) {
			t.Fatalf("publiccode.yml without usedBy:\n%s", rec.Body)
		}
	})
}

// usageAPIFixture is what the usage operations of the document are
// called on: municipalities on the example solution.
type usageAPIFixture struct {
	declared, fresh, reporting string // slugs: with a declaration and report; without declaration; declared without report
	admin, reporter            string // write keys of the admins of fresh and reporting
	reader                     string // read-only key of fresh's admin
}

var usageAPIFixtures perServer[*usageAPIFixture]

// freeMunicipalities returns municipalities of Hessen that have no
// organisation yet: the shared test database keeps those of earlier runs.
func freeMunicipalities(t *testing.T, s *Server, n int) []string {
	t.Helper()
	page, err := s.Regions.Municipalities(context.Background(), region.MunicipalityQuery{Filter: region.MunicipalityFilter{StateKey: "06"}, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range page.Items {
		if _, err := s.Orgs.ForRegion(context.Background(), m.AGS); apperr.Is(err, apperr.NotFound) {
			out = append(out, m.AGS)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatal("no free municipalities left")
	return nil
}

// openAPIUsageFixture makes (once per server) three verified
// municipalities for the example solution of openAPIOrgFixture.
func openAPIUsageFixture(t *testing.T, s *Server) *usageAPIFixture {
	t.Helper()
	openAPIOrgFixture(t, s)
	return usageAPIFixtures.get(s, func() *usageAPIFixture {
		ctx := context.Background()
		keys := freeMunicipalities(t, s, 3)
		var orgs []org.Organisation
		var admins []account.User
		for _, ags := range keys {
			u := mustAccount(t, s, "nutzung-"+uuid.NewString()[:8]+"@kommune.example", "Nutzung")
			admins, orgs = append(admins, u), append(orgs, verifiedMunicipality(t, s, u, ags))
		}
		yes := true
		for i, o := range []org.Organisation{orgs[0], orgs[2]} {
			u := admins[2*i]
			if _, err := s.Usage.Declare(ctx, u, "open-api-beispiel", catalog.UseForm{Org: o.Slug, Since: "2024-03", Delivery: catalog.SaaS,
				Status: catalog.InUse, Contactable: true}, account.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Usage.SaveReport(ctx, admins[0], "open-api-beispiel", catalog.ReportForm{Org: orgs[0].Slug, Text: "Läuft stabil.",
			Usability: 4, Support: 5, Integration: 3, Value: 4, Again: &yes}, account.Meta{}); err != nil {
			t.Fatal(err)
		}
		f := &usageAPIFixture{declared: orgs[0].Slug, fresh: orgs[1].Slug, reporting: orgs[2].Slug,
			admin: testAPIToken(t, s, admins[1], account.ScopeRead, account.ScopeWrite), reader: testAPIToken(t, s, admins[1], account.ScopeRead),
			reporter: testAPIToken(t, s, admins[2], account.ScopeRead, account.ScopeWrite)}
		return f
	})
}

// openAPIUsageCases are the requests to the usage operations that
// change data; ok is false for other operations.
func openAPIUsageCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	if op.String() != "POST /api/v1/solutions/{slug}/usage" && op.String() != "POST /api/v1/solutions/{slug}/usage/reports" {
		return nil, false
	}
	f := openAPIUsageFixture(t, s)
	target := strings.ReplaceAll(op.path, "{slug}", "open-api-beispiel")
	add := func(target, body string, status int, as string, key string) {
		var headers []string
		if key != "" {
			headers = []string{"Authorization: Bearer " + key}
		}
		cases = append(cases, apiCase{op: op, method: http.MethodPost, target: target, body: body, status: status, as: as, headers: headers})
	}
	// The examples name an organisation of the document; they are sent
	// for the fixture's: the first creates, the next ones change.
	examples := func(orgSlug, key string) string {
		var last string
		status := 201
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				var m map[string]any
				if err := json.Unmarshal(ex.Value, &m); err != nil {
					t.Fatal(err)
				}
				m["organisation"] = orgSlug
				b, _ := json.Marshal(m)
				last = string(b)
				add(target, last, status, "", key)
				status = 200
			}
		}
		if last == "" {
			t.Fatalf("%s: the request body needs examples", op)
		}
		return last
	}
	var valid string
	if strings.HasSuffix(op.path, "/reports") {
		valid = examples(f.reporting, f.reporter)
		add(target, strings.Replace(valid, f.reporting, f.declared, 1), 403, "", f.reporter) // not a member
		add(target, `{"organisation":"`+f.reporting+`","text":"","ratings":{"usability":0,"support":1,"integration":1,"value_for_money":1}}`, 400, "", f.reporter)
	} else {
		valid = examples(f.fresh, f.admin)
		add(target, strings.Replace(valid, f.fresh, f.declared, 1), 403, "", f.admin) // not a member
		add(target, `{"organisation":"`+f.fresh+`","since":"gestern","delivery_model":"fax","status":"in_use"}`, 400, "", f.admin)
		add(target, `{"organisation":"`+f.fresh+`"`, 400, "", f.admin)
	}
	add(target, valid, 401, "", "")
	add(target, valid, 403, "", f.reader)
	add(target, valid, 403, "user", "") // no member of the municipality
	add(target+"?lang=fr", valid, 400, "", f.admin)
	add(strings.ReplaceAll(op.path, "{slug}", "gibt-es-nicht"), valid, 404, "", f.admin)
	return cases, true
}
