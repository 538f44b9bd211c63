package http

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
)

// openAPIOrgSlug is the example slug of the document: a verified
// organisation that openAPIOrgFixture makes on every test server.
const openAPIOrgSlug = "open-api-muster-gmbh"

// orgAPIFixture is what the organisation operations of the document are
// called on.
type orgAPIFixture struct {
	admin, adminReader string // the organisation admin's keys (write, read only)
	adminID            string
	member             string // id of a member to remove
	invitee            string // key of an invited account
	token, otherToken  string // invitation secrets: to invitee, to someone else
	pending            string // id of a pending verification request
}

var orgAPIFixtures perServer[*orgAPIFixture]

// openAPIMember adds a member to the document's example organisation and
// returns them with an API key that may write and one that may only read.
func openAPIMember(t *testing.T, s *Server, local, name string) (u account.User, write, read string) {
	t.Helper()
	openAPIOrgFixture(t, s)
	o, err := s.DB.OrgBySlug(context.Background(), openAPIOrgSlug)
	if err != nil {
		t.Fatal(err)
	}
	u = mustAccount(t, s, local+"-"+uuid.NewString()[:8]+"@muster.example", name)
	if err := s.DB.CreateRequest(context.Background(), orgRequest(o.ID, u), account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return u, testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite), testAPIToken(t, s, u, account.ScopeRead)
}

// perServer builds a value once per test server: the fixtures of the
// OpenAPI cases, which every backend's server needs once.
type perServer[T any] struct {
	mu sync.Mutex
	m  map[*Server]T
}

func (p *perServer[T]) get(s *Server, build func() T) T {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.m[s]; ok {
		return v
	}
	if p.m == nil {
		p.m = map[*Server]T{}
	}
	v := build()
	p.m[s] = v
	return v
}

var reInviteSecret = regexp.MustCompile(`/einladung/(\S+)`)

// openAPIOrgFixture makes (once per server) the verified example
// organisation with an admin, a member, invitations and a pending request.
func openAPIOrgFixture(t *testing.T, s *Server) *orgAPIFixture {
	t.Helper()
	return orgAPIFixtures.get(s, func() *orgAPIFixture {
		ctx := context.Background()
		fresh := func(prefix string) account.User {
			return mustAccount(t, s, prefix+"-"+uuid.NewString()[:8]+"@muster.example", "Muster "+prefix)
		}
		approve := func(orgID string, u account.User) {
			t.Helper()
			if err := s.DB.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: orgID, UserID: u.ID, Email: u.Email,
				Status: org.Approved}, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}
		admin := fresh("admin")
		o, err := s.DB.OrgBySlug(ctx, openAPIOrgSlug)
		switch {
		case apperr.Is(err, apperr.NotFound):
			if o, err = s.DB.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: openAPIOrgSlug, Kind: org.Company,
				Name: "Open API Muster GmbH"}, admin.ID, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
			approve(o.ID, admin) // verifies it
		case err != nil:
			t.Fatal(err)
		default: // made by an earlier run on this database: join as admin
			approve(o.ID, admin)
			if err := s.DB.SetMemberRole(ctx, o.ID, admin.ID, org.Admin, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Orgs.ForRegion(ctx, "09162"); apperr.Is(err, apperr.NotFound) {
			if _, err := s.Orgs.Create(ctx, admin, org.NewOrg{Kind: org.District, RegionKey: "09162"}, account.Meta{}); err != nil {
				t.Fatal(err)
			}
		}
		member := fresh("mitglied")
		approve(o.ID, member)
		f := &orgAPIFixture{admin: testAPIToken(t, s, admin, account.ScopeRead, account.ScopeWrite),
			adminReader: testAPIToken(t, s, admin, account.ScopeRead), member: member.ID, adminID: admin.ID}
		secret := func(to account.User) string {
			t.Helper()
			if _, err := s.Orgs.Invite(ctx, admin, openAPIOrgSlug, to.Email, org.Member, "de", account.Meta{}); err != nil {
				t.Fatal(err)
			}
			m := reInviteSecret.FindStringSubmatch(inboxOf(s).lastTo(t, to.Email).Text)
			if m == nil {
				t.Fatalf("no invitation link to %s", to.Email)
			}
			return m[1]
		}
		invitee := fresh("eingeladen")
		f.invitee = testAPIToken(t, s, invitee, account.ScopeRead, account.ScopeWrite)
		f.token, f.otherToken = secret(invitee), secret(fresh("andere"))
		r, err := s.Orgs.RequestVerification(ctx, fresh("antrag"), openAPIOrgSlug, "Geschäftsführung", account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		f.pending = r.ID
		// A published solution with the document's example slug.
		if _, err := s.DB.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: "open-api-beispiel", OrgID: o.ID,
			ImportedFrom: "openapi-test/" + uuid.NewString()}, catalog.Entry{Name: "Open API Beispiel", Short: "Beispiel", Licence: "EUPL-1.2",
			Repository: "https://example.org/repo", Fields: []string{"administration.online-services"}, Maturity: "pilot",
			Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_user", Hosting: "de"}}}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIOrgCases are the requests to the organisation operations beyond
// those openAPICases derives; ok is false for other operations.
func openAPIOrgCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	if !strings.Contains(op.path, "organisation") && !strings.Contains(op.path, "invitation") && !strings.Contains(op.path, "verification") {
		return nil, false
	}
	f := openAPIOrgFixture(t, s)
	key := func(k string) []string { return []string{"Authorization: Bearer " + k} }
	add := func(target, body string, status int, as string, headers ...string) {
		method := strings.ToUpper(op.method)
		if method == http.MethodGet {
			method = ""
		}
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
	}
	examples := func(target, as string, status int, headers ...string) {
		n := 0
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(target, string(ex.Value), status, as, headers...)
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: the request body needs examples", op)
		}
	}
	slugPath := strings.ReplaceAll(op.path, "{slug}", openAPIOrgSlug)
	unknownSlug := strings.ReplaceAll(op.path, "{slug}", "gibt-es-nicht")
	switch op.String() {
	case "GET /api/v1/organisations":
		cases = append(cases, apiCase{op: op, target: op.path + "?q=muster", status: 200, wantItems: true})
	case "GET /api/v1/verification-requests":
		cases = append(cases, apiCase{op: op, target: op.path + "?status=pending&limit=1", status: 200, wantItems: true, as: "operator"})
	case "GET /api/v1/organisations/{slug}", "GET /api/v1/organisations/{slug}/members":
	case "POST /api/v1/organisations":
		examples(op.path, "user", 201)
		add(op.path, `{"kind":"company","name":"X"}`, 401, "")
		add(op.path, `{"kind":"company","name":"X"}`, 403, "reader")
		add(op.path, `{"kind":"club","name":"X"}`, 400, "user")
		add(op.path, `{"kind":"district","region_key":"09162"}`, 409, "user")
	case "DELETE /api/v1/organisations/{slug}/members/{user}":
		path := func(slug, user string) string {
			return strings.NewReplacer("{slug}", slug, "{user}", user).Replace(op.path)
		}
		member := path(openAPIOrgSlug, f.member)
		add(member, "", 401, "")
		add(member, "", 403, "", key(f.adminReader)...)
		add(member, "", 403, "user")
		add(path(openAPIOrgSlug, uuid.NewString()), "", 404, "", key(f.admin)...)
		add(path("gibt-es-nicht", f.member), "", 404, "operator")
		add(path(openAPIOrgSlug, f.adminID), "", 400, "", key(f.admin)...) // the last admin, with members
		add(member, "", 200, "", key(f.admin)...)
		add(member, "", 404, "", key(f.admin)...) // gone
	case "POST /api/v1/organisations/{slug}/invitations":
		examples(slugPath, "", 201, key(f.admin)...)
		add(slugPath, `{"email":"x","role":"member"}`, 400, "", key(f.admin)...)
		add(slugPath, `{"email":"a@muster.example","role":"member"}`, 401, "")
		add(slugPath, `{"email":"a@muster.example","role":"member"}`, 403, "", key(f.adminReader)...)
		add(slugPath, `{"email":"a@muster.example","role":"member"}`, 403, "user")
		add(unknownSlug, `{"email":"a@muster.example","role":"member"}`, 404, "operator")
	case "POST /api/v1/organisations/{slug}/verification-requests":
		add(slugPath, `{"statement":""}`, 400, "user")
		examples(slugPath, "user", 201)
		examples(slugPath, "user", 409) // open already
		add(slugPath, `{"statement":"x"}`, 401, "")
		add(slugPath, `{"statement":"x"}`, 403, "reader")
		add(unknownSlug, `{"statement":"x"}`, 404, "user")
	case "POST /api/v1/invitations/accept":
		add(op.path, `{"token":"`+f.token+`"}`, 401, "")
		add(op.path, `{"token":"`+f.otherToken+`"}`, 403, "user")
		add(op.path, `{"token":"unbekannt"}`, 404, "user")
		add(op.path, `{"token":"`+f.token+`"}`, 200, "", key(f.invitee)...)
		add(op.path, `{"token":"`+f.token+`"}`, 400, "", key(f.invitee)...) // used
	case "POST /api/v1/verification-requests/{id}/decision":
		path := strings.ReplaceAll(op.path, "{id}", f.pending)
		add(path, `{"approve":true}`, 400, "operator")
		add(path, `{"approve":true,"reason":"x"}`, 401, "")
		add(path, `{"approve":true,"reason":"x"}`, 403, "reader")
		add(path, `{"approve":true,"reason":"x"}`, 403, "user")
		add(strings.ReplaceAll(op.path, "{id}", uuid.NewString()), `{"approve":true,"reason":"x"}`, 404, "operator")
		examples(path, "operator", 200)
		add(path, `{"approve":false,"reason":"x"}`, 409, "operator")
	default:
		return nil, false
	}
	return cases, true
}
