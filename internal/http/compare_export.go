package http

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/pdfdoc"
)

// compareTable is the comparison as plain text: the header row with the
// solution names, then one row per attribute, each multi-line value
// joined with line breaks.
func compareTable(v CompareView, attribute string) [][]string {
	head := []string{attribute}
	for _, c := range v.Items {
		head = append(head, c.API.Name)
	}
	out := [][]string{head}
	for _, r := range v.Rows {
		row := []string{r.Label}
		for _, c := range r.Cells {
			row = append(row, strings.Join(c.Lines, "\n"))
		}
		out = append(out, row)
	}
	return out
}

// compareFileName is the download's file name, with the date.
func compareFileName(now time.Time, ext string) string {
	return "smartregions-vergleich-" + now.Format("2006-01-02") + "." + ext
}

// handleCompareXLSX serves the comparison as a spreadsheet: one sheet, a
// frozen header row with the solution names, one row per attribute.
func (s *Server) handleCompareXLSX(w http.ResponseWriter, r *http.Request) error {
	v, _, err := s.comparison(r)
	if err != nil {
		return err
	}
	body, err := compareXLSX(compareTable(v, s.t(r, "compare.attribute")), s.t(r, "compare.sheet"), s.t(r, "compare.source", "URL", v.Link))
	if err != nil {
		return fmt.Errorf("compare: xlsx: %w", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+compareFileName(time.Now(), "xlsx")+`"`)
	w.Write(body)
	return nil
}

// compareXLSX writes rows to a workbook; every cell is text, guarded
// against formula injection like the CSV export.
func compareXLSX(rows [][]string, sheet, source string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: wrap,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5EE"}}})
	if err != nil {
		return nil, err
	}
	label, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: wrap})
	if err != nil {
		return nil, err
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: wrap})
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, val := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellStr(sheet, cell, csvCell(val)); err != nil {
				return nil, err
			}
			style := body
			switch {
			case i == 0:
				style = head
			case j == 0:
				style = label
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return nil, err
			}
		}
	}
	if err := f.SetCellStr(sheet, fmt.Sprintf("A%d", len(rows)+2), csvCell(source)); err != nil {
		return nil, err
	}
	last, err := excelize.ColumnNumberToName(len(rows[0]))
	if err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sheet, "A", "A", 28); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sheet, "B", last, 45); err != nil {
		return nil, err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// handleComparePDF serves the comparison as a PDF in A4 landscape.
func (s *Server) handleComparePDF(w http.ResponseWriter, r *http.Request) error {
	v, pg, err := s.comparison(r)
	if err != nil {
		return err
	}
	now := time.Now()
	doc := comparePDFText{
		Title:  s.t(r, "compare.title"),
		Date:   s.t(r, "compare.date", "Date", pg.Date(now)),
		Source: s.t(r, "compare.source", "URL", v.Link),
		Page:   func(n int) string { return s.t(r, "compare.page", "Page", n, "Pages", "{nb}") },
	}
	body, err := comparePDF(compareTable(v, s.t(r, "compare.attribute")), doc)
	if err != nil {
		return fmt.Errorf("compare: pdf: %w", err)
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+compareFileName(now, "pdf")+`"`)
	w.Write(body)
	return nil
}

// comparePDFText holds the PDF's texts in the reader's language.
type comparePDFText struct {
	Title, Date, Source string
	Page                func(n int) string // footer of page n
}

// PDF layout in millimetres.
const (
	pdfMargin     = 10.0
	pdfLine       = 4.5  // line height of table text
	pdfLabelWidth = 50.0 // the attribute column
	pdfPad        = 1.0
)

// comparePDF draws rows as a table with wrapped cells; the header row
// repeats on every page. The core fonts cover Western European text in
// cp1252, so every string goes through the translator.
func comparePDF(rows [][]string, txt comparePDFText) ([]byte, error) {
	pdf, tr := pdfdoc.New(pdfdoc.Layout{Landscape: true, Margin: pdfMargin, Bottom: pdfMargin + 8}, txt.Title, txt.Page)
	pageW, pageH := pdf.GetPageSize()
	bottom := pageH - pdfMargin - 8 // room for the footer
	widths := []float64{pdfLabelWidth}
	for range rows[0][1:] {
		widths = append(widths, (pageW-2*pdfMargin-pdfLabelWidth)/float64(len(rows[0])-1))
	}
	// font sets the font of column i: bold for the header row and the
	// attribute names.
	font := func(i int, head bool) {
		style := ""
		if head || i == 0 {
			style = "B"
		}
		pdf.SetFont("Helvetica", style, 9)
	}
	height := func(row []string, head bool) float64 {
		n := 1
		for i, cell := range row {
			font(i, head)
			n = max(n, len(pdf.SplitLines([]byte(tr(cell)), widths[i]-2*pdfPad)))
		}
		return float64(n)*pdfLine + 2*pdfPad
	}
	drawRow := func(row []string, head bool) {
		h := height(row, head)
		x, y := pdfMargin, pdf.GetY()
		pdf.SetFillColor(221, 229, 238)
		for i, cell := range row {
			font(i, head)
			pdf.SetXY(x, y)
			pdf.CellFormat(widths[i], h, "", "1", 0, "", head, 0, "")
			pdf.SetXY(x+pdfPad, y+pdfPad)
			pdf.MultiCell(widths[i]-2*pdfPad, pdfLine, tr(cell), "", "L", false)
			x += widths[i]
		}
		pdf.SetXY(pdfMargin, y+h)
	}
	newPage := func() {
		pdf.AddPage()
		drawRow(rows[0], true)
	}
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr(txt.Title), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(0, 5, tr(txt.Date), "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 5, tr(txt.Source), "", 1, "L", false, 0, "")
	pdf.Ln(3)
	drawRow(rows[0], true)
	for _, row := range rows[1:] {
		if pdf.GetY()+height(row, false) > bottom {
			newPage()
		}
		drawRow(row, false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
