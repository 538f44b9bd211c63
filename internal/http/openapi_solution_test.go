package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
)

// solutionAPIFixture holds the solutions of the example organisation that
// the catalogue's write operations are called on, each in the state its
// operation needs, with its lock.
type solutionAPIFixture struct {
	member, memberReader string // keys of a member of the example organisation (write, read only)
	draft, toSubmit      string // slugs of drafts
	toChange, toPublish  string // slugs of submitted versions
	toArchive            string // slug of a published solution
	locks                map[string]int
}

var solutionAPIFixtures perServer[*solutionAPIFixture]

func openAPISolutionFixture(t *testing.T, s *Server) *solutionAPIFixture {
	t.Helper()
	return solutionAPIFixtures.get(s, func() *solutionAPIFixture {
		ctx := context.Background()
		u, write, read := openAPIMember(t, s, "loesungen", "Muster Lösungen")
		f := &solutionAPIFixture{member: write, memberReader: read, locks: map[string]int{}}
		curator := mustAccount(t, s, "kuratorin-"+uuid.NewString()[:8]+"@test.example", "Kuratorin", account.Curator)
		e := catalog.Entry{Name: "API Entwurf", Short: "Ein Entwurf", Licence: "EUPL-1.2", Repository: "https://example.org/repo",
			Fields: []string{"administration.online-services"}, Maturity: "pilot",
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_user", Hosting: "de"}}}
		create := func(name string, submit, publish bool) string {
			t.Helper()
			e.Name = name
			sol, err := s.Solutions.Create(ctx, u, openAPIOrgSlug, e, account.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			lock := func() int {
				got, err := s.DB.SolutionBySlug(ctx, sol.Slug)
				if err != nil {
					t.Fatal(err)
				}
				return got.Lock
			}
			if submit {
				if err := s.Solutions.Submit(ctx, u, sol.Slug, lock(), account.Meta{}); err != nil {
					t.Fatal(err)
				}
			}
			if publish {
				if err := s.Solutions.Review(ctx, curator, sol.Slug, lock(), true, "", account.Meta{}); err != nil {
					t.Fatal(err)
				}
			}
			f.locks[sol.Slug] = lock()
			return sol.Slug
		}
		f.draft = create("API Entwurf "+uuid.NewString()[:8], false, false)
		f.toSubmit = create("API Einreichen "+uuid.NewString()[:8], false, false)
		f.toChange = create("API Ändern "+uuid.NewString()[:8], true, false)
		f.toPublish = create("API Veröffentlichen "+uuid.NewString()[:8], true, false)
		f.toArchive = create("API Archivieren "+uuid.NewString()[:8], true, true)
		return f
	})
}

// withLock returns the JSON object body with its lock set.
func withLock(t *testing.T, body string, lock int) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	m["lock"] = lock
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// openAPISolutionCases are the requests to the catalogue's write
// operations; ok is false for other operations.
func openAPISolutionCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	if !strings.HasPrefix(op.path, "/api/v1/solutions") || op.method == "get" {
		return nil, false
	}
	switch op.String() {
	case "POST /api/v1/solutions", "PUT /api/v1/solutions/{slug}", "POST /api/v1/solutions/{slug}/submit",
		"POST /api/v1/solutions/{slug}/review", "POST /api/v1/solutions/{slug}/archive":
	default:
		return nil, false
	}
	f := openAPISolutionFixture(t, s)
	key := func(k string) []string { return []string{"Authorization: Bearer " + k} }
	add := func(target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: strings.ToUpper(op.method), target: target, body: body, status: status, as: as, headers: headers})
	}
	examples := map[string]string{}
	for _, c := range op.RequestBody.Content {
		for name, ex := range c.Examples {
			examples[name] = string(ex.Value)
		}
	}
	if len(examples) == 0 {
		t.Errorf("%s: the request body needs examples", op)
	}
	path := func(slug string) string { return strings.ReplaceAll(op.path, "{slug}", slug) }
	lockBody := func(slug string) string { return `{"lock":` + strconv.Itoa(f.locks[slug]) + `}` }
	switch op.String() {
	case "POST /api/v1/solutions":
		for _, ex := range examples {
			add(op.path, ex, 201, "", key(f.member)...)
		}
		add(op.path, `{"organisation":"`+openAPIOrgSlug+`","name":"X","licence":"keine Lizenz"}`, 400, "", key(f.member)...)
		add(op.path, `{"name":"X"}`, 400, "", key(f.member)...)
		add(op.path, `{"organisation":"`+openAPIOrgSlug+`","name":"X","evidence":[{"kind":"bsi_c5","expires_at":"morgen"}]}`, 400, "", key(f.member)...)
		add(op.path, `{"organisation":"gibt-es-nicht","name":"X"}`, 404, "", key(f.member)...)
		add(op.path, `{"organisation":"`+openAPIOrgSlug+`","name":"X"}`, 401, "")
		add(op.path, `{"organisation":"`+openAPIOrgSlug+`","name":"X"}`, 403, "", key(f.memberReader)...)
		add(op.path, `{"organisation":"`+openAPIOrgSlug+`","name":"X"}`, 403, "user") // not a member
	case "PUT /api/v1/solutions/{slug}":
		target := path(f.draft)
		add(target, `{"name":"X"}`, 400, "", key(f.member)...) // no lock
		add(target, withLock(t, `{"name":"X","delivery":[{"model":"saas","price":"gratis"}]}`, f.locks[f.draft]), 400, "", key(f.member)...)
		for _, ex := range examples {
			add(target, withLock(t, ex, f.locks[f.draft]), 200, "", key(f.member)...)
			add(target, withLock(t, ex, f.locks[f.draft]), 409, "", key(f.member)...) // the lock is old now
		}
		add(target, lockBody(f.draft), 401, "")
		add(target, lockBody(f.draft), 403, "", key(f.memberReader)...)
		add(target, lockBody(f.draft), 404, "user") // a draft of another organisation is not there for them
		add(path("gibt-es-nicht"), lockBody(f.draft), 404, "", key(f.member)...)
	case "POST /api/v1/solutions/{slug}/submit":
		target := path(f.toSubmit)
		add(target, `{}`, 400, "", key(f.member)...)
		add(target, lockBody(f.toSubmit), 401, "")
		add(target, lockBody(f.toSubmit), 403, "", key(f.memberReader)...)
		add(target, lockBody(f.toSubmit), 200, "", key(f.member)...)
		add(target, lockBody(f.toSubmit), 409, "", key(f.member)...) // in review now
		add(path("gibt-es-nicht"), lockBody(f.toSubmit), 404, "", key(f.member)...)
	case "POST /api/v1/solutions/{slug}/review":
		add(path(f.toChange), withLock(t, `{"decision":"vielleicht"}`, f.locks[f.toChange]), 400, "operator")
		add(path(f.toChange), withLock(t, `{"decision":"changes"}`, f.locks[f.toChange]), 400, "operator") // no comment
		add(path(f.toChange), withLock(t, examples["changes"], f.locks[f.toChange]), 401, "")
		add(path(f.toChange), withLock(t, examples["changes"], f.locks[f.toChange]), 403, "user")
		add(path(f.toChange), withLock(t, examples["changes"], f.locks[f.toChange]), 403, "", key(f.member)...)
		add(path(f.toChange), withLock(t, examples["changes"], f.locks[f.toChange]), 200, "operator")
		add(path(f.toPublish), withLock(t, examples["publish"], f.locks[f.toPublish]), 200, "operator")
		add(path(f.toPublish), withLock(t, examples["publish"], f.locks[f.toPublish]), 409, "operator") // decided already
		add(path("gibt-es-nicht"), withLock(t, examples["publish"], 1), 404, "operator")
	case "POST /api/v1/solutions/{slug}/archive":
		target := path(f.toArchive)
		add(target, lockBody(f.toArchive), 400, "operator") // no reason
		add(target, withLock(t, examples["archive"], f.locks[f.toArchive]), 401, "")
		add(target, withLock(t, examples["archive"], f.locks[f.toArchive]), 403, "user")
		add(target, withLock(t, examples["archive"], f.locks[f.toArchive]), 403, "", key(f.member)...) // a member, not an admin
		add(target, withLock(t, examples["archive"], f.locks[f.toArchive]+1000), 409, "operator")      // a lock of a state never read
		add(target, withLock(t, examples["archive"], f.locks[f.toArchive]), 200, "operator")
		add(path("gibt-es-nicht"), withLock(t, examples["archive"], 1), 404, "operator")
	}
	for i := range cases {
		if cases[i].method == http.MethodGet {
			cases[i].method = ""
		}
	}
	return cases, true
}
