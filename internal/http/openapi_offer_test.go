package http

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/offer"
	"github.com/smartregions/smartregions/internal/org"
)

// The example keys of the document: the offer of provider A on the
// example need (the document's operator is a member of A) and a question
// of provider D.
const (
	openAPIOfferID    = "019a0000-0000-7000-8000-0000000000f1"
	openAPIQuestionID = "019a0000-0000-7000-8000-0000000000a1"
)

type offerAPIFixture struct {
	owner             string // a member of the owning municipality
	a, b, c, d, w     string // members of providers A–D and W
	wReader           string // a read-only key of W's member
	decided, withdraw string // the ids of D's and W's submitted offers
}

var offerAPIFixtures perServer[*offerAPIFixture]

func openAPIOfferFixture(t *testing.T, s *Server) *offerAPIFixture {
	t.Helper()
	nf := openAPINeedFixture(t, s)
	return offerAPIFixtures.get(s, func() *offerAPIFixture {
		ctx := context.Background()
		n, err := s.DB.NeedBySlug(ctx, openAPINeedSlug)
		if err != nil {
			t.Fatal(err)
		}
		readers := map[string]string{}
		provider := func(slug string) (string, org.Membership) {
			_, u := usageSolution(t, s, slug)
			ms, err := s.DB.UserMemberships(ctx, u.ID)
			if err != nil || len(ms) != 1 {
				t.Fatalf("provider %s: %v %v", slug, ms, err)
			}
			readers[slug] = testAPIToken(t, s, u, account.ScopeRead)
			return testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite), ms[0]
		}
		f := &offerAPIFixture{owner: nf.owner}
		var ma, md, mw org.Membership
		f.a, ma = provider("open-api-angebot-a")
		f.b, _ = provider("open-api-angebot-b")
		f.c, _ = provider("open-api-angebot-c")
		f.d, md = provider("open-api-angebot-d")
		f.w, mw = provider("open-api-angebot-w")
		f.wReader = readers["open-api-angebot-w"]
		// The document's operators (openAPICallers) act for provider A.
		ops, err := s.DB.ListUsers(ctx, account.UserFilter{Query: "openapi-op-", Role: account.Operator, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range ops.Items {
			if err := s.DB.CreateRequest(ctx, orgRequest(ma.OrgID, u), account.AuditEntry{}); err != nil && !apperr.Is(err, apperr.Conflict) {
				t.Fatal(err)
			}
		}
		submitted := func(id string, m org.Membership, slug string) {
			refs, err := s.DB.ProviderSolutions(ctx, m.OrgID)
			if err != nil || len(refs) != 1 || refs[0].Slug != slug {
				t.Fatalf("solutions of %s: %v %v", m.OrgSlug, refs, err)
			}
			var files []offer.Attachment
			if id == openAPIOfferID {
				files = []offer.Attachment{{ID: "019a0000-0000-7000-8000-0000000000b1", Name: "preise.txt", Type: "text/plain", Size: 4, Data: []byte("1000")}}
			}
			if _, err := s.DB.CreateOffer(ctx, offer.Offer{ID: id, NeedID: n.ID, OrgID: m.OrgID, Text: "Angebot", Delivery: "saas", PriceCents: 100000,
				Basis: offer.PerYear, ValidUntil: time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC), Solutions: refs, State: offer.Submitted,
				CreatedBy: m.UserID}, files, account.AuditEntry{}); err != nil {
				t.Fatal(err)
			}
		}
		submitted(openAPIOfferID, ma, "open-api-angebot-a")
		f.decided, f.withdraw = "019a0000-0000-7000-8000-0000000000d1", "019a0000-0000-7000-8000-0000000000e1"
		submitted(f.decided, md, "open-api-angebot-d")
		submitted(f.withdraw, mw, "open-api-angebot-w")
		if err := s.DB.AddQuestion(ctx, offer.Question{ID: openAPIQuestionID, NeedID: n.ID, OrgID: md.OrgID, AuthorID: md.UserID,
			Text: "Welche Schnittstelle?"}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIOfferCases returns the requests to the offer and question
// operations that change data; ok is false for other operations.
func openAPIOfferCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, key string) {
		var h []string
		if key != "" {
			h = []string{"Authorization: Bearer " + key}
		}
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: h})
	}
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
	base := "/api/v1/needs/" + openAPINeedSlug
	offers := base + "/offers"
	switch op.String() {
	case "POST /api/v1/needs/{slug}/offers":
		f := openAPIOfferFixture(t, s)
		for _, ex := range examples() {
			add(http.MethodPost, offers, ex, 201, "", f.b)
		}
		add(http.MethodPost, offers, `{"text":"x","price":1,"solutions":["open-api-angebot-b"]}`, 409, "", f.b) // one offer per provider
		add(http.MethodPost, offers, `{"text":"","price":-1,"valid_until":"2020-01-01","solutions":["gibt-es-nicht"]}`, 400, "", f.c)
		add(http.MethodPost, offers, `{"text":"x"}`, 401, "", "")
		add(http.MethodPost, offers, `{"text":"x"}`, 403, "user", "")
		add(http.MethodPost, offers, `{"text":"x"}`, 403, "", f.owner)
		add(http.MethodPost, "/api/v1/needs/gibt-es-nicht/offers", `{"text":"x"}`, 404, "", f.c)
	case "PUT /api/v1/needs/{slug}/offers/{id}":
		f := openAPIOfferFixture(t, s)
		target := offers + "/" + openAPIOfferID
		for _, ex := range examples() {
			add(http.MethodPut, target, ex, 200, "", f.a)
			add(http.MethodPut, target, ex, 409, "", f.a) // the lock is stale now
		}
		add(http.MethodPut, target, `{"lock":1,"text":"","price":1.234}`, 400, "", f.a)
		add(http.MethodPut, target, `{"lock":1}`, 401, "", "")
		add(http.MethodPut, target, `{"lock":1}`, 403, "user", "")
		add(http.MethodPut, target, `{"lock":1}`, 404, "", f.c) // another provider's offer
	case "POST /api/v1/needs/{slug}/offers/{id}/withdraw":
		f := openAPIOfferFixture(t, s)
		target := offers + "/" + f.withdraw + "/withdraw"
		add(http.MethodPost, target, `{}`, 400, "", f.w)
		add(http.MethodPost, target, `{"lock":0}`, 403, "", f.wReader) // a read-only key
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", f.w)
		}
		add(http.MethodPost, target, `{"lock":1}`, 409, "", f.w) // withdrawn already
		add(http.MethodPost, target, `{"lock":1}`, 401, "", "")
		add(http.MethodPost, target, `{"lock":1}`, 404, "", f.a)
	case "POST /api/v1/needs/{slug}/offers/{id}/decision":
		f := openAPIOfferFixture(t, s)
		target := offers + "/" + f.decided + "/decision"
		add(http.MethodPost, target, `{"state":"declined","reason":"","lock":0}`, 400, "", f.owner)
		add(http.MethodPost, target, `{"state":"shortlisted","lock":0}`, 403, "", f.d) // the provider itself
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", f.owner)
		}
		add(http.MethodPost, target, `{"state":"shortlisted","lock":0}`, 409, "", f.owner) // stale
		add(http.MethodPost, target, `{"state":"shortlisted","lock":1}`, 401, "", "")
		add(http.MethodPost, target, `{"state":"shortlisted","lock":1}`, 404, "", f.a) // another provider's offer
	case "POST /api/v1/needs/{slug}/questions":
		f := openAPIOfferFixture(t, s)
		for _, ex := range examples() {
			add(http.MethodPost, base+"/questions", ex, 201, "", f.a)
		}
		add(http.MethodPost, base+"/questions", `{"text":""}`, 400, "", f.a)
		add(http.MethodPost, base+"/questions", `{"text":"x"}`, 401, "", "")
		add(http.MethodPost, base+"/questions", `{"text":"x"}`, 403, "user", "")
		add(http.MethodPost, "/api/v1/needs/gibt-es-nicht/questions", `{"text":"x"}`, 404, "", f.a)
	case "POST /api/v1/needs/{slug}/questions/{id}/answer":
		f := openAPIOfferFixture(t, s)
		target := base + "/questions/" + openAPIQuestionID + "/answer"
		add(http.MethodPost, target, `{"text":""}`, 400, "", f.owner)
		add(http.MethodPost, target, `{"text":"x"}`, 403, "", f.a) // a provider
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", f.owner)
		}
		add(http.MethodPost, target, `{"text":"nochmal"}`, 409, "", f.owner)
		add(http.MethodPost, target, `{"text":"x"}`, 401, "", "")
		add(http.MethodPost, base+"/questions/019a0000-0000-7000-8000-000000000000/answer", `{"text":"x"}`, 404, "", f.owner)
	default:
		return nil, false
	}
	return cases, true
}
