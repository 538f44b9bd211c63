package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/org"
)

// testAdviceJourney: a member of a municipality asks the competence
// centre through the header link; a rule for her state routes the request
// to an advisor, who is mailed, notes something internally and answers;
// the municipality reads the answer (never the note) and closes the
// request. axe checks the new pages on the way.
func (e *env) testAdviceJourney(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	adv := e.newUser(t, "beraterin@kompetenzzentrum.example", "Bea Beraterin", account.Advisor)
	mia := e.newUser(t, "mia@stadt-kiel.example", "Mia Kiel")
	if _, err := e.db.CreateOrg(ctx, org.Organisation{ID: uuid.Must(uuid.NewV7()).String(), Slug: "e2e-stadt-kiel", Kind: org.Municipality,
		Name: "Landeshauptstadt Kiel", RegionKey: "01002000"}, mia.ID, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SaveAdviceRule(ctx, advice.Rule{ID: uuid.Must(uuid.NewV7()).String(), StateKey: "01", Advisor: advice.Person{ID: adv.ID}},
		account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "advice.rule_saved"}); err != nil {
		t.Fatal(err)
	}

	// Mia asks.
	miaTab := e.tab(t, 4*journeyTimeout)
	e.login(t, miaTab, mia.Email, testPassword)
	follow(t, miaTab, `click "Beratung" in the main navigation`, 200, chromedp.Click(navLink("Beratung")))
	wantText(t, miaTab, "main", "Beratung durch das Kompetenzzentrum", "Ihre Organisation hat noch keine Anfragen gestellt.")
	checkAxe(t, miaTab)
	follow(t, miaTab, "open the form", 200, chromedp.Click(chromedp.CSS(`main a[href="/beratung/neu"]`)))
	checkAxe(t, miaTab)
	follow(t, miaTab, "send an empty question", 400, clickForm("/beratung/neu"))
	e.wantFieldError(t, miaTab, "topic", "Bitte füllen Sie dieses Feld aus.")
	checkAxe(t, miaTab)
	run(t, miaTab, "fill in the question",
		chromedp.SendKeys(chromedp.CSS("#f-topic"), "Open Data Portal ausschreiben"),
		chromedp.Click(chromedp.CSS(`label[for="f-urgency-high"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Welche Kriterien sollten wir verwenden?"))
	follow(t, miaTab, "send the question", 200, clickForm("/beratung/neu"))
	wantText(t, miaTab, "main", "Ihre Frage ist beim Kompetenzzentrum angekommen", "Zugewiesen", "Bea Beraterin")
	checkAxe(t, miaTab)
	reqPath, _, _ := strings.Cut(e.path(t, miaTab), "?")

	// The advisor is mailed, notes and answers.
	m := e.mails.MustNext(t, adv.Email, mailTimeout)
	if !strings.Contains(m.Subject, "Open Data Portal ausschreiben") || !strings.Contains(m.Text, e.base+reqPath) {
		t.Errorf("mail to the advisor: %q\n%s", m.Subject, m.Text)
	}
	advTab := e.tab(t, 4*journeyTimeout)
	e.login(t, advTab, adv.Email, testPassword)
	e.open(t, advTab, "/beratung/eingang", 200)
	wantText(t, advTab, "main", "Open Data Portal ausschreiben", "Landeshauptstadt Kiel")
	checkAxe(t, advTab)
	follow(t, advTab, "open the request", 200, chromedp.Click(chromedp.CSS(`main a[href="`+reqPath+`"]`)))
	checkAxe(t, advTab)
	run(t, advTab, "write a note", chromedp.SendKeys(chromedp.CSS("#f-note"), "Kiel hatte 2024 schon ein Portal."))
	follow(t, advTab, "save the note", 200, clickForm("/notiz"))
	run(t, advTab, "write the answer", chromedp.SendKeys(chromedp.CSS("#f-body"), "Nutzen Sie die **DCAT-AP.de**-Kriterien."))
	follow(t, advTab, "send the answer", 200, clickForm("/antwort"))
	wantText(t, advTab, "main", "Die Antwort ist gesendet", "Kiel hatte 2024 schon ein Portal.")
	checkAxe(t, advTab)
	e.open(t, advTab, "/betrieb/beratung/regeln", 403) // operators only

	// Mia reads the answer, not the note, and closes the request.
	m = e.mails.MustNext(t, mia.Email, mailTimeout)
	if !strings.HasPrefix(m.Subject, "Antwort des Kompetenzzentrums") {
		t.Errorf("mail to mia: %q", m.Subject)
	}
	e.open(t, miaTab, reqPath, 200)
	wantText(t, miaTab, "main", "DCAT-AP.de", "Beantwortet")
	if got := text(t, miaTab, "main"); strings.Contains(got, "Kiel hatte 2024") || strings.Contains(got, "Interne Notiz") {
		t.Errorf("the municipality sees the internal note:\n%s", got)
	}
	checkAxe(t, miaTab)
	follow(t, miaTab, "close the request", 200, clickForm("/schliessen"))
	wantText(t, miaTab, "main", "Die Anfrage ist abgeschlossen", "Abgeschlossen")
}
