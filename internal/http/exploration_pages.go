package http

// This file: the pages of market explorations (/markterkundungen): the
// list, starting one from a need or a search, the view with its steps
// (criteria, questionnaire, answers, scoring, closing, note, reports)
// and the report download. The providers' answer form and the report
// check are in exploration_answer.go.

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
	"github.com/smartregions/smartregions/internal/web"
)

// explorationsOn answers 404 when explorations are switched off.
func (s *Server) explorationsOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Explorations == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

func (s *Server) explorationActor(r *http.Request) (exploration.Actor, error) {
	return s.Explorations.Actor(r.Context(), optionalUser(r))
}

func (s *Server) explorationCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "exploration.title"), Href: "/markterkundungen"}}, trail...)
}

// ExplorationListView is the Data of the "explorations" page.
type ExplorationListView struct {
	Lists exploration.Lists
}

func (s *Server) handleExplorationList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	l, err := s.Explorations.List(r.Context(), a)
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "exploration.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "exploration.title")}}
	pg.Data = ExplorationListView{Lists: l}
	return s.render(w, r, "explorations", pg)
}

// handleExplorationCreate starts an exploration from the need or the
// search posted (the start forms on the need page and the search page).
func (s *Server) handleExplorationCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	e, err := s.Explorations.Create(r.Context(), a, exploration.Start{Org: f.Get("org"), Title: f.Get("title"), Need: f.Get("need"), Query: f.Get("query")}, s.meta(r))
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/markterkundungen/"+e.ID+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// ExplorationView is the Data of the "exploration" page.
type ExplorationView struct {
	E          exploration.Exploration
	Snapshot   exploration.Snapshot
	SnapshotOK bool
	Ranking    []exploration.Ranked
	Answers    []exploration.Answer
	Missing    string // names of providers asked who did not answer
	Providers  []exploration.OrgRef
	Asked      string // names of the providers asked
	CanEdit    bool
	Scorable   bool
	NoteParas  []string // the draft note, by paragraph
	Notice     string
	Alert      string
	Types      []string
	Outcomes   []string
	// Rows of the forms.
	CriteriaRows []int
	QuestionRows []int
	WeightSum    int
	Fewer        bool // fewer than three providers chosen or asked
	Deadline     string
}

var explorationNotices = map[string]string{"angelegt": "exploration.done.created", "kriterien": "exploration.done.criteria",
	"fragebogen": "exploration.done.rfi", "versandt": "exploration.done.sent", "bewertet": "exploration.done.scored",
	"abgeschlossen": "exploration.done.closed"}

// deadlineLayout is the value format of <input type="datetime-local">.
const deadlineLayout = "2006-01-02T15:04"

// explorationForm writes the exploration's values into form values.
func explorationForm(e exploration.Exploration, snap exploration.Snapshot) url.Values {
	f := url.Values{"lock": {strconv.Itoa(e.Lock)}}
	for i, c := range e.Criteria {
		k := strconv.Itoa(i)
		f.Set("crit_name_"+k, c.Name)
		f.Set("crit_weight_"+k, strconv.Itoa(c.Weight))
		if c.Exclusion {
			f.Set("crit_excl_"+k, "1")
		}
	}
	for i, q := range e.Questions {
		k := strconv.Itoa(i)
		f.Set("q_text_"+k, q.Text)
		f.Set("q_type_"+k, q.Type)
	}
	if e.Deadline != nil {
		f.Set("deadline", e.Deadline.In(exploration.Berlin).Format(deadlineLayout))
	}
	for _, p := range snap.Providers() {
		if e.Asked(p.ID) {
			f.Add("providers", p.Slug)
		}
	}
	for _, sc := range e.Scores {
		for i, v := range sc.Values {
			f.Set("score_"+sc.Solution+"_"+strconv.Itoa(i), strconv.Itoa(v))
		}
		f.Set("comment_"+sc.Solution, sc.Comment)
		if sc.Excluded {
			f.Set("exclude_"+sc.Solution, "1")
			f.Set("reason_"+sc.Solution, sc.Reason)
		}
	}
	f.Set("outcome", e.Outcome)
	f.Set("awarded_to", e.AwardedTo)
	f.Set("reason", e.Reason)
	return f
}

// explorationGroups are the prefixes of each form's fields on the page.
var explorationGroups = map[string][]string{
	"kriterien":    {"crit_"},
	"fragebogen":   {"q_", "deadline", "providers"},
	"bewertung":    {"score_", "comment_", "exclude_", "reason_"},
	"abschliessen": {"outcome", "awarded_to", "reason"},
}

func (s *Server) explorationView(r *http.Request, e exploration.Exploration, a exploration.Actor) (ExplorationView, url.Values, error) {
	snap, err := e.Frozen()
	if err != nil {
		return ExplorationView{}, nil, err
	}
	answers, err := s.Explorations.Answers(r.Context(), a, e)
	if err != nil {
		return ExplorationView{}, nil, err
	}
	v := ExplorationView{E: e, Snapshot: snap, SnapshotOK: e.VerifySnapshot(), Ranking: e.Ranking(snap), Answers: answers,
		Providers: snap.Providers(), CanEdit: exploration.Can(a, exploration.ActEdit, e) && e.State != exploration.Closed,
		Scorable: e.Scorable(s.Explorations.Now(), len(answers)), Types: exploration.AnswerTypes, Outcomes: exploration.Outcomes}
	answered := map[string]bool{}
	for _, an := range answers {
		answered[an.Org.ID] = true
	}
	var asked, missing []string
	for _, p := range v.Providers {
		if e.Asked(p.ID) {
			asked = append(asked, p.Name)
			if !answered[p.ID] {
				missing = append(missing, p.Name)
			}
		}
	}
	v.Asked, v.Missing = strings.Join(asked, ", "), strings.Join(missing, ", ")
	note, err := s.Explorations.Draft(r.Context(), a, e, langOf(r))
	if err != nil {
		return v, nil, err
	}
	v.NoteParas = strings.Split(note, "\n\n")
	if e.Deadline != nil {
		v.Deadline = exploration.FormatTime(langOf(r), *e.Deadline)
	}
	form := explorationForm(e, snap)
	for i := range min(max(len(e.Criteria)+3, 5), exploration.MaxCriteria) {
		v.CriteriaRows = append(v.CriteriaRows, i)
	}
	for i := range min(max(len(e.Questions)+3, 5), exploration.MaxQuestions) {
		v.QuestionRows = append(v.QuestionRows, i)
	}
	return v, form, nil
}

func (s *Server) renderExploration(w http.ResponseWriter, r *http.Request, status int, v ExplorationView, form url.Values, fields map[string]string) error {
	v.WeightSum = 0
	for _, i := range v.CriteriaRows {
		n, _ := strconv.Atoi(strings.TrimSpace(form.Get("crit_weight_" + strconv.Itoa(i))))
		v.WeightSum += n
	}
	chosen := len(form["providers"])
	if v.E.State != exploration.Draft {
		chosen = len(v.E.Providers)
	}
	v.Fewer = chosen < exploration.MinProviders
	return s.renderFormPage(w, r, status, "exploration", v.E.Title, s.explorationCrumbs(r, web.Crumb{Label: v.E.Title}), form, fields, v)
}

func (s *Server) handleExplorationView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := s.doneParam(r, p, explorationNotices)
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	e, err := s.Explorations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if !exploration.Can(a, exploration.ActView, e) { // a provider asked: their questionnaire
		http.Redirect(w, r, "/markterkundungen/"+e.ID+"/antwort", http.StatusSeeOther)
		return nil
	}
	v, form, err := s.explorationView(r, e, a)
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderExploration(w, r, http.StatusOK, v, form, nil)
}

// explorationStep runs one of the buyer's forms on the page; a failure
// shows the page again with the posted values of that form and the
// messages.
func (s *Server) explorationStep(group string, run func(r *http.Request, a exploration.Actor, id string, lock int) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.readForm(r); err != nil {
			return err
		}
		a, err := s.explorationActor(r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		lock := lockOf(r)
		err = run(r, a, id, lock)
		if err == nil {
			done := map[string]string{"kriterien": "kriterien", "fragebogen": "fragebogen", "senden": "versandt", "bewertung": "bewertet", "abschliessen": "abgeschlossen"}[group]
			http.Redirect(w, r, "/markterkundungen/"+id+"?erledigt="+done, http.StatusSeeOther)
			return nil
		}
		fields, alert, stop := s.pageFormError(r, err)
		if stop != nil {
			return stop
		}
		e, gerr := s.Explorations.Get(r.Context(), a, id)
		if gerr != nil {
			return gerr
		}
		v, form, verr := s.explorationView(r, e, a)
		if verr != nil {
			return verr
		}
		for k := range form {
			for _, prefix := range explorationGroups[group] {
				if strings.HasPrefix(k, prefix) {
					delete(form, k)
				}
			}
		}
		for k, vals := range r.PostForm {
			if k != "csrf_token" && k != "lock" {
				form[k] = vals
			}
		}
		v.Alert = alert
		return s.renderExploration(w, r, statusOf[apperr.CodeOf(err)], v, form, fields)
	}
}

func (s *Server) handleExplorationCriteria(r *http.Request, a exploration.Actor, id string, lock int) error {
	var cs []exploration.Criterion
	for i := range exploration.MaxCriteria + 5 {
		k := strconv.Itoa(i)
		name, weight := r.PostForm.Get("crit_name_"+k), strings.TrimSpace(r.PostForm.Get("crit_weight_"+k))
		if _, ok := r.PostForm["crit_name_"+k]; !ok {
			break
		}
		w, err := strconv.Atoi(weight)
		if err != nil && weight != "" {
			w = -1 // unreadable: out of range
		}
		cs = append(cs, exploration.Criterion{Name: name, Weight: w, Exclusion: r.PostForm.Get("crit_excl_"+k) == "1"})
	}
	_, err := s.Explorations.SetCriteria(r.Context(), a, id, lock, cs, s.meta(r))
	return err
}

// providerIDs maps provider slugs to the ids of the candidates' providers;
// unknown slugs pass through and fail the service's check.
func providerIDs(snap exploration.Snapshot, slugs []string) []string {
	var out []string
	for _, slug := range slugs {
		id := slug
		for _, p := range snap.Providers() {
			if p.Slug == slug {
				id = p.ID
			}
		}
		out = append(out, id)
	}
	return out
}

// parseDeadline reads a deadline: RFC 3339, or a local date-time in
// Europe/Berlin as <input type="datetime-local"> sends it.
func parseDeadline(s string, in *exploration.RFI) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		in.Deadline = &t
		return
	}
	for _, layout := range []string{deadlineLayout, "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, exploration.Berlin); err == nil {
			in.Deadline = &t
			return
		}
	}
	in.Unreadable = append(in.Unreadable, "deadline")
}

func (s *Server) handleExplorationRFI(r *http.Request, a exploration.Actor, id string, lock int) error {
	e, err := s.Explorations.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	snap, err := e.Frozen()
	if err != nil {
		return err
	}
	in := exploration.RFI{Providers: providerIDs(snap, r.PostForm["providers"])}
	for i := range exploration.MaxQuestions + 5 {
		k := strconv.Itoa(i)
		if _, ok := r.PostForm["q_text_"+k]; !ok {
			break
		}
		in.Questions = append(in.Questions, exploration.Question{Text: r.PostForm.Get("q_text_" + k), Type: r.PostForm.Get("q_type_" + k)})
	}
	parseDeadline(r.PostForm.Get("deadline"), &in)
	_, err = s.Explorations.SetRFI(r.Context(), a, id, lock, in, s.meta(r))
	return err
}

func (s *Server) handleExplorationSend(r *http.Request, a exploration.Actor, id string, lock int) error {
	_, err := s.Explorations.Send(r.Context(), a, id, lock, s.meta(r))
	return err
}

func (s *Server) handleExplorationScores(r *http.Request, a exploration.Actor, id string, lock int) error {
	e, err := s.Explorations.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	snap, err := e.Frozen()
	if err != nil {
		return err
	}
	var scores []exploration.Score
	for _, c := range snap.Candidates {
		sc := exploration.Score{Solution: c.Solution, Comment: r.PostForm.Get("comment_" + c.Solution), Excluded: r.PostForm.Get("exclude_"+c.Solution) == "1",
			Reason: r.PostForm.Get("reason_" + c.Solution), Values: []int{}}
		empty := true
		for i := range e.Criteria {
			raw := strings.TrimSpace(r.PostForm.Get("score_" + c.Solution + "_" + strconv.Itoa(i)))
			if raw != "" {
				empty = false
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				n = -1 // unreadable or missing: out of range
			}
			sc.Values = append(sc.Values, n)
		}
		if empty {
			if !sc.Excluded && strings.TrimSpace(sc.Comment) == "" {
				continue // not scored yet
			}
			if sc.Excluded {
				sc.Values = []int{}
			}
		}
		scores = append(scores, sc)
	}
	_, err = s.Explorations.SetScores(r.Context(), a, id, lock, scores, s.meta(r))
	return err
}

func (s *Server) handleExplorationClose(r *http.Request, a exploration.Actor, id string, lock int) error {
	c := exploration.Closing{Outcome: r.PostForm.Get("outcome"), AwardedTo: r.PostForm.Get("awarded_to"), Reason: r.PostForm.Get("reason")}
	_, err := s.Explorations.Close(r.Context(), a, id, lock, c, s.meta(r))
	return err
}

// handleExplorationReport serves a report file and records its hash.
func (s *Server) handleExplorationReport(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "format")
	format := p.str("format")
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	f, err := s.Explorations.Report(r.Context(), a, r.PathValue("id"), format, langOf(r), s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, f.Name))
	w.Header().Set("X-Content-SHA256", f.SHA256)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(f.Body)
	return nil
}

// newExplorations builds the explorations' service; needs, search and
// notifications are left out when the server has none (an interface
// holding a nil pointer would not be nil).
func (s *Server) newExplorations(d Deps) *exploration.Service {
	var (
		needs  exploration.Needs
		search exploration.Searcher
		notes  exploration.Notifier
	)
	if s.Needs != nil {
		needs = s.Needs
	}
	if d.Search != nil {
		search = d.Search
	}
	if s.Notify != nil {
		notes = s.Notify
	}
	svc := exploration.NewService(d.DB, needs, search, notes, d.Bundle)
	if d.Log != nil {
		svc.Log = d.Log
	}
	return svc
}
