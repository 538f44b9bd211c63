package http

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// testAPIToken creates an API token for u and returns its secret.
func testAPIToken(tb testing.TB, s *Server, u account.User, scopes ...string) string {
	tb.Helper()
	_, secret, err := s.Accounts.CreateAPIToken(context.Background(), u, "Test", scopes, 30, account.Meta{})
	if err != nil {
		tb.Fatal(err)
	}
	return secret
}

// apiCall sends an API request with a Bearer token ("" for none).
func apiCall(tb testing.TB, s *Server, method, target, token, body string) *httptest.ResponseRecorder {
	tb.Helper()
	headers := []string{"Accept-Language: de"}
	if token != "" {
		headers = append(headers, "Authorization: Bearer "+token)
	}
	if body != "" {
		headers = append(headers, "Content-Type: application/json")
	}
	return do(tb, s, method, target, strings.NewReader(body), headers...)
}

func TestAPIAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		op := mustAccount(t, s, "betrieb@kreis.example", "Betrieb", account.Operator)
		eva := mustAccount(t, s, "eva@gemeinde.example", "Eva")
		write, read := testAPIToken(t, s, op, "read", "write"), testAPIToken(t, s, op, "read")
		user := testAPIToken(t, s, eva, "read", "write")

		// Who may do what.
		for _, c := range []struct {
			method, target, token, body string
			status                      int
		}{
			{"GET", "/api/v1/me", "", "", 401},
			{"GET", "/api/v1/me", user, "", 200},
			{"GET", "/api/v1/me/export", "", "", 401},
			{"GET", "/api/v1/me/export", read, "", 200},
			{"GET", "/api/v1/users", "", "", 401},
			{"GET", "/api/v1/users", user, "", 403},
			{"GET", "/api/v1/users", read, "", 200},
			{"GET", "/api/v1/audit-log", user, "", 403},
			{"GET", "/api/v1/audit-log", read, "", 200},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", "", `{"roles":["curator"]}`, 401},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", user, `{"roles":["curator"]}`, 403},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", read, `{"roles":["curator"]}`, 403}, // read-only token
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{"roles":["curator"]}`, 200},
			{"PUT", "/api/v1/users/unbekannt/roles", write, `{"roles":["curator"]}`, 404},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{"roles":["admin"]}`, 400},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{}`, 400},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{"roles":["curator"],"x":1}`, 400},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{"roles":["curator"]} {}`, 400},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `["curator"]`, 400},
			{"PUT", "/api/v1/users/" + eva.ID + "/roles", write, `{"roles":["` + strings.Repeat("x", 5000) + `"]}`, 400},
			{"PUT", "/api/v1/users/" + op.ID + "/roles", write, `{"roles":[]}`, 400}, // the last operator
			{"GET", "/api/v1/users?role=admin", read, "", 400},
			{"GET", "/api/v1/audit-log?from=2026-02-30", read, "", 400},
			{"GET", "/api/v1/audit-log?from=2026-03-02&to=2026-03-01", read, "", 400},
		} {
			rec := apiCall(t, s, c.method, c.target, c.token, c.body)
			if rec.Code != c.status {
				t.Errorf("%s %s: %d, want %d; %s", c.method, c.target, rec.Code, c.status, rec.Body)
			}
			if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s: Content-Type %q", c.method, c.target, rec.Header().Get("Content-Type"))
			}
		}

		// The read-only token says why it may not.
		rec := apiCall(t, s, "PUT", "/api/v1/users/"+eva.ID+"/roles", read, `{"roles":["advisor"]}`)
		if !strings.Contains(rec.Body.String(), "Dieser Schlüssel darf nur lesen.") {
			t.Errorf("read-only token: %s", rec.Body)
		}
		// Field messages name the field.
		rec = apiCall(t, s, "PUT", "/api/v1/users/"+op.ID+"/roles", write, `{"roles":["curator"]}`)
		var p problem
		if json.Unmarshal(rec.Body.Bytes(), &p) != nil || len(p.Errors) != 1 || p.Errors[0].Field != "roles" ||
			!strings.Contains(p.Errors[0].Message, "mindestens ein Konto mit der Aufgabe Betrieb") {
			t.Errorf("last operator: %s", rec.Body)
		}

		// The change took effect and is in the audit log.
		rec = apiCall(t, s, "PUT", "/api/v1/users/"+eva.ID+"/roles", write, `{"roles":["advisor","curator","advisor"]}`)
		var u apiUser
		if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil || strings.Join(roleNames(u.Roles), ",") != "advisor,curator" || u.Email != "eva@gemeinde.example" {
			t.Fatalf("PUT roles: %s", rec.Body)
		}
		var log list[apiAuditEntry]
		rec = apiCall(t, s, "GET", "/api/v1/audit-log?action=account.role_granted&object_id="+eva.ID, read, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &log); err != nil || log.Total != 2 || log.Items[0].ActorID != op.ID || log.Items[0].Details["role"] != "advisor" {
			t.Fatalf("audit log: %s", rec.Body)
		}
		// Keyset pages of the audit log meet each entry once.
		seen, target := map[string]bool{}, "/api/v1/audit-log?limit=2"
		for range 50 {
			rec = apiCall(t, s, "GET", target, read, "")
			log = list[apiAuditEntry]{}
			if err := json.Unmarshal(rec.Body.Bytes(), &log); err != nil || rec.Code != 200 {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			for _, e := range log.Items {
				if seen[e.ID] {
					t.Errorf("entry %s twice", e.ID)
				}
				seen[e.ID] = true
			}
			if log.Next == "" {
				break
			}
			target = "/api/v1/audit-log?limit=2&cursor=" + log.Next
		}
		if len(seen) != log.Total {
			t.Errorf("pages met %d of %d entries", len(seen), log.Total)
		}

		// Users: search and pages.
		var users list[apiUser]
		rec = apiCall(t, s, "GET", "/api/v1/users?limit=1", read, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &users); err != nil || users.Total != 2 || len(users.Items) != 1 || users.Next == "" ||
			users.Items[0].Email != "betrieb@kreis.example" {
			t.Fatalf("users page 1: %s", rec.Body)
		}
		rec = apiCall(t, s, "GET", "/api/v1/users?limit=1&cursor="+users.Next, read, "")
		users = list[apiUser]{}
		if err := json.Unmarshal(rec.Body.Bytes(), &users); err != nil || len(users.Items) != 1 || users.Next != "" || users.Items[0].Email != "eva@gemeinde.example" {
			t.Fatalf("users page 2: %s", rec.Body)
		}

		// The caller's own data.
		rec = apiCall(t, s, "GET", "/api/v1/me", user, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &u); err != nil || u.ID != eva.ID || !u.Confirmed {
			t.Errorf("me: %s", rec.Body)
		}
		rec = apiCall(t, s, "GET", "/api/v1/me/export", user, "")
		var e account.Export
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Account.ID != eva.ID || len(e.APITokens) != 1 || e.Format != account.ExportFormat {
			t.Errorf("me/export: %s", rec.Body)
		}
	})
}

func roleNames(roles []account.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// TestMalformedAccountID: an id that no database can
// hold (invalid UTF-8, NUL) is an unknown account, not a database error.
func TestMalformedAccountID(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		op := mustAccount(t, s, "op-"+uuid.NewString()+"@test.example", "", account.Operator)
		key := testAPIToken(t, s, op, account.ScopeRead, account.ScopeWrite)
		for _, id := range []string{"%FF", "%00", "a%C3"} {
			if rec := apiCall(t, s, "PUT", "/api/v1/users/"+id+"/roles", key, `{"roles":[]}`); rec.Code != 404 {
				t.Errorf("PUT roles of %s: %d %s", id, rec.Code, rec.Body)
			}
		}
	})
}
