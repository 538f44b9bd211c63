package exploration

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/pdfdoc"
)

// rows returns the report's sections as label/value rows, shared by the
// PDF and the spreadsheet.
func (s *Service) overview(c Content) [][2]string {
	t := func(key string, kv ...any) string { return s.texts.T(c.Lang, "exploration.report."+key, kv...) }
	src := t("source_search", "Query", c.Query)
	if c.Source == FromNeed {
		src = t("source_need", "Need", c.Need)
	}
	rows := [][2]string{
		{t("title"), c.Title},
		{t("buyer"), c.Buyer.Name},
		{t("created"), c.CreatedBy + ", " + FormatTime(c.Lang, c.Created)},
		{t("source"), src},
		{t("state"), s.texts.T(c.Lang, "exploration.state."+string(c.State))},
		{t("snapshot_taken"), FormatTime(c.Lang, c.SnapshotTaken)},
		{t("snapshot_hash"), c.SnapshotSHA256},
	}
	if c.Deadline != nil {
		rows = append(rows, [2]string{t("deadline"), FormatTime(c.Lang, *c.Deadline)})
	}
	names := make([]string, 0, len(c.Asked))
	for _, p := range c.Asked {
		names = append(names, p.Name)
	}
	rows = append(rows, [2]string{t("asked"), strings.Join(names, ", ")})
	if c.FewerThanThree {
		rows = append(rows, [2]string{t("advice"), s.texts.T(c.Lang, "exploration.note.fewer", "Num", len(c.Asked), "Min", MinProviders)})
	}
	if c.Outcome != "" {
		rows = append(rows, [2]string{t("outcome"), s.texts.T(c.Lang, "exploration.outcome."+c.Outcome)})
		if c.AwardedTo != "" {
			rows = append(rows, [2]string{t("awarded_to"), c.AwardedTo})
		}
		rows = append(rows, [2]string{t("reason"), c.Reason})
	}
	rows = append(rows, [2]string{t("issued"), c.IssuedBy + ", " + FormatTime(c.Lang, c.Issued)})
	return rows
}

// candidateRows is the table of candidates with their scores.
func (s *Service) scoreRows(c Content) [][]string {
	t := func(key string) string { return s.texts.T(c.Lang, "exploration.report."+key) }
	head := []string{t("rank"), t("candidate"), t("provider")}
	for _, cr := range c.Criteria {
		head = append(head, cr.Name+" ("+strconv.Itoa(cr.Weight)+" %)")
	}
	head = append(head, t("total"), t("excluded"), t("comment"))
	out := [][]string{head}
	for _, rc := range c.Candidates {
		row := []string{"", rc.Name, rc.Provider}
		if rc.Rank > 0 {
			row[0] = strconv.Itoa(rc.Rank)
		}
		for i := range c.Criteria {
			v := ""
			if i < len(rc.Values) {
				v = strconv.Itoa(rc.Values[i])
			}
			row = append(row, v)
		}
		total, excl := "", ""
		if rc.Total != nil {
			total = FormatTotal(c.Lang, *rc.Total)
		}
		if rc.Excluded {
			excl = rc.Reason
		}
		out = append(out, append(row, total, excl, rc.Comment))
	}
	return out
}

// answerText returns answer i in lang (yes/no translated).
func (s *Service) answerText(c Content, q Question, v string) string {
	if q.Type == TypeYesNo && v != "" {
		return s.texts.T(c.Lang, "exploration.answer."+v)
	}
	return v
}

// PDF writes the report as an A4 PDF. The core fonts cover Western
// European text in cp1252, so every string goes through the translator
// (umlauts and German quotation marks render).
func (s *Service) PDF(c Content) ([]byte, error) {
	t := func(key string, kv ...any) string { return s.texts.T(c.Lang, "exploration.report."+key, kv...) }
	pdf, tr := pdfdoc.New(pdfdoc.Layout{Margin: 15, Bottom: 15, AutoBreak: true}, t("heading"),
		func(n int) string { return t("page", "Page", n, "Pages", "{nb}") })
	heading := func(text string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.MultiCell(0, 6, tr(text), "", "L", false)
		pdf.SetFont("Helvetica", "", 9)
	}
	para := func(text string) { pdf.MultiCell(0, 4.5, tr(text), "", "L", false) }
	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(0, 8, tr(t("heading")+": "+c.Title), "", "L", false)
	pdf.SetFont("Helvetica", "", 9)
	for _, r := range s.overview(c) {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(45, 4.5, tr(r[0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 4.5, tr(r[1]), "", "L", false)
	}
	heading(t("criteria"))
	for _, cr := range c.Criteria {
		x := cr.Name + ": " + strconv.Itoa(cr.Weight) + " %"
		if cr.Exclusion {
			x += " " + s.texts.T(c.Lang, "exploration.note.exclusion_mark")
		}
		para("- " + x)
	}
	heading(t("candidates_heading"))
	var snap Snapshot
	_ = json.Unmarshal(c.Snapshot, &snap)
	for _, cd := range snap.Candidates {
		models := make([]string, 0, len(cd.Delivery))
		for _, d := range cd.Delivery {
			models = append(models, d.Model)
		}
		para("- " + cd.Name + " (" + cd.Provider.Name + "), " + t("version") + " " + strconv.Itoa(cd.Version) + "; " + t("licence") + ": " + cd.Licence +
			"; " + t("delivery") + ": " + strings.Join(models, ", ") + "; " + t("verified_users") + ": " + strconv.Itoa(cd.VerifiedUsers))
	}
	heading(t("answers_heading"))
	if len(c.Answers) == 0 {
		para(t("no_answers"))
	}
	for _, a := range c.Answers {
		pdf.SetFont("Helvetica", "B", 9)
		para(a.Provider.Name + " (" + FormatTime(c.Lang, a.Submitted) + ")")
		pdf.SetFont("Helvetica", "", 9)
		for i, q := range c.Questions {
			v := ""
			if i < len(a.Answers) {
				v = s.answerText(c, q, a.Answers[i])
			}
			para(strconv.Itoa(i+1) + ". " + q.Text + " - " + v)
		}
	}
	heading(t("scores_heading"))
	rows := s.scoreRows(c)
	for _, row := range rows[1:] {
		parts := []string{}
		for j := 3; j < len(rows[0]); j++ {
			if row[j] != "" {
				parts = append(parts, rows[0][j]+": "+row[j])
			}
		}
		rank := row[0]
		if rank == "" {
			rank = "-"
		}
		para(rank + " " + row[1] + " (" + row[2] + ") " + strings.Join(parts, "; "))
	}
	heading(t("note_heading"))
	for p := range strings.SplitSeq(c.Note, "\n\n") {
		para(p)
		pdf.Ln(1)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// XLSX writes the report as a workbook with the sheets overview,
// candidates, answers and scores (named in c.Lang).
func (s *Service) XLSX(c Content) ([]byte, error) {
	t := func(key string) string { return s.texts.T(c.Lang, "exploration.report."+key) }
	f := excelize.NewFile()
	defer f.Close()
	sheets := []string{t("sheet_overview"), t("sheet_candidates"), t("sheet_answers"), t("sheet_scores")}
	if err := f.SetSheetName(f.GetSheetName(0), sheets[0]); err != nil {
		return nil, err
	}
	for _, sh := range sheets[1:] {
		if _, err := f.NewSheet(sh); err != nil {
			return nil, err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	write := func(sheet string, rows [][]string) error {
		for i, row := range rows {
			for j, v := range row {
				cell, err := excelize.CoordinatesToCellName(j+1, i+1)
				if err != nil {
					return err
				}
				if err := f.SetCellStr(sheet, cell, cellText(v)); err != nil {
					return err
				}
				if i == 0 {
					if err := f.SetCellStyle(sheet, cell, cell, bold); err != nil {
						return err
					}
				}
			}
		}
		return f.SetColWidth(sheet, "A", "H", 30)
	}
	ov := [][]string{{t("field"), t("value")}}
	for _, r := range s.overview(c) {
		ov = append(ov, []string{r[0], r[1]})
	}
	for _, cr := range c.Criteria {
		x := strconv.Itoa(cr.Weight) + " %"
		if cr.Exclusion {
			x += " " + s.texts.T(c.Lang, "exploration.note.exclusion_mark")
		}
		ov = append(ov, []string{t("criterion") + ": " + cr.Name, x})
	}
	ov = append(ov, []string{t("note_heading"), c.Note})
	var snap Snapshot
	_ = json.Unmarshal(c.Snapshot, &snap)
	cand := [][]string{{t("candidate"), t("provider"), t("version"), t("licence"), t("delivery"), t("certifications"), t("verified_users"), t("match_score")}}
	for _, cd := range snap.Candidates {
		models := []string{}
		for _, d := range cd.Delivery {
			models = append(models, d.Model)
		}
		ms := ""
		if cd.MatchScore != nil {
			ms = strconv.Itoa(*cd.MatchScore)
		}
		cand = append(cand, []string{cd.Name, cd.Provider.Name, strconv.Itoa(cd.Version), cd.Licence, strings.Join(models, ", "),
			strings.Join(cd.Certificates, ", "), strconv.Itoa(cd.VerifiedUsers), ms})
	}
	ans := [][]string{{t("provider"), t("submitted")}}
	for i, q := range c.Questions {
		ans[0] = append(ans[0], strconv.Itoa(i+1)+". "+q.Text)
	}
	for _, a := range c.Answers {
		row := []string{a.Provider.Name, FormatTime(c.Lang, a.Submitted)}
		for i, q := range c.Questions {
			v := ""
			if i < len(a.Answers) {
				v = s.answerText(c, q, a.Answers[i])
			}
			row = append(row, v)
		}
		ans = append(ans, row)
	}
	for i, rows := range [][][]string{ov, cand, ans, s.scoreRows(c)} {
		if err := write(sheets[i], rows); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellText guards a cell against formula injection: text starting with
// =, +, - or @ gets a leading apostrophe.
func cellText(v string) string {
	if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
		return "'" + v
	}
	return v
}
