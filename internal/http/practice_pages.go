package http

// This file: the pages of practice examples (/praxisbeispiele): the list
// with filters, an example with the examples of similar municipalities,
// and the curators' queue (/kuratierung/praxisbeispiele). Writing is in
// practice_form.go; the service decides who may (practice.Can).

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// practiceOn guards the practice routes: without the service they are not there.
func (s *Server) practiceOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Practice == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// practiceVersion joins data's version with that of the published
// examples: the cached municipality pages list them.
func (s *Server) practiceVersion(data func(context.Context) (string, error)) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		v, err := data(ctx)
		if err != nil || s.Practice == nil {
			return v, err
		}
		pv, err := s.Practice.Version(ctx)
		if err != nil {
			return "", err
		}
		return v + "\x00" + pv, nil
	}
}

func (s *Server) practiceActor(r *http.Request) (practice.Actor, error) {
	return s.Practice.Actor(r.Context(), optionalUser(r))
}

func (s *Server) practiceCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "practice.title"), Href: "/praxisbeispiele"}}, trail...)
}

// PracticeListView is the Data of the "practice_list" page.
type PracticeListView struct {
	Examples      []practice.Example
	Total         int
	Field         string
	Band          string
	Urbanisation  string
	State         string
	Fields        []catalog.Field
	Labels        map[string]string // fields of action by key
	Bands         []region.Band
	Urbanisations []region.Urbanisation
	States        []practice.State // offered to those who see unpublished examples
	Prev, Next    string
	CanCreate     bool
	Curator       bool
}

// practiceFilter reads the list's filters (the page and the API share
// their checks); names are those of the query.
func practiceFilter(p *params, field, band, urb, state string) practice.Query {
	q := practice.Query{Field: p.str(field), Band: region.Band(p.str(band)), State: practice.State(p.str(state))}
	if q.Band != "" && !q.Band.Valid() {
		p.Add(band, "error.param.value", "Name", band)
	}
	if u := p.str(urb); u != "" {
		d, ok := region.UrbanisationBySlug(u)
		if !ok {
			p.Add(urb, "error.param.value", "Name", urb)
		}
		q.Urbanisation = &d
	}
	if q.State != "" && !q.State.Valid() {
		p.Add(state, "error.param.value", "Name", state)
	}
	return q
}

func (s *Server) handlePracticeList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "feld", "groesse", "raum", "status", "seite")
	q := practiceFilter(p, "feld", "groesse", "raum", "status")
	page := p.int("seite", 1, 1, 10000)
	if q.Field != "" && !s.fieldKnown(r, q.Field) {
		p.Add("feld", "error.param.value", "Name", "feld")
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	q.Limit, q.Offset = practice.DefaultLimit, (page-1)*practice.DefaultLimit
	list, err := s.Practice.List(r.Context(), a, q)
	if err != nil {
		return err
	}
	v := PracticeListView{Examples: list.Items, Total: list.Total, Field: q.Field, Band: string(q.Band), State: string(q.State),
		Bands: region.Bands, Urbanisations: region.Urbanisations, CanCreate: len(a.PublicBodies()) > 0, Curator: a.Curator()}
	if q.Urbanisation != nil {
		v.Urbanisation = q.Urbanisation.Slug()
	}
	if len(a.Orgs) > 0 || a.Curator() {
		v.States = practice.States
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v.Fields, v.Labels = tree, fieldLabels(tree, langOf(r))
	link := func(n int) string {
		u := url.Values{}
		for k, val := range map[string]string{"feld": v.Field, "groesse": v.Band, "raum": v.Urbanisation, "status": v.State} {
			if val != "" {
				u.Set(k, val)
			}
		}
		if n > 1 {
			u.Set("seite", strconv.Itoa(n))
		}
		if len(u) == 0 {
			return "/praxisbeispiele"
		}
		return "/praxisbeispiele?" + u.Encode()
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	if list.Next > 0 {
		v.Next = link(page + 1)
	}
	pg := s.page(r, s.t(r, "practice.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "practice.title")}}
	pg.Data = v
	return s.render(w, r, "practice_list", pg)
}

// PracticeView is the Data of the "practice" page.
type PracticeView struct {
	Example   practice.Example
	Shown     practice.Content // the working version for those who work on it, else the published one
	Solutions []practice.SolutionRef
	Labels    map[string]string
	Similar   []practice.Example
	CanWork   bool // sees the working version and its state
	CanEdit   bool
	CanSubmit bool
	CanRetire bool // withdraw from review
	CanReview bool
	FourEyes  bool // a curator who wrote it: another must review
	CanArch   bool
	Notice    string
	Form      string // the form a failed action came from
}

var practiceNotices = map[string]string{"angelegt": "practice.done.created", "gespeichert": "practice.done.saved",
	"eingereicht": "practice.done.submitted", "zurueckgezogen": "practice.done.withdrawn", "veroeffentlicht": "practice.done.published",
	"zurueck": "practice.done.returned", "archiviert": "practice.done.archived"}

func (s *Server) practiceView(r *http.Request, slug string) (PracticeView, error) {
	a, err := s.practiceActor(r)
	if err != nil {
		return PracticeView{}, err
	}
	e, err := s.Practice.Get(r.Context(), a, slug)
	if err != nil {
		return PracticeView{}, err
	}
	v := PracticeView{Example: e, Shown: e.Shown(), CanWork: practice.Can(a, practice.ActWork, e)}
	if v.CanWork {
		v.Shown = e.Working
	}
	v.CanEdit = practice.Can(a, practice.ActEdit, e) && e.State != practice.Submitted
	v.CanSubmit = practice.Can(a, practice.ActEdit, e) && (e.State == practice.Draft || e.State == practice.ChangesRequested)
	v.CanRetire = practice.Can(a, practice.ActEdit, e) && e.State == practice.Submitted
	v.CanReview = practice.Can(a, practice.ActReview, e)
	v.FourEyes = a.Curator() && e.State == practice.Submitted && !v.CanReview
	v.CanArch = practice.Can(a, practice.ActArchive, e)
	if v.Solutions, err = s.Practice.Solutions(r.Context(), v.Shown.Solutions); err != nil {
		return v, err
	}
	tree, err := s.Fields.All(r.Context())
	if err != nil {
		return v, err
	}
	v.Labels = fieldLabels(tree, langOf(r))
	if v.Similar, err = s.Practice.Similar(r.Context(), e.Band, e.Urbanisation, e.ID, e.Org.RegionKey); err != nil {
		return v, err
	}
	return v, nil
}

func (s *Server) renderPractice(w http.ResponseWriter, r *http.Request, status int, v PracticeView, form url.Values, fields map[string]string) error {
	pg := s.page(r, v.Shown.Title)
	if optionalUser(r) != nil {
		pg.CSRFToken = s.csrfToken(w, r)
	}
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.practiceCrumbs(r, web.Crumb{Label: v.Shown.Title})
	pg.Data = v
	s.renderStatus(w, r, status, "practice", pg)
	return nil
}

func (s *Server) handlePracticeView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := practiceNotices[n]; ok {
			notice = key
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.practiceView(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderPractice(w, r, http.StatusOK, v, nil, nil)
}

// practiceRetry shows the example again with the message of a failed
// action next to its form.
func (s *Server) practiceRetry(w http.ResponseWriter, r *http.Request, formName string, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.NotFound) {
		return err
	}
	v, verr := s.practiceView(r, r.PathValue("slug"))
	if verr != nil {
		return verr
	}
	v.Form = formName
	if alert != "" {
		fields = map[string]string{formName: alert}
	}
	return s.renderPractice(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

// practiceStep runs one state change of the example in the path and
// shows it again with the notice done.
func (s *Server) practiceStep(w http.ResponseWriter, r *http.Request, formName, done string,
	step func(practice.Actor, string) error) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := step(a, slug); err != nil {
		return s.practiceRetry(w, r, formName, err)
	}
	s.cache.forget() // municipality pages list published examples
	http.Redirect(w, r, "/praxisbeispiele/"+slug+"?erledigt="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) handlePracticeSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.practiceStep(w, r, "submit", "eingereicht", func(a practice.Actor, slug string) error {
		_, err := s.Practice.Submit(r.Context(), a, slug, s.meta(r))
		return err
	})
}

func (s *Server) handlePracticeWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.practiceStep(w, r, "submit", "zurueckgezogen", func(a practice.Actor, slug string) error {
		_, err := s.Practice.Withdraw(r.Context(), a, slug, s.meta(r))
		return err
	})
}

func (s *Server) handlePracticeArchive(w http.ResponseWriter, r *http.Request) error {
	return s.practiceStep(w, r, "archive", "archiviert", func(a practice.Actor, slug string) error {
		return s.Practice.Archive(r.Context(), a, slug, s.meta(r))
	})
}

func (s *Server) handlePracticeReview(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	var publish bool
	switch r.PostForm.Get("decision") {
	case "publish":
		publish = true
	case "changes":
	default:
		var v apperr.Validation
		v.Add("decision", "practice.error.decision")
		return s.practiceRetry(w, r, "review", v.Err())
	}
	done := "zurueck"
	if publish {
		done = "veroeffentlicht"
	}
	return s.practiceStep(w, r, "review", done, func(a practice.Actor, slug string) error {
		_, err := s.Practice.Review(r.Context(), a, slug, publish, r.PostForm.Get("comment"), s.meta(r))
		return err
	})
}

// PracticeQueueView is the Data of the "practice_queue" page.
type PracticeQueueView struct {
	Examples []practice.Example
	Self     string // the curator's user id (four-eyes)
}

func (s *Server) handlePracticeQueue(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	list, err := s.Practice.InWork(r.Context(), a)
	if err != nil {
		return err
	}
	pg := s.page(r, s.t(r, "practice.queue.title"))
	pg.Breadcrumbs = s.practiceCrumbs(r, web.Crumb{Label: s.t(r, "practice.queue.title")})
	pg.Data = PracticeQueueView{Examples: list, Self: a.User.ID}
	return s.render(w, r, "practice_queue", pg)
}

// PracticeSection is what the solution and municipality pages show of
// practice examples.
type PracticeSection struct {
	Own     []practice.Example // the municipality's or the solution's examples
	Similar []practice.Example // of municipalities of the same size and urbanisation
	Name    string             // the municipality's name
}

// practiceForSolution returns the published examples that used a solution.
func (s *Server) practiceForSolution(ctx context.Context, slug string) ([]practice.Example, error) {
	if s.Practice == nil {
		return nil, nil
	}
	return s.Practice.ForSolution(ctx, slug)
}

// practiceForMunicipality returns the municipality's published examples
// and those of similar municipalities.
func (s *Server) practiceForMunicipality(ctx context.Context, m region.Municipality) (PracticeSection, error) {
	sec := PracticeSection{Name: m.Name}
	if s.Practice == nil {
		return sec, nil
	}
	var err error
	if sec.Own, err = s.Practice.ForRegion(ctx, m.AGS); err != nil {
		return sec, err
	}
	if m.Population > 0 {
		sec.Similar, err = s.Practice.Similar(ctx, region.BandOf(m.Population), m.Urbanisation, "", m.AGS)
	}
	return sec, err
}
