package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/knowledge"
)

// centreCorpus publishes an article and an event that share a word of
// their own (other journeys run at the same time) and returns the word
// and the paths of both.
func (e *env) centreCorpus(t *testing.T) (word, article, ev string) {
	t.Helper()
	ctx := t.Context()
	word = "zq" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	author := e.newUser(t, "suche-autorin-"+word+"@zentrum.example", "Ada Autorin", account.Advisor)
	curator := e.newUser(t, "suche-kurator-"+word+"@zentrum.example", "Kurt Kurator", account.Curator)
	now := time.Now().UTC()
	a, err := e.db.CreateArticle(ctx, knowledge.Article{ID: uuid.Must(uuid.NewV7()).String(), Slug: "parkraum-" + word,
		Owner: knowledge.Person{ID: author.ID}, State: knowledge.Draft, Editor: knowledge.Person{ID: author.ID}, Authors: []string{author.ID},
		LastChecked: knowledge.Day(now), Working: knowledge.Content{Kind: knowledge.Guide, Title: "Parkraumbewirtschaftung einführen",
			Summary: "Gebühren und Zonen " + word, Fields: []string{"mobility.parking"}, Body: "## Erste Schritte\n\nBestand erheben"}},
		account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	a.State = knowledge.Submitted
	if a, err = e.db.SaveArticle(ctx, a, knowledge.Draft, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.PublishArticle(ctx, knowledge.Publication{ArticleID: a.ID, Lock: a.Lock, Checked: knowledge.Day(now),
		Version: knowledge.Version{Number: 1, Content: a.Working, Author: a.Editor, Reviewer: knowledge.Person{ID: curator.ID}, At: now}}); err != nil {
		t.Fatal(err)
	}
	start := now.Add(14 * 24 * time.Hour).Truncate(time.Hour)
	x, err := e.db.CreateEvent(ctx, event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "buergerbeteiligung-" + word,
		Title: "Infoveranstaltung Bürgerbeteiligung", Summary: "Beteiligung digital organisieren " + word, Kind: event.Information,
		Format: event.Online, OnlineURL: "https://meet.example/beteiligung", Start: start, End: start.Add(time.Hour), Deadline: start,
		Capacity: 50, State: event.Published, CreatedBy: curator.ID}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	return word, "/wissen/" + a.Slug, "/veranstaltungen/" + x.Slug
}

// getCentreSearch opens the centre's search with hits, for the page check.
func getCentreSearch(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	word, _, _ := e.centreCorpus(t)
	run(t, ctx, "search the competence centre", chromedp.Navigate(e.url("/wissen/suche?q="+word+"&lang="+lang)))
}

// testCentreSearch: a visitor goes from the knowledge base to the search,
// finds an article and an event by one word, narrows the hits to events
// with a checkbox, finds the event by a spelling without umlaut and opens
// it — without JavaScript features beyond a plain form.
func (e *env) testCentreSearch(t *testing.T) {
	t.Parallel()
	word, article, ev := e.centreCorpus(t)
	tab := e.tab(t, journeyTimeout)
	e.open(t, tab, "/wissen", 200)
	follow(t, tab, "open the search of the competence centre", 200, chromedp.Click(chromedp.CSS(`main a[href="/wissen/suche"]`)))
	wantText(t, tab, "main", "Suche im Kompetenzzentrum", "Geben Sie einen Suchbegriff ein")
	run(t, tab, "type the word", chromedp.SendKeys(chromedp.CSS("#f-q"), word))
	follow(t, tab, "search", 200, chromedp.Click(chromedp.CSS(`main form[role="search"] button[type="submit"]`)))
	wantText(t, tab, "main", "2 Treffer", "Parkraumbewirtschaftung einführen", "Infoveranstaltung Bürgerbeteiligung", "Artikel (1)", "Veranstaltungen (1)")
	checkAxe(t, tab)
	run(t, tab, `tick "Veranstaltungen"`, chromedp.Click(chromedp.CSS(`label[for="f-art-2"]`)))
	follow(t, tab, "search events only", 200, chromedp.Click(chromedp.CSS(`main form[role="search"] button[type="submit"]`)))
	wantText(t, tab, "main", "1 Treffer", "Infoveranstaltung Bürgerbeteiligung")
	if !eval[bool](t, tab, `document.querySelector(`+jsString(`main a[href="`+ev+`"]`)+`) !== null && document.querySelector(`+
		jsString(`main a[href="`+article+`"]`)+`) === null`) {
		t.Errorf("events only: not just the event %s", ev)
	}
	e.open(t, tab, "/wissen/suche?q=Buergerbeteiligung+"+word, 200)
	follow(t, tab, "open the event", 200, chromedp.Click(chromedp.CSS(`main a[href="`+ev+`"]`)))
	wantText(t, tab, "main", "Infoveranstaltung Bürgerbeteiligung")
}
