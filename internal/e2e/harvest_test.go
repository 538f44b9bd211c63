package e2e

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog/gittest"
	"github.com/smartregions/smartregions/internal/org"
)

// sampleFile returns a real publiccode.yml of the shipped sample.
func sampleFile(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(data.PublicCode, data.PublicCodeDir+"/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// testSolutionImport: a provider uploads a real publiccode.yml with
// errors and reads them with line and column; imports a valid one from a
// repository into a draft, registers the repository, and accepts the
// change a new commit proposes. The pages pass axe.
func (e *env) testSolutionImport(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	u := e.newUser(t, "import@integreat.example", "Ida Import")
	o, err := e.orgs.Create(ctx, u, org.NewOrg{Kind: org.Association, Name: "Integreat Import e. V."}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	ida := e.tab(t, journeyTimeout)
	e.login(t, ida, u.Email, testPassword)

	e.open(t, ida, "/loesungen/neu", 200)
	follow(t, ida, "open the import from the entry form", 200, chromedp.Click(chromedp.CSS(`main a[href="/loesungen/import"]`)))
	checkAxe(t, ida)
	file := filepath.Join(t.TempDir(), "publiccode.yml")
	if err := os.WriteFile(file, []byte(sampleFile(t, "Aitema-gmbh__terminvergabe.yml")), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, ida, "choose the organisation and the file",
		chromedp.SetValue(chromedp.CSS("#f-organisation"), o.Slug),
		chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	follow(t, ida, "check the file", 200, chromedp.Click(chromedp.CSS(`main form[action="/loesungen/import"] button[type="submit"]`)))
	wantText(t, ida, "main", "Fehler gegenüber dem Standard", "Zeile", "ist kein zulässiger Wert", "Nicht übernommen oder angenommen")
	checkAxe(t, ida)

	repo := gittest.New(t)
	valid := sampleFile(t, "digitalfabrik__integreat-cms.yml")
	repo.Commit(map[string]string{"publiccode.yml": valid})
	e.open(t, ida, "/loesungen/import", 200)
	run(t, ida, "give the repository",
		chromedp.SetValue(chromedp.CSS("#f-organisation"), o.Slug),
		chromedp.SendKeys(chromedp.CSS("#f-repository"), repo.URL()))
	follow(t, ida, "read the repository", 200, chromedp.Click(chromedp.CSS(`main form[action="/loesungen/import"] button[type="submit"]`)))
	wantText(t, ida, "main", "Die Datei entspricht dem Standard", "The multilingual content management system")
	checkAxe(t, ida)
	follow(t, ida, "create the draft", 200, chromedp.Click(chromedp.CSS(`main button[name="mode"][value="create"]`)))
	wantText(t, ida, "main", "Der Entwurf ist angelegt", "Noch ist kein Repository eingetragen")
	if got := eval[string](t, ida, `document.querySelector("#f-url").value`); got != repo.URL() {
		t.Fatalf("the repository is not offered for registration: %q", got)
	}
	follow(t, ida, "register the repository", 200, chromedp.Click(chromedp.CSS(`main form[action$="/quellen"] button[type="submit"]`)))
	follow(t, ida, "check it now", 200, chromedp.Click(chromedp.CSS(`main form[action$="/pruefen"] button[type="submit"]`)))
	wantText(t, ida, "main", "Das Repository ist gelesen", "in Ordnung")

	repo.Commit(map[string]string{"publiccode.yml": strings.Replace(valid,
		"shortDescription: The multilingual content management system for the Integreat App",
		"shortDescription: Das mehrsprachige CMS für Kommunen", 1)})
	follow(t, ida, "check it again", 200, chromedp.Click(chromedp.CSS(`main form[action$="/pruefen"] button[type="submit"]`)))
	wantText(t, ida, "main", "Änderungsvorschlag", "Das mehrsprachige CMS für Kommunen", "Was sich ändern würde")
	checkAxe(t, ida)
	follow(t, ida, "accept the proposal", 200, chromedp.Click(chromedp.CSS(`main button[name="decision"][value="accept"]`)))
	wantText(t, ida, "main", "Das mehrsprachige CMS für Kommunen", "Entwurf")

	e.open(t, ida, "/loesungen/import?lang=en", 200)
	wantText(t, ida, "h1", "Import from publiccode.yml")
	checkAxe(t, ida)
}
