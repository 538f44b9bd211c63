package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/practice"
)

// practiceAGS is the municipality of the journey (Achterwehr); the page
// check's example belongs to Alt Duvenstedt.
const (
	practiceAGS    = "01058001"
	practiceAxeAGS = "01058003"
)

// getPracticeExample opens a published practice example, stored and
// published for this page check (once; the second language finds it).
func getPracticeExample(t *testing.T, e *env, ctx context.Context, lang string) {
	t.Helper()
	const slug = "axe-praxisbeispiel"
	if _, err := e.db.Example(t.Context(), slug); err != nil {
		curator := e.newUser(t, "axe-praxis-kurator@zentrum.example", "Kurt Kurator", account.Curator)
		o, err := e.db.CreateOrg(t.Context(), org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "axe-alt-duvenstedt",
			Kind: org.Municipality, Name: "Alt Duvenstedt", RegionKey: practiceAxeAGS}, curator.ID, account.AuditEntry{})
		if err != nil {
			t.Fatal(err)
		}
		before, after := 14.0, 3.0
		ex, err := e.db.CreateExample(t.Context(), practice.Example{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug,
			Org: practice.OrgRef{ID: o.ID, RegionKey: practiceAxeAGS}, State: practice.Submitted,
			Working: practice.Content{Title: "Bauanträge digital", Goal: "Bauanträge **online** annehmen.", Fields: []string{"administration"},
				CostBand: "10k-50k", Funding: "Eigenmittel", Start: "2024-03", End: "2024-11", Team: "Bauamt", TeamSize: 3,
				Results:     []practice.Indicator{{Name: "Bearbeitungszeit", Before: &before, After: &after, Unit: "Wochen"}},
				ResultsText: "Schneller.", Lessons: "Früh schulen.", Differently: "Mehr Zeit einplanen.",
				Contact: practice.Contact{Name: "Bea Bauamt", Role: "Leitung", Email: "bea@alt-duvenstedt.example", Consent: true}}},
			account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "practice.created", ObjectType: "practice_example"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.PublishExample(t.Context(), ex, curator.ID, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(),
			Action: "practice.published", ObjectType: "practice_example"}); err != nil {
			t.Fatal(err)
		}
	}
	get("/praxisbeispiele/"+slug)(t, e, ctx, lang)
}

// testPracticeExample: a member of a verified municipality describes a
// project that used a catalogue solution and submits it; a curator
// publishes it from the queue; a visitor then finds it on its own page,
// on the solution's page and on the municipality's page.
func (e *env) testPracticeExample(t *testing.T) {
	t.Parallel()
	tag := uuid.NewString()[:8]
	ctx := t.Context()
	paula := e.newUser(t, "paula-"+tag+"@achterwehr.example", "Paula Praxis")
	o, err := e.orgs.Create(ctx, paula, org.NewOrg{Kind: org.Municipality, RegionKey: practiceAGS}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: paula.ID, Email: paula.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	kurt := e.newUser(t, "kurt-praxis-"+tag+"@kompetenzzentrum.example", "Kurt Kurator", account.Curator)
	title := "Ratsarbeit ohne Papier " + tag

	// Paula writes the example with a demo solution and submits it.
	tab := e.tab(t, 4*journeyTimeout)
	e.login(t, tab, paula.Email, testPassword)
	e.open(t, tab, "/loesungen", 200)
	solution := eval[string](t, tab, `document.querySelector('main .app-card a[href^="/loesungen/"]').getAttribute("href")`)
	follow(t, tab, `click "Praxisbeispiele" in the main navigation`, 200, chromedp.Click(navLink("Praxisbeispiele")))
	follow(t, tab, "open the form", 200, chromedp.Click(chromedp.CSS(`main a[href="/praxisbeispiele/neu"]`)))
	checkAxe(t, tab)
	run(t, tab, "describe the project",
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Sitzungen **digital** vorbereiten.\n\n<script>alert(1)</script>"),
		chromedp.Click(chromedp.CSS(`label[for="f-fields-administration"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-solutions"), strings.TrimPrefix(solution, "/loesungen/")),
		chromedp.SetValue(chromedp.CSS("#f-start"), "2025-01"),
		chromedp.SetValue(chromedp.CSS("#f-end"), "2025-12"),
		chromedp.SendKeys(chromedp.CSS(`input[name="ind_name_0"]`), "Papierseiten je Sitzung"),
		chromedp.SendKeys(chromedp.CSS(`input[name="ind_before_0"]`), "300"),
		chromedp.SendKeys(chromedp.CSS(`input[name="ind_after_0"]`), "20"),
		chromedp.SendKeys(chromedp.CSS("#f-lessons"), "Früh schulen."),
		chromedp.SendKeys(chromedp.CSS("#f-contact_name"), "Paula Praxis"),
		chromedp.SendKeys(chromedp.CSS("#f-contact_email"), "paula@achterwehr.example"),
		chromedp.Click(chromedp.CSS(`label[for="f-consent"]`)))
	follow(t, tab, "save the draft", 200, clickForm("/praxisbeispiele/neu"))
	wantText(t, tab, "main", "als Entwurf gespeichert", title)
	page, _, _ := strings.Cut(e.path(t, tab), "?")
	follow(t, tab, "submit it for review", 200, clickForm("/einreichen"))
	wantText(t, tab, "main", "zur Prüfung eingereicht")
	checkAxe(t, tab)

	// Kurt publishes it from the queue.
	kTab := e.tab(t, 4*journeyTimeout)
	e.login(t, kTab, kurt.Email, testPassword)
	e.open(t, kTab, "/kuratierung/praxisbeispiele", 200)
	wantText(t, kTab, "main", title)
	checkAxe(t, kTab)
	follow(t, kTab, "open the example", 200, chromedp.Click(chromedp.CSS(`main a[href="`+page+`"]`)))
	run(t, kTab, "choose to publish", chromedp.Click(chromedp.CSS(`label[for="f-decision-publish"]`)))
	follow(t, kTab, "publish", 200, clickForm("/pruefung"))
	wantText(t, kTab, "main", "Das Praxisbeispiel wurde veröffentlicht")

	// A visitor finds it on its page, the solution's and the municipality's.
	vTab := e.tab(t, 4*journeyTimeout)
	e.open(t, vTab, page, 200)
	wantText(t, vTab, "main", title, "Papierseiten je Sitzung", "Paula Praxis", "Achterwehr")
	wantText(t, vTab, "main .app-markdown strong", "digital")
	if eval[bool](t, vTab, `document.querySelector("main .app-markdown script") !== null`) {
		t.Error("the example's Markdown keeps a script")
	}
	e.open(t, vTab, solution, 200)
	wantText(t, vTab, `section[aria-labelledby="praxisbeispiele"]`, title)
	e.open(t, vTab, "/kommunen/"+practiceAGS, 200)
	wantText(t, vTab, "main", title)
}
