package http

// This file: writing practice examples (/praxisbeispiele/neu,
// /praxisbeispiele/{slug}/bearbeiten).

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/web"
)

// PracticeFormView is the Data of the "practice_form" page.
type PracticeFormView struct {
	Example   *practice.Example // nil when creating
	Orgs      []org.Membership  // the public bodies the user may write for
	Fields    []catalog.Field
	Chosen    map[string]bool // chosen fields of action
	CostBands []string
	Rows      []int // indexes of the indicator rows
	Action    string
	Alert     string
}

// practiceAmount reads a whole number of euros or people ("12.000" too);
// unreadable ones are reported by the service's validation.
func practiceAmount(f url.Values, name string, in *practice.Input) *int64 {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(f.Get(name)), ".", ""), " ", "")
	if t == "" {
		return nil
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		in.Unreadable = append(in.Unreadable, name)
		return nil
	}
	return &v
}

// practiceNumber reads a decimal with a comma or a point.
func practiceNumber(s string) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v { // NaN
		return nil, false
	}
	return &v, true
}

// practiceRows is the number of indicator rows the form had.
func practiceRows(f url.Values) int {
	n, _ := strconv.Atoi(f.Get("rows"))
	return min(max(0, n), practice.MaxIndicators+5)
}

// practiceInput reads the example form.
func practiceInput(f url.Values) practice.Input {
	in := practice.Input{Content: practice.Content{Title: f.Get("title"), Goal: f.Get("goal"), Fields: f["fields"],
		Solutions: []string{f.Get("solutions")}, CostBand: f.Get("cost_band"), Funding: f.Get("funding"), Programme: f.Get("programme"),
		Start: f.Get("start"), End: f.Get("end"), Team: f.Get("team"), ResultsText: f.Get("results_text"), Lessons: f.Get("lessons"),
		Differently: f.Get("differently"), Contact: practice.Contact{Name: f.Get("contact_name"), Role: f.Get("contact_role"),
			Email: f.Get("contact_email"), Consent: f.Get("consent") == "1"}}}
	in.Lock, _ = strconv.Atoi(f.Get("lock"))
	in.CostFrom, in.CostTo = practiceAmount(f, "cost_from", &in), practiceAmount(f, "cost_to", &in)
	if n := practiceAmount(f, "team_size", &in); n != nil {
		if *n > practice.MaxTeamSize {
			*n = practice.MaxTeamSize + 1 // reported as too large, never overflowing int
		}
		in.TeamSize = int(*n)
	}
	bad := false
	for i := range practiceRows(f) {
		k := strconv.Itoa(i)
		before, ok1 := practiceNumber(f.Get("ind_before_" + k))
		after, ok2 := practiceNumber(f.Get("ind_after_" + k))
		if !ok1 || !ok2 {
			bad = true
		}
		in.Results = append(in.Results, practice.Indicator{Name: f.Get("ind_name_" + k), Before: before, After: after,
			Unit: f.Get("ind_unit_" + k), Note: f.Get("ind_note_" + k)})
	}
	if bad {
		in.Unreadable = append(in.Unreadable, "results")
	}
	return in
}

// formatNumber writes an indicator's value for the form.
func formatNumber(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

// practiceForm writes an example's working version into form values.
func practiceForm(e practice.Example) url.Values {
	c := e.Working
	f := url.Values{"title": {c.Title}, "goal": {c.Goal}, "fields": c.Fields, "solutions": {strings.Join(c.Solutions, "\n")},
		"cost_band": {c.CostBand}, "funding": {c.Funding}, "programme": {c.Programme}, "start": {c.Start}, "end": {c.End}, "team": {c.Team},
		"results_text": {c.ResultsText}, "lessons": {c.Lessons}, "differently": {c.Differently}, "contact_name": {c.Contact.Name},
		"contact_role": {c.Contact.Role}, "contact_email": {c.Contact.Email}, "lock": {strconv.Itoa(e.Lock)}}
	if c.CostFrom != nil {
		f.Set("cost_from", strconv.FormatInt(*c.CostFrom, 10))
	}
	if c.CostTo != nil {
		f.Set("cost_to", strconv.FormatInt(*c.CostTo, 10))
	}
	if c.TeamSize > 0 {
		f.Set("team_size", strconv.Itoa(c.TeamSize))
	}
	if c.Contact.Consent {
		f.Set("consent", "1")
	}
	for i, r := range c.Results {
		k := strconv.Itoa(i)
		f.Set("ind_name_"+k, r.Name)
		f.Set("ind_before_"+k, formatNumber(r.Before))
		f.Set("ind_after_"+k, formatNumber(r.After))
		f.Set("ind_unit_"+k, r.Unit)
		f.Set("ind_note_"+k, r.Note)
	}
	f.Set("rows", strconv.Itoa(len(c.Results)))
	return f
}

func (s *Server) renderPracticeForm(w http.ResponseWriter, r *http.Request, status int, v PracticeFormView, form url.Values, fields map[string]string) error {
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	if form == nil {
		form = url.Values{}
	}
	v.Fields, v.CostBands, v.Chosen = tree, practice.CostBands, map[string]bool{}
	for _, k := range form["fields"] {
		v.Chosen[k] = true
	}
	// Rows: those filled in and three empty ones.
	filled := 0
	for i := range practiceRows(form) {
		k := strconv.Itoa(i)
		for _, p := range []string{"ind_name_", "ind_before_", "ind_after_", "ind_unit_", "ind_note_"} {
			if strings.TrimSpace(form.Get(p+k)) != "" {
				filled = i + 1
			}
		}
	}
	n := min(filled+3, practice.MaxIndicators)
	for i := range n {
		v.Rows = append(v.Rows, i)
	}
	form.Set("rows", strconv.Itoa(n))
	title := s.t(r, "practice.new.title")
	trail := []web.Crumb{{Label: title}}
	v.Action = "/praxisbeispiele/neu"
	if v.Example != nil {
		title = s.t(r, "practice.edit.title", "Title", v.Example.Working.Title)
		trail = []web.Crumb{{Label: v.Example.Working.Title, Href: "/praxisbeispiele/" + v.Example.Slug}, {Label: s.t(r, "practice.edit.short")}}
		v.Action = "/praxisbeispiele/" + v.Example.Slug + "/bearbeiten"
	}
	return s.renderFormPage(w, r, status, "practice_form", title, s.practiceCrumbs(r, trail...), form, fields, v)
}

func (s *Server) practiceFormRetry(w http.ResponseWriter, r *http.Request, v PracticeFormView, err error) error {
	fields, alert, stop := s.pageFormError(r, err)
	if stop != nil {
		return stop
	}
	v.Alert = alert
	return s.renderPracticeForm(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handlePracticeNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	// Without a verified public body the page explains who writes examples.
	bodies := a.PublicBodies()
	form := url.Values{}
	if len(bodies) > 0 {
		form.Set("org", bodies[0].OrgSlug)
	}
	return s.renderPracticeForm(w, r, http.StatusOK, PracticeFormView{Orgs: bodies}, form, nil)
}

func (s *Server) handlePracticeCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	e, err := s.Practice.Create(r.Context(), a, r.PostForm.Get("org"), practiceInput(r.PostForm), s.meta(r))
	if err != nil {
		return s.practiceFormRetry(w, r, PracticeFormView{Orgs: a.PublicBodies()}, err)
	}
	http.Redirect(w, r, "/praxisbeispiele/"+e.Slug+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// editablePractice reads the example of the path for its editor.
func (s *Server) editablePractice(r *http.Request) (practice.Actor, practice.Example, error) {
	a, err := s.practiceActor(r)
	if err != nil {
		return a, practice.Example{}, err
	}
	e, err := s.Practice.Get(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return a, e, err
	}
	if !practice.Can(a, practice.ActEdit, e) {
		return a, e, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return a, e, nil
}

func (s *Server) handlePracticeEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	_, e, err := s.editablePractice(r)
	if err != nil {
		return err
	}
	v := PracticeFormView{Example: &e}
	if e.State == practice.Submitted {
		v.Alert = s.t(r, "practice.error.in_review")
	}
	return s.renderPracticeForm(w, r, http.StatusOK, v, practiceForm(e), nil)
}

func (s *Server) handlePracticeUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, e, err := s.editablePractice(r)
	if err != nil {
		return err
	}
	in := practiceInput(r.PostForm)
	if in.Lock == 0 {
		in.Lock = -1 // a form always carries its lock: refused as stale
	}
	if _, err := s.Practice.Update(r.Context(), a, e.Slug, in, s.meta(r)); err != nil {
		return s.practiceFormRetry(w, r, PracticeFormView{Example: &e}, err)
	}
	http.Redirect(w, r, "/praxisbeispiele/"+e.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}
