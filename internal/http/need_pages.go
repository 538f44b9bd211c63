package http

// This file: the pages of needs (/bedarfe): list, view with the matches,
// form, joining and closing.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/web"
)

// NeedListView is the Data of the "needs" page.
type NeedListView struct {
	Needs     []need.Need
	Field     string
	State     string
	Fields    []catalog.Field
	States    []need.State
	Next      string // query of the next page, "" on the last
	CanCreate bool
}

func (s *Server) needCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "need.title"), Href: "/bedarfe"}}, trail...)
}

func (s *Server) handleNeedList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "handlungsfeld", "status", "nach")
	q := need.Query{Field: p.str("handlungsfeld"), State: need.State(p.str("status")), After: p.str("nach"), Limit: need.DefaultLimit}
	if q.State != "" && q.State != need.Draft && q.State != need.Open && q.State != need.Closed {
		p.Add("status", "error.param.value", "Name", "status")
	}
	if q.After != "" && uuid.Validate(q.After) != nil {
		p.Add("nach", "error.param.cursor")
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	page, err := s.Needs.List(r.Context(), a, q)
	if err != nil {
		return err
	}
	fields, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v := NeedListView{Needs: page.Items, Field: q.Field, State: string(q.State), Fields: fields, States: need.States,
		CanCreate: len(a.PublicBodies()) > 0}
	if page.Next != "" {
		next := url.Values{"nach": {page.Next}}
		if q.Field != "" {
			next.Set("handlungsfeld", q.Field)
		}
		if q.State != "" {
			next.Set("status", string(q.State))
		}
		v.Next = next.Encode()
	}
	pg := s.page(r, s.t(r, "need.title"))
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "need.title")}}
	pg.Data = v
	return s.render(w, r, "needs", pg)
}

// NeedView is the Data of the "need" page.
type NeedView struct {
	Need      need.Need
	FieldName string
	Band      region.Band
	CanEdit   bool
	Joinable  []org.Membership // the viewer's bodies that may join
	Leavable  []org.Membership // the viewer's bodies that joined
	Matches   []need.Match
	Compare   string // query of the comparison of the top four
	Notice    string
	Alert     string
	SignedIn  bool
	Offers    OfferLinks // offers and questions (offer_pages.go)
}

var needNotices = map[string]string{"angelegt": "need.done.created", "gespeichert": "need.done.saved", "beigetreten": "need.done.joined",
	"ausgetreten": "need.done.left", "geschlossen": "need.done.closed"}

// fieldLabel returns the label of a field of action, or its key.
func (s *Server) fieldLabel(r *http.Request, key string) string {
	all, err := s.Fields.All(r.Context())
	if err != nil {
		return key
	}
	for _, f := range all {
		if f.Key == key {
			return f.Label(langOf(r))
		}
		for _, c := range f.Children {
			if c.Key == key {
				return c.Label(langOf(r))
			}
		}
	}
	return key
}

func (s *Server) needView(r *http.Request, slug string) (NeedView, error) {
	a, err := s.needActor(r)
	if err != nil {
		return NeedView{}, err
	}
	n, err := s.Needs.Get(r.Context(), a, slug)
	if err != nil {
		return NeedView{}, err
	}
	v := NeedView{Need: n, FieldName: s.fieldLabel(r, n.Field), Band: need.Band(n), CanEdit: need.Can(a, need.ActEdit, n) && n.State != need.Closed,
		Joinable: []org.Membership{}, SignedIn: a.User != nil}
	for _, m := range need.Joinable(a, n) {
		if !n.HasJoined(m.OrgID) {
			v.Joinable = append(v.Joinable, m)
		}
	}
	for _, m := range a.PublicBodies() {
		if n.HasJoined(m.OrgID) {
			v.Leavable = append(v.Leavable, m)
		}
	}
	if v.Offers, err = s.offerLinks(r, a, n); err != nil {
		return v, err
	}
	v.Matches, err = s.Needs.Matches(r.Context(), n, 20)
	if err != nil {
		return v, err
	}
	var top []string
	for i, m := range v.Matches {
		if i == 4 || !m.Qualified {
			break
		}
		top = append(top, m.Solution.Slug)
	}
	if len(top) >= 2 {
		v.Compare = url.Values{"l": top}.Encode()
	}
	return v, nil
}

func (s *Server) renderNeed(w http.ResponseWriter, r *http.Request, status int, v NeedView) error {
	pg := s.page(r, v.Need.Title)
	if v.SignedIn {
		pg.CSRFToken = s.csrfToken(w, r)
	}
	pg.Breadcrumbs = s.needCrumbs(r, web.Crumb{Label: v.Need.Title})
	pg.Data = v
	s.renderStatus(w, r, status, "need", pg)
	return nil
}

func (s *Server) handleNeedView(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := needNotices[n]; ok {
			notice = s.t(r, key)
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.needView(r, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderNeed(w, r, http.StatusOK, v)
}

// needRetry shows the need again with the message of a failed action.
func (s *Server) needRetry(w http.ResponseWriter, r *http.Request, slug string, err error) error {
	_, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) && alert == "" {
		return err
	}
	v, verr := s.needView(r, slug)
	if verr != nil {
		return verr
	}
	v.Alert = alert
	return s.renderNeed(w, r, statusOf[apperr.CodeOf(err)], v)
}

func (s *Server) handleNeedJoin(w http.ResponseWriter, r *http.Request) error {
	return s.needMembership(w, r, true)
}

func (s *Server) handleNeedLeave(w http.ResponseWriter, r *http.Request) error {
	return s.needMembership(w, r, false)
}

func (s *Server) needMembership(w http.ResponseWriter, r *http.Request, join bool) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug, orgSlug := r.PathValue("slug"), r.PostForm.Get("org")
	done := "beigetreten"
	if join {
		err = s.Needs.Join(r.Context(), a, slug, orgSlug, s.meta(r))
	} else {
		err, done = s.Needs.Leave(r.Context(), a, slug, orgSlug, s.meta(r)), "ausgetreten"
	}
	if err != nil {
		return s.needRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"?erledigt="+done+"#beteiligte", http.StatusSeeOther)
	return nil
}

func (s *Server) handleNeedClose(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	lock := lockOf(r)
	if err := s.Needs.Close(r.Context(), a, slug, lock, s.meta(r)); err != nil {
		return s.needRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/bedarfe/"+slug+"?erledigt=geschlossen", http.StatusSeeOther)
	return nil
}

// NeedFormView is the Data of the "need_form" page.
type NeedFormView struct {
	Need       *need.Need // nil when creating
	Orgs       []org.Membership
	Fields     []catalog.Field
	Attributes []need.Requirement // the structured checks offered
	Rows       []int              // indexes of the requirement rows
	Delivery   []string
	Evidence   []string
	Hostings   []string
	Visibility []need.Visibility
	Kinds      []need.Kind
	Chosen     map[string]bool // chosen delivery models and evidence kinds, as "delivery:saas"
	Alert      string
}

// needForm writes a need into form values.
func needForm(n need.Need) url.Values {
	f := url.Values{"title": {n.Title}, "problem": {n.Problem}, "field": {n.Field}, "hosting": {n.Hosting}, "delivery": n.Delivery,
		"evidence": n.Evidence, "visibility": {string(n.Visibility)}, "lock": {strconv.Itoa(n.Lock)}, "org": {n.Org.Slug}}
	num := func(name string, v int64) {
		if v != 0 {
			f.Set(name, strconv.FormatInt(v, 10))
		}
	}
	if n.BudgetMin != nil {
		f.Set("budget_min", strconv.FormatInt(*n.BudgetMin, 10))
	}
	if n.BudgetMax != nil {
		f.Set("budget_max", strconv.FormatInt(*n.BudgetMax, 10))
	}
	num("inhabitants", n.Inhabitants)
	num("users", n.Users)
	if d := dateString(n.Start); d != nil {
		f.Set("start", *d)
	}
	if d := dateString(n.End); d != nil {
		f.Set("end", *d)
	}
	for i, q := range n.Reqs {
		k := strconv.Itoa(i)
		f.Set("req_text_"+k, q.Text)
		f.Set("req_kind_"+k, string(q.Kind))
		f.Set("req_attr_"+k, q.Attribute)
		if q.Weight > 0 {
			f.Set("req_weight_"+k, strconv.Itoa(q.Weight))
		}
	}
	f.Set("rows", strconv.Itoa(len(n.Reqs)))
	if n.State != need.Draft {
		f.Set("publish", "1")
	}
	return f
}

// needInput reads the need form; numbers and dates that cannot be read
// are reported by the service's validation.
func needInput(f url.Values) need.Input {
	in := need.Input{Title: f.Get("title"), Problem: f.Get("problem"), Field: f.Get("field"), Delivery: f["delivery"], Hosting: f.Get("hosting"),
		Evidence: f["evidence"], Visibility: need.Visibility(f.Get("visibility")), Publish: f.Get("publish") == "1"}
	amount := func(name string) *int64 {
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
	in.BudgetMin, in.BudgetMax = amount("budget_min"), amount("budget_max")
	if p := amount("inhabitants"); p != nil {
		in.Inhabitants = *p
	}
	if p := amount("users"); p != nil {
		in.Users = *p
	}
	parseDates(strings.TrimSpace(f.Get("start")), strings.TrimSpace(f.Get("end")), &in)
	rows := min(formRows(f), need.MaxRequirements+5)
	for i := range rows {
		k := strconv.Itoa(i)
		w, _ := strconv.Atoi(strings.TrimSpace(f.Get("req_weight_" + k)))
		in.Reqs = append(in.Reqs, need.Requirement{Text: f.Get("req_text_" + k), Kind: need.Kind(f.Get("req_kind_" + k)), Weight: w,
			Attribute: f.Get("req_attr_" + k)})
	}
	return in
}

// formRows is the number of requirement rows the form had.
func formRows(f url.Values) int {
	n, _ := strconv.Atoi(f.Get("rows"))
	return max(0, n)
}

func (s *Server) renderNeedForm(w http.ResponseWriter, r *http.Request, status int, v NeedFormView, form url.Values, fields map[string]string) error {
	all, err := s.Fields.All(r.Context())
	if err != nil {
		return err
	}
	v.Fields = all
	for _, a := range need.AttributeChoices() {
		v.Attributes = append(v.Attributes, need.Requirement{Attribute: a})
	}
	v.Delivery, v.Evidence, v.Hostings, v.Visibility = catalog.DeliveryModels, catalog.EvidenceKinds, need.Hostings, need.Visibilities
	v.Kinds = []need.Kind{need.Must, need.Should}
	// Rows: those filled in and five empty ones, at most MaxRequirements.
	filled := 0
	for i := range formRows(form) {
		k := strconv.Itoa(i)
		if strings.TrimSpace(form.Get("req_text_"+k)) != "" || form.Get("req_attr_"+k) != "" {
			filled = i + 1
		}
	}
	n := min(max(filled+5, 5), need.MaxRequirements)
	if form == nil {
		form = url.Values{}
	}
	for i := range n {
		v.Rows = append(v.Rows, i)
		if k := strconv.Itoa(i); form.Get("req_kind_"+k) == "" {
			form.Set("req_kind_"+k, string(need.Should))
		}
	}
	form.Set("rows", strconv.Itoa(n))
	v.Chosen = map[string]bool{}
	for _, d := range form["delivery"] {
		v.Chosen["delivery:"+d] = true
	}
	for _, e := range form["evidence"] {
		v.Chosen["evidence:"+e] = true
	}
	title := s.t(r, "need.new.title")
	trail := []web.Crumb{{Label: s.t(r, "need.new.short")}}
	if v.Need != nil {
		title = s.t(r, "need.edit.title", "Title", v.Need.Title)
		trail = []web.Crumb{{Label: v.Need.Title, Href: "/bedarfe/" + v.Need.Slug}, {Label: s.t(r, "need.edit.short")}}
	}
	return s.renderFormPage(w, r, status, "need_form", title, s.needCrumbs(r, trail...), form, fields, v)
}

func (s *Server) needFormRetry(w http.ResponseWriter, r *http.Request, v NeedFormView, err error) error {
	fields, alert, stop := s.pageFormError(r, err)
	if stop != nil {
		return stop
	}
	v.Alert = alert
	return s.renderNeedForm(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleNeedNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	// Without a verified public body the page explains who writes needs.
	bodies := a.PublicBodies()
	form := url.Values{"hosting": {"any"}, "visibility": {string(need.Public)}}
	if len(bodies) > 0 {
		form.Set("org", bodies[0].OrgSlug)
	}
	return s.renderNeedForm(w, r, http.StatusOK, NeedFormView{Orgs: bodies}, form, nil)
}

func (s *Server) handleNeedCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	v := NeedFormView{Orgs: a.PublicBodies()}
	n, err := s.Needs.Create(r.Context(), a, r.PostForm.Get("org"), needInput(r.PostForm), s.meta(r))
	if err != nil {
		return s.needFormRetry(w, r, v, err)
	}
	http.Redirect(w, r, "/bedarfe/"+n.Slug+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// editableNeed reads the need of the path for its editor.
func (s *Server) editableNeed(r *http.Request) (need.Actor, need.Need, error) {
	a, err := s.needActor(r)
	if err != nil {
		return a, need.Need{}, err
	}
	n, err := s.Needs.Get(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return a, n, err
	}
	if !need.Can(a, need.ActEdit, n) {
		return a, n, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return a, n, nil
}

func (s *Server) handleNeedEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	_, n, err := s.editableNeed(r)
	if err != nil {
		return err
	}
	return s.renderNeedForm(w, r, http.StatusOK, NeedFormView{Need: &n}, needForm(n), nil)
}

func (s *Server) handleNeedUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	a, n, err := s.editableNeed(r)
	if err != nil {
		return err
	}
	lock := lockOf(r)
	if _, err := s.Needs.Update(r.Context(), a, n.Slug, lock, needInput(r.PostForm), s.meta(r)); err != nil {
		return s.needFormRetry(w, r, NeedFormView{Need: &n}, err)
	}
	http.Redirect(w, r, "/bedarfe/"+n.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}
