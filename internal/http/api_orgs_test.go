package http

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/region/regiontest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// bearerUser creates a confirmed account and an API token with scopes for it.
func bearerUser(t *testing.T, s *Server, email string, scopes []string, roles ...account.Role) string {
	t.Helper()
	now := time.Now().UTC()
	u := account.User{ID: uuid.Must(uuid.NewV7()).String(), Email: email, Lang: "de", Created: now, EmailConfirmed: &now, Roles: roles}
	if err := s.DB.CreateUser(context.Background(), account.NewUser{User: u, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := s.Accounts.CreateAPIToken(context.Background(), u, "test", scopes, 30, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	return "Authorization: Bearer " + secret
}

// call sends a JSON request and decodes the answer into out (when not nil).
func call(t *testing.T, s *Server, method, target, auth, body string, want int, out any) {
	t.Helper()
	rec := do(t, s, method, target, strings.NewReader(body), auth, "Content-Type: application/json", "Accept-Language: en")
	if rec.Code != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, target, rec.Code, want, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
	}
}

func TestOrgAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		regiontest.ImportDistricts(t, db, "09184")
		s := newServerOn(t, db)
		rw := []string{"read", "write"}
		admin := bearerUser(t, s, "it@landkreis-muenchen.de", rw)
		readOnly := bearerUser(t, s, "lesen@landkreis-muenchen.de", []string{"read"})
		invitee := bearerUser(t, s, "neu@landkreis-muenchen.de", rw)
		curator := bearerUser(t, s, "kuration@kompetenz.example", rw, account.Curator)

		var problem struct {
			Status int `json:"status"`
			Errors []struct {
				Field, Message string
			} `json:"errors"`
		}
		call(t, s, "POST", "/api/v1/organisations", admin, `{"kind":"district","region_key":"0918"}`, 400, &problem)
		if len(problem.Errors) != 1 || problem.Errors[0].Field != "region" || !strings.Contains(problem.Errors[0].Message, "five-digit") {
			t.Fatalf("problem %+v", problem)
		}
		call(t, s, "POST", "/api/v1/organisations", admin, `{"kind":"district","region_key":"09184","extra":1}`, 400, nil)
		call(t, s, "POST", "/api/v1/organisations", readOnly, `{"kind":"district","region_key":"09184"}`, 403, nil)
		var o apiOrg
		call(t, s, "POST", "/api/v1/organisations", admin, `{"kind":"district","region_key":"09184","website":"https://www.landkreis-muenchen.de"}`, 201, &o)
		if o.Kind != "district" || o.RegionKey == nil || *o.RegionKey != "09184" || o.Verified || o.CanPublish || o.Members != 1 {
			t.Fatalf("created %+v", o)
		}
		path := "/api/v1/organisations/" + o.Slug
		call(t, s, "GET", path, "", "", 404, nil) // unverified: not public
		call(t, s, "GET", path+"/members", invitee, "", 403, nil)

		var inv apiInvitation
		call(t, s, "POST", path+"/invitations", invitee, `{"email":"x@y.de","role":"member"}`, 403, nil)
		call(t, s, "POST", path+"/invitations", admin, `{"email":"neu@landkreis-muenchen.de","role":"owner"}`, 400, nil)
		call(t, s, "POST", path+"/invitations", admin, `{"email":"neu@landkreis-muenchen.de","role":"member","lang":"en"}`, 201, &inv)
		secret := strings.TrimPrefix(invitationLink(t, s, "neu@landkreis-muenchen.de"), "/einladung/")
		call(t, s, "POST", "/api/v1/invitations/accept", admin, `{"token":"`+secret+`"}`, 403, nil)
		call(t, s, "POST", "/api/v1/invitations/accept", invitee, `{"token":"`+secret+`"}`, 200, &o)
		call(t, s, "POST", "/api/v1/invitations/accept", invitee, `{"token":"`+secret+`"}`, 400, nil)
		var members list[apiMember]
		call(t, s, "GET", path+"/members", invitee, "", 200, &members)
		if members.Total != 2 || members.Items[0].Role != "admin" {
			t.Fatalf("members %+v", members)
		}

		var req apiRequest
		call(t, s, "POST", path+"/verification-requests", admin, `{"statement":"Kreisverwaltung, IT-Leitung"}`, 201, &req)
		call(t, s, "GET", "/api/v1/verification-requests", admin, "", 403, nil)
		var queue list[apiRequest]
		call(t, s, "GET", "/api/v1/verification-requests?status=pending", curator, "", 200, &queue)
		if queue.Total != 1 || queue.Items[0].ID != req.ID {
			t.Fatalf("queue %+v", queue)
		}
		call(t, s, "POST", "/api/v1/verification-requests/"+req.ID+"/decision", curator, `{"reason":"ok"}`, 400, nil)
		call(t, s, "POST", "/api/v1/verification-requests/"+req.ID+"/decision", curator, `{"approve":true,"reason":"Rückruf","add_domain":true}`, 200, &req)
		if req.Status != "approved" || req.DecidedAt == nil {
			t.Fatalf("decided %+v", req)
		}
		call(t, s, "GET", path, "", "", 200, &o)
		if !o.Verified || !o.CanPublish || len(o.Domains) != 1 || o.Domains[0] != "landkreis-muenchen.de" {
			t.Fatalf("verified %+v", o)
		}
		var all list[apiOrg]
		call(t, s, "GET", "/api/v1/organisations?kind=district", "", "", 200, &all)
		if all.Total != 1 || all.Items[0].Slug != o.Slug {
			t.Fatalf("list %+v", all)
		}
		call(t, s, "GET", "/api/v1/organisations?kind=club", "", "", 400, nil)

		// Removing: not the last admin; the member may leave.
		call(t, s, "DELETE", path+"/members/"+members.Items[0].UserID, admin, "", 400, nil)
		call(t, s, "DELETE", path+"/members/"+members.Items[1].UserID, invitee, "", 200, &o)
		if o.Members != 1 {
			t.Fatalf("after leaving: %+v", o)
		}
	})
}
