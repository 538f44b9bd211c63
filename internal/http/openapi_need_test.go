package http

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/org"
)

// openAPINeedSlug is the example slug of the document: an open public
// need that openAPINeedFixture makes on every test server.
const openAPINeedSlug = "open-api-bedarf"

type needAPIFixture struct {
	owner, reader string // keys of a member of the owning municipality: write, read only
	other         string // a member of another verified municipality
	joined        string // a member of a municipality that joined the need (and leaves it)
	stays         string // a member of a municipality that joined the need for good
}

var needAPIFixtures perServer[*needAPIFixture]

// openAPIMunicipality makes a verified municipality with a member and
// returns the member.
func openAPIMunicipality(t *testing.T, s *Server, slug, key string) account.User {
	t.Helper()
	ctx := context.Background()
	u := mustAccount(t, s, "openapi-"+slug+"-"+uuid.NewString()[:8]+"@test.example", "Mitglied")
	o, err := s.DB.OrgBySlug(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		o, err = s.DB.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Kind: org.Municipality, Name: slug, RegionKey: key},
			u.ID, account.AuditEntry{})
	}
	if err != nil || o.Slug != slug {
		t.Fatalf("municipality %s: %q %v", slug, o.Slug, err)
	}
	if err := s.DB.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: u.ID, Email: u.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return u
}

func openAPINeedFixture(t *testing.T, s *Server) *needAPIFixture {
	t.Helper()
	return needAPIFixtures.get(s, func() *needAPIFixture {
		ctx := context.Background()
		owner := openAPIMunicipality(t, s, "open-api-gemeinde", "01001000")
		other := openAPIMunicipality(t, s, "open-api-nachbar", "01002000")
		joined := openAPIMunicipality(t, s, "open-api-dritte", "01003000")
		stays := openAPIMunicipality(t, s, "open-api-vierte", "01004000")
		f := &needAPIFixture{owner: testAPIToken(t, s, owner, account.ScopeRead, account.ScopeWrite), reader: testAPIToken(t, s, owner, account.ScopeRead),
			other: testAPIToken(t, s, other, account.ScopeRead, account.ScopeWrite), joined: testAPIToken(t, s, joined, account.ScopeRead, account.ScopeWrite),
			stays: testAPIToken(t, s, stays, account.ScopeRead, account.ScopeWrite)}
		a, err := s.Needs.Actor(ctx, &owner)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB.NeedBySlug(ctx, openAPINeedSlug); apperr.Is(err, apperr.NotFound) {
			n, err := s.Needs.Create(ctx, a, "open-api-gemeinde", need.Input{Title: "Open API Bedarf", Problem: "Das Beispiel des API-Dokuments.",
				Field: "administration.online-services", Visibility: need.Public, Publish: true,
				Reqs: []need.Requirement{{Text: "Als Software as a Service", Kind: need.Must, Attribute: "delivery:saas"}}}, account.Meta{})
			if err != nil || n.Slug != openAPINeedSlug {
				t.Fatalf("example need: %q %v", n.Slug, err)
			}
		}
		for _, u := range []account.User{joined, stays} {
			j, err := s.Needs.Actor(ctx, &u)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Needs.Join(ctx, j, openAPINeedSlug, "", account.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		return f
	})
}

// openAPINeedCases returns the requests to the need operations that
// change data; ok is false for other operations.
func openAPINeedCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
	}
	bearer := func(key string) string { return "Authorization: Bearer " + key }
	target := "/api/v1/needs/" + openAPINeedSlug
	switch op.String() {
	case "POST /api/v1/needs":
		f := openAPINeedFixture(t, s)
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(http.MethodPost, op.path, string(ex.Value), 201, "", bearer(f.owner))
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
		add(http.MethodPost, op.path, `{}`, 400, "", bearer(f.owner))
		add(http.MethodPost, op.path, `{"organisation":"open-api-gemeinde","title":"x","problem":"y","field":"administration.online-services","visibility":"public","budget_min":5,"budget_max":1,"requirements":[{"text":"a","kind":"should","weight":0}]}`, 400, "", bearer(f.owner))
		add(http.MethodPost, op.path, `{"title":"x"}`, 401, "")
		add(http.MethodPost, op.path, `{"organisation":"open-api-gemeinde","title":"x"}`, 400, "user") // no member of a public body
		add(http.MethodPost, op.path, `{"title":"x"}`, 403, "", bearer(f.reader))
	case "PUT /api/v1/needs/{slug}":
		f := openAPINeedFixture(t, s)
		n, err := s.DB.NeedBySlug(context.Background(), openAPINeedSlug)
		if err != nil {
			t.Fatal(err)
		}
		body := func(lock int, budgetMax int64) string {
			b, _ := json.Marshal(map[string]any{"lock": lock, "title": n.Title, "problem": n.Problem, "field": n.Field, "requirements": n.Reqs,
				"visibility": n.Visibility, "budget_min": 1000, "budget_max": budgetMax, "publish": true})
			return string(b)
		}
		add(http.MethodPut, target, body(n.Lock, 5000), 200, "", bearer(f.owner))
		add(http.MethodPut, target, body(n.Lock, 5000), 409, "", bearer(f.owner)) // the lock is stale now
		add(http.MethodPut, target, body(n.Lock+1, 10), 400, "", bearer(f.owner))
		add(http.MethodPut, target, body(n.Lock+1, 5000), 401, "")
		add(http.MethodPut, target, body(n.Lock+1, 5000), 403, "user")
		add(http.MethodPut, target, body(n.Lock+1, 5000), 403, "", bearer(f.other))
		add(http.MethodPut, target, body(n.Lock+1, 5000), 403, "", bearer(f.reader))
		add(http.MethodPut, "/api/v1/needs/gibt-es-nicht", body(0, 5000), 404, "", bearer(f.owner))
	case "POST /api/v1/needs/{slug}/join":
		f := openAPINeedFixture(t, s)
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(http.MethodPost, target+"/join", string(ex.Value), 200, "", bearer(f.other))
			}
		}
		add(http.MethodPost, target+"/join", `{}`, 409, "", bearer(f.stays)) // joined already
		add(http.MethodPost, target+"/join", `{"organisation":5}`, 400, "", bearer(f.other))
		add(http.MethodPost, target+"/join", `{}`, 401, "")
		add(http.MethodPost, target+"/join", `{}`, 403, "user")
		add(http.MethodPost, target+"/join", `{}`, 403, "", bearer(f.owner)) // its own need
		add(http.MethodPost, target+"/join", `{}`, 403, "", bearer(f.reader))
		add(http.MethodPost, "/api/v1/needs/gibt-es-nicht/join", `{}`, 404, "", bearer(f.other))
	case "DELETE /api/v1/needs/{slug}/join":
		f := openAPINeedFixture(t, s)
		add(http.MethodDelete, target+"/join", "", 200, "", bearer(f.joined))
		add(http.MethodDelete, target+"/join", "", 404, "", bearer(f.owner)) // never joined
		add(http.MethodDelete, target+"/join?x=1", "", 400, "", bearer(f.joined))
		add(http.MethodDelete, target+"/join", "", 401, "")
		add(http.MethodDelete, target+"/join", "", 403, "", bearer(f.reader))
	default:
		return nil, false
	}
	return cases, true
}
