package http

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// openAPIProcurementCases are the requests to the procurement operations
// beyond those openAPICases derives; ok is false for other operations.
func openAPIProcurementCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	method := strings.ToUpper(op.method)
	add := func(target, body string, status int, as string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as})
	}
	examples := func(target string, status int) {
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(target, string(ex.Value), status, "operator")
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
	}
	switch op.String() {
	case "GET /api/v1/procurement/orientation":
		q := "?contract_type=supplies_services&authority_type=sub_central&date=2026-03-02&value="
		add(op.path+q+"216000", "", 200, "")
		add(op.path+q+"215999.99&state=09", "", 200, "")
		add(op.path+"?contract_type=works&authority_type=sector&value=6000000", "", 200, "")
		add(op.path+"?contract_type=concessions&authority_type=central&value=1", "", 200, "")
		for _, bad := range []string{"-5", "abc", "1000000000000000", "0", "1.2345"} {
			add(op.path+q+bad, "", 400, "")
		}
		add(op.path+q+"1&state=17", "", 400, "")
		add(op.path+q+"1&date=2026-02-30", "", 400, "")
		add(op.path+"?contract_type=supplies_services&authority_type=sub_central", "", 400, "")
		add(op.path+q+"1&unknown_parameter=1", "", 400, "")
	case "POST /api/v1/procurement/thresholds":
		examples(op.path, http.StatusCreated)
		body := `{"scope":"national","jurisdiction":"09","contract_type":"works","procedure":"direct_award","amount_net_cents":300000,"valid_from":"2026-01-01","source":{"text":"x","url":""}}`
		add(op.path, body, 401, "")
		add(op.path, body, 403, "user")
		add(op.path, body, 403, "reader")
		add(op.path, strings.Replace(body, `"09"`, `"17"`, 1), 400, "operator")
		add(op.path, strings.Replace(body, `300000`, `-1`, 1), 400, "operator")
		add(op.path, `{"scope":"eu"}`, 400, "operator")
		add(op.path, `[]`, 400, "operator")
	case "PUT /api/v1/procurement/thresholds/{id}":
		target := "/api/v1/procurement/thresholds/019ab000-0000-7000-8000-000000000013"
		examples(target, http.StatusOK)
		body := `{"scope":"national","jurisdiction":"DE","contract_type":"supplies_services","procedure":"direct_award","amount_net_cents":100000,"valid_from":"2017-09-02","source":{"text":"§ 14 UVgO","url":""}}`
		add(target, body, 401, "")
		add(target, body, 403, "user")
		add(target, strings.Replace(body, "100000", "200000", 1), 400, "operator") // in force: the amount stays
		add("/api/v1/procurement/thresholds/"+uuid.NewString(), body, 404, "operator")
		add("/api/v1/procurement/thresholds/kein", body, 404, "operator")
	default:
		return nil, false
	}
	return cases, true
}
