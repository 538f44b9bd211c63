// Package pdfdoc starts the PDF documents the platform exports
// (comparisons, reports of market explorations, checks before funding,
// decision aids) alike: A4 in millimetres, title and creator set, and a
// footer with the page number.
//
// The core fonts (Helvetica) cover Western European text in cp1252, so
// every string drawn goes through the translator New returns; umlauts,
// ß and German quotation marks then render.
package pdfdoc

import "github.com/go-pdf/fpdf"

// Layout is the page set-up of a document.
type Layout struct {
	Landscape bool
	Margin    float64 // left, top and right, in mm
	// Bottom is the space kept free at the bottom of each page for the
	// footer, in mm (at least 8).
	Bottom float64
	// AutoBreak starts a new page when text reaches Bottom; a document
	// that breaks pages itself leaves it false.
	AutoBreak bool
}

// New returns a document with one page added and the translator of
// UTF-8 text for the core fonts. page gives the footer's text of page n
// ("{nb}" in it stands for the number of pages).
func New(l Layout, title string, page func(n int) string) (*fpdf.Fpdf, func(string) string) {
	orientation := "P"
	if l.Landscape {
		orientation = "L"
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetMargins(l.Margin, l.Margin, l.Margin)
	pdf.SetAutoPageBreak(l.AutoBreak, l.Bottom)
	pdf.AliasNbPages("")
	pdf.SetTitle(title, true)
	pdf.SetCreator("smartregions", true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	_, pageH := pdf.GetPageSize()
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - l.Bottom + 2)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(page(pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	return pdf, tr
}
