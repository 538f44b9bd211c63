package http

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
)

// openAPIExplorationID is the example id of the document: a sent
// exploration of the municipality open-api-markt, whose members include
// the document's operators.
const openAPIExplorationID = "019a0000-0000-7000-8000-0000000000c7"

type explorationAPIFixture struct {
	a, c                      string // keys of members of providers A (asked) and C (not asked)
	crit, rfi, send, answer   string // explorations in the state each write needs
	late, scores, close       string
	report                    []byte // a JSON report of the example exploration
	buyer                     exploration.Actor
	providerA                 account.User
	criteria                  []exploration.Criterion
	questions                 []exploration.Question
	providerSlugs, candidates []string
}

var explorationAPIFixtures perServer[*explorationAPIFixture]

func openAPIExplorationFixture(t *testing.T, s *Server) *explorationAPIFixture {
	t.Helper()
	openAPINeedFixture(t, s) // the example need of createExploration
	return explorationAPIFixtures.get(s, func() *explorationAPIFixture {
		ctx := context.Background()
		f := &explorationAPIFixture{}
		owner := openAPIMunicipality(t, s, "open-api-markt", "01006000")
		o, err := s.DB.OrgBySlug(ctx, "open-api-markt")
		if err != nil {
			t.Fatal(err)
		}
		ops, err := s.DB.ListUsers(ctx, account.UserFilter{Query: "openapi-op-", Role: account.Operator, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range ops.Items {
			if err := s.DB.CreateRequest(ctx, orgRequest(o.ID, u), account.AuditEntry{}); err != nil && !apperr.Is(err, apperr.Conflict) {
				t.Fatal(err)
			}
		}
		keys := map[string]string{}
		for _, x := range []string{"a", "b", "c"} {
			_, u := usageSolution(t, s, "open-api-markt-"+x)
			keys[x] = testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite)
			if x == "a" {
				f.providerA = u
			}
		}
		f.a, f.c = keys["a"], keys["c"]
		if f.buyer, err = s.Explorations.Actor(ctx, &owner); err != nil {
			t.Fatal(err)
		}
		f.criteria = []exploration.Criterion{{Name: "Preis", Weight: 40}, {Name: "Hosting in Deutschland", Weight: 35, Exclusion: true}, {Name: "Schnittstellen", Weight: 25}}
		f.questions = []exploration.Question{{Text: "Was kostet der Betrieb pro Jahr?", Type: "number"}, {Text: "Läuft der Dienst in Deutschland?", Type: "yesno"}}
		m := account.Meta{}
		// start returns a new exploration of the three providers' solutions
		// after the steps given (criteria, rfi, send).
		start := func(id string, steps int) exploration.Exploration {
			e, err := s.Explorations.Create(ctx, f.buyer, exploration.Start{Org: "open-api-markt", Query: "q=open-api-markt"}, m)
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := e.Frozen()
			if len(snap.Candidates) != 3 {
				t.Fatalf("exploration fixture: %d candidates", len(snap.Candidates))
			}
			if f.providerSlugs == nil {
				for _, c := range snap.Candidates {
					f.candidates = append(f.candidates, c.Slug)
				}
				for _, p := range snap.Providers() {
					f.providerSlugs = append(f.providerSlugs, p.Slug)
				}
			}
			if id != "" { // the example's fixed id: the same content again
				e.ID = id
				if e, err = s.DB.CreateExploration(ctx, e, account.AuditEntry{ID: id, Action: "exploration.created", ObjectType: "exploration"}); err != nil {
					t.Fatal(err)
				}
			}
			if steps >= 1 {
				if e, err = s.Explorations.SetCriteria(ctx, f.buyer, e.ID, e.Lock, f.criteria, m); err != nil {
					t.Fatal(err)
				}
			}
			if steps >= 2 {
				deadline := time.Date(2030, 12, 31, 11, 0, 0, 0, time.UTC)
				in := exploration.RFI{Questions: f.questions, Deadline: &deadline, Providers: snap.ProviderIDs()[:2]}
				if e, err = s.Explorations.SetRFI(ctx, f.buyer, e.ID, e.Lock, in, m); err != nil {
					t.Fatal(err)
				}
			}
			if steps >= 3 {
				if e, err = s.Explorations.Send(ctx, f.buyer, e.ID, e.Lock, m); err != nil {
					t.Fatal(err)
				}
			}
			return e
		}
		// past moves the deadline of a sent exploration into the past.
		past := func(e exploration.Exploration) exploration.Exploration {
			d := time.Now().Add(-time.Hour).UTC()
			e.Deadline = &d
			e, err := s.DB.UpdateExploration(ctx, e, e.Lock, account.AuditEntry{ID: e.ID + "-past", Action: "exploration.test", ObjectType: "exploration"})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		ex := start(openAPIExplorationID, 3)
		file, err := s.Explorations.Report(ctx, f.buyer, ex.ID, "json", "de", m)
		if err != nil {
			t.Fatal(err)
		}
		f.report = file.Body
		f.crit = start("", 0).ID
		f.rfi = start("", 1).ID
		f.send = start("", 2).ID
		f.answer = start("", 3).ID
		f.late = past(start("", 3)).ID
		sc := past(start("", 3))
		f.scores = sc.ID
		cl := past(start("", 3))
		snap, _ := cl.Frozen()
		if _, err := s.Explorations.SetScores(ctx, f.buyer, cl.ID, cl.Lock, []exploration.Score{{Solution: snap.Candidates[0].Solution, Values: []int{8, 10, 6}}}, m); err != nil {
			t.Fatal(err)
		}
		f.close = cl.ID
		if f.providerSlugs[0] != "anbieter-open-api-markt-a" || f.providerSlugs[1] != "anbieter-open-api-markt-b" || f.candidates[0] != "open-api-markt-a" {
			t.Fatalf("the document's example slugs differ: %v %v", f.providerSlugs, f.candidates)
		}
		return f
	})
}

// openAPIExplorationCases returns the requests to the exploration
// operations; ok is false for other operations.
func openAPIExplorationCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as, key string) {
		var h []string
		if key != "" {
			h = []string{"Authorization: Bearer " + key}
		}
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: h})
	}
	examples := func() []string {
		var out []string
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				out = append(out, string(ex.Value))
			}
		}
		if len(out) == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
		return out
	}
	const base = "/api/v1/explorations/"
	unknown := base + "019a0000-0000-7000-8000-000000000000"
	switch op.String() {
	case "GET /api/v1/explorations", "GET /api/v1/explorations/{id}":
		openAPIExplorationFixture(t, s) // the example of the derived requests
	case "POST /api/v1/explorations":
		openAPIExplorationFixture(t, s)
		add(http.MethodPost, "/api/v1/explorations", `{"need":"","query":""}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPost, "/api/v1/explorations", ex, 201, "operator", "")
		}
		add(http.MethodPost, "/api/v1/explorations", `{"need":"gibt-es-nicht"}`, 404, "operator", "")
		add(http.MethodPost, "/api/v1/explorations", `{"need":"open-api-bedarf"}`, 401, "", "")
		add(http.MethodPost, "/api/v1/explorations", `{"need":"open-api-bedarf"}`, 403, "reader", "")
	case "PUT /api/v1/explorations/{id}/criteria":
		f := openAPIExplorationFixture(t, s)
		target := base + f.crit + "/criteria"
		add(http.MethodPut, target, `{"lock":0,"criteria":[{"name":"Preis","weight":60}]}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPut, target, ex, 200, "operator", "")
			add(http.MethodPut, target, ex, 409, "operator", "") // the lock is stale now
		}
		add(http.MethodPut, target, `{"lock":1,"criteria":[]}`, 401, "", "")
		add(http.MethodPut, target, `{"lock":1,"criteria":[]}`, 403, "reader", "")
		add(http.MethodPut, target, `{"lock":1,"criteria":[]}`, 404, "", f.a) // a provider: drafts stay hidden
		add(http.MethodPut, unknown+"/criteria", `{"lock":1,"criteria":[]}`, 404, "operator", "")
	case "PUT /api/v1/explorations/{id}/rfi":
		f := openAPIExplorationFixture(t, s)
		target := base + f.rfi + "/rfi"
		add(http.MethodPut, target, `{"lock":1,"questions":[],"deadline":"2020-01-01T00:00:00Z","providers":["gibt-es-nicht"]}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPut, target, ex, 200, "operator", "")
			add(http.MethodPut, target, ex, 409, "operator", "")
		}
		add(http.MethodPut, target, `{"lock":2}`, 401, "", "")
		add(http.MethodPut, target, `{"lock":2}`, 403, "reader", "")
		add(http.MethodPut, unknown+"/rfi", `{"lock":2,"questions":[],"deadline":"","providers":[]}`, 404, "operator", "")
	case "POST /api/v1/explorations/{id}/send":
		f := openAPIExplorationFixture(t, s)
		target := base + f.send + "/send"
		add(http.MethodPost, target, `{}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "operator", "")
			add(http.MethodPost, target, ex, 409, "operator", "") // sent already
		}
		add(http.MethodPost, target, `{"lock":3}`, 401, "", "")
		add(http.MethodPost, target, `{"lock":3}`, 403, "reader", "")
		add(http.MethodPost, unknown+"/send", `{"lock":3}`, 404, "operator", "")
	case "PUT /api/v1/explorations/{id}/answer":
		f := openAPIExplorationFixture(t, s)
		target := base + f.answer + "/answer"
		add(http.MethodPut, target, `{"answers":["viel","vielleicht"]}`, 400, "", f.a)
		for _, ex := range examples() {
			add(http.MethodPut, target, ex, 200, "", f.a)
		}
		add(http.MethodPut, target, `{"answers":["1","yes"]}`, 401, "", "")
		add(http.MethodPut, target, `{"answers":["1","yes"]}`, 403, "reader", "")
		add(http.MethodPut, target, `{"answers":["1","yes"]}`, 403, "operator", "") // the buyer
		add(http.MethodPut, target, `{"answers":["1","yes"]}`, 404, "", f.c)        // not asked
		add(http.MethodPut, base+f.late+"/answer", `{"answers":["1","yes"]}`, 409, "", f.a)
	case "PUT /api/v1/explorations/{id}/scores":
		f := openAPIExplorationFixture(t, s)
		target := base + f.scores + "/scores"
		add(http.MethodPut, target, `{"lock":4,"scores":[{"solution":"open-api-markt-a","values":[11,0,0]},{"solution":"open-api-markt-b","excluded":true}]}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPut, target, ex, 200, "operator", "")
			add(http.MethodPut, target, ex, 409, "operator", "")
		}
		add(http.MethodPut, target, `{"lock":5,"scores":[]}`, 401, "", "")
		add(http.MethodPut, target, `{"lock":5,"scores":[]}`, 403, "reader", "")
		add(http.MethodPut, unknown+"/scores", `{"lock":5,"scores":[]}`, 404, "operator", "")
	case "POST /api/v1/explorations/{id}/close":
		f := openAPIExplorationFixture(t, s)
		target := base + f.close + "/close"
		add(http.MethodPost, target, `{"lock":5,"outcome":"awarded","awarded_to":"","reason":""}`, 400, "operator", "")
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "operator", "")
			add(http.MethodPost, target, ex, 409, "operator", "") // closed already
		}
		add(http.MethodPost, target, `{"lock":6,"outcome":"cancelled","reason":"x"}`, 401, "", "")
		add(http.MethodPost, target, `{"lock":6,"outcome":"cancelled","reason":"x"}`, 403, "reader", "")
		add(http.MethodPost, unknown+"/close", `{"lock":6,"outcome":"cancelled","reason":"x"}`, 404, "operator", "")
	case "GET /api/v1/explorations/{id}/report":
		openAPIExplorationFixture(t, s)
		target := base + openAPIExplorationID + "/report"
		add("", target+"?format=json", "", 200, "operator", "")
		add("", target+"?format=json&lang=en", "", 200, "operator", "")
		add("", target+"?format=radio", "", 400, "operator", "")
		add("", target+"?format=json&unknown_parameter=1", "", 400, "operator", "")
		add("", target+"?format=json", "", 401, "", "")
		add("", target+"?format=json", "", 403, "user", "")
		add("", unknown+"/report?format=json", "", 404, "operator", "")
	case "POST /api/v1/reports/verify":
		f := openAPIExplorationFixture(t, s)
		add(http.MethodPost, "/api/v1/reports/verify", string(f.report), 200, "operator", "")
		changed := []byte(string(f.report))
		changed[len(changed)/2] ^= 1
		add(http.MethodPost, "/api/v1/reports/verify", string(changed), 200, "operator", "")
		add(http.MethodPost, "/api/v1/reports/verify", "", 400, "operator", "")
		add(http.MethodPost, "/api/v1/reports/verify", string(f.report), 401, "", "")
		add(http.MethodPost, "/api/v1/reports/verify", string(f.report), 403, "reader", "")
	default:
		return nil, false
	}
	return cases, true
}
