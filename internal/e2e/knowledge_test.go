package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// testKnowledgeBase: an advisor writes a guide in Markdown and submits
// it; a curator, another person, publishes it; a reader finds it under
// /wissen, rates it useful and suggests a correction; the advisor finds
// the hint in the queue and decides it, and the reader is mailed the
// decision over SMTP. axe checks the pages on the way.
func (e *env) testKnowledgeBase(t *testing.T) {
	t.Parallel()
	tag := uuid.NewString()[:8]
	ada := e.newUser(t, "ada-"+tag+"@kompetenzzentrum.example", "Ada Autorin", account.Advisor)
	kurt := e.newUser(t, "kurt-"+tag+"@kompetenzzentrum.example", "Kurt Kurator", account.Curator)
	rita := e.newUser(t, "rita-"+tag+"@gemeinde-lesen.example", "Rita Leserin")
	title := "Leitfaden Bürgerbeteiligung " + tag

	// Ada writes and submits.
	adaTab := e.tab(t, 4*journeyTimeout)
	e.login(t, adaTab, ada.Email, testPassword)
	follow(t, adaTab, `click "Wissen" in the main navigation`, 200, chromedp.Click(navLink("Wissen")))
	follow(t, adaTab, "open the form", 200, chromedp.Click(chromedp.CSS(`main a[href="/wissen/neu"]`)))
	checkAxe(t, adaTab)
	run(t, adaTab, "write the guide",
		chromedp.Click(chromedp.CSS(`label[for="f-kind-guide"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SendKeys(chromedp.CSS("#f-summary"), "Wie eine Gemeinde online beteiligt."),
		chromedp.SetValue(chromedp.CSS("#f-body"), "## Vorbereitung\n\n- **Ziele** klären\n- Zielgruppen ansprechen\n\n<script>alert(1)</script>"))
	follow(t, adaTab, "save the draft", 200, clickForm("/wissen/neu"))
	wantText(t, adaTab, "main", "Der Entwurf ist gespeichert", title)
	page, _, _ := strings.Cut(e.path(t, adaTab), "?")
	follow(t, adaTab, "submit it for review", 200, clickForm("/einreichen"))
	wantText(t, adaTab, "main", "Der Beitrag ist zur Prüfung eingereicht")
	checkAxe(t, adaTab)

	// Kurt publishes.
	kurtTab := e.tab(t, 4*journeyTimeout)
	e.login(t, kurtTab, kurt.Email, testPassword)
	e.open(t, kurtTab, page, 200)
	checkAxe(t, kurtTab)
	run(t, kurtTab, "choose to publish", chromedp.Click(chromedp.CSS(`label[for="f-decision-publish"]`)))
	follow(t, kurtTab, "publish", 200, clickForm("/pruefung"))
	wantText(t, kurtTab, "main", "Der Beitrag ist veröffentlicht")

	// Rita finds, reads, rates and suggests.
	ritaTab := e.tab(t, 4*journeyTimeout)
	e.login(t, ritaTab, rita.Email, testPassword)
	follow(t, ritaTab, `click "Wissen" in the main navigation`, 200, chromedp.Click(navLink("Wissen")))
	wantText(t, ritaTab, "main", title)
	checkAxe(t, ritaTab)
	follow(t, ritaTab, "open the guide", 200, chromedp.Click(chromedp.CSS(`main a[href="`+page+`"]`)))
	wantText(t, ritaTab, "main .app-markdown h2", "Vorbereitung")
	wantText(t, ritaTab, "main .app-markdown strong", "Ziele")
	if eval[bool](t, ritaTab, `document.querySelector("main .app-markdown script") !== null`) {
		t.Error("the article's Markdown keeps a script")
	}
	run(t, ritaTab, "rate it useful", chromedp.Click(chromedp.CSS(`label[for="f-helpful-ja"]`)))
	follow(t, ritaTab, "save the rating", 200, clickForm("/bewertung"))
	wantText(t, ritaTab, "main", "Danke für Ihre Bewertung", "1 fanden den Beitrag hilfreich, 0 nicht")
	hint := "Bitte die Frist für Stellungnahmen ergänzen (" + tag + ")."
	run(t, ritaTab, "write a correction", chromedp.SendKeys(chromedp.CSS("#f-suggestion"), hint))
	follow(t, ritaTab, "send the correction", 200, clickForm("/hinweise"))
	wantText(t, ritaTab, "main", "Danke für Ihren Hinweis")
	checkAxe(t, ritaTab)

	// Ada decides the hint in her queue; Rita is mailed.
	e.open(t, adaTab, "/wissen", 200)
	follow(t, adaTab, "open the queue", 200, chromedp.Click(chromedp.CSS(`main a[href="/wissen/hinweise"]`)))
	wantText(t, adaTab, "main", hint, "Rita Leserin")
	checkAxe(t, adaTab)
	id := eval[string](t, adaTab, `[...document.querySelectorAll("main section")].find(s => s.textContent.includes(`+jsString(hint)+`)).getAttribute("aria-labelledby").slice(2)`)
	run(t, adaTab, "decide the hint",
		chromedp.Click(chromedp.CSS(`label[for="f-decision-`+id+`-done"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-note-"+id), "Ergänzt, danke!"))
	follow(t, adaTab, "save the decision", 200, clickForm("/wissen/hinweise/"+id+"/entscheidung"))
	wantText(t, adaTab, "main", "Die Entscheidung ist gespeichert", "Ergänzt, danke!")
	m := e.mails.MustNext(t, rita.Email, mailTimeout)
	if !strings.Contains(m.Subject, title) || !strings.Contains(m.Subject, "erledigt") {
		t.Errorf("mail to rita: %q\n%s", m.Subject, m.Text)
	}
}
