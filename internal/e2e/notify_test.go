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

// unreadBadge is the header's count of unread notifications.
const unreadBadge = `header .app-unread`

// testNotifications: Nora is registered for an event. The organiser
// moves it: Nora is mailed at once (the default for event changes), the
// header shows one unread notification, and following it from the
// notification centre opens the event and reads it. She then turns the
// mail of event changes off: new materials only show in the centre.
// Back on "at once", the cancellation mails her again — the next mail
// over SMTP is the cancellation, so none came in between.
func (e *env) testNotifications(t *testing.T) {
	t.Parallel()
	tag := uuid.NewString()[:8]
	curator := e.newUser(t, "kim-"+tag+"@kompetenzzentrum.example", "Kim Kurator", account.Curator)
	nora := e.newUser(t, "nora-"+tag+"@gemeinde-nord.example", "Nora Nord")
	day := time.Now().In(event.Berlin).AddDate(0, 0, 10)
	start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, event.Berlin)
	ev, err := e.db.CreateEvent(t.Context(), event.Event{ID: uuid.Must(uuid.NewV7()).String(), Slug: "e2e-benachrichtigung-" + tag,
		Title: "Datenstrategie " + tag, Summary: "Grundlagen.", Kind: event.Information, Format: event.Online,
		OnlineURL: "https://meet.example/daten-" + tag, Start: start.UTC(), End: start.Add(2 * time.Hour).UTC(), Deadline: start.AddDate(0, 0, -1).UTC(),
		Capacity: 20, State: event.Published, CreatedBy: curator.ID,
		Materials: []event.Link{{Label: "Folien", URL: "https://example.org/folien.pdf"}}}, account.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	page := "/veranstaltungen/" + ev.Slug

	noraTab := e.tab(t, 4*journeyTimeout)
	e.login(t, noraTab, nora.Email, testPassword)
	e.open(t, noraTab, page, 200)
	follow(t, noraTab, "register", 200, chromedp.Click(chromedp.CSS(registerButton)))
	if m := e.mails.MustNext(t, nora.Email, mailTimeout); !strings.HasPrefix(m.Subject, "Anmeldung bestätigt") {
		t.Fatalf("mail to nora: %q", m.Subject)
	}
	if eval[bool](t, noraTab, `document.querySelector(`+jsString(unreadBadge)+`) !== null`) {
		t.Fatal("a badge before any notification")
	}

	// The organiser moves the event an hour earlier.
	kimTab := e.tab(t, 4*journeyTimeout)
	e.login(t, kimTab, curator.Email, testPassword)
	e.open(t, kimTab, page+"/bearbeiten", 200)
	run(t, kimTab, "move the start", chromedp.SetValue(chromedp.CSS("#f-start_time"), "09:00"))
	follow(t, kimTab, "save the event", 200, clickForm("/bearbeiten"))

	m := e.mails.MustNext(t, nora.Email, mailTimeout)
	if !strings.HasPrefix(m.Subject, "Geändert: Datenstrategie "+tag) || !strings.Contains(m.Text, "09:00") ||
		!strings.Contains(m.Text, "https://meet.example/daten-"+tag) || !strings.Contains(m.Text, e.base+page) {
		t.Errorf("change mail to nora: %q\n%s", m.Subject, m.Text)
	}
	e.open(t, noraTab, "/konto", 200)
	wantText(t, noraTab, unreadBadge, "1 ungelesen")
	follow(t, noraTab, "open the notification centre from the header", 200,
		chromedp.Click(chromedp.CSS(`header a[href="/konto/benachrichtigungen"]`)))
	wantText(t, noraTab, "main", "Die Veranstaltung „Datenstrategie "+tag+"“ hat sich geändert", "Neu")
	checkAxe(t, noraTab)
	follow(t, noraTab, "follow the notification", 200,
		chromedp.Click(chromedp.CSS(`main a[href^="/konto/benachrichtigungen/"][href$="/oeffnen"]`)))
	if p := e.path(t, noraTab); p != page {
		t.Fatalf("the notification led to %s, want %s", p, page)
	}
	wantText(t, noraTab, "main", "09:00")
	if eval[bool](t, noraTab, `document.querySelector(`+jsString(unreadBadge)+`) !== null`) {
		t.Error("the badge still shows after reading the notification")
	}

	// No more mail about changes.
	e.open(t, noraTab, "/konto/benachrichtigungen", 200)
	follow(t, noraTab, "open the settings", 200, chromedp.Click(chromedp.CSS(`main a[href="/konto/benachrichtigungen/einstellungen"]`)))
	checkAxe(t, noraTab)
	run(t, noraTab, "turn the mail of event changes off", chromedp.Click(chromedp.CSS(`label[for="f-event.changed-off"]`)))
	follow(t, noraTab, "save the settings", 200, clickForm("/konto/benachrichtigungen/einstellungen"))
	wantText(t, noraTab, "main", "Ihre Einstellungen wurden gespeichert")

	e.open(t, kimTab, page+"/bearbeiten", 200)
	run(t, kimTab, "add the recording", chromedp.SetValue(chromedp.CSS("#f-materials"),
		"Folien | https://example.org/folien.pdf\nAufzeichnung | https://example.org/aufzeichnung-"+tag))
	follow(t, kimTab, "save the event", 200, clickForm("/bearbeiten"))
	e.open(t, noraTab, "/konto/benachrichtigungen", 200)
	wantText(t, noraTab, unreadBadge, "1 ungelesen")
	wantText(t, noraTab, "main", "Zur Veranstaltung „Datenstrategie "+tag+"“ gibt es neue Unterlagen oder eine Aufzeichnung.")

	// Mail at once again; the cancellation is the next mail she gets.
	e.open(t, noraTab, "/konto/benachrichtigungen/einstellungen", 200)
	run(t, noraTab, "mail event changes at once", chromedp.Click(chromedp.CSS(`label[for="f-event.changed-immediate"]`)))
	follow(t, noraTab, "save the settings", 200, clickForm("/konto/benachrichtigungen/einstellungen"))
	e.open(t, kimTab, page, 200)
	follow(t, kimTab, "cancel the event", 200, clickForm("/absagen"))
	if m := e.mails.MustNext(t, nora.Email, mailTimeout); !strings.HasPrefix(m.Subject, "Abgesagt: Datenstrategie "+tag) {
		t.Errorf("next mail to nora: %q, want the cancellation (no mail about the materials)", m.Subject)
	}
	e.open(t, noraTab, "/konto/benachrichtigungen", 200)
	wantText(t, noraTab, unreadBadge, "2 ungelesen")
	wantText(t, noraTab, "main", "Die Veranstaltung „Datenstrategie "+tag+"“ wurde abgesagt.")
}
