package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/smartregions/smartregions/internal/i18n"
)

func mustRenderer(tb testing.TB, opt Options) *Renderer {
	tb.Helper()
	b, err := i18n.Load()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := New(b, opt)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func mustURL(tb testing.TB, s string) *url.URL {
	tb.Helper()
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// pageCase is one way of rendering a page template.
type pageCase struct {
	name string
	tmpl string
	page func(lang string) *Page
}

func pageCases(t *testing.T, r *Renderer) []pageCase {
	legal := func(doc string, sent bool, errs map[string]string) func(string) *Page {
		return func(lang string) *Page {
			h, err := r.Legal(doc, lang)
			if err != nil {
				t.Fatal(err)
			}
			return &Page{
				Lang:        lang,
				URL:         mustURL(t, "/"+doc),
				CSRFToken:   "tok123",
				Form:        url.Values{"name": {"Kim"}, "message": {"<b>zu lang</b>"}},
				FieldErrors: errs,
				Breadcrumbs: []Crumb{{Label: "Start", Href: "/"}, {Label: doc}},
				Data:        LegalData{Doc: doc, HTML: h, Sent: sent},
			}
		}
	}
	cases := []pageCase{
		{"home", "home", func(lang string) *Page {
			return &Page{Lang: lang, URL: mustURL(t, "/")}
		}},
		{"error", "error", func(lang string) *Page {
			return &Page{Lang: lang, URL: mustURL(t, "/nix"), Data: ErrorData{Status: 404, Message: "Nicht gefunden"}}
		}},
		{"error pointer data", "error", func(lang string) *Page {
			return &Page{Lang: lang, Data: &ErrorData{Status: 500}}
		}},
		{"error without data", "error", func(lang string) *Page {
			return &Page{Lang: lang}
		}},
		{"barrierefreiheit sent", "legal", legal("barrierefreiheit", true, nil)},
		{"barrierefreiheit errors", "legal", legal("barrierefreiheit", false,
			map[string]string{"message": "Bitte füllen Sie dieses Feld aus.", "email": "Ungültig."})},
	}
	for _, doc := range LegalDocs {
		cases = append(cases, pageCase{doc, "legal", legal(doc, false, nil)})
	}
	return cases
}

// missingKeys collects the i18n warnings about untranslated keys.
type missingKeys struct {
	mu   sync.Mutex
	keys []string
}

func (m *missingKeys) Enabled(context.Context, slog.Level) bool { return true }
func (m *missingKeys) WithAttrs([]slog.Attr) slog.Handler       { return m }
func (m *missingKeys) WithGroup(string) slog.Handler            { return m }
func (m *missingKeys) Handle(_ context.Context, rec slog.Record) error {
	if !strings.Contains(rec.Message, "not translated") {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "key" {
			m.mu.Lock()
			m.keys = append(m.keys, a.Value.String())
			m.mu.Unlock()
		}
		return true
	})
	return nil
}

func TestRenderAllPages(t *testing.T) {
	missing := &missingKeys{}
	old := slog.Default()
	slog.SetDefault(slog.New(missing))
	defer slog.SetDefault(old)

	r := mustRenderer(t, Options{})
	for _, pc := range pageCases(t, r) {
		for _, lang := range i18n.Supported {
			t.Run(pc.name+"/"+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := r.Render(&buf, pc.tmpl, pc.page(lang)); err != nil {
					t.Fatal(err)
				}
				checkPage(t, buf.String(), lang)
			})
		}
	}
	if len(missing.keys) > 0 {
		t.Errorf("templates use keys missing from the message files: %v", missing.keys)
	}
}

var staticRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]*)"`)

// checkPage asserts what every page must satisfy: the language, the
// landmarks, and nothing the strict Content-Security-Policy would block.
func checkPage(t *testing.T, out, lang string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := attr(find(doc, "html"), "lang"); got != lang {
		t.Errorf("<html lang=%q>; want %q", got, lang)
	}
	if find(doc, "main") == nil || attr(find(doc, "main"), "id") != "main" {
		t.Error(`no <main id="main">`)
	}
	if skip := find(doc, "a"); attr(skip, "href") != "#main" {
		t.Errorf("first link is %q; want the skip link to #main", attr(skip, "href"))
	}
	title := text(find(doc, "title"))
	if !strings.HasSuffix(title, "smartregions") || strings.HasPrefix(title, " – ") {
		t.Errorf("title %q", title)
	}
	h1 := findAll(doc, "h1")
	if len(h1) != 1 {
		t.Errorf("%d <h1>; want 1", len(h1))
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if hasAttr(n, "style") {
			t.Errorf("<%s> has a style attribute", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has an inline event handler %s", n.Data, a.Key)
			}
		}
		switch n.Data {
		case "style":
			t.Error("page has a <style> element")
		case "script":
			if !hasAttr(n, "src") || n.FirstChild != nil {
				t.Error("page has an inline <script>")
			}
		case "form":
			if strings.EqualFold(attr(n, "method"), "post") && !hasCSRF(n) {
				t.Error("POST form without csrf_token field")
			}
		}
	})
	for _, m := range staticRef.FindAllStringSubmatch(out, -1) {
		if !strings.Contains(m[1], "?v=") {
			t.Errorf("static reference %s has no checksum (file missing?)", m[1])
		}
	}
	switchLinks := findAll(findAttr(doc, "class", "app-lang"), "a")
	if len(switchLinks) != len(i18n.Supported) {
		t.Errorf("%d language links; want %d", len(switchLinks), len(i18n.Supported))
	}
	for _, a := range switchLinks {
		if hl := attr(a, "hreflang"); hl == "" || attr(a, "lang") != hl {
			t.Errorf("language link %q: hreflang=%q lang=%q", attr(a, "href"), hl, attr(a, "lang"))
		}
	}
}

func hasCSRF(form *html.Node) bool {
	for _, in := range findAll(form, "input") {
		if attr(in, "name") == "csrf_token" && attr(in, "type") == "hidden" {
			return true
		}
	}
	return false
}

func TestRenderLayout(t *testing.T) {
	r := mustRenderer(t, Options{})
	var buf bytes.Buffer
	p := &Page{Lang: "en", URL: mustURL(t, "/kommunen/09162000?page=2"),
		Breadcrumbs: []Crumb{{"Home", "/"}, {"Municipalities", "/kommunen"}, {"München", "/kommunen/09162000"}}}
	if err := r.Render(&buf, "home", p); err != nil {
		t.Fatal(err)
	}
	doc, _ := html.Parse(&buf)

	var current []string
	for _, a := range findAll(find(doc, "header"), "a") {
		if v := attr(a, "aria-current"); v != "" {
			current = append(current, attr(a, "href")+" "+v)
		}
	}
	want := "/kommunen/09162000?lang=en&page=2 true, /kommunen page"
	if strings.Join(current, ", ") != want {
		t.Errorf("aria-current in header: %q; want %q", strings.Join(current, ", "), want)
	}
	de := findAttr(findAttr(doc, "class", "app-lang"), "hreflang", "de")
	if de == nil || text(de) != "Deutsch" || attr(de, "href") != "/kommunen/09162000?lang=de&page=2" {
		t.Errorf("German switch link: %q %q", attr(de, "href"), text(de))
	}

	crumbs := findAll(findAttr(doc, "class", "app-breadcrumbs"), "li")
	if len(crumbs) != 3 {
		t.Fatalf("%d breadcrumbs; want 3", len(crumbs))
	}
	if find(crumbs[0], "a") == nil || find(crumbs[2], "a") != nil {
		t.Error("breadcrumbs: all but the last must be links")
	}
	if attr(find(crumbs[2], "span"), "aria-current") != "page" {
		t.Error("last breadcrumb not marked aria-current=page")
	}

	footer := findAttr(doc, "class", "app-footer")
	for _, href := range []string{"/impressum", "/datenschutz", "/barrierefreiheit", "/api/openapi.json", "https://www.govdata.de/dl-de/by-2-0"} {
		if findAttr(footer, "href", href) == nil {
			t.Errorf("footer has no link to %s", href)
		}
	}
	ft := text(footer)
	for _, s := range []string{"Destatis", "dl-de/by-2-0", "Daten verändert", "EUPL-1.2"} {
		if !strings.Contains(ft, s) {
			t.Errorf("footer lacks %q", s)
		}
	}
	meta := findAttr(doc, "name", "htmx-config")
	if attr(meta, "content") != `{"includeIndicatorStyles":false}` {
		t.Errorf("htmx-config meta = %q", attr(meta, "content"))
	}
	script := find(doc, "script")
	if !hasAttr(script, "defer") || !strings.HasPrefix(attr(script, "src"), "/static/vendor/htmx/htmx.min.js?v=") {
		t.Errorf("htmx script: src=%q defer=%v", attr(script, "src"), hasAttr(script, "defer"))
	}
}

func TestRenderFeedbackForm(t *testing.T) {
	r := mustRenderer(t, Options{})
	p := &Page{
		Lang: "de", URL: mustURL(t, "/barrierefreiheit"), CSRFToken: "tok123",
		Form: url.Values{"name": {"Kim <Muster>"}, "page": {"/kommunen"}, "message": {"Text & mehr"}},
		FieldErrors: map[string]string{
			"message": "Bitte kürzen Sie Ihre Nachricht.",
			"email":   "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
		},
		Data: LegalData{Doc: "barrierefreiheit", HTML: "<p>Erklärung</p>"},
	}
	var buf bytes.Buffer
	if err := r.Render(&buf, "legal", p); err != nil {
		t.Fatal(err)
	}
	doc, _ := html.Parse(&buf)
	if !strings.HasPrefix(text(find(doc, "title")), "Fehler:") {
		t.Errorf("title %q does not announce the error", text(find(doc, "title")))
	}
	form := find(doc, "form")
	if attr(form, "method") != "post" || attr(form, "action") != "/barrierefreiheit/rueckmeldung" {
		t.Errorf("form method=%q action=%q", attr(form, "method"), attr(form, "action"))
	}
	if in := findAttr(form, "name", "csrf_token"); attr(in, "value") != "tok123" {
		t.Error("csrf_token not rendered")
	}

	// The summary lists the errors in form order and links to the fields.
	summary := findAttr(doc, "class", "kern-alert kern-alert--danger app-error-summary")
	if summary == nil {
		t.Fatal("no error summary")
	}
	var links []string
	for _, a := range findAll(summary, "a") {
		links = append(links, attr(a, "href"))
	}
	if strings.Join(links, " ") != "#f-email #f-message" {
		t.Errorf("summary links %v; want [#f-email #f-message]", links)
	}

	msg := findAttr(form, "id", "f-message")
	if msg.Data != "textarea" || !hasAttr(msg, "required") || attr(msg, "maxlength") != "5000" {
		t.Errorf("message control: <%s> required=%v maxlength=%q", msg.Data, hasAttr(msg, "required"), attr(msg, "maxlength"))
	}
	if attr(msg, "aria-invalid") != "true" || attr(msg, "aria-describedby") != "f-message-hint f-message-error" {
		t.Errorf("message: aria-invalid=%q aria-describedby=%q", attr(msg, "aria-invalid"), attr(msg, "aria-describedby"))
	}
	if text(msg) != "Text & mehr" {
		t.Errorf("message kept value %q", text(msg))
	}
	if e := findAttr(form, "id", "f-message-error"); !strings.Contains(text(e), "Bitte kürzen") {
		t.Error("message error not shown next to the field")
	}
	email := findAttr(form, "id", "f-email")
	if attr(email, "type") != "email" || attr(email, "aria-invalid") != "true" || hasAttr(email, "required") {
		t.Errorf("email: type=%q aria-invalid=%q required=%v", attr(email, "type"), attr(email, "aria-invalid"), hasAttr(email, "required"))
	}
	name := findAttr(form, "id", "f-name")
	if attr(name, "value") != "Kim <Muster>" || hasAttr(name, "aria-invalid") || hasAttr(name, "aria-describedby") {
		t.Errorf("name: value=%q aria-invalid=%v aria-describedby=%q", attr(name, "value"), hasAttr(name, "aria-invalid"), attr(name, "aria-describedby"))
	}
	if attr(findAttr(form, "id", "f-page"), "value") != "/kommunen" {
		t.Error("page value not kept")
	}
	for _, l := range findAll(form, "label") {
		if findAttr(form, "id", attr(l, "for")) == nil {
			t.Errorf("label for=%q names no control", attr(l, "for"))
		}
	}
	if findAttr(doc, "role", "status") != nil {
		t.Error("success note shown although Sent is false")
	}

	// Without errors: no summary, no aria-invalid; with Sent: the note.
	p.FieldErrors, p.Data = nil, LegalData{Doc: "barrierefreiheit", Sent: true}
	buf.Reset()
	if err := r.Render(&buf, "legal", p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "app-error-summary") || strings.Contains(out, "aria-invalid") {
		t.Error("error markup without errors")
	}
	doc, _ = html.Parse(strings.NewReader(out))
	if !strings.Contains(text(findAttr(doc, "role", "status")), "Vielen Dank") {
		t.Error("no success note")
	}
}

func TestRenderOtherLegalDocsHaveNoForm(t *testing.T) {
	r := mustRenderer(t, Options{})
	for _, doc := range []string{"impressum", "datenschutz"} {
		var buf bytes.Buffer
		if err := r.Render(&buf, "legal", &Page{Lang: "de", Data: LegalData{Doc: doc}}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "<form") {
			t.Errorf("%s shows the feedback form", doc)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	r := mustRenderer(t, Options{})
	var buf bytes.Buffer
	if err := r.Render(&buf, "nope", &Page{}); err == nil {
		t.Error("unknown template: no error")
	}
	// A template error (Data of the wrong type) must not write half a page.
	if err := r.Render(&buf, "legal", &Page{Lang: "de", Data: 42}); err == nil {
		t.Error("bad data: no error")
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written despite the error", buf.Len())
	}
	// The caller's page is not modified.
	p := &Page{Lang: "xx"}
	if err := r.Render(&buf, "home", p); err != nil {
		t.Fatal(err)
	}
	if p.Lang != "xx" || p.Title != "" {
		t.Errorf("Render changed the page: %+v", p)
	}
	if !strings.Contains(buf.String(), `<html lang="de">`) {
		t.Error("unsupported language not rendered as de")
	}
}

func TestDeref(t *testing.T) {
	f := 48.1374
	var nilPtr *float64
	if got := deref(&f); got != f {
		t.Errorf("deref(&f) = %v", got)
	}
	if got := deref(nilPtr); got != nil {
		t.Errorf("deref(nil) = %v", got)
	}
	if got := deref("x"); got != "x" {
		t.Errorf("deref(\"x\") = %v", got)
	}
}

func TestDict(t *testing.T) {
	if _, err := dict("a"); err == nil {
		t.Error("odd arguments: no error")
	}
	if _, err := dict(1, 2); err == nil {
		t.Error("non-string key: no error")
	}
	m, err := dict("a", 1, "b", "x")
	if err != nil || m["a"] != 1 || m["b"] != "x" {
		t.Errorf("dict = %v, %v", m, err)
	}
}

// HTML helpers for the assertions above.

func walk(n *html.Node, f func(*html.Node)) {
	if n == nil {
		return
	}
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	})
	return out
}

func find(n *html.Node, tag string) *html.Node {
	if all := findAll(n, tag); len(all) > 0 {
		return all[0]
	}
	return nil
}

func findAttr(n *html.Node, key, val string) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) {
		if found == nil && c.Type == html.ElementNode && attr(c, key) == val && hasAttr(c, key) {
			found = c
		}
	})
	return found
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	if n == nil {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}
