package http

// This file: the JSON API of "check before you fund" (/api/v1/fund-checks).

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/fundcheck"
)

// maxFundCheckBody bounds the bodies of checks: a description of 10,000
// characters, or a statement of 4,000 per match.
const maxFundCheckBody = 256 << 10

type apiFundCheck struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Fields       []string          `json:"fields"`
	Delivery     string            `json:"delivery"`
	Licence      string            `json:"licence"`
	Budget       *int64            `json:"budget"`
	Programme    string            `json:"programme"`
	Author       string            `json:"author"`
	Organisation string            `json:"organisation"`
	State        fundcheck.State   `json:"state"`
	Matches      []fundcheck.Match `json:"matches"`
	Reusable     bool              `json:"reusable"`
	Created      time.Time         `json:"created"`
	Finalised    *time.Time        `json:"finalised"`
	SHA256       string            `json:"sha256"`
	Lock         int               `json:"lock"`
	URL          string            `json:"url"`
	PDF          string            `json:"pdf"`
}

func (s *Server) apiFundCheckOf(c fundcheck.Check) apiFundCheck {
	a := apiFundCheck{ID: c.ID, Title: c.Title, Description: c.Description, Fields: c.Fields, Delivery: c.Delivery, Licence: c.Licence,
		Budget: c.Budget, Programme: c.Programme, Author: c.AuthorLabel, Organisation: c.OrgName, State: c.State, Matches: c.Matches,
		Reusable: c.Reusable(), Created: c.Created, Finalised: c.Finalised, SHA256: c.SHA256, Lock: c.Lock,
		URL: s.Config.BaseURL + "/bestandspruefung/" + c.ID, PDF: s.Config.BaseURL + "/bestandspruefung/" + c.ID + "/pdf"}
	if a.Fields == nil {
		a.Fields = []string{}
	}
	if a.Matches == nil {
		a.Matches = []fundcheck.Match{}
	}
	return a
}

func (s *Server) handleAPIFundCheckList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "limit", "cursor")
	limit := p.int("limit", fundcheck.DefaultLimit, 1, fundcheck.MaxLimit)
	cursor := p.id("cursor")
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	page, err := s.FundChecks.List(r.Context(), a, limit, cursor)
	if err != nil {
		return err
	}
	out := list[apiFundCheck]{Items: []apiFundCheck{}, Total: page.Total, Next: page.Next}
	for _, c := range page.Items {
		out.Items = append(out.Items, s.apiFundCheckOf(c))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// handleAPIFundCheckView returns one check to its author and the members
// of its organisation (fundcheck.CanView); others get 404.
func (s *Server) handleAPIFundCheckView(w http.ResponseWriter, r *http.Request) error {
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
	writeJSON(w, http.StatusOK, "application/json", s.apiFundCheckOf(c))
	return nil
}

type apiFundCheckInput struct {
	Organisation string   `json:"organisation"`
	Title        string   `json:"title"`
	Description  string   `json:"description"`
	Fields       []string `json:"fields"`
	Delivery     string   `json:"delivery"`
	Licence      string   `json:"licence"`
	Budget       *int64   `json:"budget"`
	Programme    string   `json:"programme"`
}

func (s *Server) handleAPIFundCheckCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	var body apiFundCheckInput
	if err := decodeJSON(w, r, maxFundCheckBody, &body); err != nil {
		return err
	}
	c, err := s.FundChecks.Create(r.Context(), a, body.Organisation, fundcheck.Input{Title: body.Title, Description: body.Description,
		Fields: body.Fields, Delivery: body.Delivery, Licence: body.Licence, Budget: body.Budget, Programme: body.Programme}, s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/bestandspruefung/"+c.ID)
	writeJSON(w, http.StatusCreated, "application/json", s.apiFundCheckOf(c))
	return nil
}

func (s *Server) handleAPIFundCheckStatements(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.fundCheckActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Lock       *int `json:"lock"`
		Finalise   bool `json:"finalise"`
		Statements []struct {
			Key       string `json:"key"`
			Verdict   string `json:"verdict"`
			Statement string `json:"statement"`
		} `json:"statements"`
	}
	if err := decodeJSON(w, r, maxFundCheckBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	var sts []fundcheck.Statement
	for _, st := range body.Statements {
		sts = append(sts, fundcheck.Statement{Key: st.Key, Verdict: st.Verdict, Statement: st.Statement})
	}
	c, err := s.FundChecks.SaveStatements(r.Context(), a, r.PathValue("id"), *body.Lock, sts, body.Finalise, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiFundCheckOf(c))
	return nil
}

func (s *Server) handleAPIFundCheckStats(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	st, err := s.FundChecks.Statistics(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", struct {
		MinCell int `json:"min_cell"`
		fundcheck.Stats
	}{fundcheck.MinCell, st})
	return nil
}
