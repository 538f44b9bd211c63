package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
)

// openAPICallers creates the accounts whose API keys call the document's
// protected operations, by the names apiCase.as uses: "operator" (a key
// that may write), "reader" (the operator's read-only key) and "user" (an
// account without platform roles, with a key that may write).
func openAPICallers(t *testing.T, s *Server) map[string]string {
	t.Helper()
	op := mustAccount(t, s, "openapi-op-"+uuid.NewString()+"@test.example", "OpenAPI", account.Operator)
	user := mustAccount(t, s, "openapi-user-"+uuid.NewString()+"@test.example", "")
	return map[string]string{
		"operator": testAPIToken(t, s, op, account.ScopeRead, account.ScopeWrite),
		"reader":   testAPIToken(t, s, op, account.ScopeRead),
		"user":     testAPIToken(t, s, user, account.ScopeRead, account.ScopeWrite),
	}
}

// openAPIWriteCases are the requests to the operations that
// openAPICases does not derive: those that change data, which need a real
// account in the path and a body, and lists that must not be empty.
func openAPIWriteCases(t *testing.T, o *openAPI, s *Server) []apiCase {
	t.Helper()
	var cases []apiCase
	openAPIOrgFixture(t, s) // the example organisation and solution of the document
	for _, op := range o.operations() {
		switch {
		case op.method == "get" && op.path == "/api/v1/solutions":
			cases = append(cases, apiCase{op: op, target: op.path + "?q=beispiel&field=administration", status: 200, wantItems: true})
		case op.method == "get" && op.path == "/api/v1/search":
			cases = append(cases, apiCase{op: op, target: op.path + "?q=beispiel&field=administration&sort=relevance", status: 200, wantItems: true},
				apiCase{op: op, target: op.path + "?sort=name&limit=1", status: 200, wantItems: true},
				apiCase{op: op, target: op.path + "?q=%22unbalanced+-+%27%3B+DROP+TABLE+solutions", status: 200})
		case op.method == "get" && op.path == "/api/v1/users":
			cases = append(cases, apiCase{op: op, target: op.path + "?limit=1", status: 200, wantItems: true, as: "operator"})
		case op.method == "get" && op.path == "/api/v1/audit-log":
			cases = append(cases, apiCase{op: op, target: op.path + "?limit=1&action=account.", status: 200, wantItems: true, as: "reader"},
				apiCase{op: op, target: op.path + "?from=2026-03-02&to=2026-03-01", status: 400, as: "operator"},
				apiCase{op: op, target: op.path + "?from=1.3.2026&to=31.3.2026", status: 200, as: "operator"})
		case op.method == "get" && op.path == "/api/v1/solutions/compare":
			cases = append(cases, openAPICompareCases(t, op, s)...) // compare_test.go
		case op.method == "get" && op.path == "/api/v1/me/searches":
			cases = append(cases, openAPISavedListCases(t, op, s)...) // openapi_saved_test.go
		case strings.HasPrefix(op.path, "/api/v1/explorations") || op.path == "/api/v1/reports/verify":
			xc, _ := openAPIExplorationCases(t, op, s) // openapi_exploration_test.go
			cases = append(cases, xc...)
		case op.method == "get" && op.path == "/api/v1/procurement/orientation":
			pc, _ := openAPIProcurementCases(t, op, s) // openapi_procurement_test.go
			cases = append(cases, pc...)
		case op.method == "get" && op.path == "/api/v1/fund-checks/{id}":
			fc, _ := openAPIFundCheckCases(t, op, s) // openapi_fundcheck_test.go
			cases = append(cases, fc...)
		case op.method == "get" && !strings.Contains(op.path, "organisation") && !strings.Contains(op.path, "verification"):
		case op.method == "put" && op.path == "/api/v1/users/{id}/roles":
			u := mustAccount(t, s, "openapi-"+uuid.NewString()+"@test.example", "")
			target := "/api/v1/users/" + u.ID + "/roles"
			put := func(target, body string, status int, as string) {
				cases = append(cases, apiCase{op: op, method: http.MethodPut, target: target, body: body, status: status, as: as})
			}
			n := 0
			for _, c := range op.RequestBody.Content {
				for _, ex := range c.Examples {
					put(target, string(ex.Value), 200, "operator")
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s: the request body needs examples", op)
			}
			put(target, `{"roles":["curator"]}`, 401, "")
			put(target, `{"roles":["curator"]}`, 403, "reader")
			put(target, `{"roles":["curator"]}`, 403, "user")
			put(target, `{"roles":["admin"]}`, 400, "operator")
			put(target, `{"roles":"curator"}`, 400, "operator")
			put(target, `{}`, 400, "operator")
			put(target+"?limit=1", `{"roles":[]}`, 400, "operator")
			put("/api/v1/users/"+uuid.NewString()+"/roles", `{"roles":[]}`, 404, "operator")
		default:
			if oc, ok := openAPIOrgCases(t, op, s); ok {
				cases = append(cases, oc...)
				continue
			}
			if sc, ok := openAPISolutionCases(t, op, s); ok {
				cases = append(cases, sc...)
				continue
			}
			if mc, ok := openAPIMediaCases(t, op, s); ok {
				cases = append(cases, mc...)
				continue
			}
			if uc, ok := openAPIUsageCases(t, op, s); ok {
				cases = append(cases, uc...)
				continue
			}
			if hc, ok := openAPIHarvestCases(t, op, s); ok {
				cases = append(cases, hc...)
				continue
			}
			if ac, ok := openAPIAdviceCases(t, op, s); ok { // openapi_advice_test.go
				cases = append(cases, ac...)
				continue
			}
			if kc, ok := openAPIArticleCases(t, op, s); ok { // openapi_knowledge_test.go
				cases = append(cases, kc...)
				continue
			}
			if ec, ok := openAPIEventCases(t, op, s); ok { // openapi_event_test.go
				cases = append(cases, ec...)
				continue
			}
			if pc, ok := openAPIPracticeCases(t, op, s); ok { // openapi_practice_test.go
				cases = append(cases, pc...)
				continue
			}
			if nc, ok := openAPINeedCases(t, op, s); ok { // openapi_need_test.go
				cases = append(cases, nc...)
				continue
			}
			if fc, ok := openAPIFundCheckCases(t, op, s); ok { // openapi_fundcheck_test.go
				cases = append(cases, fc...)
				continue
			}
			if oc, ok := openAPIOfferCases(t, op, s); ok { // openapi_offer_test.go
				cases = append(cases, oc...)
				continue
			}
			if sc, ok := openAPISynonymCases(t, op, s); ok { // openapi_synonyms_test.go
				cases = append(cases, sc...)
				continue
			}
			if pc, ok := openAPIProcurementCases(t, op, s); ok { // openapi_procurement_test.go
				cases = append(cases, pc...)
				continue
			}
			if nc, ok := openAPINotifyCases(t, op, s); ok { // openapi_notify_test.go
				cases = append(cases, nc...)
				continue
			}
			if ac, ok := openAPISavedCases(t, op, s); ok {
				cases = append(cases, ac...)
				continue
			}
			t.Errorf("%s: add its requests to openAPIWriteCases", op)
		}
	}
	return cases
}
