package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/procurement"
)

// The procurement API: the orientation and the thresholds are public;
// operators add and change thresholds (procurement.CanEdit).

// apiThreshold is a threshold in the API. UpdatedBy is only shown to
// operators: it is a person's address.
type apiThreshold struct {
	ID             string    `json:"id"`
	Scope          string    `json:"scope"`
	Jurisdiction   string    `json:"jurisdiction"`
	ContractType   string    `json:"contract_type"`
	AuthorityType  string    `json:"authority_type"`
	Procedure      string    `json:"procedure"`
	AmountNetCents int64     `json:"amount_net_cents"`
	AmountNet      string    `json:"amount_net"`
	ValidFrom      string    `json:"valid_from"`
	ValidUntil     *string   `json:"valid_until"`
	Source         apiSource `json:"source"`
	UpdatedAt      *string   `json:"updated_at"`
	UpdatedBy      string    `json:"updated_by,omitempty"`
}

type apiSource struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

func apiThresholdOf(t procurement.Threshold, operator bool) apiThreshold {
	a := apiThreshold{ID: t.ID, Scope: string(t.Scope), Jurisdiction: t.Jurisdiction, ContractType: string(t.ContractType),
		AuthorityType: string(t.AuthorityType), Procedure: string(t.Procedure), AmountNetCents: t.AmountNet,
		AmountNet: procurement.FormatEuro(t.AmountNet), ValidFrom: t.ValidFrom.Format(procurement.DateLayout),
		Source: apiSource{Text: t.SourceText, URL: t.SourceURL}}
	if t.ValidUntil != nil {
		u := t.ValidUntil.Format(procurement.DateLayout)
		a.ValidUntil = &u
	}
	if !t.UpdatedAt.IsZero() {
		at := t.UpdatedAt.UTC().Format(time.RFC3339)
		a.UpdatedAt = &at
		if operator {
			a.UpdatedBy = t.UpdatedBy
		}
	}
	return a
}

func isOperator(r *http.Request) bool {
	u := userOf(r)
	return u != nil && u.user.Has(account.Operator)
}

// apiThresholdBody is the body of POST and PUT.
type apiThresholdBody struct {
	Scope          string    `json:"scope"`
	Jurisdiction   string    `json:"jurisdiction"`
	ContractType   string    `json:"contract_type"`
	AuthorityType  string    `json:"authority_type"`
	Procedure      string    `json:"procedure"`
	AmountNetCents int64     `json:"amount_net_cents"`
	ValidFrom      string    `json:"valid_from"`
	ValidUntil     *string   `json:"valid_until"`
	Source         apiSource `json:"source"`
}

func (b apiThresholdBody) threshold() (procurement.Threshold, error) {
	var v apperr.Validation
	t := procurement.Threshold{Scope: procurement.Scope(b.Scope), Jurisdiction: b.Jurisdiction,
		ContractType: procurement.ContractType(b.ContractType), AuthorityType: procurement.AuthorityType(b.AuthorityType),
		Procedure: procurement.Procedure(b.Procedure), AmountNet: b.AmountNetCents, SourceText: b.Source.Text, SourceURL: b.Source.URL}
	if d, ok := procurement.ParseDate(b.ValidFrom); ok {
		t.ValidFrom = d
	} else {
		v.Add("valid_from", "procurement.error.date")
	}
	if b.ValidUntil != nil && *b.ValidUntil != "" {
		if d, ok := procurement.ParseDate(*b.ValidUntil); ok {
			t.ValidUntil = &d
		} else {
			v.Add("valid_until", "procurement.error.date")
		}
	}
	return t, v.Err()
}

func (s *Server) handleAPIThresholdList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	all, err := s.Procurement.List(r.Context())
	if err != nil {
		return err
	}
	// A few dozen values: one page.
	out := list[apiThreshold]{Items: make([]apiThreshold, 0, len(all)), Total: len(all)}
	op := isOperator(r)
	for _, t := range all {
		out.Items = append(out.Items, apiThresholdOf(t, op))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIThresholdCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiThresholdBody
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	t, err := body.threshold()
	if err != nil {
		return err
	}
	t, err = s.Procurement.Add(r.Context(), userOf(r).user, t, s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/procurement/thresholds/"+t.ID)
	writeJSON(w, http.StatusCreated, "application/json", apiThresholdOf(t, true))
	return nil
}

func (s *Server) handleAPIThresholdUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.Procurement.Get(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	var body apiThresholdBody
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	t, err := body.threshold()
	if err != nil {
		return err
	}
	t.ID = r.PathValue("id")
	t, err = s.Procurement.Update(r.Context(), userOf(r).user, t, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiThresholdOf(t, true))
	return nil
}

// apiOrientation is the orientation in the API, with its texts in the
// request's language.
type apiOrientation struct {
	Notice             string         `json:"notice"`
	Input              apiOrientInput `json:"input"`
	EUThreshold        *apiThreshold  `json:"eu_threshold"`
	EUApplies          bool           `json:"eu_applies"`
	Regime             apiText        `json:"regime"`
	NationalFrom       *string        `json:"national_from"`
	NationalThresholds []apiThreshold `json:"national_thresholds"`
	Procedures         []apiProcedure `json:"procedures"`
	Routes             []apiRoute     `json:"routes_outside_procurement_law"`
	Notes              []apiText      `json:"notes"`
}

type apiOrientInput struct {
	ValueCents    int64  `json:"value_cents"`
	ContractType  string `json:"contract_type"`
	AuthorityType string `json:"authority_type"`
	State         string `json:"state"`
	Date          string `json:"date"`
}

type apiText struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

type apiProcedure struct {
	Procedure     string        `json:"procedure"`
	Label         string        `json:"label"`
	Limit         *apiThreshold `json:"limit"`
	Documentation []apiText     `json:"documentation"`
}

type apiRoute struct {
	Key        string `json:"key"`
	Title      string `json:"title"`
	Conditions string `json:"conditions"`
}

func (s *Server) handleAPIProcurementOrientation(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, orientationParams...)
	if err := p.Err(); err != nil {
		return err
	}
	in, err := s.readOrientation(p, s.Procurement.Today())
	if err != nil {
		return err
	}
	res, err := s.Procurement.Orient(r.Context(), in)
	if err != nil {
		return err
	}
	op := isOperator(r)
	out := apiOrientation{Notice: s.t(r, "procurement.notice"), EUApplies: res.EUApplies,
		Input: apiOrientInput{ValueCents: in.ValueNet, ContractType: string(in.ContractType), AuthorityType: string(in.AuthorityType),
			State: in.State, Date: in.Date.Format(procurement.DateLayout)},
		Regime:             apiText{Key: res.Regime, Text: s.t(r, "procurement.regime."+res.Regime)},
		NationalThresholds: []apiThreshold{}, Procedures: []apiProcedure{}, Routes: []apiRoute{}, Notes: []apiText{}}
	if res.EU != nil {
		a := apiThresholdOf(*res.EU, op)
		out.EUThreshold = &a
	}
	if res.NationalFrom != "" {
		out.NationalFrom = &res.NationalFrom
	}
	for _, t := range res.National {
		out.NationalThresholds = append(out.NationalThresholds, apiThresholdOf(t, op))
	}
	for _, o := range res.Options {
		ap := apiProcedure{Procedure: string(o.Procedure), Label: s.t(r, "procurement.procedure."+string(o.Procedure)), Documentation: []apiText{}}
		if o.Limit != nil {
			a := apiThresholdOf(*o.Limit, op)
			ap.Limit = &a
		}
		for _, d := range o.Docs {
			ap.Documentation = append(ap.Documentation, apiText{Key: d, Text: s.t(r, "procurement.doc."+d)})
		}
		out.Procedures = append(out.Procedures, ap)
	}
	for _, rt := range res.Routes {
		out.Routes = append(out.Routes, apiRoute{Key: string(rt), Title: s.t(r, "procurement.route."+string(rt)+".title"),
			Conditions: s.t(r, "procurement.route."+string(rt)+".conditions")})
	}
	for _, n := range res.Notes {
		out.Notes = append(out.Notes, apiText{Key: n, Text: s.t(r, n)})
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
