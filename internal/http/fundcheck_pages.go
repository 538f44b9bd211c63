package http

// This file: the pages of "check before you fund" (/bestandspruefung):
// the author's list, the form, the check with its matches and statements,
// finalising, the PDF and the public statistics.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fundcheck"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/web"
)

// fundChecksOn answers 404 when checks are switched off (no search service).
func (s *Server) fundChecksOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.FundChecks == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

func (s *Server) fundCheckActor(r *http.Request) (fundcheck.Actor, error) {
	return s.FundChecks.Actor(r.Context(), optionalUser(r))
}

func (s *Server) fundCheckCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "fundcheck.title"), Href: "/bestandspruefung"}}, trail...)
}

// FundCheckListView is the Data of the "fundcheck_list" page.
type FundCheckListView struct {
	Checks []fundcheck.Check
	Next   string // query of the next page, "" on the last
}

func (s *Server) handleFundCheckList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "nach")
	after := p.str("nach")
	if after != "" && uuid.Validate(after) != nil {
		p.Add("nach", "error.param.cursor")
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	page, err := s.FundChecks.List(r.Context(), a, fundcheck.DefaultLimit, after)
	if err != nil {
		return err
	}
	v := FundCheckListView{Checks: page.Items}
	if page.Next != "" {
		v.Next = url.Values{"nach": {page.Next}}.Encode()
	}
	pg := s.page(r, s.t(r, "fundcheck.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "fundcheck.title")}}
	pg.Data = v
	return s.render(w, r, "fundcheck_list", pg)
}

// FundCheckFormView is the Data of the "fundcheck_form" page.
type FundCheckFormView struct {
	Check      *fundcheck.Check // nil when creating
	Orgs       []org.Membership
	Fields     []catalog.Field
	Chosen     map[string]bool
	Deliveries []string
	Alert      string
}

// fundCheckInput reads the form.
func fundCheckInput(f url.Values) fundcheck.Input {
	in := fundcheck.Input{Title: f.Get("title"), Description: f.Get("description"), Fields: f["fields"], Delivery: f.Get("delivery"),
		Licence: f.Get("licence"), Programme: f.Get("programme")}
	if t := strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(f.Get("budget")), ".", ""), " ", ""); t != "" {
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			in.Budget = &v
		} else {
			in.Unreadable = append(in.Unreadable, "budget")
		}
	}
	return in
}

func fundCheckForm(c fundcheck.Check) url.Values {
	f := url.Values{"title": {c.Title}, "description": {c.Description}, "fields": c.Fields, "delivery": {c.Delivery},
		"licence": {c.Licence}, "programme": {c.Programme}, "lock": {strconv.Itoa(c.Lock)}}
	if c.Budget != nil {
		f.Set("budget", strconv.FormatInt(*c.Budget, 10))
	}
	return f
}

func (s *Server) renderFundCheckForm(w http.ResponseWriter, r *http.Request, status int, v FundCheckFormView, form url.Values, fields map[string]string) error {
	all, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v.Fields, v.Deliveries, v.Chosen = all, fundcheck.Deliveries, map[string]bool{}
	if form == nil {
		form = url.Values{}
	}
	for _, f := range form["fields"] {
		v.Chosen[f] = true
	}
	title := s.t(r, "fundcheck.new.title")
	trail := []web.Crumb{{Label: s.t(r, "fundcheck.new.short")}}
	if v.Check != nil {
		title = s.t(r, "fundcheck.edit.title")
		trail = []web.Crumb{{Label: v.Check.Title, Href: "/bestandspruefung/" + v.Check.ID}, {Label: s.t(r, "fundcheck.edit.short")}}
	}
	return s.renderFormPage(w, r, status, "fundcheck_form", title, s.fundCheckCrumbs(r, trail...), form, fields, v)
}

func (s *Server) fundCheckFormRetry(w http.ResponseWriter, r *http.Request, v FundCheckFormView, err error) error {
	fields, alert, stop := s.pageFormError(r, err)
	if stop != nil {
		return stop
	}
	v.Alert = alert
	return s.renderFundCheckForm(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleFundCheckNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	form := url.Values{"delivery": {fundcheck.DeliveryOpen}}
	if len(a.Orgs) > 0 {
		form.Set("organisation", a.Orgs[0].OrgSlug)
	}
	return s.renderFundCheckForm(w, r, http.StatusOK, FundCheckFormView{Orgs: a.Orgs}, form, nil)
}

func (s *Server) handleFundCheckCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Create(r.Context(), a, r.PostForm.Get("organisation"), fundCheckInput(r.PostForm), s.meta(r))
	if err != nil {
		return s.fundCheckFormRetry(w, r, FundCheckFormView{Orgs: a.Orgs}, err)
	}
	http.Redirect(w, r, "/bestandspruefung/"+c.ID+"?erledigt=geprueft", http.StatusSeeOther)
	return nil
}

func (s *Server) handleFundCheckEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if c.State != fundcheck.Draft {
		return apperr.New(apperr.Conflict, "fundcheck.error.final")
	}
	return s.renderFundCheckForm(w, r, http.StatusOK, FundCheckFormView{Check: &c}, fundCheckForm(c), nil)
}

func (s *Server) handleFundCheckUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	lock := lockOf(r)
	if _, err := s.FundChecks.Update(r.Context(), a, c.ID, lock, fundCheckInput(r.PostForm), s.meta(r)); err != nil {
		return s.fundCheckFormRetry(w, r, FundCheckFormView{Check: &c}, err)
	}
	http.Redirect(w, r, "/bestandspruefung/"+c.ID+"?erledigt=geprueft", http.StatusSeeOther)
	return nil
}

// FundCheckView is the Data of the "fundcheck" page.
type FundCheckView struct {
	Check      fundcheck.Check
	FieldNames map[string]string
	Notice     string
	Alert      string
	Verified   bool       // the snapshot still has its hash
	Reasons    [][]string // why each match is similar, in sentences
}

var fundCheckNotices = map[string]string{"geprueft": "fundcheck.done.checked", "gespeichert": "fundcheck.done.saved",
	"abgeschlossen": "fundcheck.done.final"}

// fieldNames returns the labels of all fields of action by key.
func (s *Server) fieldNames(r *http.Request) map[string]string {
	out := map[string]string{}
	all, err := s.Fields.All(r.Context())
	if err != nil {
		return out
	}
	for _, f := range all {
		out[f.Key] = f.Label(langOf(r))
		for _, c := range f.Children {
			out[c.Key] = c.Label(langOf(r))
		}
	}
	return out
}

func (s *Server) renderFundCheck(w http.ResponseWriter, r *http.Request, status int, v FundCheckView, form url.Values, fields map[string]string) error {
	v.FieldNames, v.Verified = s.fieldNames(r), v.Check.Verify()
	for _, m := range v.Check.Matches {
		v.Reasons = append(v.Reasons, s.fundCheckReasons(r, m, v.FieldNames))
	}
	pg := s.page(r, v.Check.Title)
	if v.Check.State == fundcheck.Draft {
		pg.CSRFToken = s.csrfToken(w, r)
	}
	if form == nil {
		form = url.Values{"lock": {strconv.Itoa(v.Check.Lock)}}
		for i, m := range v.Check.Matches {
			k := strconv.Itoa(i)
			form.Set("verdict_"+k, m.Verdict)
			form.Set("statement_"+k, m.Statement)
		}
	}
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.fundCheckCrumbs(r, web.Crumb{Label: v.Check.Title})
	pg.Data = v
	s.renderStatus(w, r, status, "fundcheck", pg)
	return nil
}

func (s *Server) handleFundCheckView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := fundCheckNotices[n]; ok {
			notice = s.t(r, key)
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderFundCheck(w, r, http.StatusOK, FundCheckView{Check: c, Notice: notice}, nil, nil)
}

// fundCheckStatements reads the verdicts of the form, one per match
// index.
func fundCheckStatements(f url.Values, c fundcheck.Check) []fundcheck.Statement {
	var out []fundcheck.Statement
	for i, m := range c.Matches {
		k := strconv.Itoa(i)
		out = append(out, fundcheck.Statement{Key: m.Key(), Verdict: f.Get("verdict_" + k), Statement: f.Get("statement_" + k)})
	}
	return out
}

func (s *Server) handleFundCheckStatements(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	lock := lockOf(r)
	finalise := r.PostForm.Get("action") == "finalise"
	if _, err := s.FundChecks.SaveStatements(r.Context(), a, c.ID, lock, fundCheckStatements(r.PostForm, c), finalise, s.meta(r)); err != nil {
		fields, alert, rest := s.formError(r, err)
		if rest != nil || apperr.Is(err, apperr.NotFound) {
			return err
		}
		return s.renderFundCheck(w, r, statusOf[apperr.CodeOf(err)], FundCheckView{Check: c, Alert: alert}, keptInput(r), fields)
	}
	done := "gespeichert"
	if finalise {
		done = "abgeschlossen"
	}
	http.Redirect(w, r, "/bestandspruefung/"+c.ID+"?erledigt="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handleFundCheckPDF(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	c, err := s.FundChecks.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	body, err := s.fundCheckPDF(r, c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="bestandspruefung-`+c.ID+`.pdf"`)
	w.Write(body)
	return nil
}

// FundCheckStatsView is the Data of the "fundcheck_stats" page.
type FundCheckStatsView struct {
	Stats      fundcheck.Stats
	FieldNames map[string]string
	MinCell    int
}

func (s *Server) handleFundCheckStats(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	st, err := s.FundChecks.Statistics(r.Context())
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "fundcheck.stats.title"))
	pg.Breadcrumbs = s.fundCheckCrumbs(r, web.Crumb{Label: s.t(r, "fundcheck.stats.title")})
	pg.Data = FundCheckStatsView{Stats: st, FieldNames: s.fieldNames(r), MinCell: fundcheck.MinCell}
	return s.render(w, r, "fundcheck_stats", pg)
}
