package http

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/practice"
)

// openAPIPracticeSlug is the example practice example of the document,
// published on every test server by openAPIPracticeFixture.
const openAPIPracticeSlug = "open-api-praxisbeispiel"

// practiceAPIFixture holds the keys the practice operations are called
// with: a member of the owning municipality (write, read only) and a
// member of another one.
type practiceAPIFixture struct {
	owner, curator      account.User
	ownerKey, readerKey string
	otherKey            string
}

var practiceAPIFixtures perServer[*practiceAPIFixture]

func openAPIPracticeFixture(t *testing.T, s *Server) *practiceAPIFixture {
	t.Helper()
	return practiceAPIFixtures.get(s, func() *practiceAPIFixture {
		owner := openAPIMunicipality(t, s, "open-api-praxis", "01051011")
		other := openAPIMunicipality(t, s, "open-api-praxis-andere", "01051013")
		f := &practiceAPIFixture{owner: owner, ownerKey: testAPIToken(t, s, owner, account.ScopeRead, account.ScopeWrite),
			readerKey: testAPIToken(t, s, owner, account.ScopeRead), otherKey: testAPIToken(t, s, other, account.ScopeRead, account.ScopeWrite),
			curator: mustAccount(t, s, "openapi-praxis-kurator-"+uuid.NewString()[:8]+"@test.example", "Kurt", account.Curator)}
		if _, err := s.DB.Example(context.Background(), openAPIPracticeSlug); apperr.Is(err, apperr.NotFound) {
			if slug := openAPIPractice(t, s, f, "Open API Praxisbeispiel", practice.Published); slug != openAPIPracticeSlug {
				t.Fatalf("example slug %q", slug)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIPractice stores an example of the fixture's municipality in
// state st (draft, submitted or published) and returns its slug.
func openAPIPractice(t *testing.T, s *Server, f *practiceAPIFixture, title string, st practice.State) string {
	t.Helper()
	ctx := context.Background()
	a, err := s.Practice.Actor(ctx, &f.owner)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.Practice.Create(ctx, a, "open-api-praxis", practice.Input{Content: practice.Content{Title: title, Goal: "Ein Beispiel.",
		Fields: []string{"administration"}, Start: "2025-01", Contact: practice.Contact{Name: "Erika", Email: "erika@example.org"}}}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if st == practice.Draft {
		return e.Slug
	}
	if _, err := s.Practice.Submit(ctx, a, e.Slug, account.Meta{}); err != nil {
		t.Fatal(err)
	}
	if st == practice.Published {
		c, err := s.Practice.Actor(ctx, &f.curator)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Practice.Review(ctx, c, e.Slug, true, "", account.Meta{}); err != nil {
			t.Fatal(err)
		}
	}
	return e.Slug
}

// openAPIPracticeCases returns the requests to the practice operations
// that change data; ok is false for other operations.
func openAPIPracticeCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
	}
	bearer := func(key string) string { return "Authorization: Bearer " + key }
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
	base := "/api/v1/practice-examples/"
	missing := base + "gibt-es-nicht-" + uuid.NewString()[:8]
	valid := `{"title":"T","goal":"G","fields":["administration"],"start":"2025-01","lock":1}`
	switch op.String() {
	case "POST /api/v1/practice-examples":
		f := openAPIPracticeFixture(t, s)
		for _, ex := range examples() {
			add(http.MethodPost, op.path, ex, 201, "", bearer(f.ownerKey))
		}
		add(http.MethodPost, op.path, `{}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, op.path, `{"organisation":"open-api-praxis","title":"T","goal":"G","fields":["administration"],"start":"2025-13"}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, op.path, `{"title":1}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, op.path, `{"organisation":"open-api-praxis","title":"T"}`, 400, "", bearer(f.otherKey)) // not its municipality
		add(http.MethodPost, op.path, `{"title":"T"}`, 401, "")
		add(http.MethodPost, op.path, `{"title":"T"}`, 403, "", bearer(f.readerKey))
	case "PUT /api/v1/practice-examples/{slug}":
		f := openAPIPracticeFixture(t, s)
		for _, ex := range examples() { // each on a fresh draft with lock 1
			add(http.MethodPut, base+openAPIPractice(t, s, f, "Open API Entwurf", practice.Draft), ex, 200, "", bearer(f.ownerKey))
		}
		draft := base + openAPIPractice(t, s, f, "Open API Entwurf", practice.Draft)
		add(http.MethodPut, draft, `{"title":"T","goal":"G","fields":["administration"],"start":"2025-01","lock":99}`, 409, "", bearer(f.ownerKey))
		add(http.MethodPut, draft, `{"title":"","goal":"G","fields":["administration"],"start":"2025-01","lock":1}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPut, draft, valid, 401, "")
		add(http.MethodPut, draft, valid, 403, "", bearer(f.readerKey))
		add(http.MethodPut, draft, valid, 404, "", bearer(f.otherKey)) // another municipality's draft is hidden
		add(http.MethodPut, base+openAPIPracticeSlug, valid, 403, "", bearer(f.otherKey))
		add(http.MethodPut, base+openAPIPractice(t, s, f, "Open API Eingereicht", practice.Submitted), valid, 409, "", bearer(f.ownerKey))
		add(http.MethodPut, missing, valid, 404, "", bearer(f.ownerKey))
	case "POST /api/v1/practice-examples/{slug}/submit":
		f := openAPIPracticeFixture(t, s)
		target := base + openAPIPractice(t, s, f, "Open API Entwurf", practice.Draft) + "/submit"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", bearer(f.ownerKey))
		}
		add(http.MethodPost, target, `{}`, 409, "", bearer(f.ownerKey)) // submitted already
		add(http.MethodPost, target, `{"now":true}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, target, `{}`, 401, "")
		add(http.MethodPost, target, `{}`, 403, "", bearer(f.readerKey))
		add(http.MethodPost, target, `{}`, 404, "", bearer(f.otherKey))
		add(http.MethodPost, base+openAPIPracticeSlug+"/submit", `{}`, 403, "", bearer(f.otherKey))
		add(http.MethodPost, missing+"/submit", `{}`, 404, "", bearer(f.ownerKey))
	case "POST /api/v1/practice-examples/{slug}/review":
		f := openAPIPracticeFixture(t, s)
		target := base + openAPIPractice(t, s, f, "Open API Pruefung", practice.Submitted) + "/review"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "operator")
		}
		add(http.MethodPost, target, `{"decision":"publish"}`, 409, "operator") // published already
		add(http.MethodPost, target, `{"decision":"vielleicht"}`, 400, "operator")
		add(http.MethodPost, target, `{"decision":"publish"}`, 401, "")
		add(http.MethodPost, target, `{"decision":"publish"}`, 403, "reader")
		add(http.MethodPost, target, `{"decision":"publish"}`, 403, "user")
		add(http.MethodPost, missing+"/review", `{"decision":"publish"}`, 404, "operator")
	case "POST /api/v1/practice-examples/{slug}/withdraw":
		f := openAPIPracticeFixture(t, s)
		target := base + openAPIPractice(t, s, f, "Open API Eingereicht", practice.Submitted) + "/withdraw"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", bearer(f.ownerKey))
		}
		add(http.MethodPost, target, `{}`, 409, "", bearer(f.ownerKey)) // a draft now
		add(http.MethodPost, target, `{"now":true}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, target, `{}`, 401, "")
		add(http.MethodPost, target, `{}`, 403, "", bearer(f.readerKey))
		add(http.MethodPost, target, `{}`, 404, "", bearer(f.otherKey))
		add(http.MethodPost, missing+"/withdraw", `{}`, 404, "", bearer(f.ownerKey))
	case "POST /api/v1/practice-examples/{slug}/archive":
		f := openAPIPracticeFixture(t, s)
		target := base + openAPIPractice(t, s, f, "Open API Archiv", practice.Published) + "/archive"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", bearer(f.ownerKey))
		}
		add(http.MethodPost, target, `{}`, 409, "", bearer(f.ownerKey)) // archived already
		add(http.MethodPost, target, `{"now":true}`, 400, "", bearer(f.ownerKey))
		add(http.MethodPost, target, `{}`, 401, "")
		add(http.MethodPost, target, `{}`, 403, "", bearer(f.readerKey))
		add(http.MethodPost, base+openAPIPracticeSlug+"/archive", `{}`, 403, "", bearer(f.otherKey))
		add(http.MethodPost, missing+"/archive", `{}`, 404, "", bearer(f.ownerKey))
	default:
		return nil, false
	}
	return cases, true
}
