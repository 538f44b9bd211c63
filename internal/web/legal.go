package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"

	"github.com/smartregions/smartregions/internal/i18n"
)

// LegalDocs are the legal documents an operator can replace.
var LegalDocs = []string{"impressum", "datenschutz", "barrierefreiheit"}

// legalRenderer turns Markdown into HTML that is safe to embed. Raw HTML in
// the Markdown is let through goldmark so an operator may use e.g. <abbr>,
// and bluemonday then removes anything unsafe.
type legalRenderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func newLegalRenderer() *legalRenderer {
	return &legalRenderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM),
			goldmark.WithParserOptions(parser.WithAutoHeadingID()),
			goldmark.WithRendererOptions(html.WithUnsafe()),
		),
		policy: bluemonday.UGCPolicy(),
	}
}

func (l *legalRenderer) render(src []byte) (template.HTML, error) {
	var buf bytes.Buffer
	if err := l.md.Convert(src, &buf); err != nil {
		return "", err
	}
	return template.HTML(l.policy.SanitizeBytes(buf.Bytes())), nil
}

// Legal returns a legal document as sanitised HTML. doc is one of LegalDocs.
// The text comes from the first file that exists of
// <ContentDir>/<doc>.<lang>.md, <ContentDir>/<doc>.de.md (the operator's
// German text beats the embedded placeholder) and the embedded default
// content/<doc>.<lang>.md. The files are read on every call, so an operator's
// change shows without a restart.
func (r *Renderer) Legal(doc, lang string) (template.HTML, error) {
	if !slices.Contains(LegalDocs, doc) {
		return "", fmt.Errorf("web: unknown legal document %q", doc)
	}
	if !i18n.IsSupported(lang) {
		lang = i18n.Default
	}
	src, err := r.legalSource(doc, lang)
	if err != nil {
		return "", fmt.Errorf("web: legal %s.%s: %w", doc, lang, err)
	}
	h, err := r.legal.render(src)
	if err != nil {
		return "", fmt.Errorf("web: legal %s.%s: markdown: %w", doc, lang, err)
	}
	return h, nil
}

func (r *Renderer) legalSource(doc, lang string) ([]byte, error) {
	if dir := r.opt.ContentDir; dir != "" {
		for _, l := range []string{lang, i18n.Default} {
			b, err := os.ReadFile(filepath.Join(dir, doc+"."+l+".md"))
			if err == nil {
				return b, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	return fs.ReadFile(contentFS, "content/"+doc+"."+lang+".md")
}
