package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
)

// pictureFile writes a real w×h picture (PNG or JPEG by the name's
// extension) into dir and returns its path, for the file chooser.
func pictureFile(t *testing.T, dir, name string, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 3), G: uint8(y * 3), B: 160, A: 255})
		}
	}
	var buf bytes.Buffer
	var err error
	if filepath.Ext(name) == ".png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// uploadForm selects the edit page's upload form of kind.
func uploadForm(kind string) string {
	return `main form[action$="/medien"]:has(input[name="kind"][value="` + kind + `"])`
}

// testSolutionMedia: a provider uploads a logo and a screenshot with its
// alternative text on the edit page, with the browser's file chooser and
// without any script; the browser shows both; an SVG is refused with a
// message at the control; the pages pass axe.
func (e *env) testSolutionMedia(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	u := e.newUser(t, "bilder@parkleit.example", "Bea Bilder")
	o, err := e.orgs.Create(ctx, u, org.NewOrg{Kind: org.Company, Name: "Bilder GmbH"}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.CreateRequest(ctx, org.Request{ID: uuid.Must(uuid.NewV7()).String(), OrgID: o.ID, UserID: u.ID, Email: u.Email,
		Status: org.Approved}, account.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	sol, err := e.catalog.Create(ctx, u, o.Slug, catalog.Entry{Name: "Bildergalerie Bürgerservice", Short: "Termine online buchen.",
		Fields: []string{"administration.online-services"}, Licence: "EUPL-1.2", Repository: "https://example.org/galerie",
		Maturity: "pilot", Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "free", Hosting: "de"}}}, account.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	page := "/loesungen/" + sol.Slug
	dir := t.TempDir()
	bea := e.tab(t, journeyTimeout)
	e.login(t, bea, u.Email, testPassword)

	e.open(t, bea, page+"/bearbeiten", 200)
	run(t, bea, "choose a logo", chromedp.SetUploadFiles(chromedp.CSS("#f-logo_file"), []string{pictureFile(t, dir, "logo.png", 120, 40)}))
	follow(t, bea, "upload the logo", 200, chromedp.Click(chromedp.CSS(uploadForm("logo")+` button[type="submit"]`)))
	if w := eval[int](t, bea, `document.querySelector("main .app-solution-head img").naturalWidth`); w != 120 {
		t.Fatalf("the browser shows the logo %d pixels wide, want 120", w)
	}

	e.open(t, bea, page+"/bearbeiten", 200)
	run(t, bea, "choose a screenshot and describe it",
		chromedp.SetUploadFiles(chromedp.CSS("#f-screenshot_file"), []string{pictureFile(t, dir, "termine.jpg", 64, 48)}),
		chromedp.SendKeys(chromedp.CSS("#f-screenshot_alt"), "Kalender mit freien Terminen"))
	follow(t, bea, "add the screenshot", 200, chromedp.Click(chromedp.CSS(uploadForm("screenshot")+` button[type="submit"]`)))
	wantText(t, bea, "main", "Bildschirmfotos")
	if alt := eval[string](t, bea, `document.querySelector("main .app-screenshots img").alt`); alt != "Kalender mit freien Terminen" {
		t.Errorf("screenshot alt %q", alt)
	}
	if w := eval[int](t, bea, `document.querySelector("main .app-screenshots img").naturalWidth`); w != 64 {
		t.Errorf("the browser shows the screenshot %d pixels wide, want 64", w)
	}
	checkAxe(t, bea)

	e.open(t, bea, page+"/bearbeiten", 200)
	svg := filepath.Join(dir, "logo.png.svg")
	if err := os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, bea, "choose an SVG", chromedp.SetUploadFiles(chromedp.CSS("#f-logo_file"), []string{svg}))
	follow(t, bea, "upload the SVG", 400, chromedp.Click(chromedp.CSS(uploadForm("logo")+` button[type="submit"]`)))
	wantText(t, bea, "#f-logo_file-error", "SVG-Dateien sind nicht erlaubt")
	// The entry form below still holds the pictures.
	if alt := eval[string](t, bea, `document.getElementById("f-screenshots.0.alt").value`); alt != "Kalender mit freien Terminen" {
		t.Errorf("the entry form's alternative text reads %q", alt)
	}
	checkAxe(t, bea)
}
