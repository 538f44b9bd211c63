package web

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// userMarkdown renders what users write (e.g. a solution's description):
// goldmark drops raw HTML, bluemonday's policy for user content removes
// anything unsafe that Markdown itself can express (javascript: links),
// and links get rel="nofollow".
type userMarkdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func newUserMarkdown() *userMarkdown {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	return &userMarkdown{md: goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)), policy: p}
}

// render returns safe HTML; Markdown that goldmark cannot convert is
// shown as escaped text.
func (u *userMarkdown) render(src string) template.HTML {
	var buf bytes.Buffer
	if err := u.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(u.policy.SanitizeBytes(buf.Bytes()))
}
