package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/decision"
	"github.com/smartregions/smartregions/internal/fundcheck"
)

// fundCheckAPIFixture holds the keys of the OpenAPI requests to checks
// before funding and decision aids, with a draft check and an aid of
// the owner.
type fundCheckAPIFixture struct {
	owner, reader, other string
	member               string // key of the author of the example check
	check                fundcheck.Check
	aid, gone            decision.Aid // gone is deleted by the requests
}

// openAPIFundCheckID is the example id of the document: a check of the
// municipality open-api-foerderung, whose members include the document's
// operators.
const openAPIFundCheckID = "0190b6a2-0000-7000-8000-0000000fc001"

var fundCheckAPIFixtures perServer[*fundCheckAPIFixture]

func openAPIFundCheckFixture(t *testing.T, s *Server) *fundCheckAPIFixture {
	t.Helper()
	return fundCheckAPIFixtures.get(s, func() *fundCheckAPIFixture {
		ctx := context.Background()
		owner := mustAccount(t, s, "openapi-fund-"+uuid.NewString()[:8]+"@test.example", "Förderung")
		other := mustAccount(t, s, "openapi-fund-"+uuid.NewString()[:8]+"@test.example", "Andere")
		f := &fundCheckAPIFixture{owner: testAPIToken(t, s, owner, account.ScopeRead, account.ScopeWrite),
			reader: testAPIToken(t, s, owner, account.ScopeRead), other: testAPIToken(t, s, other, account.ScopeRead, account.ScopeWrite)}
		a, err := s.FundChecks.Actor(ctx, &owner)
		if err != nil {
			t.Fatal(err)
		}
		f.check, err = s.FundChecks.Create(ctx, a, "", fundcheck.Input{Title: "Parkraum digital", Description: "Parkscheine digital verkaufen.",
			Fields: []string{"mobility.parking"}}, account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		openAPIFundCheckExample(t, s, f)
		for _, p := range []*decision.Aid{&f.aid, &f.gone} {
			*p, _, err = s.Decisions.Create(ctx, &owner, decision.Aid{Title: "Beispiel", Options: []decision.Option{{Name: "Eigen"}}}, account.Meta{})
			if err != nil {
				t.Fatal(err)
			}
		}
		return f
	})
}

// openAPIFundCheckExample stores the document's example check with its
// fixed id, of a municipality the operators of openAPICallers belong to.
func openAPIFundCheckExample(t *testing.T, s *Server, f *fundCheckAPIFixture) {
	t.Helper()
	ctx := context.Background()
	author := openAPIMunicipality(t, s, "open-api-foerderung", "01055001")
	o, err := s.DB.OrgBySlug(ctx, "open-api-foerderung")
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
	f.member = testAPIToken(t, s, author, account.ScopeRead, account.ScopeWrite)
	a, err := s.FundChecks.Actor(ctx, &author)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.FundChecks.Create(ctx, a, "open-api-foerderung", fundcheck.Input{Title: "Digitale Parkraumbewirtschaftung",
		Description: "Parkscheine digital verkaufen und freie Parkplätze erfassen.", Fields: []string{"mobility.parking"}}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	c.ID = openAPIFundCheckID // the same content again, with the example's id
	if _, err := s.DB.CreateFundCheck(ctx, c, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "fund_check.create",
		ObjectType: "fund_check", ObjectID: c.ID}); err != nil {
		t.Fatal(err)
	}
}

// openAPIFundCheckCases returns the requests to the operations of checks
// before funding and decision aids that change data; ok is false for
// other operations.
func openAPIFundCheckCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
	}
	bearer := func(key string) string { return "Authorization: Bearer " + key }
	examples := func(method, target string, status int, key string) {
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(method, target, string(ex.Value), status, "", bearer(key))
			}
		}
	}
	switch op.String() {
	case "GET /api/v1/fund-checks/{id}":
		f := openAPIFundCheckFixture(t, s)
		target := "/api/v1/fund-checks/" + openAPIFundCheckID
		add(http.MethodGet, target, "", 200, "", bearer(f.member)) // the author
		add(http.MethodGet, target, "", 401, "")
		add(http.MethodGet, target, "", 404, "", bearer(f.other)) // not the author, not a member
		add(http.MethodGet, "/api/v1/fund-checks/"+f.check.ID, "", 200, "", bearer(f.owner))
		add(http.MethodGet, "/api/v1/fund-checks/"+f.check.ID, "", 404, "", bearer(f.other))
		add(http.MethodGet, "/api/v1/fund-checks/"+uuid.NewString(), "", 404, "", bearer(f.owner))
	case "POST /api/v1/fund-checks":
		f := openAPIFundCheckFixture(t, s)
		examples(http.MethodPost, op.path, 201, f.owner)
		add(http.MethodPost, op.path, `{}`, 400, "", bearer(f.owner))
		add(http.MethodPost, op.path, `{"title":"x"}`, 401, "")
		add(http.MethodPost, op.path, `{"title":"x"}`, 403, "", bearer(f.reader))
	case "PUT /api/v1/fund-checks/{id}/statements":
		f := openAPIFundCheckFixture(t, s)
		target := "/api/v1/fund-checks/" + f.check.ID + "/statements"
		body := func(lock int, verdict string) string {
			var sts []map[string]string
			for _, m := range f.check.Matches {
				sts = append(sts, map[string]string{"key": m.Key(), "verdict": verdict})
			}
			b, _ := json.Marshal(map[string]any{"lock": lock, "statements": sts})
			return string(b)
		}
		add(http.MethodPut, target, body(f.check.Lock, "reusable"), 200, "", bearer(f.owner))
		add(http.MethodPut, target, body(f.check.Lock, "reusable"), 409, "", bearer(f.owner)) // the lock is stale now
		add(http.MethodPut, target, `{"lock":`+strconv.Itoa(f.check.Lock+1)+`,"statements":[{"key":"solution:gibt-es-nicht","verdict":"reusable"}]}`, 400, "", bearer(f.owner))
		add(http.MethodPut, target, body(f.check.Lock+1, ""), 401, "")
		add(http.MethodPut, target, body(f.check.Lock+1, ""), 403, "", bearer(f.reader))
		add(http.MethodPut, target, body(f.check.Lock+1, ""), 404, "", bearer(f.other))
	case "POST /api/v1/decision-aids":
		f := openAPIFundCheckFixture(t, s)
		examples(http.MethodPost, op.path, 201, f.owner)
		add(http.MethodPost, op.path, `{"options":[]}`, 400, "", bearer(f.owner))
		add(http.MethodPost, op.path, `{"options":[]}`, 401, "")
		add(http.MethodPost, op.path, `{"options":[]}`, 403, "", bearer(f.reader))
	case "PUT /api/v1/decision-aids/{id}":
		f := openAPIFundCheckFixture(t, s)
		target := "/api/v1/decision-aids/" + f.aid.ID
		body := func(lock int) string { return `{"lock":` + strconv.Itoa(lock) + `,"options":[{"name":"Eigen"}]}` }
		examples(http.MethodPut, target, 200, f.owner)
		add(http.MethodPut, target, body(f.aid.Lock), 409, "", bearer(f.owner)) // changed by the example
		add(http.MethodPut, target, `{"lock":1,"options":[]}`, 400, "", bearer(f.owner))
		add(http.MethodPut, target, body(1), 401, "")
		add(http.MethodPut, target, body(1), 403, "", bearer(f.reader))
		add(http.MethodPut, target, body(1), 404, "", bearer(f.other))
	case "DELETE /api/v1/decision-aids/{id}":
		f := openAPIFundCheckFixture(t, s)
		target := "/api/v1/decision-aids/" + f.gone.ID
		add(http.MethodDelete, target+"?x=1", "", 400, "", bearer(f.owner))
		add(http.MethodDelete, target, "", 401, "")
		add(http.MethodDelete, target, "", 403, "", bearer(f.reader))
		add(http.MethodDelete, target, "", 404, "", bearer(f.other))
		add(http.MethodDelete, target, "", 200, "", bearer(f.owner))
	default:
		return nil, false
	}
	return cases, true
}
