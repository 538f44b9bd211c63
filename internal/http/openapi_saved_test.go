package http

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/alert"
)

// savedAPIFixture is whom the saved-search operations are called as.
type savedAPIFixture struct {
	key, reader, full string // API keys: with searches, read-only, at the limit
	other             string // id of a search of someone else
	owner             account.User
}

var savedAPIFixtures perServer[*savedAPIFixture]

func openAPISavedFixture(t *testing.T, s *Server) *savedAPIFixture {
	t.Helper()
	return savedAPIFixtures.get(s, func() *savedAPIFixture {
		ctx := t.Context()
		owner := mustAccount(t, s, "saved-"+uuid.NewString()+"@test.example", "Suchende")
		full := mustAccount(t, s, "saved-full-"+uuid.NewString()+"@test.example", "")
		other := mustAccount(t, s, "saved-other-"+uuid.NewString()+"@test.example", "")
		f := &savedAPIFixture{owner: owner, key: testAPIToken(t, s, owner, account.ScopeRead, account.ScopeWrite),
			reader: testAPIToken(t, s, owner, account.ScopeRead), full: testAPIToken(t, s, full, account.ScopeRead, account.ScopeWrite)}
		for i := range alert.MaxPerUser {
			if _, err := s.Alerts.Create(ctx, full, "", "q=Suche"+strings.Repeat("x", i), "de"); err != nil {
				t.Fatal(err)
			}
		}
		ss, err := s.Alerts.Create(ctx, other, "Fremd", "q=Daten", "de")
		if err != nil {
			t.Fatal(err)
		}
		f.other = ss.ID
		return f
	})
}

// openAPISavedListCases are the requests to GET /api/v1/me/searches
// beyond those openAPICases derives: a list that is not empty.
func openAPISavedListCases(t *testing.T, op openAPIOp, s *Server) []apiCase {
	t.Helper()
	f := openAPISavedFixture(t, s)
	if _, err := s.Alerts.Create(t.Context(), f.owner, "Parken", "q=Parken&feld=mobility", "de"); err != nil {
		t.Fatal(err)
	}
	return []apiCase{{op: op, target: op.path, status: 200, wantItems: true, headers: []string{"Authorization: Bearer " + f.key}}}
}

// openAPISavedCases are the requests to the writes of saved searches; ok
// is false for other operations.
func openAPISavedCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	switch op.String() {
	case "POST /api/v1/me/searches", "DELETE /api/v1/me/searches/{id}":
	default:
		return nil, false
	}
	f := openAPISavedFixture(t, s)
	key, reader, full := []string{"Authorization: Bearer " + f.key}, []string{"Authorization: Bearer " + f.reader}, []string{"Authorization: Bearer " + f.full}
	add := func(target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: strings.ToUpper(op.method), target: target, body: body, status: status, as: as, headers: headers})
	}
	switch op.String() {
	case "POST /api/v1/me/searches":
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(op.path, string(ex.Value), 201, "", key...)
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
		add(op.path, `{"query":"?q=Parken&nach=0195f2a4-7c1e-7d3a-9b51-6c2f0e8a4b11"}`, 201, "user")
		add(op.path, `{"name":"Farbe","query":"farbe=rot"}`, 400, "", key...)
		add(op.path, `{"name":"Raumfahrt","query":"feld=raumfahrt"}`, 400, "", key...)
		add(op.path, `{"name":"`+strings.Repeat("x", alert.MaxName+1)+`","query":""}`, 400, "", key...)
		add(op.path, `{"name":"ohne Suche"}`, 400, "", key...)
		add(op.path, `{"query":"q=x","farbe":"rot"}`, 400, "", key...)
		add(op.path+"?x=1", `{"query":"q=x"}`, 400, "", key...)
		add(op.path, `{"query":"q=x"}`, 401, "")
		add(op.path, `{"query":"q=x"}`, 403, "", reader...)
		add(op.path, `{"query":"q=eine+zu+viel"}`, 409, "", full...)
	case "DELETE /api/v1/me/searches/{id}":
		ss, err := s.Alerts.Create(t.Context(), f.owner, "Zum Löschen", "q=Abfall", "de")
		if err != nil {
			t.Fatal(err)
		}
		path := func(id string) string { return strings.ReplaceAll(op.path, "{id}", id) }
		add(path(ss.ID), "", 401, "")
		add(path(ss.ID), "", 403, "", reader...)
		add(path(ss.ID)+"?x=1", "", 400, "", key...)
		add(path(f.other), "", 404, "", key...) // another user's
		add(path(f.other), "", 404, "operator")
		add(path(uuid.NewString()), "", 404, "", key...)
		add(path("x"), "", 404, "", key...)
		add(path(ss.ID), "", 200, "", key...)
		add(path(ss.ID), "", 404, "", key...) // gone
	}
	return cases, true
}
