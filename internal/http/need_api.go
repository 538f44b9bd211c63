package http

// This file: the JSON API of needs (/api/v1/needs), their matches and
// joining.

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/region"
)

// needsOn answers 404 when needs are switched off (no search service).
func (s *Server) needsOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Needs == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

type apiNeedOrg struct {
	Slug       string      `json:"slug"`
	Name       string      `json:"name"`
	Kind       string      `json:"kind"`
	Population int64       `json:"population"`
	Band       region.Band `json:"size_band,omitempty"`
}

func apiNeedOrgOf(o need.OrgRef) apiNeedOrg {
	a := apiNeedOrg{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Population: o.Population}
	if o.Population > 0 {
		a.Band = region.BandOf(o.Population)
	}
	return a
}

type apiNeed struct {
	Slug         string             `json:"slug"`
	Title        string             `json:"title"`
	Problem      string             `json:"problem"`
	Field        string             `json:"field"`
	Organisation apiNeedOrg         `json:"organisation"`
	Requirements []need.Requirement `json:"requirements"`
	Delivery     []string           `json:"delivery"`
	Hosting      string             `json:"hosting"`
	Evidence     []string           `json:"evidence"`
	BudgetMin    *int64             `json:"budget_min"`
	BudgetMax    *int64             `json:"budget_max"`
	Start        *string            `json:"start"`
	End          *string            `json:"end"`
	Inhabitants  int64              `json:"inhabitants"`
	Users        int64              `json:"users"`
	Visibility   need.Visibility    `json:"visibility"`
	State        need.State         `json:"state"`
	Lock         int                `json:"lock"`
	Joined       []apiNeedOrg       `json:"joined"`
	Pooled       int64              `json:"pooled_inhabitants"`
	URL          string             `json:"url"`
}

func dateString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

func (s *Server) apiNeedOf(n need.Need) apiNeed {
	a := apiNeed{Slug: n.Slug, Title: n.Title, Problem: n.Problem, Field: n.Field, Organisation: apiNeedOrgOf(n.Org),
		Requirements: n.Reqs, Delivery: n.Delivery, Hosting: n.Hosting, Evidence: n.Evidence, BudgetMin: n.BudgetMin, BudgetMax: n.BudgetMax,
		Start: dateString(n.Start), End: dateString(n.End), Inhabitants: n.Inhabitants, Users: n.Users, Visibility: n.Visibility,
		State: n.State, Lock: n.Lock, Joined: []apiNeedOrg{}, Pooled: n.Pooled(), URL: s.Config.BaseURL + "/bedarfe/" + n.Slug}
	for _, j := range n.Joined {
		a.Joined = append(a.Joined, apiNeedOrgOf(j.Org))
	}
	for _, l := range []*[]string{&a.Delivery, &a.Evidence} {
		if *l == nil {
			*l = []string{}
		}
	}
	if a.Requirements == nil {
		a.Requirements = []need.Requirement{}
	}
	return a
}

// apiNeedInput is the body of POST and PUT /api/v1/needs.
type apiNeedInput struct {
	Organisation string             `json:"organisation"` // slug; on creation only
	Title        string             `json:"title"`
	Problem      string             `json:"problem"`
	Field        string             `json:"field"`
	Requirements []need.Requirement `json:"requirements"`
	Delivery     []string           `json:"delivery"`
	Hosting      string             `json:"hosting"`
	Evidence     []string           `json:"evidence"`
	BudgetMin    *int64             `json:"budget_min"`
	BudgetMax    *int64             `json:"budget_max"`
	Start        string             `json:"start"` // YYYY-MM-DD
	End          string             `json:"end"`
	Inhabitants  int64              `json:"inhabitants"`
	Users        int64              `json:"users"`
	Visibility   need.Visibility    `json:"visibility"`
	Publish      bool               `json:"publish"`
}

// parseDates reads the timeline's dates; unreadable ones become
// field messages of the service's validation.
func parseDates(start, end string, in *need.Input) {
	for _, d := range []struct {
		field, s string
		dst      **time.Time
	}{{"start", start, &in.Start}, {"end", end, &in.End}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.s)
		if err != nil {
			in.Unreadable = append(in.Unreadable, d.field)
			continue
		}
		*d.dst = &t
	}
}

func (a apiNeedInput) input() need.Input {
	in := need.Input{Title: a.Title, Problem: a.Problem, Field: a.Field, Reqs: a.Requirements, Delivery: a.Delivery, Hosting: a.Hosting,
		Evidence: a.Evidence, BudgetMin: a.BudgetMin, BudgetMax: a.BudgetMax, Inhabitants: a.Inhabitants, Users: a.Users,
		Visibility: a.Visibility, Publish: a.Publish}
	parseDates(a.Start, a.End, &in)
	return in
}

// renameNeedFields gives the API's names to the domain's field names.
func renameNeedFields(err error) error {
	if e, ok := err.(*apperr.Error); ok {
		for i, f := range e.Fields {
			if f.Field == "org" {
				e.Fields[i].Field = "organisation"
			}
		}
	}
	return err
}

func (s *Server) needActor(r *http.Request) (need.Actor, error) {
	return s.Needs.Actor(r.Context(), optionalUser(r))
}

func (s *Server) handleAPINeedList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "field", "state", "limit", "cursor")
	q := need.Query{Field: p.str("field"), State: need.State(p.str("state")), Limit: p.int("limit", need.DefaultLimit, 1, need.MaxLimit),
		After: p.str("cursor")}
	if err := p.Err(); err != nil {
		return err
	}
	if q.State != "" && q.State != need.Draft && q.State != need.Open && q.State != need.Closed {
		var v apperr.Validation
		v.Add("state", "need.error.state")
		return v.Err()
	}
	if q.After != "" && uuid.Validate(q.After) != nil {
		var v apperr.Validation
		v.Add("cursor", "error.param.cursor")
		return v.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	page, err := s.Needs.List(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := list[apiNeed]{Items: []apiNeed{}, Total: page.Total, Next: page.Next}
	for _, n := range page.Items {
		out.Items = append(out.Items, s.apiNeedOf(n))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPINeedView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	n, err := s.Needs.Get(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiNeedOf(n))
	return nil
}

func (s *Server) handleAPINeedCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body apiNeedInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	n, err := s.Needs.Create(r.Context(), a, body.Organisation, body.input(), s.meta(r))
	if err != nil {
		return renameNeedFields(err)
	}
	w.Header().Set("Location", "/api/v1/needs/"+n.Slug)
	writeJSON(w, http.StatusCreated, "application/json", s.apiNeedOf(n))
	return nil
}

func (s *Server) handleAPINeedUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Lock *int `json:"lock"`
		apiNeedInput
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	n, err := s.Needs.Update(r.Context(), a, r.PathValue("slug"), *body.Lock, body.input(), s.meta(r))
	if err != nil {
		return renameNeedFields(err)
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiNeedOf(n))
	return nil
}

type apiOutcome struct {
	need.Requirement
	Derived bool        `json:"derived"`
	Status  need.Status `json:"status"`
	Basis   string      `json:"basis"`
	Keyword string      `json:"keyword,omitempty"`
}

type apiMatch struct {
	Solution     apiMatchSolution `json:"solution"`
	Qualified    bool             `json:"qualified"`
	Score        int              `json:"score"`
	UnknownMusts int              `json:"unknown_musts"`
	Users        int              `json:"verified_users"`
	Peers        int              `json:"peers_same_size"`
	Requirements []apiOutcome     `json:"requirements"`
}

type apiMatchSolution struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

func (s *Server) apiMatchOf(m need.Match) apiMatch {
	a := apiMatch{Solution: apiMatchSolution{Slug: m.Solution.Slug, Name: m.Solution.Published.Entry.Name,
		URL: s.Config.BaseURL + "/loesungen/" + m.Solution.Slug}, Qualified: m.Qualified, Score: m.Score, UnknownMusts: m.Unknown,
		Users: m.Users, Peers: m.Peers, Requirements: []apiOutcome{}}
	for _, o := range m.Outcomes {
		a.Requirements = append(a.Requirements, apiOutcome{Requirement: o.Req, Derived: o.Derived, Status: o.Status, Basis: o.Basis, Keyword: o.Keyword})
	}
	return a
}

func (s *Server) handleAPINeedMatches(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "limit")
	limit := p.int("limit", 20, 1, need.MaxCandidates)
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	n, err := s.Needs.Get(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	ms, err := s.Needs.Matches(r.Context(), n, limit)
	if err != nil {
		return err
	}
	out := list[apiMatch]{Items: []apiMatch{}, Total: len(ms)}
	for _, m := range ms {
		out.Items = append(out.Items, s.apiMatchOf(m))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPINeedJoin(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r)
	if r.Method == http.MethodDelete {
		p = readParams(r, "organisation")
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.needActor(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if r.Method == http.MethodDelete {
		err = s.Needs.Leave(r.Context(), a, slug, p.str("organisation"), s.meta(r))
	} else {
		var body struct {
			Organisation string `json:"organisation"`
		}
		if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
			return err
		}
		err = s.Needs.Join(r.Context(), a, slug, body.Organisation, s.meta(r))
	}
	if err != nil {
		return err
	}
	n, err := s.Needs.Get(r.Context(), a, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiNeedOf(n))
	return nil
}
