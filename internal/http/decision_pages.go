package http

// This file: the pages of the decision aid "open source or licence?"
// (/entscheidungshilfe). Anyone can use it without saving: the form
// round-trips without JavaScript; signed-in users save, change and
// delete their aids.

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/decision"
	"github.com/smartregions/smartregions/internal/web"
)

// DecisionOptionView is one evaluated option, its texts translated.
type DecisionOptionView struct {
	Name   string
	Open   string
	Facts  *decision.Facts
	Costs  []DecisionCostView
	Years  [decision.Years]string
	Total  string
	Lowest bool
	Pros   []string
	Cons   []string
}

// DecisionCostView is one cost line of an option.
type DecisionCostView struct {
	Line   string
	Amount string
	Source string
	Years  [decision.Years]string
}

// DecisionView is the Data of the "decision" page.
type DecisionView struct {
	Aid        *decision.Aid // the saved aid; nil for a new one
	Saved      []decision.Aid
	Result     []DecisionOptionView
	Questions  []decision.Question
	Lines      []string
	Deliveries []string
	Rules      []string
	Columns    []int // option columns of the form
	Chosen     map[string]bool
	SignedIn   bool
	Notice     string
	Alert      string
}

func (s *Server) decisionCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "decision.title"), Href: "/entscheidungshilfe"}}, trail...)
}

// formatCents writes an amount of cents in euros in the language of r.
func formatCents(r *http.Request, c int64) string {
	p := web.Page{Lang: langOf(r)}
	sep := ","
	if p.Lang == "en" {
		sep = "."
	}
	return p.Num(c/100) + sep + strconv.FormatInt(100+c%100, 10)[1:] + " €"
}

var reDecimal = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]{1,2}))?$`)

// parseCents reads an amount of euros as typed: "1.234,56", "1234,5",
// "1234.56" or "1234"; ok is false for anything else.
func parseCents(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "€", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	} else if !reDecimal.MatchString(s) || strings.Count(s, ".") == 1 && len(s)-strings.Index(s, ".") == 4 {
		s = strings.ReplaceAll(s, ".", "") // thousands separators
	}
	m := reDecimal.FindStringSubmatch(s)
	if m == nil || len(m[1]) > 12 {
		return 0, false
	}
	euros, _ := strconv.ParseInt(m[1], 10, 64)
	frac := m[2]
	for len(frac) < 2 {
		frac += "0"
	}
	cents, _ := strconv.ParseInt(frac, 10, 64)
	return euros*100 + cents, true
}

// parseBasisPoints reads a percentage with up to two decimals ("2,5").
func parseBasisPoints(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, true
	}
	c, ok := parseCents(strings.ReplaceAll(s, ".", ","))
	return int(c), ok && c <= 1_000_000
}

// decisionInput reads the form; unreadable numbers become field errors.
func decisionInput(f url.Values) (decision.Aid, error) {
	var v apperr.Validation
	a := decision.Aid{Title: f.Get("title"), Answers: map[string]string{}}
	for _, q := range decision.Questions {
		if ans := f.Get("q_" + q.Key); ans != "" {
			a.Answers[q.Key] = ans
		}
	}
	if bp, ok := parseBasisPoints(f.Get("increase")); ok {
		a.Increase = bp
	} else {
		v.Add("increase", "decision.error.unreadable")
	}
	for i := range decision.MaxOptions {
		k := strconv.Itoa(i)
		o := decision.Option{Name: f.Get("name_" + k), Solution: f.Get("solution_" + k), OpenSource: f.Get("open_" + k),
			Delivery: f["delivery_"+k], Costs: map[string]*int64{}}
		for _, line := range decision.Lines {
			t := strings.TrimSpace(f.Get("cost_" + k + "_" + line))
			if t == "" {
				continue
			}
			c, ok := parseCents(t)
			if !ok {
				v.Add("cost-"+k+"-"+line, "decision.error.unreadable")
				continue
			}
			o.Costs[line] = &c
		}
		a.Options = append(a.Options, o)
	}
	return a, v.Err()
}

// decisionForm writes a saved aid into form values.
func decisionForm(a decision.Aid) url.Values {
	f := url.Values{"title": {a.Title}, "lock": {strconv.Itoa(a.Lock)}}
	for k, ans := range a.Answers {
		f.Set("q_"+k, ans)
	}
	if a.Increase != 0 {
		f.Set("increase", strings.TrimSuffix(strings.TrimSuffix(strconv.Itoa(a.Increase/100)+","+strconv.Itoa(100 + a.Increase%100)[1:], "0"), ",0"))
	}
	for i, o := range a.Options {
		k := strconv.Itoa(i)
		f.Set("name_"+k, o.Name)
		f.Set("solution_"+k, o.Solution)
		f.Set("open_"+k, o.OpenSource)
		f["delivery_"+k] = o.Delivery
		for line, c := range o.Costs {
			if c != nil {
				f.Set("cost_"+k+"_"+line, strconv.FormatInt(*c/100, 10)+","+strconv.FormatInt(100+*c%100, 10)[1:])
			}
		}
	}
	return f
}

// decisionResult translates an evaluation for the page and the PDF.
func (s *Server) decisionResult(r *http.Request, res decision.Result) []DecisionOptionView {
	var out []DecisionOptionView
	for i, o := range res.Options {
		v := DecisionOptionView{Name: o.Name, Open: o.Open, Facts: o.Facts, Total: formatCents(r, o.TCO.Total), Lowest: res.Lowest == i}
		for y := range decision.Years {
			v.Years[y] = formatCents(r, o.TCO.Year[y])
		}
		for _, c := range o.Costs {
			cv := DecisionCostView{Line: c.Line, Amount: formatCents(r, c.Cents), Source: c.Source}
			row := o.TCO.ByLine[c.Line]
			for y := range decision.Years {
				cv.Years[y] = formatCents(r, row[y])
			}
			v.Costs = append(v.Costs, cv)
		}
		for _, p := range o.Pros {
			v.Pros = append(v.Pros, s.t(r, p.Key, p.Args...))
		}
		for _, c := range o.Cons {
			v.Cons = append(v.Cons, s.t(r, c.Key, c.Args...))
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) renderDecision(w http.ResponseWriter, r *http.Request, status int, v DecisionView, form url.Values, fields map[string]string) error {
	v.Questions, v.Lines, v.Deliveries, v.Rules = decision.Questions, decision.Lines, catalog.DeliveryModels, decision.Rules
	v.Columns = []int{0, 1, 2, 3}
	v.SignedIn = optionalUser(r) != nil
	if form == nil {
		form = url.Values{}
	}
	v.Chosen = map[string]bool{}
	for i := range decision.MaxOptions {
		k := strconv.Itoa(i)
		for _, d := range form["delivery_"+k] {
			v.Chosen[k+":"+d] = true
		}
	}
	title := s.t(r, "decision.title")
	crumbs := []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: title}}
	if v.Aid != nil {
		name := v.Aid.Title
		if name == "" {
			name = s.t(r, "decision.untitled")
		}
		title, crumbs = name, s.decisionCrumbs(r, web.Crumb{Label: name})
	}
	return s.renderFormPage(w, r, status, "decision", title, crumbs, form, fields, v)
}

// decisionRetry shows the form again with the errors of err.
func (s *Server) decisionRetry(w http.ResponseWriter, r *http.Request, v DecisionView, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.NotFound) && fields == nil {
		return err
	}
	v.Alert = alert
	return s.renderDecision(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleDecisionNew(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "loesung")
	slug := p.str("loesung")
	if len(slug) > decision.MaxSolutionRef {
		p.Add("loesung", "error.param.value", "Name", "loesung")
	}
	if err := p.Err(); err != nil {
		return err
	}
	var v DecisionView
	if u := optionalUser(r); u != nil {
		page, err := s.Decisions.List(r.Context(), u, decision.DefaultLimit, "")
		if err != nil {
			return err
		}
		v.Saved = page.Items
	}
	form := url.Values{}
	if slug != "" {
		form.Set("solution_0", slug)
	}
	return s.renderDecision(w, r, http.StatusOK, v, form, nil)
}

// handleDecisionEvaluate evaluates the posted aid and shows the result
// with the form; with action "save" a signed-in user saves it.
func (s *Server) handleDecisionEvaluate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := decisionInput(r.PostForm)
	if err != nil {
		return s.decisionRetry(w, r, DecisionView{}, err)
	}
	if r.PostForm.Get("action") == "save" {
		u := optionalUser(r)
		if u == nil {
			return s.decisionRetry(w, r, DecisionView{}, apperr.New(apperr.Unauthenticated, "decision.error.sign_in"))
		}
		saved, _, err := s.Decisions.Create(r.Context(), u, a, s.meta(r))
		if err != nil {
			return s.decisionRetry(w, r, DecisionView{}, err)
		}
		http.Redirect(w, r, "/entscheidungshilfe/"+saved.ID+"?erledigt=gespeichert", http.StatusSeeOther)
		return nil
	}
	res, err := s.Decisions.Evaluate(r.Context(), &a)
	if err != nil {
		return s.decisionRetry(w, r, DecisionView{}, err)
	}
	return s.renderDecision(w, r, http.StatusOK, DecisionView{Result: s.decisionResult(r, res)}, keptInput(r), nil)
}

var decisionNotices = map[string]string{"gespeichert": "decision.done.saved"}

func (s *Server) handleDecisionView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := decisionNotices[n]; ok {
			notice = s.t(r, key)
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.Decisions.Get(r.Context(), optionalUser(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	res, err := s.Decisions.Evaluate(r.Context(), &a)
	if err != nil && !apperr.Is(err, apperr.Invalid) {
		return err
	}
	v := DecisionView{Aid: &a, Notice: notice}
	if err == nil {
		v.Result = s.decisionResult(r, res)
	} else {
		v.Alert = s.t(r, "decision.error.outdated") // a solution has left the catalogue since
	}
	return s.renderDecision(w, r, http.StatusOK, v, decisionForm(a), nil)
}

func (s *Server) handleDecisionUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := optionalUser(r)
	cur, err := s.Decisions.Get(r.Context(), u, r.PathValue("id"))
	if err != nil {
		return err
	}
	a, err := decisionInput(r.PostForm)
	if err != nil {
		return s.decisionRetry(w, r, DecisionView{Aid: &cur}, err)
	}
	lock := lockOf(r)
	if _, _, err := s.Decisions.Update(r.Context(), u, cur.ID, lock, a, s.meta(r)); err != nil {
		return s.decisionRetry(w, r, DecisionView{Aid: &cur}, err)
	}
	http.Redirect(w, r, "/entscheidungshilfe/"+cur.ID+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}

func (s *Server) handleDecisionDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	if err := s.Decisions.Delete(r.Context(), optionalUser(r), r.PathValue("id"), s.meta(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/entscheidungshilfe", http.StatusSeeOther)
	return nil
}

// handleDecisionPDF answers the PDF of a saved aid (GET) or of the
// posted form (POST, for visitors who do not save).
func (s *Server) handleDecisionPDF(w http.ResponseWriter, r *http.Request) error {
	var a decision.Aid
	if r.Method == http.MethodPost {
		if err := s.readForm(r); err != nil {
			return err
		}
		var err error
		if a, err = decisionInput(r.PostForm); err != nil {
			return s.decisionRetry(w, r, DecisionView{}, err)
		}
	} else {
		if p := readParams(r); p.Err() != nil {
			return p.Err()
		}
		var err error
		if a, err = s.Decisions.Get(r.Context(), optionalUser(r), r.PathValue("id")); err != nil {
			return err
		}
	}
	res, err := s.Decisions.Evaluate(r.Context(), &a)
	if err != nil {
		if r.Method == http.MethodPost {
			return s.decisionRetry(w, r, DecisionView{}, err)
		}
		return err
	}
	body, err := s.decisionPDF(r, a, s.decisionResult(r, res))
	if err != nil {
		return err
	}
	name := "entscheidungshilfe.pdf"
	if a.ID != "" && uuid.Validate(a.ID) == nil {
		name = "entscheidungshilfe-" + a.ID + ".pdf"
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body)
	return nil
}

// decisionsOn answers 404 when the decision aid is switched off (no catalogue).
func (s *Server) decisionsOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Decisions == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}
