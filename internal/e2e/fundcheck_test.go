package e2e

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// testFundCheck: a planner describes a development, the platform checks
// what exists, she tries to finalise without assessing the matches, then
// states per match why it does not suffice, finalises and downloads the
// PDF for the funding application, whose text pdftotext reads. Another
// user does not find the check. axe checks the pages on the way.
func (e *env) testFundCheck(t *testing.T) {
	t.Parallel()
	fia := e.newUser(t, "fia@foerderplanung.example", "Fia Förder")
	tab := e.tab(t, 4*journeyTimeout)
	e.login(t, tab, fia.Email, testPassword)
	e.open(t, tab, "/bestandspruefung", 200)
	wantText(t, tab, "main", "Bestandsprüfung vor der Förderung", "noch keine Bestandsprüfung")
	follow(t, tab, "open the form", 200, chromedp.Click(chromedp.CSS(`main a[href="/bestandspruefung/neu"]`)))
	follow(t, tab, "send an empty form", 400, clickForm("/bestandspruefung/neu"))
	wantText(t, tab, "main #f-fields", "Wählen Sie mindestens ein Handlungsfeld.")
	checkAxe(t, tab)
	run(t, tab, "describe the development",
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Digitales Parkraummanagement für die Innenstadt"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Freie Parkplätze erfassen, Parkscheine digital verkaufen, Kontrolle unterstützen."),
		chromedp.Click(chromedp.CSS(`label[for="f-fields-mobility.parking"]`)),
		chromedp.Click(chromedp.CSS(`label[for="f-delivery-open_source"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-programme"), "Modellprojekte Smart Cities"))
	follow(t, tab, "check what exists", 200, clickForm("/bestandspruefung/neu"))
	wantText(t, tab, "main", "Die Plattform hat den Bestand geprüft", "Gefundene Lösungen und Projekte")
	checkAxe(t, tab)
	page, _, _ := strings.Cut(e.path(t, tab), "?")
	matches := eval[int](t, tab, `document.querySelectorAll('main textarea[name^="statement_"]').length`)
	if matches > 0 {
		wantText(t, tab, "main", "Warum ähnlich")
		follow(t, tab, "finalise without assessing", 400, chromedp.Click(chromedp.CSS(`main button[value="finalise"]`)))
		wantText(t, tab, "main", "Bewerten Sie diesen Treffer")
		checkAxe(t, tab)
		run(t, tab, "assess every match", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('main input[type=radio][value=insufficient]').forEach(r => r.checked = true);
			document.querySelectorAll('main textarea[name^="statement_"]').forEach(t => t.value = 'Deckt die Kontrolle vor Ort nicht ab.')`))
	}
	follow(t, tab, "finalise", 200, chromedp.Click(chromedp.CSS(`main button[value="finalise"]`)))
	wantText(t, tab, "main", "Die Prüfung ist abgeschlossen", "Abgeschlossen am", "Prüfsumme (SHA-256)")
	checkAxe(t, tab)

	pdf, err := chromedp.Run(tab, chromedp.Evaluate[string](`fetch("`+page+`/pdf").then(r => r.arrayBuffer()).then(b => {
		let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); return btoa(s) })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the PDF: %v", err)
	}
	body, err := base64.StdEncoding.DecodeString(pdf)
	if err != nil || !bytes.HasPrefix(body, []byte("%PDF")) {
		t.Fatalf("pdf: %v %.20q", err, body)
	}
	file := filepath.Join(t.TempDir(), "check.pdf")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Bestandsprüfung vor der Förderung", "Digitales Parkraummanagement", "Fia Förder", "Abgeschlossen am", "Prüfsumme (SHA-256)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF does not read %q:\n%s", want, out)
		}
	}
	if matches > 0 && !strings.Contains(string(out), "Deckt die Kontrolle vor Ort nicht ab.") {
		t.Errorf("the PDF lacks the statement:\n%s", out)
	}

	// Someone else does not learn that the check exists.
	ole := e.newUser(t, "ole@andere-kommune.example", "Ole Anders")
	oleTab := e.tab(t, 2*journeyTimeout)
	e.login(t, oleTab, ole.Email, testPassword)
	e.open(t, oleTab, page, 404)
}
