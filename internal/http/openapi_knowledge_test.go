package http

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/knowledge"
)

// openAPIArticleSlug is the example article of the document.
const openAPIArticleSlug = "openapi-leitfaden"

// articleAPIFixture is what the knowledge operations are called on: the
// accounts of an advisor who writes and a curator who reviews.
type articleAPIFixture struct {
	writer, curator account.User
	writerKey       string
}

var articleAPIFixtures perServer[*articleAPIFixture]

func openAPIArticleFixture(t *testing.T, s *Server) *articleAPIFixture {
	t.Helper()
	return articleAPIFixtures.get(s, func() *articleAPIFixture {
		f := &articleAPIFixture{
			writer:  mustAccount(t, s, "openapi-wissen-"+uuid.NewString()[:8]+"@test.example", "Ada Autorin", account.Advisor),
			curator: mustAccount(t, s, "openapi-kurator-"+uuid.NewString()[:8]+"@test.example", "Kurt Kurator", account.Curator),
		}
		f.writerKey = testAPIToken(t, s, f.writer, account.ScopeRead, account.ScopeWrite)
		if _, err := s.DB.Article(context.Background(), openAPIArticleSlug); apperr.Is(err, apperr.NotFound) {
			openAPIArticle(t, s, f, openAPIArticleSlug, knowledge.Published)
		} else if err != nil {
			t.Fatal(err)
		}
		return f
	})
}

// openAPIArticle stores an article of the fixture's writer in state st
// and returns its slug (slug, numbered when taken).
func openAPIArticle(t *testing.T, s *Server, f *articleAPIFixture, slug string, st knowledge.State) string {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	a, err := s.DB.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Owner: knowledge.Person{ID: f.writer.ID},
		State: knowledge.Draft, Editor: knowledge.Person{ID: f.writer.ID}, Authors: []string{f.writer.ID}, LastChecked: knowledge.Day(now),
		Working: knowledge.Content{Kind: knowledge.Guide, Title: "Leitfaden Parkraum", Summary: "Kurz.", Body: "## Schritte\n\n1. Bestand erheben",
			Fields: []string{"mobility"}}}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	if st == knowledge.Draft {
		return a.Slug
	}
	a.State = knowledge.Submitted
	if a, err = s.DB.SaveArticle(ctx, a, knowledge.Draft, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if st == knowledge.Published {
		if err := s.DB.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
			Version: knowledge.Version{Number: 1, Content: a.Working, Author: a.Editor, Reviewer: knowledge.Person{ID: f.curator.ID}, At: now}}); err != nil {
			t.Fatal(err)
		}
	}
	return a.Slug
}

// openAPIArticleCases are the requests to the knowledge operations that
// change data; ok is false for other operations.
func openAPIArticleCases(t *testing.T, op openAPIOp, s *Server) ([]apiCase, bool) {
	t.Helper()
	var cases []apiCase
	add := func(method, target, body string, status int, as string, headers ...string) {
		cases = append(cases, apiCase{op: op, method: method, target: target, body: body, status: status, as: as, headers: headers})
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
	missing := "/api/v1/articles/gibt-es-nicht-" + uuid.NewString()[:8]
	switch op.String() {
	case "POST /api/v1/articles":
		openAPIArticleFixture(t, s)
		for _, ex := range examples() {
			add(http.MethodPost, op.path, ex, 201, "operator")
		}
		add(http.MethodPost, op.path, `{"kind":"essay","title":"","body":""}`, 400, "operator")
		add(http.MethodPost, op.path, `{"title":1}`, 400, "operator")
		add(http.MethodPost, op.path, `{"kind":"guide","title":"T","body":"B"}`, 401, "")
		add(http.MethodPost, op.path, `{"kind":"guide","title":"T","body":"B"}`, 403, "reader")
	case "PUT /api/v1/articles/{slug}":
		f := openAPIArticleFixture(t, s)
		for _, ex := range examples() { // each on a fresh draft with lock 1
			add(http.MethodPut, "/api/v1/articles/"+openAPIArticle(t, s, f, "openapi-entwurf", knowledge.Draft), ex, 200, "operator")
		}
		draft := "/api/v1/articles/" + openAPIArticle(t, s, f, "openapi-entwurf", knowledge.Draft)
		add(http.MethodPut, draft, `{"kind":"guide","title":"T","body":"B","lock":99}`, 409, "operator")
		add(http.MethodPut, draft, `{"kind":"guide","title":"","body":"B","lock":1}`, 400, "operator")
		add(http.MethodPut, draft, `{"kind":"guide","title":"T","body":"B","lock":1}`, 401, "")
		add(http.MethodPut, draft, `{"kind":"guide","title":"T","body":"B","lock":1}`, 403, "reader")
		add(http.MethodPut, missing, `{"kind":"guide","title":"T","body":"B","lock":1}`, 404, "operator")
	case "POST /api/v1/articles/{slug}/submit":
		f := openAPIArticleFixture(t, s)
		target := "/api/v1/articles/" + openAPIArticle(t, s, f, "openapi-entwurf", knowledge.Draft) + "/submit"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "", "Authorization: Bearer "+f.writerKey)
		}
		add(http.MethodPost, target, `{}`, 409, "operator") // submitted already
		add(http.MethodPost, target, `{"now":true}`, 400, "operator")
		add(http.MethodPost, target, `{}`, 401, "")
		add(http.MethodPost, target, `{}`, 403, "reader")
		add(http.MethodPost, missing+"/submit", `{}`, 404, "operator")
	case "POST /api/v1/articles/{slug}/review":
		f := openAPIArticleFixture(t, s)
		target := "/api/v1/articles/" + openAPIArticle(t, s, f, "openapi-pruefung", knowledge.Submitted) + "/review"
		for _, ex := range examples() {
			add(http.MethodPost, target, ex, 200, "operator")
		}
		add(http.MethodPost, target, `{"decision":"publish"}`, 409, "operator") // published already
		add(http.MethodPost, target, `{"decision":"vielleicht"}`, 400, "operator")
		add(http.MethodPost, target, `{"decision":"publish"}`, 401, "")
		add(http.MethodPost, target, `{"decision":"publish"}`, 403, "reader")
		// The author may not review their own article (four-eyes).
		own := "/api/v1/articles/" + openAPIArticle(t, s, f, "openapi-pruefung", knowledge.Submitted) + "/review"
		add(http.MethodPost, own, `{"decision":"publish"}`, 403, "", "Authorization: Bearer "+f.writerKey)
		add(http.MethodPost, missing+"/review", `{"decision":"publish"}`, 404, "operator")
	default:
		return nil, false
	}
	return cases, true
}
