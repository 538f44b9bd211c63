package http

// This file: the attendance list of an event for its editors, as a page
// and as CSV and XLSX files.

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/web"
)

// AttendeesView is the Data of the "event_attendees" page.
type AttendeesView struct {
	Event      event.Event
	When       string
	Confirmed  []event.Registration
	Waitlisted []event.Registration
	Feedback   event.FeedbackSummary
	Average    string // of the ratings, in the page's language
}

func (s *Server) attendees(r *http.Request) (AttendeesView, error) {
	if p := readParams(r); p.Err() != nil {
		return AttendeesView{}, p.Err()
	}
	e, list, err := s.Events.Attendees(r.Context(), userOf(r).user, r.PathValue("slug"))
	if err != nil {
		return AttendeesView{}, err
	}
	v := AttendeesView{Event: e, When: event.When(e, langOf(r))}
	for _, reg := range list {
		if reg.Status == event.Confirmed {
			v.Confirmed = append(v.Confirmed, reg)
		} else {
			v.Waitlisted = append(v.Waitlisted, reg)
		}
	}
	if v.Feedback, err = s.Events.Feedback(r.Context(), userOf(r).user, e); err != nil {
		return v, err
	}
	v.Average = strconv.FormatFloat(v.Feedback.Average, 'f', 1, 64)
	if langOf(r) == "de" {
		v.Average = strings.Replace(v.Average, ".", ",", 1)
	}
	return v, nil
}

func (s *Server) handleEventAttendees(w http.ResponseWriter, r *http.Request) error {
	v, err := s.attendees(r)
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "event.attendees.title", "Title", v.Event.Title))
	pg.Breadcrumbs = s.eventCrumbs(r, web.Crumb{Label: v.Event.Title, Href: "/veranstaltungen/" + v.Event.Slug},
		web.Crumb{Label: s.t(r, "event.attendees.short")})
	pg.Data = v
	return s.render(w, r, "event_attendees", pg)
}

// attendeeRows is the attendance list as a table with a header row in
// the request's language; times in Berlin.
func (s *Server) attendeeRows(r *http.Request, v AttendeesView) [][]string {
	rows := [][]string{{s.t(r, "event.attendees.name"), s.t(r, "event.attendees.email"), s.t(r, "event.register.organisation"),
		s.t(r, "event.register.access_needs"), s.t(r, "event.attendees.status"), s.t(r, "event.attendees.position"),
		s.t(r, "event.attendees.registered"), s.t(r, "event.attendees.signature")}}
	for _, reg := range append(append([]event.Registration{}, v.Confirmed...), v.Waitlisted...) {
		pos := ""
		if reg.Position > 0 {
			pos = strconv.Itoa(reg.Position)
		}
		rows = append(rows, []string{reg.Name, reg.Email, reg.Organisation, reg.AccessNeeds, s.t(r, "event.status."+string(reg.Status)), pos,
			reg.Created.In(event.Berlin).Format("2006-01-02 15:04"), ""})
	}
	return rows
}

func attendeeFile(e event.Event, ext string) string {
	return "teilnehmende-" + e.Slug + "-" + e.Start.In(event.Berlin).Format("2006-01-02") + "." + ext
}

func (s *Server) handleEventAttendeesCSV(w http.ResponseWriter, r *http.Request) error {
	v, err := s.attendees(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff") // spreadsheet programs read the umlauts with the byte order mark
	cw := csv.NewWriter(&buf)
	for _, row := range s.attendeeRows(r, v) {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("event attendees csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("event attendees csv: %w", err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+attendeeFile(v.Event, "csv")+`"`)
	w.Header().Set("Cache-Control", "no-store") // personal data
	buf.WriteTo(w)
	return nil
}

func (s *Server) handleEventAttendeesXLSX(w http.ResponseWriter, r *http.Request) error {
	v, err := s.attendees(r)
	if err != nil {
		return err
	}
	body, err := attendeesXLSX(s.attendeeRows(r, v), s.t(r, "event.attendees.sheet"), v.Event.Title+" – "+v.When)
	if err != nil {
		return fmt.Errorf("event attendees xlsx: %w", err)
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+attendeeFile(v.Event, "xlsx")+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
	return nil
}

// attendeesXLSX writes the list to a workbook: a title line, then the
// table with a bold, frozen header row; every cell is text, guarded
// against formula injection.
func attendeesXLSX(rows [][]string, sheet, title string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5EE"}}})
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStr(sheet, "A1", csvCell(title)); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
		return nil, err
	}
	for i, row := range rows {
		for j, val := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+3)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellStr(sheet, cell, csvCell(val)); err != nil {
				return nil, err
			}
			if i == 0 {
				if err := f.SetCellStyle(sheet, cell, cell, head); err != nil {
					return nil, err
				}
			}
		}
	}
	last, err := excelize.ColumnNumberToName(len(rows[0]))
	if err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sheet, "A", last, 24); err != nil {
		return nil, err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
