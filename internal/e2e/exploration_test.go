package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/org"
)

// fetchBytes downloads path in the tab (with its session) and returns the body.
func fetchBytes(t *testing.T, ctx context.Context, path string) []byte {
	t.Helper()
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(`+jsString(path)+`).then(r => r.arrayBuffer()).then(b => {
		let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s) })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download %s: %v", path, err)
	}
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("download %s: %v", path, err)
	}
	return body
}

// testExplorationJourney: a municipality's need finds two providers'
// solutions; one provider offers; the buyer starts a market exploration
// from the need (the candidates frozen with their hash), sets weighted
// criteria and a questionnaire (a deadline in the past is refused), and
// sends it; the provider answers through its notification; the buyer
// scores (excluding the other candidate with a reason), closes with an
// award and downloads the report as PDF (read with pdftotext) and XLSX
// (read with excelize). Answering is enabled by every provider asked
// having answered, so nobody waits for the deadline; the deadline's
// enforcement is tested in internal/exploration and internal/http.
func (e *env) testExplorationJourney(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	buyer := e.newUser(t, "mia@bunsoh.example", "Mia Markt")
	city := e.verifiedOrg(t, buyer, org.NewOrg{Kind: org.Municipality, RegionKey: "01051015"})
	var providers []account.User
	for _, name := range []string{"Alpha", "Beta"} {
		u := e.newUser(t, "erkundung-"+strings.ToLower(name)+"@anbieter.example", "Anbieter "+name)
		firm := e.verifiedOrg(t, u, org.NewOrg{Kind: org.Company, Name: "Sitzungsfirma " + name})
		slug := "sitzungsdienst-" + strings.ToLower(name)
		if _, err := e.db.ImportSolution(ctx, catalog.Solution{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, OrgID: firm.ID, ImportedFrom: "test/" + slug},
			catalog.Entry{Name: "Sitzungsdienst " + name, Short: "Sitzungsdienst für Räte", Licence: "EUPL-1.2", Maturity: "production",
				Fields: []string{"administration.online-services"}, Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "flat", Hosting: "de"}}}, account.AuditEntry{}); err != nil {
			t.Fatal(err)
		}
		providers = append(providers, u)
	}
	n, err := e.db.CreateNeed(ctx, need.Need{ID: uuid.Must(uuid.NewV7()).String(), Slug: "sitzungsdienst-bunsoh", Org: need.OrgRef{ID: city.ID},
		Title: "Sitzungsdienst", Problem: "Sitzungen digital vorbereiten.", Field: "administration.online-services", Hosting: "any",
		Reqs:       []need.Requirement{{Text: "Als Software as a Service", Kind: need.Must, Attribute: "delivery:saas"}, {Text: "Schulung", Kind: need.Should, Weight: 5}},
		Visibility: need.Public, State: need.Open, CreatedBy: buyer.ID}, account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: "need.created", ObjectType: "need"})
	if err != nil {
		t.Fatal(err)
	}
	needPage := "/bedarfe/" + n.Slug

	// The need's matches show both solutions (the search index follows
	// the catalogue within moments).
	tab := e.tab(t, 6*journeyTimeout)
	e.login(t, tab, buyer.Email, testPassword)
	deadline := time.Now().Add(30 * time.Second)
	for {
		e.open(t, tab, needPage, 200)
		if got := text(t, tab, "main"); strings.Contains(got, "Sitzungsdienst Alpha") && strings.Contains(got, "Sitzungsdienst Beta") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the need's matches lack the solutions:\n%s", text(t, tab, "main"))
		}
	}

	// Provider Alpha offers on the need (the offer pages of package offer).
	alpha := e.tab(t, 4*journeyTimeout)
	e.login(t, alpha, providers[0].Email, testPassword)
	e.open(t, alpha, needPage+"/angebot", 200)
	run(t, alpha, "fill in the offer",
		chromedp.SendKeys(chromedp.CSS("#f-text"), "Wir liefern den Sitzungsdienst Alpha mit Schulung."),
		chromedp.SetValue(chromedp.CSS("#f-delivery"), "saas"),
		chromedp.SendKeys(chromedp.CSS("#f-price"), "12000"),
		chromedp.SetValue(chromedp.CSS("#f-price_basis"), "year"),
		chromedp.SetValue(chromedp.CSS("#f-valid_until"), time.Now().AddDate(1, 0, 0).Format("2006-01-02")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#f-solutions-sitzungsdienst-alpha').checked = true`))
	follow(t, alpha, "give the offer", 200, chromedp.Click(chromedp.CSS(`main form[action$="/angebot"] button[value="submit"]`)))

	// The buyer starts the exploration from the need.
	follow(t, tab, "start the exploration", 200, chromedp.Click(chromedp.CSS(`#markterkundung-starten button`)))
	wantText(t, tab, "main", "Die Markterkundung wurde angelegt", "Sitzungsdienst Alpha", "Sitzungsdienst Beta", "Prüfsumme (SHA-256)")
	page, _, _ := strings.Cut(e.path(t, tab), "?")
	hash := text(t, tab, "#snapshot-hash")
	if len(hash) != 64 {
		t.Fatalf("snapshot hash %q", hash)
	}
	checkAxe(t, tab)

	// Criteria: two, with an exclusion criterion.
	run(t, tab, "set the criteria", chromedp.Evaluate[chromedp.Void](`
		const set = (n, v) => document.querySelector('[name="' + n + '"]').value = v;
		set('crit_name_0', 'Preis'); set('crit_weight_0', '60');
		set('crit_name_1', 'Hosting in Deutschland'); set('crit_weight_1', '40');
		document.querySelector('#f-crit_excl_1').checked = true;`))
	follow(t, tab, "save the criteria", 200, clickForm(page+"/kriterien"))
	wantText(t, tab, "main", "Die Kriterien wurden gespeichert")

	// The questionnaire: a deadline in the past is refused with a message.
	run(t, tab, "write the questionnaire",
		chromedp.SendKeys(chromedp.CSS("#f-q_text_0"), "Jährliche Kosten in Euro?"),
		chromedp.SetValue(chromedp.CSS("#f-q_type_0"), "number"),
		chromedp.SendKeys(chromedp.CSS("#f-q_text_1"), "Betrieb in Deutschland?"),
		chromedp.SetValue(chromedp.CSS("#f-q_type_1"), "yesno"),
		chromedp.SetValue(chromedp.CSS("#f-deadline"), "2020-01-01T12:00"),
		chromedp.Click(chromedp.CSS(`label[for^="f-providers-sitzungsfirma-alpha"]`)))
	follow(t, tab, "save with a past deadline", 400, clickForm(page+"/fragebogen"))
	e.wantFieldError(t, tab, "deadline", "Die Frist muss in der Zukunft liegen.")
	checkAxe(t, tab)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	run(t, tab, "set a deadline tomorrow", chromedp.SetValue(chromedp.CSS("#f-deadline"), time.Now().Add(24*time.Hour).In(berlin).Format("2006-01-02T15:04")))
	follow(t, tab, "save the questionnaire", 200, clickForm(page+"/fragebogen"))
	wantText(t, tab, "main", "Der Fragebogen wurde gespeichert", "weniger als drei Anbieter")
	follow(t, tab, "send the questionnaire", 200, clickForm(page+"/senden"))
	wantText(t, tab, "main", "an die Anbieter versandt", "Sitzungsfirma Alpha")

	// The provider finds the request in its notifications and answers.
	e.open(t, alpha, "/konto/benachrichtigungen", 200)
	wantText(t, alpha, "main", "Markterkundung")
	e.open(t, alpha, "/markterkundungen", 200)
	follow(t, alpha, "open the questionnaire", 200, chromedp.Click(chromedp.CSS(`main a[href="`+page+`/antwort"]`)))
	wantText(t, alpha, "main", "Jährliche Kosten in Euro?", "Andere Anbieter sehen Ihre Antworten nicht")
	run(t, alpha, "answer", chromedp.SendKeys(chromedp.CSS("#f-answer_0"), "12000"), chromedp.Click(chromedp.CSS(`label[for="f-answer_1-yes"]`)))
	follow(t, alpha, "send the answers", 200, clickForm(page+"/antwort"))
	wantText(t, alpha, "main", "Ihre Antworten wurden gespeichert")
	checkAxe(t, alpha)
	e.open(t, alpha, page, 200) // the buyer's page redirects the provider to its questionnaire
	if p := e.path(t, alpha); p != page+"/antwort" {
		t.Errorf("the provider landed on %s", p)
	}

	// Scoring: Alpha scored, Beta excluded with a reason.
	e.open(t, tab, page, 200)
	wantText(t, tab, "main", "Sitzungsfirma Alpha", "12000", "Ja")
	run(t, tab, "score", chromedp.Evaluate[chromedp.Void](`
		const sets = [...document.querySelectorAll('main fieldset[id^="f-score_"]')];
		const of = name => sets.find(f => f.querySelector('legend').textContent.includes(name));
		const a = of('Sitzungsdienst Alpha').querySelectorAll('input[type=number]');
		a[0].value = '8'; a[1].value = '10';
		const b = of('Sitzungsdienst Beta');
		b.querySelector('input[type=checkbox]').checked = true;
		b.querySelector('textarea[name^="reason_"]').value = 'Keine Antwort auf den Fragebogen';`))
	follow(t, tab, "save the scores", 200, clickForm(page+"/bewertung"))
	wantText(t, tab, "#ranking", "Sitzungsdienst Alpha", "88,0", "Keine Antwort auf den Fragebogen")
	checkAxe(t, tab)

	// Closing with the award.
	run(t, tab, "record the outcome",
		chromedp.Click(chromedp.CSS(`label[for="f-outcome-awarded"]`)),
		chromedp.Evaluate[chromedp.Void](`const s = document.querySelector('#f-awarded_to');
			s.value = [...s.options].find(o => o.textContent.includes('Sitzungsdienst Alpha')).value;`),
		chromedp.SendKeys(chromedp.CSS("#f-reason"), "Höchste Punktzahl"))
	follow(t, tab, "close", 200, clickForm(page+"/abschliessen"))
	wantText(t, tab, "main", "abgeschlossen und kann nicht mehr geändert werden", "Der Auftrag wurde an Sitzungsdienst Alpha", hash)
	if forms := eval[int](t, tab, `document.querySelectorAll('main form[method=post]').length`); forms != 0 {
		t.Errorf("the closed exploration shows %d forms", forms)
	}
	checkAxe(t, tab)

	// The report: PDF read with pdftotext, XLSX with excelize.
	pdf := fetchBytes(t, tab, page+"/bericht?format=pdf")
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("pdf: %.20q", pdf)
	}
	file := filepath.Join(t.TempDir(), "bericht.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Bericht zur Markterkundung", "Sitzungsdienst Alpha", "Sitzungsdienst Beta", hash, "88,0", "Bunsoh",
		"Jährliche Kosten in Euro?", "weniger als die empfohlenen 3", "Keine Antwort auf den Fragebogen", "Auftrag wurde an Sitzungsdienst Alpha"} {
		if !strings.Contains(strings.Join(strings.Fields(string(out)), " "), want) {
			t.Errorf("the PDF does not read %q:\n%s", want, out)
		}
	}
	xlsx := fetchBytes(t, tab, page+"/bericht?format=xlsx")
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	all := ""
	for _, sheet := range []string{"Übersicht", "Kandidaten", "Antworten", "Bewertung"} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		for _, r := range rows {
			all += sheet + ": " + strings.Join(r, " | ") + "\n"
		}
	}
	for _, want := range []string{"Übersicht: Prüfsumme der Kandidatenliste (SHA-256) | " + hash, "Kandidaten: Sitzungsdienst Beta", "Antworten: Sitzungsfirma Alpha",
		"12000", "Bewertung: 1 | Sitzungsdienst Alpha", "88,0"} {
		if !strings.Contains(all, want) {
			t.Errorf("the workbook lacks %q:\n%s", want, all)
		}
	}

	// Others see nothing of it.
	ole := e.newUser(t, "ole@erkundung-andere.example", "Ole Anders")
	e.verifiedOrg(t, ole, org.NewOrg{Kind: org.Municipality, RegionKey: "01051016"})
	other := e.tab(t, 2*journeyTimeout)
	e.login(t, other, ole.Email, testPassword)
	e.open(t, other, page, 404)
}
