// Package web renders the HTML pages of the platform: the templates, the
// static files (vendored KERN UX and htmx, own CSS) and the legal texts.
//
// Templates and static files are embedded and parsed once by New, so a
// running server never reads them from disk. Every page template under
// templates/pages defines "content" (and may define "title"); it is
// combined with the layout and partials, which are parsed once and cloned
// for each page because every page defines the same "content" template.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/i18n"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed content
var contentFS embed.FS

// Options configures a Renderer.
type Options struct {
	// ContentDir is the operator's directory with Markdown overrides for the
	// legal pages, named <doc>.<lang>.md (impressum.de.md, datenschutz.en.md,
	// barrierefreiheit.de.md, …). A missing file falls back to the embedded
	// default. Empty means: use only the defaults.
	ContentDir string
}

// Renderer executes the page templates. It is safe for concurrent use.
type Renderer struct {
	bundle *i18n.Bundle
	opt    Options
	pages  map[string]*template.Template
	assets *assets
	legal  *legalRenderer
	// markdown renders what users write.
	markdown *userMarkdown
}

// New parses all templates and computes the checksums of the static files.
// An error here is a programming error in a template and should stop the
// start-up.
func New(b *i18n.Bundle, opt Options) (*Renderer, error) {
	if b == nil {
		return nil, errors.New("web: nil i18n bundle")
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	a, err := newAssets(static)
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	r := &Renderer{
		bundle: b,
		opt:    opt,
		pages:  make(map[string]*template.Template),
		assets: a,
		legal:  newLegalRenderer(), markdown: newUserMarkdown(),
	}
	if err := r.parse(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"static":      r.StaticURL,
		"dict":        dict,
		"last":        last,
		"describedBy": describedBy,
		"deref":       deref,
		"hasPrefix":   strings.HasPrefix,
		"trimPrefix":  strings.TrimPrefix,
		"contains":    slices.Contains[[]string],
		"markdown":    r.markdown.render,
		"inc":         func(i int) int { return i + 1 },
	}
}

// parse builds one template set per page: layout and partials, cloned,
// plus the page file.
func (r *Renderer) parse() error {
	base := template.New("").Funcs(r.funcs())
	for _, dir := range []string{"layout", "partials"} {
		var err error
		base, err = base.ParseFS(templateFS, "templates/"+dir+"/*.html")
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", dir, err)
		}
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return fmt.Errorf("web: list pages: %w", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		t, err := base.Clone()
		if err != nil {
			return fmt.Errorf("web: clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return fmt.Errorf("web: parse page %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return fmt.Errorf("web: page %s does not define \"content\"", name)
		}
		r.pages[name] = t
	}
	return nil
}

// Render writes the page template name (e.g. "home") wrapped in the layout.
// The page is rendered into a buffer first, so a template error never sends
// half a page; on error nothing is written to w.
func (r *Renderer) Render(w io.Writer, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("web: unknown page template %q", name)
	}
	if p == nil {
		return fmt.Errorf("web: render %s: nil page", name)
	}
	pg := *p // the caller's page stays untouched
	pg.bundle = r.bundle
	if !i18n.IsSupported(pg.Lang) {
		pg.Lang = i18n.Default
	}
	if pg.Title == "" {
		if tt := t.Lookup("title"); tt != nil {
			var title strings.Builder
			if err := tt.Execute(&title, &pg); err != nil {
				return fmt.Errorf("web: render %s title: %w", name, err)
			}
			pg.Title = strings.TrimSpace(title.String())
		}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", &pg); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Pages lists the names of the page templates, for tests and diagnostics.
func (r *Renderer) Pages() []string {
	return slices.Sorted(maps.Keys(r.pages))
}

// dict builds a map from key/value pairs so a template can pass several
// values to a partial: {{template "form-input" (dict "Page" $ "Name" "email")}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// last reports whether i is the index of the last element of list.
func last(i int, list any) bool {
	v := reflect.ValueOf(list)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		return i == v.Len()-1
	}
	return false
}

// deref returns what a pointer points to, or nil for a nil pointer, so a
// template can format optional values such as *float64 coordinates.
func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	if rv.IsNil() {
		return nil
	}
	return rv.Elem().Interface()
}

// describedBy builds the aria-describedby value of form control name from
// the ids of its hint and error message, whichever are present.
func describedBy(name string, hint, errMsg any) string {
	var ids []string
	if s, _ := hint.(string); s != "" {
		ids = append(ids, "f-"+name+"-hint")
	}
	if s, _ := errMsg.(string); s != "" {
		ids = append(ids, "f-"+name+"-error")
	}
	return strings.Join(ids, " ")
}
