package http

// This file: the PDF of a check before funding, for the funding
// application.

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/pdfdoc"
	"github.com/smartregions/smartregions/internal/web"
)

// fundCheckPDF draws the check: date, author and organisation, the
// description, each match with its reasons and the author's statement,
// and the hash of the frozen record. The core fonts cover Western
// European text in cp1252, so every string goes through the translator.
func (s *Server) fundCheckPDF(r *http.Request, c fundcheck.Check) ([]byte, error) {
	t := func(key string, kv ...any) string { return s.t(r, key, kv...) }
	names := s.fieldNames(r)
	label := func(keys []string) string {
		var out []string
		for _, k := range keys {
			if n := names[k]; n != "" {
				out = append(out, n)
			} else {
				out = append(out, k)
			}
		}
		return strings.Join(out, ", ")
	}
	pdf, tr := pdfdoc.New(pdfdoc.Layout{Margin: pdfMargin + 5, Bottom: pdfMargin + 10, AutoBreak: true}, t("fundcheck.pdf.title")+": "+c.Title,
		func(n int) string { return t("fundcheck.pdf.page", "Page", n) })
	head := func(size float64, text string) {
		pdf.SetFont("Helvetica", "B", size)
		pdf.MultiCell(0, size*0.5, tr(text), "", "L", false)
		pdf.Ln(1)
	}
	line := func(text string) {
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 5, tr(text), "", "L", false)
	}
	pair := func(name, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(0, 5, tr(name), "", "L", false)
		line(value)
		pdf.Ln(1)
	}
	head(16, t("fundcheck.pdf.title"))
	head(13, c.Title)
	state := t("fundcheck.state." + string(c.State))
	if c.Finalised != nil {
		state = t("fundcheck.pdf.finalised", "Date", s.fmtDate(r, *c.Finalised))
	}
	pair(t("fundcheck.state"), state)
	pair(t("fundcheck.author"), c.AuthorLabel)
	pair(t("fundcheck.organisation"), c.OrgName)
	pair(t("fundcheck.fields"), label(c.Fields))
	pair(t("fundcheck.delivery"), t("fundcheck.delivery."+c.Delivery))
	pair(t("fundcheck.licence"), c.Licence)
	if c.Budget != nil {
		pair(t("fundcheck.budget"), fmt.Sprintf("%d EUR", *c.Budget))
	}
	pair(t("fundcheck.programme"), c.Programme)
	pair(t("fundcheck.description"), c.Description)
	pdf.Ln(2)
	head(13, t("fundcheck.matches"))
	if len(c.Matches) == 0 {
		line(t("fundcheck.matches.none"))
	}
	for i, m := range c.Matches {
		head(11, fmt.Sprintf("%d. %s (%s)", i+1, m.Title, t("fundcheck.kind."+m.Kind)))
		line(s.Config.BaseURL + m.Path())
		if m.Org != "" {
			line(t("fundcheck.match.org", "Org", m.Org))
		}
		if m.Kind == fundcheck.KindSolution {
			lic := m.Licence
			if lic == "" {
				lic = "–"
			}
			line(t("fundcheck.match.licence", "Family", t("fundcheck.family."+m.Family), "Licence", lic))
		}
		if m.Joined > 0 {
			line(t("fundcheck.match.joined", "Count", m.Joined))
		}
		for _, reason := range s.fundCheckReasons(r, m, names) {
			line("- " + reason)
		}
		verdict := t("fundcheck.verdict.none")
		if m.Verdict != "" {
			verdict = t("fundcheck.verdict." + m.Verdict)
		}
		pair(t("fundcheck.verdict"), verdict)
		pair(t("fundcheck.statement"), m.Statement)
		pdf.Ln(2)
	}
	if c.State == fundcheck.Final {
		pdf.Ln(2)
		pair(t("fundcheck.hash"), c.SHA256)
	}
	pdf.SetFont("Helvetica", "", 8)
	pdf.MultiCell(0, 4, tr(t("fundcheck.pdf.generated", "Date", s.fmtDate(r, time.Now()), "URL", s.Config.BaseURL+"/bestandspruefung/"+c.ID)), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("fundcheck: pdf %s: %w", c.ID, err)
	}
	return buf.Bytes(), nil
}

// fmtDate writes a date in the request's language, in Berlin time.
func (s *Server) fmtDate(r *http.Request, t time.Time) string {
	p := web.Page{Lang: langOf(r)}
	return p.DateTime(t)
}

// fundCheckReasons explains a match in sentences.
func (s *Server) fundCheckReasons(r *http.Request, m fundcheck.Match, names map[string]string) []string {
	var out []string
	join := func(keys []string) string {
		var l []string
		for _, k := range keys {
			if n := names[k]; n != "" {
				l = append(l, n)
			} else {
				l = append(l, k)
			}
		}
		return strings.Join(l, ", ")
	}
	if len(m.Fields) > 0 {
		out = append(out, s.t(r, "fundcheck.reason.fields", "Fields", join(m.Fields)))
	}
	if len(m.Related) > 0 {
		out = append(out, s.t(r, "fundcheck.reason.related", "Fields", join(m.Related)))
	}
	if len(m.Words) > 0 {
		out = append(out, s.t(r, "fundcheck.reason.words", "Words", strings.Join(m.Words, ", ")))
	}
	return out
}
