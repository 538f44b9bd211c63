package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
)

// concrete turns a route pattern into a request target with real keys.
func concrete(t *testing.T, s *Server, pattern string) (method, target string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = http.MethodGet, pattern
	}
	switch {
	case path == "/{$}":
		return method, "/"
	case path == "/":
		return method, "/gibt-es-nicht"
	case path == "/static/":
		return method, s.Renderer.StaticURL("/static/css/app.css")
	}
	r := strings.NewReplacer("{ags}", "09162000", "/laender/{key}", "/laender/09", "/kreise/{key}", "/kreise/09162",
		"/districts/{key}", "/districts/09162", "/handlungsfelder/{key}", "/handlungsfelder/unbekannt", "/states/{key}", "/states/09", "{token}", "unbekannt", "{id}", "unbekannt",
		"{user}", "unbekannt", "{slug}", "matrix", "{file}", "0190b6a2-0000-7000-8000-000000000000.png")
	target = r.Replace(path)
	if strings.Contains(target, "{") {
		t.Fatalf("no concrete value for %s: add it to concrete()", pattern)
	}
	return method, target
}

// testUser creates a confirmed user with roles and returns a function that
// opens a new session for it (a fresh one per request, since a request such
// as logout may end it).
func testUser(t *testing.T, s *Server, roles ...account.Role) func() string {
	t.Helper()
	_, session := testAccount(t, s, roles...)
	return session
}

// testAccount is testUser that also returns the user's id.
func testAccount(t *testing.T, s *Server, roles ...account.Role) (string, func() string) {
	t.Helper()
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	now := time.Now().UTC()
	u := account.User{ID: "u-" + hex.EncodeToString(b), Email: hex.EncodeToString(b) + "@test.example", Lang: "de", Created: now, EmailConfirmed: &now}
	if err := s.DB.CreateUser(ctx, account.NewUser{User: u, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	return u.ID, func() string {
		secret := make([]byte, 16)
		rand.Read(secret)
		sec := hex.EncodeToString(secret)
		if err := s.DB.CreateSession(ctx, account.Session{ID: account.HashToken(sec), UserID: u.ID, Created: now, LastSeen: now,
			Expires: now.Add(time.Hour)}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		return sec
	}
}

// orgFixture creates a verified organisation with an admin and a member
// and returns its slug and their session openers.
func orgFixture(t *testing.T, s *Server) (slug string, admin, member func() string) {
	t.Helper()
	ctx := context.Background()
	adminID, admin := testAccount(t, s)
	memberID, member := testAccount(t, s)
	o, err := s.DB.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "matrix", Kind: org.Company, Name: "Matrix GmbH"},
		adminID, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	// An approved claim verifies the organisation and makes the member one.
	if err := s.DB.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: memberID,
		Email: "member@test.example", Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	// A published solution of the organisation under the same slug, for
	// the routes /loesungen/{slug}/….
	if _, err := s.DB.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: o.Slug, OrgID: o.ID,
		ImportedFrom: "matrix/" + o.Slug}, catalog.Entry{Name: "Matrix", Short: "Matrix", Licence: "MIT", Maturity: "pilot",
		Fields: []string{"mobility.parking"}, Delivery: []catalog.Delivery{{Model: catalog.OnPremises, Price: "free"}}}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	return o.Slug, admin, member
}

// TestRouteAuthorization walks every route of the table with each kind of
// caller and checks that the route's rule holds. A route added to the
// table is walked too; one whose pattern has an unknown placeholder fails.
func TestRouteAuthorization(t *testing.T) {
	s := newTestServer(t, "sqlite")
	withToken := newTestServer(t, "sqlite")
	withToken.Config.MetricsToken = "s3cret"
	token, csrf := formSession(t, s)
	user, curator, operator := testUser(t, s), testUser(t, s, account.Curator), testUser(t, s, account.Operator)
	_, _, otherMember := orgFixture(t, s) // a member of another organisation

	type caller struct {
		name    string
		srv     *Server
		remote  string
		header  []string
		session func() string
		ops     bool // may read operations data
		level   access
		// orgRole is the caller's place in the organisation of routes
		// with {slug}: "member" or "admin" of a fresh one per request.
		orgRole string
	}
	callers := []caller{
		{"anonymous", s, "192.0.2.1:1234", nil, nil, false, accessPublic, ""},
		{"anonymous via proxy on loopback", s, "127.0.0.1:1234", []string{"X-Forwarded-For: 198.51.100.7"}, nil, false, accessPublic, ""},
		{"operations on loopback", s, "127.0.0.1:1234", nil, nil, true, accessPublic, ""},
		{"loopback without the configured token", withToken, "127.0.0.1:1234", nil, nil, false, accessPublic, ""},
		{"wrong token", withToken, "192.0.2.1:1234", []string{"Authorization: Bearer nope"}, nil, false, accessPublic, ""},
		{"operations with token", withToken, "192.0.2.1:1234", []string{"Authorization: Bearer s3cret"}, nil, true, accessPublic, ""},
		{"user", s, "192.0.2.1:1234", nil, user, false, accessUser, ""},
		{"member of another organisation", s, "192.0.2.1:1234", nil, otherMember, false, accessUser, ""},
		{"member", s, "192.0.2.1:1234", nil, nil, false, accessUser, "member"},
		{"organisation admin", s, "192.0.2.1:1234", nil, nil, false, accessUser, "admin"},
		{"curator", s, "192.0.2.1:1234", nil, curator, false, accessCurator, ""},
		{"operator", s, "192.0.2.1:1234", nil, operator, false, accessOperator, ""},
	}
	allowed := func(c caller, a access) bool {
		signedIn := c.session != nil || c.orgRole != ""
		switch a {
		case accessOperations:
			return c.ops
		case accessUser:
			return signedIn
		case accessOperator:
			return c.level == accessOperator
		case accessCurator:
			return c.level == accessCurator || c.level == accessOperator
		case accessOrgMember:
			return c.orgRole != "" || c.level == accessCurator || c.level == accessOperator
		case accessOrgSelf:
			return c.orgRole != ""
		case accessOrgAdmin:
			return c.orgRole == "admin" || c.level == accessOperator
		case accessOrgAdminCurator:
			return c.orgRole == "admin" || c.level == accessCurator || c.level == accessOperator
		case accessAdvisor:
			return c.level == accessOperator
		}
		return true
	}
	for _, rt := range s.routeTable() {
		method, target := concrete(t, s, rt.pattern)
		for _, c := range callers {
			t.Run(rt.pattern+"/"+c.name, func(t *testing.T) {
				body := strings.NewReader("")
				headers := append([]string(nil), c.header...)
				cookies := []string{csrf}
				session, target := c.session, target
				if strings.Contains(rt.pattern, "{slug}") || c.orgRole != "" {
					// A fresh organisation each time: a request may change it (leave, remove).
					slug, admin, member := orgFixture(t, s)
					target = strings.Replace(target, "/matrix", "/"+slug, 1)
					switch c.orgRole {
					case "admin":
						session = admin
					case "member":
						session = member
					}
				}
				if session != nil {
					cookies = append(cookies, sessionCookie+"="+session())
				}
				if method == http.MethodPost {
					body = strings.NewReader(url.Values{"message": {"Test"}, "csrf_token": {token}}.Encode())
					headers = append(headers, "Content-Type: application/x-www-form-urlencoded")
				}
				headers = append(headers, "Cookie: "+strings.Join(cookies, "; "))
				req := httptest.NewRequest(method, target, body)
				req.RemoteAddr = c.remote
				for _, hv := range headers {
					k, v, _ := strings.Cut(hv, ": ")
					req.Header.Add(k, v)
				}
				rec := httptest.NewRecorder()
				c.srv.ServeHTTP(rec, req)
				refused := rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized ||
					rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/anmelden?weiter=")
				// A Bearer token that is no API token (here the metrics
				// token) is refused on the API.
				apiBearer := strings.HasPrefix(target, "/api/") && strings.Contains(strings.Join(c.header, " "), "Bearer")
				if want := !allowed(c, rt.access) || apiBearer; refused != want {
					t.Errorf("%s %s as %s: status %d (%s), refused %v, want refused %v", method, target, c.name, rec.Code,
						rec.Header().Get("Location"), refused, want)
				}
				if rec.Code >= 500 {
					t.Errorf("%s %s: status %d", method, target, rec.Code)
				}
			})
		}
	}
}
