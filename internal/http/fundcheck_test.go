package http

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// fundCheckBrowser returns a browser with a session of u.
func fundCheckBrowser(t *testing.T, s *Server, u account.User) *browser {
	t.Helper()
	b := newBrowser(t, s)
	base, _ := url.Parse(b.base)
	b.c.Jar.SetCookies(base, []*http.Cookie{{Name: sessionCookie, Value: needSession(t, s, u), Path: "/"}})
	return b
}

// fundCheckBody is a check for POST /api/v1/fund-checks.
func fundCheckBody(title string, fields ...string) string {
	b, _ := json.Marshal(map[string]any{"title": title, "description": "Ein Ratsinformationssystem für Sitzungen, Beschlüsse und Vorlagen.",
		"fields": fields, "delivery": "open_source", "licence": "EUPL-1.2", "budget": 250000, "programme": "Modellprojekte Smart Cities"})
	return string(b)
}

func TestFundChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "08421", "09162")
		s := newServerOn(t, db)
		usageSolution(t, s, "ratsinfo") // open source, administration.online-services
		eva := mustAccount(t, s, "eva@ulm.de", "Eva")
		ulm := verifiedMunicipality(t, s, eva, "08421000")
		max := mustAccount(t, s, "max@muenchen.de", "Max")
		verifiedMunicipality(t, s, max, "09162000")
		paula := mustAccount(t, s, "paula@example.org", "Paula")
		// A running cooperation: Ulm's public need that Munich joined.
		ctx := context.Background()
		a, _ := s.Needs.Actor(ctx, &eva)
		n, err := s.Needs.Create(ctx, a, ulm.Slug, need.Input{Title: "Ratsinformationssystem gemeinsam beschaffen", Problem: "Sitzungen digital vorbereiten.",
			Field: "administration.online-services", Visibility: need.Public, Publish: true,
			Reqs: []need.Requirement{{Text: "Als Software as a Service", Kind: need.Must, Attribute: "delivery:saas"}}}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		m, _ := s.Needs.Actor(ctx, &max)
		if err := s.Needs.Join(ctx, m, n.Slug, "", account.Meta{}); err != nil {
			t.Fatal(err)
		}
		paulaKey := testAPIToken(t, s, paula, account.ScopeRead, account.ScopeWrite)
		maxKey := testAPIToken(t, s, max, account.ScopeRead, account.ScopeWrite)

		t.Run("Validation", func(t *testing.T) {
			rec := apiCall(t, s, "POST", "/api/v1/fund-checks", paulaKey, `{"title":"","description":"x","fields":["gibt.es.nicht"],"delivery":"bar","budget":-1}`)
			if rec.Code != 400 {
				t.Fatalf("invalid: %d %s", rec.Code, rec.Body)
			}
			for _, f := range []string{`"field":"title"`, `"field":"fields"`, `"field":"delivery"`, `"field":"budget"`} {
				if !strings.Contains(rec.Body.String(), f) {
					t.Errorf("no %s in %s", f, rec.Body)
				}
			}
			if rec := apiCall(t, s, "POST", "/api/v1/fund-checks", paulaKey, strings.Replace(fundCheckBody("X", "administration"), `"title"`, `"organisation":"`+ulm.Slug+`","title"`, 1)); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"organisation"`) {
				t.Errorf("foreign organisation: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "GET", "/api/v1/fund-checks", paulaKey, ""); decodeMap(t, rec.Body)["total"] != 0.0 {
				t.Errorf("saved after refusal: %s", rec.Body)
			}
		})

		var check apiFundCheck
		t.Run("Create", func(t *testing.T) {
			rec := apiCall(t, s, "POST", "/api/v1/fund-checks", paulaKey, fundCheckBody("Ratsinformationssystem für Sitzungen", "administration.online-services"))
			if rec.Code != 201 {
				t.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &check); err != nil {
				t.Fatal(err)
			}
			kinds := map[string]fundcheck.Match{}
			for _, m := range check.Matches {
				kinds[m.Kind+":"+m.Ref] = m
			}
			sol, ok := kinds["solution:ratsinfo"]
			if !ok || sol.Family != fundcheck.FamilyOpenSource || len(sol.Fields) != 1 || !strings.Contains(strings.Join(sol.Words, " "), "sitzungen") {
				t.Errorf("solution match: %+v in %s", sol, rec.Body)
			}
			if c, ok := kinds["need:"+n.Slug]; !ok || c.Joined != 1 {
				t.Errorf("cooperation match: %+v in %s", c, rec.Body)
			}
		})
		if check.ID == "" {
			t.FailNow()
		}
		page := "/bestandspruefung/" + check.ID

		t.Run("Hidden", func(t *testing.T) {
			other := fundCheckBrowser(t, s, max)
			for _, p := range []string{page, page + "/pdf", page + "/bearbeiten"} {
				if code, _, _ := other.get(p); code != 404 {
					t.Errorf("%s for another user: %d", p, code)
				}
			}
			body := `{"lock":0,"statements":[],"finalise":false}`
			if rec := apiCall(t, s, "PUT", "/api/v1/fund-checks/"+check.ID+"/statements", maxKey, body); rec.Code != 404 {
				t.Errorf("statements by another user: %d %s", rec.Code, rec.Body)
			}
			if rec := apiCall(t, s, "GET", "/api/v1/fund-checks", maxKey, ""); decodeMap(t, rec.Body)["total"] != 0.0 {
				t.Errorf("another user lists: %s", rec.Body)
			}
			if code, _, _ := newBrowser(t, s).get(page); code != 303 && code != 401 {
				t.Errorf("visitor: %d", code)
			}
		})

		t.Run("Finalise", func(t *testing.T) {
			b := fundCheckBrowser(t, s, paula)
			code, body, _ := b.get(page)
			if code != 200 || !strings.Contains(body, "Ratsinfo ratsinfo") || !strings.Contains(body, "Gleiches Handlungsfeld") {
				t.Fatalf("view: %d %.2000s", code, body)
			}
			form := url.Values{"lock": {strconv.Itoa(check.Lock)}, "action": {"finalise"}}
			code, body, _ = b.post(page, page, form)
			if code != 400 || !strings.Contains(body, "Bewerten Sie diesen Treffer") {
				t.Fatalf("finalise without verdicts: %d %.3000s", code, body)
			}
			for i := range check.Matches {
				k := strconv.Itoa(i)
				form.Set("verdict_"+k, "insufficient")
				form.Set("statement_"+k, "Deckt die Vorlagen nicht ab.")
			}
			form.Set("verdict_0", "reusable")
			form.Set("statement_0", "")
			code, _, h := b.post(page, page, form)
			if code != 303 || !strings.Contains(h.Get("Location"), "abgeschlossen") {
				t.Fatalf("finalise: %d %v", code, h)
			}
			code, body, _ = b.get(page)
			if code != 200 || !strings.Contains(body, "Abgeschlossen am") || strings.Contains(body, `name="verdict_0"`) {
				t.Errorf("final view: %d", code)
			}
			code, body, h = b.get(page + "/pdf")
			if code != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
				t.Errorf("pdf: %d %s", code, h)
			}
			c, err := s.DB.FundCheck(ctx, check.ID)
			if err != nil || !c.Verify() || !c.Reusable() {
				t.Errorf("stored: %v %v %v", err, c.Verify(), c.Reusable())
			}
			// Read-only now.
			rec := apiCall(t, s, "PUT", "/api/v1/fund-checks/"+check.ID+"/statements", paulaKey, `{"lock":`+strconv.Itoa(c.Lock)+`,"statements":[]}`)
			if rec.Code != 409 {
				t.Errorf("change a final check: %d %s", rec.Code, rec.Body)
			}
		})

		t.Run("Statistics", func(t *testing.T) {
			stats := func() map[string]any {
				rec := apiCall(t, s, "GET", "/api/v1/fund-checks/statistics", "", "")
				if rec.Code != 200 {
					t.Fatalf("statistics: %d %s", rec.Code, rec.Body)
				}
				return decodeMap(t, rec.Body)["total"].(map[string]any)
			}
			if tot := stats(); tot["checks"] != 0.0 || tot["checks_hidden"] != true {
				t.Errorf("one check is shown: %v", tot)
			}
			for i := range 2 {
				rec := apiCall(t, s, "POST", "/api/v1/fund-checks", paulaKey, fundCheckBody("Ratsinformationssystem "+strconv.Itoa(i), "administration.online-services"))
				var c apiFundCheck
				json.Unmarshal(rec.Body.Bytes(), &c)
				var sts []map[string]string
				for _, m := range c.Matches {
					sts = append(sts, map[string]string{"key": m.Kind + ":" + m.Ref, "verdict": "reusable"})
				}
				b, _ := json.Marshal(map[string]any{"lock": c.Lock, "statements": sts, "finalise": true})
				if rec := apiCall(t, s, "PUT", "/api/v1/fund-checks/"+c.ID+"/statements", paulaKey, string(b)); rec.Code != 200 {
					t.Fatalf("finalise: %d %s", rec.Code, rec.Body)
				}
			}
			if tot := stats(); tot["checks"] != 3.0 || tot["reusable"] != 3.0 {
				t.Errorf("three checks: %v", tot)
			}
			if code, body, _ := newBrowser(t, s).get("/bestandspruefung/statistik"); code != 200 || !strings.Contains(body, "Modellprojekte Smart Cities") {
				t.Errorf("statistics page: %d", code)
			}
		})
	})
}
