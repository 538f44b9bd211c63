package http

// This file: the PDF of a decision aid: answers, options with their
// catalogue facts, the five-year cost table with the source of every
// assumption, and the reasoning.

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/decision"
	"github.com/smartregions/smartregions/internal/pdfdoc"
)

func (s *Server) decisionPDF(r *http.Request, a decision.Aid, opts []DecisionOptionView) ([]byte, error) {
	t := func(key string, kv ...any) string { return s.t(r, key, kv...) }
	pdf, tr := pdfdoc.New(pdfdoc.Layout{Landscape: true, Margin: pdfMargin, Bottom: pdfMargin + 8, AutoBreak: true}, t("decision.title"),
		func(n int) string { return t("fundcheck.pdf.page", "Page", n) })
	pageW, pageH := pdf.GetPageSize()
	text := func(style string, size float64, s string) {
		pdf.SetFont("Helvetica", style, size)
		pdf.MultiCell(0, size*0.5, tr(s), "", "L", false)
	}
	title := t("decision.title")
	if a.Title != "" {
		title += ": " + a.Title
	}
	text("B", 16, title)
	text("", 9, t("fundcheck.pdf.generated", "Date", s.fmtDate(r, time.Now()), "URL", s.Config.BaseURL+"/entscheidungshilfe"))
	pdf.Ln(3)
	text("B", 12, t("decision.questions"))
	for _, q := range decision.Questions {
		ans := t("decision.answer.open")
		if v := a.Answers[q.Key]; v != "" {
			ans = t("decision.q." + q.Key + "." + v)
		}
		text("", 10, t("decision.q."+q.Key)+": "+ans)
	}
	pdf.Ln(2)
	if a.Increase != 0 {
		text("", 10, t("decision.increase")+": "+fmt.Sprintf("%d,%02d %%", a.Increase/100, a.Increase%100))
	}
	// The cost table: one row per line and year total, one column per option.
	pdf.Ln(2)
	text("B", 12, t("decision.tco"))
	labelW := 60.0
	colW := (pageW - 2*pdfMargin - labelW) / float64(max(1, len(opts)))
	row := func(label string, cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 8)
		h := 5.0
		for _, c := range append([]string{label}, cells...) {
			h = max(h, float64(len(pdf.SplitLines([]byte(tr(c)), colW-2)))*4+1)
		}
		if pdf.GetY()+h > pageH-pdfMargin-8 {
			pdf.AddPage()
		}
		x, y := pdfMargin, pdf.GetY()
		for i, c := range append([]string{label}, cells...) {
			w := colW
			if i == 0 {
				w = labelW
			}
			pdf.Rect(x, y, w, h, "D")
			pdf.SetXY(x+1, y+0.5)
			pdf.MultiCell(w-2, 4, tr(c), "", "L", false)
			x += w
		}
		pdf.SetXY(pdfMargin, y+h)
	}
	var names []string
	for _, o := range opts {
		names = append(names, o.Name)
	}
	row(t("decision.option"), names, true)
	for li, line := range decision.Lines {
		var cells []string
		for _, o := range opts {
			c := o.Costs[li]
			cell := c.Amount + " (" + t("decision.source."+c.Source) + ")"
			if decision.Recurring(line) {
				cell = strings.Join(c.Years[:], " / ") + " (" + t("decision.source."+c.Source) + ")"
			}
			cells = append(cells, cell)
		}
		row(t("decision.line."+line), cells, false)
	}
	for y := range decision.Years {
		var cells []string
		for _, o := range opts {
			cells = append(cells, o.Years[y])
		}
		row(t("decision.year", "Year", y+1), cells, false)
	}
	var totals []string
	for _, o := range opts {
		totals = append(totals, o.Total)
	}
	row(t("decision.total"), totals, true)
	pdf.Ln(3)
	text("B", 12, t("decision.reasoning"))
	for _, o := range opts {
		text("B", 10, o.Name)
		for _, p := range o.Pros {
			text("", 9, "+ "+p)
		}
		for _, c := range o.Cons {
			text("", 9, "- "+c)
		}
		pdf.Ln(1)
	}
	pdf.Ln(2)
	text("B", 10, t("decision.rules.title"))
	for _, rule := range decision.Rules {
		text("", 9, t("decision.rule."+rule))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("decision: pdf: %w", err)
	}
	return buf.Bytes(), nil
}
