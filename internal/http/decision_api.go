package http

// This file: the JSON API of the decision aid (/api/v1/decision-aids):
// a signed-in user's saved aids, each answered with its evaluation.

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/decision"
)

type apiDecisionCost struct {
	Line   string                `json:"line"`
	Cents  int64                 `json:"cents"`
	Source string                `json:"source"`
	Years  [decision.Years]int64 `json:"years"`
}

type apiDecisionReason struct {
	Rule string `json:"rule"`
	Text string `json:"text"`
}

type apiDecisionResult struct {
	Name   string                `json:"name"`
	Open   string                `json:"open_source"`
	Users  *int                  `json:"verified_users"`
	Costs  []apiDecisionCost     `json:"costs"`
	Years  [decision.Years]int64 `json:"years"`
	Total  int64                 `json:"total"`
	Lowest bool                  `json:"lowest"`
	Pros   []apiDecisionReason   `json:"pros"`
	Cons   []apiDecisionReason   `json:"cons"`
}

type apiDecisionAid struct {
	ID       string              `json:"id"`
	Title    string              `json:"title"`
	Answers  map[string]string   `json:"answers"`
	Options  []decision.Option   `json:"options"`
	Increase int                 `json:"increase_bp"`
	Result   []apiDecisionResult `json:"result"`
	Lock     int                 `json:"lock"`
	Created  time.Time           `json:"created"`
	Updated  time.Time           `json:"updated"`
	URL      string              `json:"url"`
}

func (s *Server) apiDecisionOf(r *http.Request, a decision.Aid, res decision.Result) apiDecisionAid {
	out := apiDecisionAid{ID: a.ID, Title: a.Title, Answers: a.Answers, Options: a.Options, Increase: a.Increase, Result: []apiDecisionResult{},
		Lock: a.Lock, Created: a.Created, Updated: a.Updated, URL: s.Config.BaseURL + "/entscheidungshilfe/" + a.ID}
	if out.Answers == nil {
		out.Answers = map[string]string{}
	}
	for i := range out.Options {
		if out.Options[i].Delivery == nil {
			out.Options[i].Delivery = []string{}
		}
		if out.Options[i].Costs == nil {
			out.Options[i].Costs = map[string]*int64{}
		}
	}
	for i, o := range res.Options {
		v := apiDecisionResult{Name: o.Name, Open: o.Open, Years: o.TCO.Year, Total: o.TCO.Total, Lowest: res.Lowest == i,
			Costs: []apiDecisionCost{}, Pros: []apiDecisionReason{}, Cons: []apiDecisionReason{}}
		if o.Facts != nil {
			n := o.Facts.Users
			v.Users = &n
		}
		for _, c := range o.Costs {
			v.Costs = append(v.Costs, apiDecisionCost{Line: c.Line, Cents: c.Cents, Source: c.Source, Years: o.TCO.ByLine[c.Line]})
		}
		for _, p := range o.Pros {
			v.Pros = append(v.Pros, apiDecisionReason{Rule: p.Rule, Text: s.t(r, p.Key, p.Args...)})
		}
		for _, c := range o.Cons {
			v.Cons = append(v.Cons, apiDecisionReason{Rule: c.Rule, Text: s.t(r, c.Key, c.Args...)})
		}
		out.Result = append(out.Result, v)
	}
	return out
}

type apiDecisionInput struct {
	Title    string            `json:"title"`
	Answers  map[string]string `json:"answers"`
	Options  []decision.Option `json:"options"`
	Increase int               `json:"increase_bp"`
}

func (in apiDecisionInput) aid() decision.Aid {
	return decision.Aid{Title: in.Title, Answers: in.Answers, Options: in.Options, Increase: in.Increase}
}

func (s *Server) handleAPIDecisionList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "limit", "cursor")
	limit := p.int("limit", decision.DefaultLimit, 1, decision.MaxLimit)
	cursor := p.id("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Decisions.List(r.Context(), optionalUser(r), limit, cursor)
	if err != nil {
		return err
	}
	out := list[apiDecisionAid]{Items: []apiDecisionAid{}, Total: page.Total, Next: page.Next}
	for _, a := range page.Items {
		res, err := s.Decisions.Evaluate(r.Context(), &a)
		if err != nil && !apperr.Is(err, apperr.Invalid) {
			return err
		}
		out.Items = append(out.Items, s.apiDecisionOf(r, a, res))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIDecisionCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiDecisionInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	a, res, err := s.Decisions.Create(r.Context(), optionalUser(r), body.aid(), s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/entscheidungshilfe/"+a.ID)
	writeJSON(w, http.StatusCreated, "application/json", s.apiDecisionOf(r, a, res))
	return nil
}

func (s *Server) handleAPIDecisionUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Lock *int `json:"lock"`
		apiDecisionInput
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	a, res, err := s.Decisions.Update(r.Context(), optionalUser(r), r.PathValue("id"), *body.Lock, body.aid(), s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiDecisionOf(r, a, res))
	return nil
}

func (s *Server) handleAPIDecisionDelete(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.Decisions.Get(r.Context(), optionalUser(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Decisions.Delete(r.Context(), optionalUser(r), a.ID, s.meta(r)); err != nil {
		return err
	}
	// The deleted aid, without its evaluation.
	writeJSON(w, http.StatusOK, "application/json", s.apiDecisionOf(r, a, decision.Result{}))
	return nil
}
