package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/knowledge"
)

// getArticle opens a published article of the knowledge base, written
// by an advisor and published by a curator for this page check.
func getArticle(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	db := e.db
	author := e.newUser(t, "axe-wissen-"+uuid.NewString()[:8]+"@zentrum.example", "Ada Autorin", account.Advisor)
	reviewer := e.newUser(t, "axe-kuratur-"+uuid.NewString()[:8]+"@zentrum.example", "Kurt Kurator", account.Curator)
	now := time.Now().UTC()
	a, err := db.CreateArticle(t.Context(), knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: "leitfaden-parkraum",
		Owner: knowledge.Person{ID: author.ID}, State: knowledge.Draft, Editor: knowledge.Person{ID: author.ID}, Authors: []string{author.ID},
		LastChecked: knowledge.Day(now), Working: knowledge.Content{Kind: knowledge.Guide, Title: "Leitfaden Parkraum",
			Summary: "Wie eine Gemeinde Parkraum digital bewirtschaftet.", Fields: []string{"mobility.parking"},
			Body: "## Erste Schritte\n\n1. Bestand erheben\n2. Ziele festlegen\n\n[Mehr beim Bund](https://www.bmwsb.bund.de)"}},
		account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	a.State = knowledge.Submitted
	if a, err = db.SaveArticle(t.Context(), a, knowledge.Draft, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := db.PublishArticle(t.Context(), knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
		Version: knowledge.Version{Number: 1, Content: a.Working, Author: knowledge.Person{ID: author.ID},
			Reviewer: knowledge.Person{ID: reviewer.ID}, At: now}}); err != nil {
		t.Fatal(err)
	}
	get("/wissen/"+a.Slug)(t, e, ctx, lang)
}
