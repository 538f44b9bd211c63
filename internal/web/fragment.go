package web

import (
	"bytes"
	"fmt"
	"io"

	"github.com/smartregions/smartregions/internal/i18n"
)

// HasFragment reports whether page name defines "fragment": the part of
// the page that htmx replaces in place, without the layout.
func (r *Renderer) HasFragment(name string) bool {
	t, ok := r.pages[name]
	return ok && t.Lookup("fragment") != nil
}

// RenderFragment writes the template "fragment" of page name, without
// the layout. Like Render, it writes nothing when the template fails.
func (r *Renderer) RenderFragment(w io.Writer, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok || t.Lookup("fragment") == nil {
		return fmt.Errorf("web: page template %q has no fragment", name)
	}
	if p == nil {
		return fmt.Errorf("web: render %s fragment: nil page", name)
	}
	pg := *p
	pg.bundle = r.bundle
	if !i18n.IsSupported(pg.Lang) {
		pg.Lang = i18n.Default
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "fragment", &pg); err != nil {
		return fmt.Errorf("web: render %s fragment: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}
