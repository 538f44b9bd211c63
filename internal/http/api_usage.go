package http

import (
	"errors"
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

type apiStateRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

type apiUsingOrg struct {
	Slug       string       `json:"slug"`
	Name       string       `json:"name"`
	AGS        string       `json:"ags"`
	State      *apiStateRef `json:"state"`
	Population *int64       `json:"population"`
}

func apiUsingOrgOf(o catalog.UsingOrg) apiUsingOrg {
	a := apiUsingOrg{Slug: o.Slug, Name: o.Name, AGS: o.AGS}
	if o.StateKey != "" {
		a.State = &apiStateRef{Key: o.StateKey, Name: o.StateName}
	}
	if o.Population > 0 {
		a.Population = &o.Population
	}
	return a
}

type apiDeclaration struct {
	ID            string      `json:"id"`
	Organisation  apiUsingOrg `json:"organisation"`
	Since         string      `json:"since"` // 2024-03
	DeliveryModel string      `json:"delivery_model"`
	Status        string      `json:"status"`
	StopReason    string      `json:"stop_reason"`
	Version       int         `json:"version"`
	Contactable   bool        `json:"contactable"`
	Verified      bool        `json:"verified"`
	DeclaredAt    time.Time   `json:"declared_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

func apiDeclarationOf(d catalog.Declaration) apiDeclaration {
	return apiDeclaration{ID: d.ID, Organisation: apiUsingOrgOf(d.Org), Since: d.Since.Format("2006-01"), DeliveryModel: d.Delivery,
		Status: d.Status, StopReason: d.Reason, Version: d.Version, Contactable: d.Contactable, Verified: d.Verified,
		DeclaredAt: d.Created, UpdatedAt: d.Updated}
}

type apiRatings struct {
	Usability     int `json:"usability"`
	Support       int `json:"support"`
	Integration   int `json:"integration"`
	ValueForMoney int `json:"value_for_money"`
}

type apiAnswer struct {
	Text       string    `json:"text"`
	AnsweredAt time.Time `json:"answered_at"`
}

type apiReport struct {
	ID           string     `json:"id"`
	Organisation apiOrgRef  `json:"organisation"`
	Text         string     `json:"text"`
	Ratings      apiRatings `json:"ratings"`
	Again        bool       `json:"would_choose_again"`
	Status       string     `json:"status"` // of the declaration
	Visible      bool       `json:"visible"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Answer       *apiAnswer `json:"answer"`
}

func apiReportOf(r catalog.Report) apiReport {
	a := apiReport{ID: r.ID, Organisation: apiOrgRef{Slug: r.Org.Slug, Name: r.Org.Name}, Text: r.Text,
		Ratings: apiRatings{Usability: r.Usability, Support: r.Support, Integration: r.Integration, ValueForMoney: r.Value},
		Again:   r.Again, Status: r.Status, Visible: r.Visible(), CreatedAt: r.Created, UpdatedAt: r.Updated}
	if r.Answered != nil {
		a.Answer = &apiAnswer{Text: r.Answer, AnsweredAt: *r.Answered}
	}
	return a
}

type apiStateCount struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

type apiAverages struct {
	Reports          int     `json:"reports"`
	Usability        float64 `json:"usability"`
	Support          float64 `json:"support"`
	Integration      float64 `json:"integration"`
	ValueForMoney    float64 `json:"value_for_money"`
	WouldChooseAgain int     `json:"would_choose_again"`
}

type apiUsageSummary struct {
	Municipalities int             `json:"municipalities"`
	Piloting       int             `json:"piloting"`
	Stopped        int             `json:"stopped"`
	States         []apiStateCount `json:"states"`
	Smallest       *apiUsingOrg    `json:"smallest"`
	Largest        *apiUsingOrg    `json:"largest"`
	Ratings        apiAverages     `json:"ratings"`
}

// apiUsage is the public use of a solution.
type apiUsage struct {
	Solution     apiOrgRef        `json:"solution"`
	Summary      apiUsageSummary  `json:"summary"`
	Declarations []apiDeclaration `json:"declarations"`
	Reports      []apiReport      `json:"reports"`
}

// round2 keeps two decimal places of an average.
func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

func apiUsageOf(sol catalog.Solution, ov catalog.Overview) apiUsage {
	sum := ov.Summary
	a := apiUsage{Solution: apiOrgRef{Slug: sol.Slug, Name: sol.Published.Entry.Name}, Declarations: []apiDeclaration{}, Reports: []apiReport{},
		Summary: apiUsageSummary{Municipalities: sum.Municipalities, Piloting: sum.Piloting, Stopped: sum.Stopped, States: []apiStateCount{},
			Ratings: apiAverages{Reports: sum.Ratings.Reports, Usability: round2(sum.Ratings.Usability), Support: round2(sum.Ratings.Support),
				Integration: round2(sum.Ratings.Integration), ValueForMoney: round2(sum.Ratings.Value), WouldChooseAgain: sum.Ratings.Again}}}
	for _, st := range sum.States {
		a.Summary.States = append(a.Summary.States, apiStateCount{Key: st.Key, Name: st.Name, Count: st.Count})
	}
	if sum.Smallest != nil {
		x, y := apiUsingOrgOf(*sum.Smallest), apiUsingOrgOf(*sum.Largest)
		a.Summary.Smallest, a.Summary.Largest = &x, &y
	}
	for _, d := range ov.Declarations {
		a.Declarations = append(a.Declarations, apiDeclarationOf(d))
	}
	for _, r := range ov.Reports {
		a.Reports = append(a.Reports, apiReportOf(r))
	}
	return a
}

// handleAPIUsageView serves who uses a published solution: the summary,
// the verified declarations and the visible reports.
func (s *Server) handleAPIUsageView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, err := s.Solutions.Public(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	ov, err := s.Usage.Overview(r.Context(), nil, sol, nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiUsageOf(sol, ov))
	return nil
}

// apiNewDeclaration is what a client sends to declare use.
type apiNewDeclaration struct {
	Organisation  string `json:"organisation"`
	Since         string `json:"since"`
	DeliveryModel string `json:"delivery_model"`
	Status        string `json:"status"`
	StopReason    string `json:"stop_reason"`
	Version       int    `json:"version"`
	Contactable   bool   `json:"contactable"`
}

// apiFieldNames maps the domain's field names of declarations and reports
// to the API's where they differ.
var apiFieldNames = map[string]string{"delivery": "delivery_model", "reason": "stop_reason", "usability": "ratings.usability",
	"support": "ratings.support", "integration": "ratings.integration", "value": "ratings.value_for_money", "again": "would_choose_again"}

// apiUsageError renames the field errors of err to the API's names.
func apiUsageError(err error) error {
	var e *apperr.Error
	if errors.As(err, &e) {
		for i, f := range e.Fields {
			if name, ok := apiFieldNames[f.Field]; ok {
				e.Fields[i].Field = name
			}
		}
	}
	return err
}

// writeCreated answers a write with 201 when it created what it returns,
// 200 when it changed it.
func writeCreated(w http.ResponseWriter, created bool, v any) {
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, "application/json", v)
}

// handleAPIUsageDeclare declares or updates the use of a solution by a
// municipality the caller is a member of.
func (s *Server) handleAPIUsageDeclare(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.Solutions.Public(r.Context(), r.PathValue("slug")); err != nil {
		return err
	}
	var in apiNewDeclaration
	if err := decodeJSON(w, r, maxJSONBody, &in); err != nil {
		return err
	}
	f := catalog.UseForm{Org: in.Organisation, Since: in.Since, Delivery: in.DeliveryModel, Status: in.Status, Reason: in.StopReason,
		Version: in.Version, Contactable: in.Contactable}
	d, err := s.Usage.Declare(r.Context(), userOf(r).user, r.PathValue("slug"), f, s.meta(r))
	if err != nil {
		return apiUsageError(err)
	}
	writeCreated(w, d.Created.Equal(d.Updated), apiDeclarationOf(d))
	return nil
}

// apiNewReport is what a client sends as an experience report.
type apiNewReport struct {
	Organisation string     `json:"organisation"`
	Text         string     `json:"text"`
	Ratings      apiRatings `json:"ratings"`
	Again        *bool      `json:"would_choose_again"`
}

// maxReportBody bounds a report's body: 5,000 characters of up to four
// bytes plus the rest.
const maxReportBody = 32 << 10

// handleAPIUsageReport writes or rewrites the experience report of a
// declaring municipality.
func (s *Server) handleAPIUsageReport(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.Solutions.Public(r.Context(), r.PathValue("slug")); err != nil {
		return err
	}
	var in apiNewReport
	if err := decodeJSON(w, r, maxReportBody, &in); err != nil {
		return err
	}
	f := catalog.ReportForm{Org: in.Organisation, Text: in.Text, Usability: in.Ratings.Usability, Support: in.Ratings.Support,
		Integration: in.Ratings.Integration, Value: in.Ratings.ValueForMoney, Again: in.Again}
	rep, err := s.Usage.SaveReport(r.Context(), userOf(r).user, r.PathValue("slug"), f, s.meta(r))
	if err != nil {
		return apiUsageError(err)
	}
	writeCreated(w, rep.Created.Equal(rep.Updated), apiReportOf(rep))
	return nil
}

// usedBy fills the names of the verified municipalities that use each
// solution into its API document (out[i] describes sols[i]).
func (s *Server) usedBy(r *http.Request, sols []catalog.Solution, out []apiSolution) error {
	if s.Usage == nil {
		return nil
	}
	names, err := s.Usage.UsedBy(r.Context(), sols...)
	if err != nil {
		return err
	}
	for i, sol := range sols {
		out[i].UsedBy = nonNil(names[sol.ID])
		out[i].Badges.VerifiedUses = len(names[sol.ID])
	}
	return nil
}
