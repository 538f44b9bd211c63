package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/data"
	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/catalog/gittest"
	"github.com/smartregions/smartregions/internal/publiccode"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// Real files of the shipped sample: one the standard accepts, one with
// errors.
const (
	validSample   = "digitalfabrik__integreat-cms.yml"
	invalidSample = "Aitema-gmbh__terminvergabe.yml"
)

func sampleText(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(data.PublicCode, data.PublicCodeDir+"/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// postMultipart sends the import form with a file, with the CSRF token
// of page.
func (b *browser) postMultipart(page, action string, form url.Values, fileName string, content []byte) (int, string, http.Header) {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := reToken.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("%s has no form token", page)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	form.Set("csrf_token", m[1])
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if fileName != "" {
		fw, _ := w.CreateFormFile("file", fileName)
		fw.Write(content)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+action, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept-Language", "de")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

// problemCells is how the page shows a problem: line, column and the
// German explanation.
func problemCells(p publiccode.Problem) []string {
	return []string{fmt.Sprintf(`<td class="kern-table__cell">%d</td>`, p.Line), fmt.Sprintf(`<td class="kern-table__cell">%d</td>`, p.Column),
		html.EscapeString(p.Text("de"))}
}

// TestSolutionImport checks a publiccode.yml given by upload, pasted or
// from a local repository, shows problems with line and column, the
// preview and what is not taken over, and creates drafts from it.
func TestSolutionImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := signedInBrowser(t, s, "eva@integreat.example")
		u, _, err := db.UserByEmail(t.Context(), "eva@integreat.example")
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Integreat e. V."), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		valid, invalid := sampleText(t, validSample), sampleText(t, invalidSample)
		page := "/loesungen/import"
		pick := url.Values{"organisation": {o.Slug}}

		code, body, _ := eva.get(page + "?organisation=" + o.Slug)
		wantPage(t, "form", code, body, http.StatusOK, `<option value="`+o.Slug+`" selected>`, `enctype="multipart/form-data"`, `name="file"`,
			`name="publiccode"`, `name="repository"`)
		if code, body, _ = newBrowserAs(t, s, "ohne-organisation@example.org").get(page); !strings.Contains(body, "/organisationen/neu") {
			t.Fatalf("user without organisation: %d", code)
		}

		// Upload of a valid real file: preview, categories, notes, and the
		// file carried to the second step.
		code, body, _ = eva.postMultipart(page, page, url.Values{"organisation": {o.Slug}}, validSample, []byte(valid))
		wantPage(t, "valid upload", code, body, http.StatusOK, "Die Datei entspricht dem Standard publiccode.yml (Version 0.4.0)",
			"The multilingual content management system for the Integreat App", "<code>content-management</code>", "Länderabschnitte",
			"sind nur Hinweise", `name="publiccode" value="publiccodeYmlVersion`, `name="mode" value="create"`, "Beschreibungen nach Sprache")

		// A file with errors: every problem with line, column and text.
		code, body, _ = eva.postMultipart(page, page, url.Values{"organisation": {o.Slug}}, "publiccode.yaml", []byte(invalid))
		_, problems := publiccode.Parse([]byte(invalid))
		want := []string{"Fehler gegenüber dem Standard", "Befunde, mit Zeile und Spalte"}
		for _, p := range problems {
			want = append(want, problemCells(p)...)
		}
		wantPage(t, "invalid upload", code, body, http.StatusOK, want...)
		if strings.Contains(body, `name="mode" value="create"`) || !strings.Contains(body, `name="mode" value="form"`) {
			t.Fatal("a file with errors offers to create a draft directly")
		}

		// Pasted text, in English.
		code, body, _ = eva.post(page+"?lang=en", page, url.Values{"organisation": {o.Slug}, "publiccode": {invalid}})
		wantPage(t, "pasted", code, body, http.StatusOK, "errors against the standard", html.EscapeString(problems[len(problems)-1].Text("en")))
		eva.get(page + "?lang=de") // back to German

		for _, c := range []struct {
			name     string
			form     url.Values
			file     string
			content  []byte
			status   int
			contains string
		}{
			{"no source", pick, "", nil, http.StatusBadRequest, "fügen Sie ihren Text ein"},
			{"two sources", url.Values{"organisation": {o.Slug}, "publiccode": {valid}, "repository": {"https://example.org/x/y"}}, "", nil,
				http.StatusBadRequest, "nur einen Weg"},
			{"no organisation", url.Values{"publiccode": {valid}}, "", nil, http.StatusBadRequest, "in der Sie Mitglied sind"},
			{"other organisation", url.Values{"organisation": {"gibt-es-nicht"}, "publiccode": {valid}}, "", nil, http.StatusBadRequest, "in der Sie Mitglied sind"},
			{"wrong name", pick, "publiccode.txt", []byte(valid), http.StatusBadRequest, "Endung .yml oder .yaml"},
			{"not text", pick, "publiccode.yml", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...), http.StatusBadRequest, "Endung .yml oder .yaml"},
			{"too large", pick, "publiccode.yml", []byte(valid + "# " + strings.Repeat("x", catalog.MaxPublicCodeSize)), http.StatusBadRequest, "größer als 256 KiB"},
			{"not YAML", pick, "publiccode.yml", []byte("name: [unclosed\n"), http.StatusBadRequest, "konnte nicht als publiccode.yml gelesen werden"},
			{"not UTF-8", pick, "publiccode.yml", []byte("name: M\xfcnchen\n"), http.StatusBadRequest, "nicht in UTF-8"},
			{"http repository", url.Values{"organisation": {o.Slug}, "repository": {"http://example.org/x/y"}}, "", nil, http.StatusBadRequest, "mit https://"},
			{"missing repository", url.Values{"organisation": {o.Slug}, "repository": {"file://" + t.TempDir() + "/fehlt"}}, "", nil,
				http.StatusBadRequest, "nicht erreichbar"},
		} {
			t.Run(c.name, func(t *testing.T) {
				form := url.Values{}
				for k, v := range c.form {
					form[k] = v
				}
				code, body, _ := eva.postMultipart(page, page, form, c.file, c.content)
				wantPage(t, c.name, code, body, c.status, c.contains)
			})
		}

		// From a local repository (the test option of the fetcher).
		repo := gittest.New(t)
		commit := repo.Commit(map[string]string{"publiccode.yml": valid})
		code, body, _ = eva.postMultipart(page, page, url.Values{"organisation": {o.Slug}, "repository": {repo.URL()}}, "", nil)
		wantPage(t, "repository", code, body, http.StatusOK, "Gelesen aus "+repo.URL()+", Commit "+commit[:7], "Die Datei entspricht dem Standard")

		// Second step: the draft, and from a repository an offer to
		// register it.
		create := page + "/anlegen"
		code, _, h := eva.post(page, create, url.Values{"organisation": {o.Slug}, "publiccode": {valid}, "mode": {"create"}})
		if code != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?erledigt=angelegt") {
			t.Fatalf("create: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "draft", code, body, http.StatusOK, "Der Entwurf ist gespeichert", "The multilingual content management system", "Entwurf")
		code, _, h = eva.post(page, create, url.Values{"organisation": {o.Slug}, "publiccode": {valid}, "repository": {repo.URL()}, "mode": {"create"}})
		if code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "/quellen?") {
			t.Fatalf("create from a repository: %d %s", code, h.Get("Location"))
		}
		code, body, _ = eva.get(h.Get("Location"))
		wantPage(t, "offer to register", code, body, http.StatusOK, "Tragen Sie das Repository hier ein", `value="`+repo.URL()+`"`)

		// The entry form instead: on request, for a file with errors, and
		// when the mapped entry lacks what a draft needs.
		code, body, _ = eva.post(page, create, url.Values{"organisation": {o.Slug}, "publiccode": {valid}, "mode": {"form"}})
		wantPage(t, "form on request", code, body, http.StatusOK, "Die Angaben aus der publiccode.yml sind eingetragen",
			`value="Integreat CMS"`, `name="delivery.on_premises" value="1" checked`, `action="/loesungen"`)
		code, body, _ = eva.post(page, create, url.Values{"organisation": {o.Slug}, "publiccode": {invalid}, "mode": {"create"}})
		wantPage(t, "file with errors", code, body, http.StatusOK, "Die Angaben aus der publiccode.yml sind eingetragen", `value="aitema Terminvergabe"`)
		long := strings.Replace(valid, "name: Integreat CMS", "name: "+strings.Repeat("Integreat ", 13)+"CMS", 1)
		code, body, _ = eva.postMultipart(page, page, url.Values{"organisation": {o.Slug}}, "publiccode.yml", []byte(long))
		wantPage(t, "entry too long", code, body, http.StatusOK, "Für einen Entwurf fehlt noch etwas", "höchstens 120 Zeichen")
		code, body, _ = eva.post(page, create, url.Values{"organisation": {o.Slug}, "publiccode": {long}, "mode": {"create"}})
		wantPage(t, "entry form with errors", code, body, http.StatusBadRequest, `id="f-name-error"`, "höchstens 120 Zeichen")
		for _, slug := range []string{"integreat-cms-3", "aitema-terminvergabe"} {
			if _, err := db.SolutionBySlug(t.Context(), slug); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("the form steps created the draft %s: %v", slug, err)
			}
		}
		code, body, _ = eva.post(page, create, url.Values{"organisation": {"gibt-es-nicht"}, "publiccode": {valid}, "mode": {"create"}})
		wantPage(t, "create for a foreign organisation", code, body, http.StatusBadRequest, "in der Sie Mitglied sind", `name="publiccode" value="publiccodeYmlVersion`)
	})
}

// TestAPISolutionImport checks the import through the API: a dry run
// reports problems with line and column, a valid file becomes a draft,
// and faulty input is refused with field messages.
func TestAPISolutionImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		u := mustAccount(t, s, "api@integreat.example", "API")
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Integreat API e. V."), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		key := testAPIToken(t, s, u, account.ScopeRead, account.ScopeWrite)
		body := func(v map[string]string) string {
			b, _ := json.Marshal(v)
			return string(b)
		}
		invalid := sampleText(t, invalidSample)
		rec := apiCall(t, s, http.MethodPost, "/api/v1/solutions/import?dry_run=true", key, body(map[string]string{"organisation": o.Slug, "publiccode": invalid}))
		var report struct {
			Valid    bool `json:"valid"`
			Problems []struct {
				Line, Column int
				Severity     string
				Message      string
			} `json:"problems"`
			Entry    *struct{ Name string } `json:"entry"`
			Unmapped []string               `json:"unmapped"`
			Solution *string                `json:"solution"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &report) != nil || report.Valid || report.Entry == nil || report.Solution != nil {
			t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
		}
		_, problems := publiccode.Parse([]byte(invalid))
		if len(report.Problems) != len(problems) || report.Problems[0].Line != problems[0].Line || report.Problems[0].Message != problems[0].Text("de") {
			t.Fatalf("problems: %+v", report.Problems)
		}
		rec = apiCall(t, s, http.MethodPost, "/api/v1/solutions/import", key, body(map[string]string{"organisation": o.Slug, "publiccode": invalid}))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"publiccode.categories[1]"`) ||
			!strings.Contains(rec.Body.String(), "Zeile 22, Spalte 5") {
			t.Fatalf("import of a file with errors: %d %s", rec.Code, rec.Body)
		}
		repo := gittest.New(t)
		repo.Commit(map[string]string{"publiccode.yml": sampleText(t, validSample)})
		rec = apiCall(t, s, http.MethodPost, "/api/v1/solutions/import", key, body(map[string]string{"organisation": o.Slug, "repository": repo.URL()}))
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &report) != nil || report.Solution == nil || !report.Valid {
			t.Fatalf("import from a repository: %d %s", rec.Code, rec.Body)
		}
		if sol, err := db.SolutionBySlug(t.Context(), *report.Solution); err != nil || sol.Working == nil || sol.Working.Entry.Name != "Integreat CMS" || sol.OrgID != o.ID {
			t.Fatalf("draft: %+v %v", sol, err)
		}
		other := testAPIToken(t, s, mustAccount(t, s, "fremd@example.org", ""), account.ScopeRead, account.ScopeWrite)
		for _, c := range []struct {
			name, target, key, body string
			status                  int
			contains                string
		}{
			{"not a member", "/api/v1/solutions/import", other, body(map[string]string{"organisation": o.Slug, "publiccode": invalid}), 403, "Mitglieder"},
			{"unknown organisation", "/api/v1/solutions/import", key, body(map[string]string{"organisation": "gibt-es-nicht", "publiccode": invalid}), 400, `"field":"organisation"`},
			{"no source", "/api/v1/solutions/import", key, body(map[string]string{"organisation": o.Slug}), 400, `"field":"publiccode"`},
			{"bad repository", "/api/v1/solutions/import", key, body(map[string]string{"organisation": o.Slug, "repository": "git@github.com:x/y"}), 400, `"field":"repository"`},
			{"bad dry_run", "/api/v1/solutions/import?dry_run=ja", key, body(map[string]string{"organisation": o.Slug, "publiccode": invalid}), 400, `"field":"dry_run"`},
			{"unknown field", "/api/v1/solutions/import", key, `{"organisation":"x","file":"y"}`, 400, `"field":"body"`},
			{"no key", "/api/v1/solutions/import", "", body(map[string]string{"organisation": o.Slug, "publiccode": invalid}), 401, ""},
		} {
			if rec := apiCall(t, s, http.MethodPost, c.target, c.key, c.body); rec.Code != c.status || !strings.Contains(rec.Body.String(), c.contains) {
				t.Errorf("%s: %d %s", c.name, rec.Code, rec.Body)
			}
		}
	})
}

// TestImportUsedBySuggestions: the users a real publiccode.yml names are
// matched to the municipalities of the register, as suggestions whom to
// ask for a declaration.
func TestImportUsedBySuggestions(t *testing.T) {
	eachServer(t, func(t *testing.T, s *Server) {
		email := "anna-" + uuid.NewString()[:8] + "@integreat.example"
		anna := signedInBrowser(t, s, email)
		u, _, err := s.DB.UserByEmail(t.Context(), email)
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(t.Context(), u, orgNew("Integreat "+uuid.NewString()[:8]), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		code, body, _ := anna.post("/loesungen/import", "/loesungen/import", url.Values{"organisation": {o.Slug}, "publiccode": {sampleText(t, validSample)}})
		wantPage(t, "preview", code, body, http.StatusOK, "Germany - City of Munich – im Gemeinderegister:", `href="/kommunen/09162000"`,
			"Germany - City of Dortmund – im Gemeinderegister:", `href="/kommunen/05913000"`, "Genannte Nutzer sind Vorschläge")
	})
}
