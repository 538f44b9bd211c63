package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/event"
)

// Elements of the event pages.
const (
	registerButton   = `main form[action$="/anmeldung"] button[type="submit"]`
	unregisterButton = `main form[action$="/abmeldung"] button[type="submit"]`
	registration     = `main section[aria-labelledby="anmeldung"]`
)

// testEventJourney: an event with one place. Eva finds it through the
// main navigation and registers; Bob joins the waiting list; Eva cancels,
// and Bob moves up: his page says so and the mail reaches him over SMTP.
// On the way axe checks the event pages, the organiser's among them.
func (e *env) testEventJourney(t *testing.T) {
	t.Parallel()
	curator := e.newUser(t, "kurator@kompetenzzentrum.example", "Kim Kurator", account.Curator)
	start := time.Now().Add(7 * 24 * time.Hour).UTC().Truncate(time.Hour)
	ev, err := e.db.CreateEvent(t.Context(), event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "e2e-open-data", Title: "Open Data für Einsteiger",
		Summary: "Grundlagen in zwei Stunden.", Description: "**Programm**\n\n- Was sind offene Daten?", Kind: event.Training, Format: event.Hybrid,
		Address: "Rathaus, Sitzungssaal\nMarkt 1\n89073 Ulm", OnlineURL: "https://meet.example/open-data", Start: start, End: start.Add(2 * time.Hour),
		Deadline: start, Capacity: 1, State: event.Published, CreatedBy: curator.ID,
		Materials: []event.Link{{Label: "Folien", URL: "https://example.org/folien.pdf"}}}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	page := "/veranstaltungen/" + ev.Slug
	eva := e.newUser(t, "eva@gemeinde-muster.example", "Eva Muster")
	bob := e.newUser(t, "bob@gemeinde-beispiel.example", "Bob Beispiel")

	evaTab := e.tab(t, 4*journeyTimeout)
	e.login(t, evaTab, eva.Email, testPassword)
	follow(t, evaTab, `click "Veranstaltungen" in the main navigation`, 200, chromedp.Click(navLink("Veranstaltungen")))
	checkAxe(t, evaTab)
	follow(t, evaTab, "open the event", 200, chromedp.Click(chromedp.CSS(`main .app-card a[href="`+page+`"]`)))
	wantText(t, evaTab, "main", "noch 1 Platz frei", "Den Link erhalten Sie mit der Bestätigung")
	checkAxe(t, evaTab)
	run(t, evaTab, "name the organisation", chromedp.SendKeys(chromedp.CSS("#f-organisation"), "Gemeinde Muster"))
	follow(t, evaTab, "register", 200, chromedp.Click(chromedp.CSS(registerButton)))
	wantText(t, evaTab, "main", "Ihre Anmeldung ist eingegangen", "Ihr Platz ist bestätigt", "https://meet.example/open-data")
	if m := e.mails.MustNext(t, eva.Email, mailTimeout); !strings.HasPrefix(m.Subject, "Anmeldung bestätigt") || !strings.Contains(m.Text, "https://meet.example/open-data") {
		t.Errorf("mail to eva: %q\n%s", m.Subject, m.Text)
	}

	bobTab := e.tab(t, 4*journeyTimeout)
	e.login(t, bobTab, bob.Email, testPassword)
	e.open(t, bobTab, page, 200)
	wantText(t, bobTab, registration, "Alle Plätze sind vergeben")
	follow(t, bobTab, "join the waiting list", 200, chromedp.Click(chromedp.CSS(registerButton)))
	wantText(t, bobTab, registration, "Warteliste, an Position 1")
	checkAxe(t, bobTab)
	if m := e.mails.MustNext(t, bob.Email, mailTimeout); !strings.HasPrefix(m.Subject, "Auf der Warteliste") || strings.Contains(m.Text, "meet.example") {
		t.Errorf("mail to bob: %q\n%s", m.Subject, m.Text)
	}

	follow(t, evaTab, "cancel the registration", 200, chromedp.Click(chromedp.CSS(unregisterButton)))
	wantText(t, evaTab, "main", "Sie sind abgemeldet")
	m := e.mails.MustNext(t, bob.Email, mailTimeout)
	if !strings.HasPrefix(m.Subject, "Ein Platz ist frei geworden") || !strings.Contains(m.Text, e.base+page) || !strings.Contains(m.Text, "https://meet.example/open-data") {
		t.Errorf("mail to bob after eva cancelled: %q\n%s", m.Subject, m.Text)
	}
	e.open(t, bobTab, page, 200)
	wantText(t, bobTab, registration, "Ihr Platz ist bestätigt")
	e.open(t, bobTab, page+"?lang=en", 200)
	wantText(t, bobTab, registration, "your place is confirmed")
	checkAxe(t, bobTab)

	// After the event Bob rates it (his pages are in English now: he
	// switched the language above).
	past, err := e.db.EventBySlug(t.Context(), ev.Slug)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	past.Start, past.End, past.Deadline = now.Add(-3*time.Hour), now.Add(-time.Hour), now.Add(-4*time.Hour)
	if _, err := e.db.UpdateEvent(t.Context(), past, past.Lock, nil, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	e.open(t, bobTab, page, 200)
	checkAxe(t, bobTab)
	run(t, bobTab, "rate the event", chromedp.Click(chromedp.CSS(`label[for="f-rating-5"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-comment"), "Very practical."))
	follow(t, bobTab, "send the feedback", 200, chromedp.Click(chromedp.CSS(`main form[action$="/rueckmeldung"] button[type="submit"]`)))
	wantText(t, bobTab, `main section[aria-labelledby="rueckmeldung"]`, "you rated the event 5 out of 5")

	// The organiser's pages: the attendance list with the feedback, and
	// the form, with errors.
	curTab := e.tab(t, 4*journeyTimeout)
	e.login(t, curTab, curator.Email, testPassword)
	e.open(t, curTab, page+"/teilnehmende", 200)
	wantText(t, curTab, "main", bob.Email, "Bob Beispiel", "Durchschnittliche Bewertung: 5,0 von 5", "Very practical.")
	checkAxe(t, curTab)
	e.open(t, curTab, "/veranstaltungen/neu", 200)
	checkAxe(t, curTab)
	follow(t, curTab, "save an empty event", 400, chromedp.Click(chromedp.CSS(`main form[action="/veranstaltungen"] button[type="submit"]`)))
	e.wantFieldError(t, curTab, "title", "Bitte füllen Sie dieses Feld aus.")
	checkAxe(t, curTab)
}
