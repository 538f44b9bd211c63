package http

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/search"
)

// openAPISynonymExamples are the words of the document's request
// examples of the synonym operations.
var openAPISynonymExamples = []string{"Leerstandsmelder", "Leerstandsmanagement", "Leerstandskataster", "Bürgerhaushalt", "Beteiligungshaushalt",
	"Haushaltsbeteiligung"}

// openAPISynonymGroup stores a group of made-up words directly (without
// an audit entry) and returns its id.
func openAPISynonymGroup(t *testing.T, s *Server) int64 {
	t.Helper()
	w := strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	letters := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'g' + (r - '0')
		}
		return r
	}, w)
	g, err := s.DB.AddSynonymGroup(t.Context(), []string{"Openapi" + letters, "Beispiel" + letters}, "test",
		func([]search.SynonymGroup) (account.AuditEntry, error) { return account.AuditEntry{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// openAPISynonymCases are the requests to the synonym operations beyond
// those openAPICases derives; ok is false for other operations. They run
// on the shared database: groups left by an earlier run with the
// document's example words are removed first.
func openAPISynonymCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	switch op.String() {
	case "POST /api/v1/search/synonyms", "PUT /api/v1/search/synonyms/{id}", "DELETE /api/v1/search/synonyms/{id}":
	default:
		return nil, false
	}
	groups, err := s.DB.SynonymGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		for _, m := range g.Members {
			if strings.Contains(strings.Join(openAPISynonymExamples, "|"), m) {
				if err := s.DB.DeleteSynonymGroup(t.Context(), g.ID, func([]search.SynonymGroup) (account.AuditEntry, error) {
					return account.AuditEntry{}, nil
				}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
	}
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
	target := op.path
	if strings.Contains(op.path, "{id}") {
		target = strings.Replace(op.path, "{id}", strconv.FormatInt(openAPISynonymGroup(t, s), 10), 1)
		for _, id := range []string{"999999999", "x", "0", "07"} {
			body := ""
			if method == "PUT" {
				body = `{"members":["Xylophon","Glockenspiel"]}`
			}
			add(strings.Replace(op.path, "{id}", id, 1), body, 404, "operator")
		}
	}
	body := `{"members":["Pauke","Trommel"]}`
	if method == "DELETE" {
		body = ""
	}
	add(target, body, 401, "")
	add(target, body, 403, "reader")
	add(target, body, 403, "user")
	add(target+"?unknown_parameter=1", body, 400, "operator")
	if method != "DELETE" {
		for _, bad := range []string{`{"members":["Pauke"]}`, `{"members":"Pauke"}`, `{}`, `{"members":["Pauke","Trommel"],"id":1}`, `[`,
			`{"members":["Pauke","pauke"]}`, `{"members":["Pauke","` + strings.Repeat("x", 61) + `"]}`} {
			add(target, bad, 400, "operator")
		}
	}
	switch method {
	case "POST":
		examples(target, 201)
	case "PUT":
		examples(target, 200)
	case "DELETE":
		add(target, "", 200, "operator")
		add(target, "", 404, "operator")
	}
	return cases, true
}
