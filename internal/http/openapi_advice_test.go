package http

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

// The example request and organisation of the document.
const (
	openAPIAdviceID  = "0190b6a2-0000-7000-8000-00000000ad01"
	openAPIAdviceOrg = "openapi-beratung"
)

// adviceAPIFixture is what the advice operations of the document are
// called on.
type adviceAPIFixture struct {
	org            org.Organisation
	member, reader string // a member's keys: write, read only
	memberID       string
}

var adviceAPIFixtures perServer[*adviceAPIFixture]

func openAPIAdviceFixture(t *testing.T, s *Server) *adviceAPIFixture {
	t.Helper()
	return adviceAPIFixtures.get(s, func() *adviceAPIFixture {
		ctx := context.Background()
		m := mustAccount(t, s, "openapi-beratung-"+uuid.NewString()[:8]+"@test.example", "Mia Mitglied")
		o, err := s.DB.OrgBySlug(ctx, openAPIAdviceOrg)
		if apperr.Is(err, apperr.NotFound) {
			admin := mustAccount(t, s, "openapi-beratung-admin-"+uuid.NewString()[:8]+"@test.example", "Admin")
			o, err = s.DB.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: openAPIAdviceOrg, Kind: org.Federal,
				Name: "Bundesamt für Beispiele"}, admin.ID, account.AuditEntry{})
		}
		if err != nil {
			t.Fatal(err)
		}
		// An approved claim makes the account a member.
		if err := s.DB.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: m.ID, Email: m.Email,
			Status: org.Approved}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		f := &adviceAPIFixture{org: o, memberID: m.ID, member: testAPIToken(t, s, m, account.ScopeRead, account.ScopeWrite),
			reader: testAPIToken(t, s, m, account.ScopeRead)}
		if _, err := s.DB.Advice(ctx, openAPIAdviceID); apperr.Is(err, apperr.NotFound) {
			openAPIAdviceRequest(t, s, f, openAPIAdviceID, advice.Answered)
		} else if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIAdviceRequest stores a request of the fixture's organisation in
// state st, with a message and an internal note.
func openAPIAdviceRequest(t *testing.T, s *Server, f *adviceAPIFixture, id string, st advice.State) {
	t.Helper()
	now := time.Now().UTC()
	r := advice.Request{ID: id, OrgID: f.org.ID, Asker: advice.Person{ID: f.memberID}, Topic: "Parkraum", Urg: advice.Normal, State: st,
		Due: advice.Due(now, advice.Normal), Created: now}
	m := advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: id, Author: advice.Person{ID: f.memberID}, Body: "Wie?",
		Attachments: []advice.Attachment{{ID: uuid.Must(uuid.NewV7()).String(), RequestID: id, Name: "plan.txt", Type: "text/plain", Size: 4, Data: []byte("Plan")}}}
	m.Attachments[0].MessageID = m.ID
	if _, err := s.DB.CreateAdvice(context.Background(), r, m, nil, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	note := &advice.Message{ID: uuid.Must(uuid.NewV7()).String(), RequestID: id, Body: "intern", Internal: true, ByCentre: true}
	if err := s.DB.ChangeAdvice(context.Background(), advice.Change{RequestID: id, From: st, To: st, Message: note}); err != nil {
		t.Fatal(err)
	}
}

// openAPIAdviceCases returns the requests to the advice operations that
// change data; ok is false for other operations.
func openAPIAdviceCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: http.MethodPost, target: target, body: body, status: status, as: as, headers: headers})
	}
	bearer := func(key string) string { return "Authorization: Bearer " + key }
	switch op.String() {
	case "POST /api/v1/advice-requests":
		f := openAPIAdviceFixture(t, s)
		for _, c := range op.RequestBody.Content {
			for _, ex := range c.Examples {
				add(op.path, string(ex.Value), 201, "", bearer(f.member))
			}
		}
		body := `{"organisation":"` + openAPIAdviceOrg + `","topic":"Frage","urgency":"high","body":"Text"}`
		add(op.path, body, 401, "")
		add(op.path, body, 403, "", bearer(f.reader))
		add(op.path, body, 400, "user") // belongs to no public body
		add(op.path, `{"organisation":"`+openAPIAdviceOrg+`","topic":"","urgency":"sofort","body":""}`, 400, "", bearer(f.member))
		add(op.path, `{"topic":1}`, 400, "", bearer(f.member))
	case "POST /api/v1/advice-requests/{id}/messages":
		f := openAPIAdviceFixture(t, s)
		id := uuid.Must(uuid.NewV7()).String()
		openAPIAdviceRequest(t, s, f, id, advice.Answered)
		target := "/api/v1/advice-requests/" + id + "/messages"
		add(target, `{"body":"Danke!"}`, 201, "", bearer(f.member))    // back to the centre
		add(target, `{"body":"Noch eins"}`, 409, "", bearer(f.member)) // in progress: members wait
		for _, c := range op.RequestBody.Content {
			for name, ex := range c.Examples {
				if name != "reply" {
					add(target, string(ex.Value), 201, "operator")
				}
			}
		}
		add(target, `{"body":"x"}`, 401, "")
		add(target, `{"body":"x"}`, 403, "", bearer(f.reader))
		add(target, `{"body":""}`, 400, "operator")
		add(target, `{"text":"x"}`, 400, "operator")
		add("/api/v1/advice-requests/"+uuid.NewString()+"/messages", `{"body":"x"}`, 404, "operator")
	default:
		return nil, false
	}
	return cases, true
}
