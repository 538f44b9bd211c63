package http

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/media"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// testPicture is a real w×h picture: PNG with a transparent half, or an
// opaque JPEG.
func testPicture(t testing.TB, w, h int, format string) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if format == "png" && x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 90, A: a})
		}
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartBody is a multipart form of the fields (name, value pairs, in
// order); the part "file" carries file under the client's name and
// Content-Type, which the server must ignore.
func multipartBody(t testing.TB, file []byte, fileName, fileType string, pairs ...string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == media.Field {
			h := make(map[string][]string)
			h["Content-Disposition"] = []string{`form-data; name="file"; filename="` + fileName + `"`}
			h["Content-Type"] = []string{fileType}
			pw, err := mw.CreatePart(h)
			if err != nil {
				t.Fatal(err)
			}
			pw.Write(file)
			continue
		}
		mw.WriteField(pairs[i], pairs[i+1])
	}
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

// upload posts a multipart form from page to action with the page's
// form token first, as a browser sends the edit page's upload forms.
func (b *browser) upload(page, action string, file []byte, fileName string, pairs ...string) (int, string, http.Header) {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := reToken.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("%s has no form token", page)
	}
	all := append([]string{"csrf_token", m[1], "lock", lockIn(b.t, body)}, pairs...)
	mb, ct := multipartBody(b.t, file, fileName, "image/png", all...)
	req, _ := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(mb))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Accept-Language", "de")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

// getWith sends a GET with extra headers ("Name: value").
func (b *browser) getWith(path string, headers ...string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	for _, hv := range headers {
		k, v, _ := strings.Cut(hv, ": ")
		req.Header.Set(k, v)
	}
	return b.do(req)
}

var reMedium = regexp.MustCompile(`/medien/([0-9a-f-]{36})\.(png|jpg)`)

// mediaIn returns the files of media the page shows, in order.
func mediaIn(body string) []string {
	var out []string
	for _, m := range reMedium.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+"."+m[2])
	}
	return out
}

// TestSolutionMediaPages walks the edit page's uploads: refused files
// with their messages, a logo and a screenshot into the draft, what the
// provider, visitors, a member of another organisation and a curator
// may load, the alternative text changed in the entry form, publication,
// a new logo that waits for the next publication, and removal.
func TestSolutionMediaPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newServerOn(t, db)
		eva := signedInBrowser(t, s, "eva@bild.example")
		curator := signedInBrowser(t, s, "kuration@kompetenz.example", account.Curator)
		other := signedInBrowser(t, s, "fremd@anderswo.example")
		anon := newBrowser(t, s)
		ctx := t.Context()
		u, _, err := db.UserByEmail(ctx, "eva@bild.example")
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.Orgs.Create(ctx, u, orgNew("Bild GmbH"), account.Meta{})
		if err != nil {
			t.Fatal(err)
		}
		verifyOrg(t, s, o.ID, "bob@bild.example")
		ou, _, _ := db.UserByEmail(ctx, "fremd@anderswo.example")
		if _, err := s.Orgs.Create(ctx, ou, orgNew("Anderswo AG"), account.Meta{}); err != nil {
			t.Fatal(err)
		}
		code, _, h := eva.post("/loesungen/neu", "/loesungen", entryValues(o.Slug))
		if code != http.StatusSeeOther {
			t.Fatalf("create: %d", code)
		}
		page, _, _ := strings.Cut(h.Get("Location"), "?")
		edit := page + "/bearbeiten"

		code, body, _ := eva.get("/loesungen/neu?organisation=" + o.Slug)
		wantPage(t, "new form", code, body, http.StatusOK, "sobald die Lösung angelegt ist")
		code, body, _ = eva.get(edit)
		wantPage(t, "edit form", code, body, http.StatusOK, `enctype="multipart/form-data"`, `id="f-logo_file"`, `id="f-screenshot_file"`,
			`name="screenshot_alt"`, "Diese Lösung hat noch kein Logo", `accept="image/png,image/jpeg,image/gif,image/webp"`)
		if strings.Count(body, `name="csrf_token"`) < 3 {
			t.Fatal("the upload forms carry no form token")
		}
		code, body, _ = eva.get(edit + "?lang=en")
		wantPage(t, "edit form in English", code, body, http.StatusOK, "Upload a logo", "Add a screenshot", "Alternative text")
		eva.get(edit + "?lang=de") // back to German for the messages below

		// Refusals: the edit page again, the message at the control.
		for _, c := range []struct {
			name     string
			file     []byte
			fileName string
			pairs    []string
			want     []string
		}{
			{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "logo.png", []string{"kind", "logo", "file", ""},
				[]string{"SVG-Dateien sind nicht erlaubt", `id="f-logo_file-error"`, `href="#f-logo_file"`}},
			{"html named png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "bild.png",
				[]string{"kind", "screenshot", "file", "", "screenshot_alt", "Startseite"}, []string{"ist kein Bild", `id="f-screenshot_file-error"`, `value="Startseite"`}},
			{"no alt", testPicture(t, 40, 30, "jpeg"), "foto.jpg", []string{"kind", "screenshot", "file", "", "screenshot_alt", "  "},
				[]string{`id="f-screenshot_alt-error"`, "Bitte füllen Sie dieses Feld aus."}},
			{"no file", nil, "", []string{"kind", "logo"}, []string{"Bitte wählen Sie eine Bilddatei aus."}},
			{"too big", append(testPicture(t, 4, 4, "png"), make([]byte, media.MaxBytes)...), "gross.png", []string{"kind", "logo", "file", ""},
				[]string{"Die Datei ist zu groß. Erlaubt sind höchstens 5 MB"}},
			{"body over the limit", make([]byte, media.MaxBytes), "gross.png", []string{"kind", "logo", "pad1", strings.Repeat("x", 16<<10),
				"pad2", strings.Repeat("x", 16<<10), "pad3", strings.Repeat("x", 16<<10), "pad4", strings.Repeat("x", 16<<10), "file", ""},
				[]string{"Die Datei ist zu groß."}},
			{"huge dimensions", pngDeclaring(100000, 100000), "bombe.png", []string{"kind", "logo", "file", ""},
				[]string{"100000 × 100000 Pixeln zu groß"}},
		} {
			code, body, _ := eva.upload(edit, page+"/medien", c.file, c.fileName, c.pairs...)
			wantPage(t, c.name, code, body, http.StatusBadRequest, c.want...)
		}
		code, _, _ = eva.upload(edit, page+"/medien", []byte("x"), "x.png", "kind", "logo", "file", "", "note", strings.Repeat("x", 17<<10))
		if code != http.StatusBadRequest {
			t.Fatalf("oversized text field: %d", code)
		}
		sol, err := db.SolutionBySlug(ctx, strings.TrimPrefix(page, "/loesungen/"))
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := db.MediaOf(ctx, sol.ID); len(list) != 0 {
			t.Fatalf("refused uploads stored: %d", len(list))
		}
		// Without the form token nothing happens.
		mb, ct := multipartBody(t, testPicture(t, 8, 8, "png"), "a.png", "image/png", "kind", "logo", "file", "")
		req, _ := http.NewRequest(http.MethodPost, eva.base+page+"/medien", strings.NewReader(mb))
		req.Header.Set("Content-Type", ct)
		if code, _, _ := eva.do(req); code != http.StatusForbidden {
			t.Fatalf("upload without token: %d", code)
		}

		// A logo and a screenshot go into the draft.
		code, _, h = eva.upload(edit, page+"/medien", testPicture(t, 300, 100, "png"), "logo.gif", "kind", "logo", "file", "")
		if code != http.StatusSeeOther || h.Get("Location") != page+"?erledigt=gespeichert" {
			t.Fatalf("logo upload: %d %s", code, h.Get("Location"))
		}
		code, _, _ = eva.upload(edit, page+"/medien", testPicture(t, 800, 600, "jpeg"), "karte.png", "kind", "screenshot", "file", "",
			"screenshot_alt", "Karte mit freien Parkplätzen")
		if code != http.StatusSeeOther {
			t.Fatalf("screenshot upload: %d", code)
		}
		code, body, _ = eva.get(page)
		files := mediaIn(body)
		wantPage(t, "draft with pictures", code, body, http.StatusOK, `width="96" height="32" alt=""`, `width="480" height="360" alt="Karte mit freien Parkplätzen"`)
		// The logo, then the screenshot with the link to its full size.
		if len(files) != 3 || !strings.HasSuffix(files[0], ".png") || !strings.HasSuffix(files[1], ".jpg") || files[2] != files[1] {
			t.Fatalf("pictures on the page: %v", files)
		}
		logo, shot := files[0], files[1]

		// Who may load the draft's pictures.
		code, img, hdr := eva.get(page + "/medien/" + logo)
		if code != http.StatusOK || hdr.Get("Content-Type") != "image/png" || hdr.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(hdr.Get("Content-Disposition"), "inline") || !strings.HasPrefix(hdr.Get("Cache-Control"), "private") ||
			len(hdr.Get("ETag")) != 66 || !strings.HasPrefix(img, "\x89PNG") {
			t.Fatalf("provider loads the draft logo: %d %v", code, hdr)
		}
		if code, _, _ := curator.get(page + "/medien/" + shot); code != http.StatusOK {
			t.Fatalf("curator loads the draft screenshot: %d", code)
		}
		for name, b := range map[string]*browser{"visitor": anon, "member of another organisation": other} {
			if code, _, _ := b.get(page + "/medien/" + logo); code != http.StatusNotFound {
				t.Errorf("%s loads the draft logo: %d", name, code)
			}
		}
		if code, _, _ := eva.getWith(page+"/medien/"+logo, "If-None-Match: "+hdr.Get("ETag")); code != http.StatusNotModified {
			t.Fatalf("If-None-Match: %d", code)
		}
		if code, _, _ := anon.getWith(page+"/medien/"+logo, "If-None-Match: "+hdr.Get("ETag")); code != http.StatusNotFound {
			t.Fatalf("a visitor learns the draft logo exists from a 304: %d", code)
		}
		id, _, _ := strings.Cut(logo, ".")
		for _, bad := range []string{id + ".jpg", id, id + ".svg", uuid.NewString() + ".png", "x.png"} {
			if code, _, _ := eva.get(page + "/medien/" + bad); code != http.StatusNotFound {
				t.Errorf("%s: %d", bad, code)
			}
		}
		if code, _, _ := eva.get(page + "/medien/" + logo + "?x=1"); code != http.StatusBadRequest {
			t.Errorf("unknown parameter: %d", code)
		}

		// The entry form changes the alternative text.
		code, body, _ = eva.get(edit)
		wantPage(t, "edit form with pictures", code, body, http.StatusOK, `name="logo.remove"`, `name="screenshots.0.remove"`,
			`value="Karte mit freien Parkplätzen"`, `alt="Aktuelles Logo"`)
		form := entryValues(o.Slug)
		form.Set("lock", lockIn(t, body))
		form.Set("logo", strings.TrimSuffix(logo, ".png"))
		form.Set("screenshots.0.id", strings.TrimSuffix(shot, ".jpg"))
		form.Set("screenshots.0.alt", strings.Repeat("x", catalog.MaxAlt+1))
		code, body, _ = eva.post(edit, edit, form)
		wantPage(t, "alt too long", code, body, http.StatusBadRequest, `id="f-screenshots.0.alt-error"`, "höchstens 250 Zeichen")
		form.Set("screenshots.0.alt", "Karte mit freien und belegten Parkplätzen")
		if code, _, _ = eva.post(edit, edit, form); code != http.StatusSeeOther {
			t.Fatalf("save the alternative text: %d", code)
		}

		// Published: everyone sees them, and caches may keep them.
		_, body, _ = eva.get(page)
		eva.post(page, page+"/einreichen", url.Values{"lock": {lockIn(t, body)}})
		_, body, _ = curator.get(page)
		if code, _, _ = curator.post(page, page+"/pruefung", url.Values{"lock": {lockIn(t, body)}, "decision": {"publish"}}); code != http.StatusSeeOther {
			t.Fatalf("publish: %d", code)
		}
		code, body, _ = anon.get(page)
		wantPage(t, "published page", code, body, http.StatusOK, `alt="Karte mit freien und belegten Parkplätzen"`, "Bildschirmfotos", page+"/medien/"+logo)
		code, _, hdr = anon.get(page + "/medien/" + shot)
		if code != http.StatusOK || hdr.Get("Content-Type") != "image/jpeg" || hdr.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			hdr.Get("Vary") != "" {
			t.Fatalf("visitor loads the published screenshot: %d %v", code, hdr)
		}
		code, body, _ = anon.get("/loesungen")
		wantPage(t, "list", code, body, http.StatusOK, `src="`+page+`/medien/`+logo+`" width="48" height="16" alt=""`)
		code, body, _ = anon.get(page + "/publiccode.yml")
		wantPage(t, "publiccode.yml", code, body, http.StatusOK, "logo: http://platform.test"+page+"/medien/"+logo,
			"- http://platform.test"+page+"/medien/"+shot)

		// A new logo goes into version 2; visitors keep the first.
		code, _, _ = eva.upload(edit, page+"/medien", testPicture(t, 64, 64, "png"), "neu.png", "kind", "logo", "file", "")
		if code != http.StatusSeeOther {
			t.Fatalf("new logo: %d", code)
		}
		_, body, _ = eva.get(page)
		logo2 := mediaIn(body)[0]
		if logo2 == logo {
			t.Fatal("the draft does not show the new logo")
		}
		if code, _, _ := anon.get(page + "/medien/" + logo2); code != http.StatusNotFound {
			t.Fatalf("visitor loads the unpublished logo: %d", code)
		}
		if _, body, _ = anon.get(page); !strings.Contains(body, page+"/medien/"+logo) {
			t.Fatal("visitors lost the published logo")
		}
		code, body, _ = eva.get(page + "/fassungen")
		wantPage(t, "versions", code, body, http.StatusOK, "<th scope=\"row\" class=\"kern-table__cell\">Logo</th>")

		// Removing the screenshot and the logo through the entry form.
		_, body, _ = eva.get(edit)
		form.Set("lock", lockIn(t, body))
		form.Set("logo", strings.TrimSuffix(logo2, ".png"))
		form.Set("logo.remove", "1")
		form.Set("screenshots.0.remove", "1")
		if code, _, _ = eva.post(edit, edit, form); code != http.StatusSeeOther {
			t.Fatalf("remove pictures: %d", code)
		}
		got, err := db.SolutionBySlug(ctx, sol.Slug)
		if err != nil || got.Working.Entry.Logo != "" || len(got.Working.Entry.Screenshots) != 0 || got.Published.Entry.Logo == "" {
			t.Fatalf("after removal: %+v %v", got.Working, err)
		}
	})
}

// pngDeclaring is a PNG signature with a valid IHDR chunk that claims
// w×h pixels, and no pixels: a decompression bomb's announcement.
func pngDeclaring(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	chunk := func(typ string, data []byte) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		b = append(append(b, typ...), data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(out, chunk("IEND", nil)...)
}

// mediaAPIFixture is what the upload operation is called on: keys of a
// member of the document's example organisation and drafts of it.
type mediaAPIFixture struct {
	member, memberReader string
	draft, full          string // slugs; uploads to full reach the limit of pending media
}

var mediaAPIFixtures perServer[*mediaAPIFixture]

func openAPIMediaFixture(t *testing.T, s *Server) *mediaAPIFixture {
	t.Helper()
	return mediaAPIFixtures.get(s, func() *mediaAPIFixture {
		ctx := context.Background()
		u, write, read := openAPIMember(t, s, "bilder", "Muster Bilder")
		f := &mediaAPIFixture{member: write, memberReader: read}
		for _, slug := range []*string{&f.draft, &f.full} {
			sol, err := s.Solutions.Create(ctx, u, openAPIOrgSlug, catalog.Entry{Name: "API Bilder " + uuid.NewString()[:8], Short: "Mit Bildern",
				Licence: "EUPL-1.2", Repository: "https://example.org/bilder", Fields: []string{"administration.online-services"}, Maturity: "pilot",
				Delivery: []catalog.Delivery{{Model: catalog.SaaS, Price: "per_user", Hosting: "de"}}}, account.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			*slug = sol.Slug
		}
		return f
	})
}

// openAPIMediaCases are the requests to the upload operation; ok is
// false for other operations.
func openAPIMediaCases(t *testing.T, op openAPIOp, s *Server) (cases []apiCase, ok bool) {
	t.Helper()
	if op.String() != "POST /api/v1/solutions/{slug}/media" {
		return nil, false
	}
	f := openAPIMediaFixture(t, s)
	path := func(slug string) string { return strings.ReplaceAll(op.path, "{slug}", slug) }
	add := func(target, key string, status int, as string, file []byte, pairs ...string) {
		body, ct := multipartBody(t, file, "bild.png", "image/png", pairs...)
		headers := []string{"Content-Type: " + ct}
		if key != "" {
			headers = append(headers, "Authorization: Bearer "+key)
		}
		cases = append(cases, apiCase{op: op, method: http.MethodPost, target: target, body: body, status: status, as: as, headers: headers})
	}
	logo, shot := testPicture(t, 200, 100, "png"), testPicture(t, 640, 480, "jpeg")
	draft := path(f.draft)
	add(draft, f.member, 201, "", logo, "kind", "logo", "file", "")
	add(draft, f.member, 201, "", shot, "file", "", "kind", "screenshot", "alt", "Übersicht der offenen Anträge")
	add(draft+"?lang=en", f.member, 400, "", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), "kind", "logo", "file", "")
	add(draft, f.member, 400, "", []byte("GIF89a kaputt"), "kind", "logo", "file", "")
	add(draft, f.member, 400, "", logo, "kind", "banner", "file", "")
	add(draft, f.member, 400, "", logo, "kind", "logo", "alt", "Logo", "file", "")
	add(draft, f.member, 400, "", nil, "kind", "logo")
	add(draft, f.member, 400, "", append(slices.Clone(logo), make([]byte, media.MaxBytes)...), "kind", "logo", "file", "")
	add(draft+"?x=1", f.member, 400, "", logo, "kind", "logo", "file", "")
	cases = append(cases, apiCase{op: op, method: http.MethodPost, target: draft, body: `{"kind":"logo"}`,
		status: 400, headers: []string{"Authorization: Bearer " + f.member}})
	add(draft, "", 401, "", logo, "kind", "logo", "file", "")
	add(draft, f.memberReader, 403, "", logo, "kind", "logo", "file", "")
	// Someone else's published solution: refused; their draft: not found.
	add(path("open-api-beispiel"), "", 403, "user", logo, "kind", "logo", "file", "")
	add(draft, "", 404, "user", logo, "kind", "logo", "file", "")
	add(path("gibt-es-nicht"), f.member, 404, "", logo, "kind", "logo", "file", "")
	for range catalog.MaxPendingMedia {
		add(path(f.full), f.member, 201, "", logo, "kind", "logo", "file", "")
	}
	add(path(f.full), f.member, 429, "", logo, "kind", "logo", "file", "")
	return cases, true
}

// TestUploadBodyLimit: only the upload routes take a body the size of a
// picture, and they are routes of the table.
func TestUploadBodyLimit(t *testing.T) {
	tests := []struct {
		method, target string
		want           int64
	}{
		{"POST", "/loesungen/parkleitsystem/medien", maxUploadBody},
		{"POST", "/api/v1/solutions/parkleitsystem/media", maxUploadBody},
		{"GET", "/loesungen/parkleitsystem/medien", maxBody},
		{"POST", "/loesungen/parkleitsystem/bearbeiten", maxBody},
		{"POST", "/loesungen/parkleitsystem/medien/x", maxBody},
		{"PUT", "/api/v1/solutions/parkleitsystem", maxBody},
		{"POST", "/barrierefreiheit/rueckmeldung", maxBody},
	}
	for _, tt := range tests {
		if got := bodyLimit(httptest.NewRequest(tt.method, tt.target, nil)); got != tt.want {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.target, got, tt.want)
		}
	}
	s := newTestServer(t, "sqlite")
	patterns := map[string]bool{}
	for _, rt := range s.routeTable() {
		patterns[rt.pattern] = true
	}
	for _, p := range []string{"POST /loesungen/{slug}/medien", "POST /api/v1/solutions/{slug}/media"} {
		if _, pattern := uploadRoutes.Handler(httptest.NewRequest("POST", strings.ReplaceAll(strings.TrimPrefix(p, "POST "), "{slug}", "x"), nil)); pattern != p || !patterns[p] {
			t.Errorf("upload route %s: matched %q, in the route table %v", p, pattern, patterns[p])
		}
	}
}
