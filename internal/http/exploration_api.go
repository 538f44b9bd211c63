package http

// This file: the JSON API of market explorations (/api/v1/explorations)
// and the check of report files (/api/v1/reports/verify).

import (
	"io"
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/exploration"
)

// maxExplorationJSON bounds the bodies of questionnaires, scores and
// answers, which hold longer texts than most.
const maxExplorationJSON = 256 << 10

type apiExplorationCandidate struct {
	exploration.Candidate
	Score *apiExplorationScore `json:"score"`
	Rank  int                  `json:"rank"`
}

type apiExplorationScore struct {
	Values   []int    `json:"values"`
	Comment  string   `json:"comment"`
	Excluded bool     `json:"excluded"`
	Reason   string   `json:"reason"`
	Total    *float64 `json:"total"`
}

type apiExplorationAnswer struct {
	Provider  exploration.OrgRef `json:"provider"`
	Answers   []string           `json:"answers"`
	Submitted time.Time          `json:"submitted"`
	Updated   time.Time          `json:"updated"`
}

// apiExploration is an exploration as the API shows it. Providers asked
// see only the questionnaire and their own answer: the other fields stay
// empty for them.
type apiExploration struct {
	ID             string                    `json:"id"`
	Title          string                    `json:"title"`
	Buyer          exploration.OrgRef        `json:"buyer"`
	State          exploration.State         `json:"state"`
	Role           string                    `json:"role"` // buyer or provider
	Source         string                    `json:"source,omitempty"`
	Need           string                    `json:"need,omitempty"` // slug
	Query          string                    `json:"query,omitempty"`
	SnapshotSHA256 string                    `json:"snapshot_sha256,omitempty"`
	SnapshotTaken  *time.Time                `json:"snapshot_taken,omitempty"`
	SnapshotOK     *bool                     `json:"snapshot_verified,omitempty"`
	Candidates     []apiExplorationCandidate `json:"candidates"`
	Criteria       []exploration.Criterion   `json:"criteria"`
	Questions      []exploration.Question    `json:"questions"`
	Deadline       *time.Time                `json:"deadline"`
	Sent           *time.Time                `json:"sent"`
	Providers      []exploration.OrgRef      `json:"providers_asked"`
	FewerThanThree bool                      `json:"fewer_than_three_asked"`
	Answers        []apiExplorationAnswer    `json:"answers"`
	Outcome        string                    `json:"outcome"`
	AwardedTo      string                    `json:"awarded_to"` // solution slug
	Reason         string                    `json:"outcome_reason"`
	Closed         *time.Time                `json:"closed"`
	Lock           int                       `json:"lock"`
	URL            string                    `json:"url"`
}

func (s *Server) apiExplorationOf(r *http.Request, a exploration.Actor, e exploration.Exploration, withAnswers bool) (apiExploration, error) {
	out := apiExploration{ID: e.ID, Title: e.Title, Buyer: e.Org, State: e.State, Role: "provider", Candidates: []apiExplorationCandidate{},
		Criteria: []exploration.Criterion{}, Questions: e.Questions, Deadline: e.Deadline, Sent: e.SentAt, Providers: []exploration.OrgRef{},
		Answers: []apiExplorationAnswer{}, URL: s.Config.BaseURL + "/markterkundungen/" + e.ID + "/antwort"}
	if out.Questions == nil {
		out.Questions = []exploration.Question{}
	}
	buyer := exploration.Can(a, exploration.ActView, e)
	if withAnswers || !buyer {
		answers, err := s.Explorations.Answers(r.Context(), a, e)
		if err != nil {
			return out, err
		}
		for _, an := range answers {
			out.Answers = append(out.Answers, apiExplorationAnswer{Provider: an.Org, Answers: an.Values, Submitted: an.Submitted, Updated: an.Updated})
		}
	}
	if !buyer {
		return out, nil
	}
	snap, err := e.Frozen()
	if err != nil {
		return out, err
	}
	ok := e.VerifySnapshot()
	taken := e.SnapshotAt
	out.Role, out.Source, out.Need, out.Query, out.SnapshotSHA256, out.SnapshotTaken, out.SnapshotOK = "buyer", e.Source, e.NeedSlug, e.Query, e.SnapshotHash, &taken, &ok
	out.Criteria, out.Outcome, out.Reason, out.Closed, out.Lock = e.Criteria, e.Outcome, e.Reason, e.ClosedAt, e.Lock
	out.URL = s.Config.BaseURL + "/markterkundungen/" + e.ID
	if out.Criteria == nil {
		out.Criteria = []exploration.Criterion{}
	}
	for _, rk := range e.Ranking(snap) {
		c := apiExplorationCandidate{Candidate: rk.Candidate, Rank: rk.Rank}
		if rk.Score != nil {
			c.Score = &apiExplorationScore{Values: rk.Score.Values, Comment: rk.Score.Comment, Excluded: rk.Score.Excluded, Reason: rk.Score.Reason}
			if !rk.Score.Excluded {
				t := rk.Total
				c.Score.Total = &t
			}
		}
		if rk.Candidate.Solution == e.AwardedTo {
			out.AwardedTo = rk.Candidate.Slug
		}
		out.Candidates = append(out.Candidates, c)
	}
	for _, p := range snap.Providers() {
		if e.Asked(p.ID) {
			out.Providers = append(out.Providers, p)
		}
	}
	out.FewerThanThree = len(out.Providers) < exploration.MinProviders
	return out, nil
}

func (s *Server) writeExploration(w http.ResponseWriter, r *http.Request, a exploration.Actor, e exploration.Exploration, status int) error {
	out, err := s.apiExplorationOf(r, a, e, true)
	if err != nil {
		return err
	}
	writeJSON(w, status, "application/json", out)
	return nil
}

func (s *Server) handleAPIExplorationList(w http.ResponseWriter, r *http.Request) error {
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
	out := list[apiExploration]{Items: []apiExploration{}}
	for _, e := range append(l.Own, l.Asked...) {
		x, err := s.apiExplorationOf(r, a, e, false)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, x)
	}
	out.Total = len(out.Items)
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIExplorationCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Organisation string `json:"organisation"`
		Title        string `json:"title"`
		Need         string `json:"need"`
		Query        string `json:"query"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	e, err := s.Explorations.Create(r.Context(), a, exploration.Start{Org: body.Organisation, Title: body.Title, Need: body.Need, Query: body.Query}, s.meta(r))
	if err != nil {
		return renameFields(err, map[string]string{"org": "organisation"})
	}
	w.Header().Set("Location", "/api/v1/explorations/"+e.ID)
	return s.writeExploration(w, r, a, e, http.StatusCreated)
}

// renameFields renames the field names of a validation error.
func renameFields(err error, names map[string]string) error {
	if e, ok := err.(*apperr.Error); ok {
		for i, f := range e.Fields {
			if n, ok := names[f.Field]; ok {
				e.Fields[i].Field = n
			}
		}
	}
	return err
}

func (s *Server) handleAPIExplorationView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	e, err := s.Explorations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeExploration(w, r, a, e, http.StatusOK)
}

// apiExplorationWrite reads the body of a buyer's write (with its lock)
// and runs it.
func (s *Server) apiExplorationWrite(w http.ResponseWriter, r *http.Request, body any, lock func() *int,
	run func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error)) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	if err := decodeJSON(w, r, maxExplorationJSON, body); err != nil {
		return err
	}
	if err := requireLock(lock()); err != nil {
		return err
	}
	e, err := s.Explorations.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	out, err := run(a, e, *lock())
	if err != nil {
		return err
	}
	return s.writeExploration(w, r, a, out, http.StatusOK)
}

func (s *Server) handleAPIExplorationCriteria(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock     *int                    `json:"lock"`
		Criteria []exploration.Criterion `json:"criteria"`
	}
	return s.apiExplorationWrite(w, r, &body, func() *int { return body.Lock }, func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error) {
		return s.Explorations.SetCriteria(r.Context(), a, e.ID, lock, body.Criteria, s.meta(r))
	})
}

func (s *Server) handleAPIExplorationRFI(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock      *int                   `json:"lock"`
		Questions []exploration.Question `json:"questions"`
		Deadline  string                 `json:"deadline"` // RFC 3339
		Providers []string               `json:"providers"`
	}
	return s.apiExplorationWrite(w, r, &body, func() *int { return body.Lock }, func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error) {
		snap, err := e.Frozen()
		if err != nil {
			return e, err
		}
		in := exploration.RFI{Questions: body.Questions, Providers: providerIDs(snap, body.Providers)}
		parseDeadline(body.Deadline, &in)
		return s.Explorations.SetRFI(r.Context(), a, e.ID, lock, in, s.meta(r))
	})
}

func (s *Server) handleAPIExplorationSend(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock *int `json:"lock"`
	}
	return s.apiExplorationWrite(w, r, &body, func() *int { return body.Lock }, func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error) {
		return s.Explorations.Send(r.Context(), a, e.ID, lock, s.meta(r))
	})
}

// solutionIDs maps candidate slugs to solution ids; unknown slugs pass
// through and fail the service's check.
func solutionID(snap exploration.Snapshot, slug string) string {
	for _, c := range snap.Candidates {
		if c.Slug == slug {
			return c.Solution
		}
	}
	return slug
}

func (s *Server) handleAPIExplorationScores(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock   *int `json:"lock"`
		Scores []struct {
			Solution string `json:"solution"` // slug
			Values   []int  `json:"values"`
			Comment  string `json:"comment"`
			Excluded bool   `json:"excluded"`
			Reason   string `json:"reason"`
		} `json:"scores"`
	}
	return s.apiExplorationWrite(w, r, &body, func() *int { return body.Lock }, func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error) {
		snap, err := e.Frozen()
		if err != nil {
			return e, err
		}
		scores := []exploration.Score{}
		for _, sc := range body.Scores {
			scores = append(scores, exploration.Score{Solution: solutionID(snap, sc.Solution), Values: sc.Values, Comment: sc.Comment, Excluded: sc.Excluded, Reason: sc.Reason})
		}
		out, err := s.Explorations.SetScores(r.Context(), a, e.ID, lock, scores, s.meta(r))
		if err != nil {
			names := map[string]string{}
			for _, c := range snap.Candidates {
				names["score_"+c.Solution] = "score_" + c.Slug
			}
			return out, renameFields(err, names)
		}
		return out, nil
	})
}

func (s *Server) handleAPIExplorationClose(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock      *int   `json:"lock"`
		Outcome   string `json:"outcome"`
		AwardedTo string `json:"awarded_to"` // slug
		Reason    string `json:"reason"`
	}
	return s.apiExplorationWrite(w, r, &body, func() *int { return body.Lock }, func(a exploration.Actor, e exploration.Exploration, lock int) (exploration.Exploration, error) {
		snap, err := e.Frozen()
		if err != nil {
			return e, err
		}
		awarded := ""
		if body.AwardedTo != "" {
			awarded = solutionID(snap, body.AwardedTo)
		}
		return s.Explorations.Close(r.Context(), a, e.ID, lock, exploration.Closing{Outcome: body.Outcome, AwardedTo: awarded, Reason: body.Reason}, s.meta(r))
	})
}

func (s *Server) handleAPIExplorationAnswer(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	var body struct {
		Answers []string `json:"answers"`
	}
	if err := decodeJSON(w, r, maxExplorationJSON, &body); err != nil {
		return err
	}
	an, err := s.Explorations.Answer(r.Context(), a, r.PathValue("id"), body.Answers, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiExplorationAnswer{Provider: an.Org, Answers: an.Values, Submitted: an.Submitted, Updated: an.Updated})
	return nil
}

func (s *Server) handleAPIExplorationReport(w http.ResponseWriter, r *http.Request) error {
	return s.handleExplorationReport(w, r)
}

type apiVerification struct {
	Genuine     bool                 `json:"genuine"`
	SHA256      string               `json:"sha256"`
	Exploration string               `json:"exploration,omitempty"`
	Title       string               `json:"title,omitempty"`
	Issued      []apiVerificationRec `json:"issued"`
	JSON        bool                 `json:"json_report"`
	ContentOK   *bool                `json:"content_verified,omitempty"`
	SnapshotOK  bool                 `json:"snapshot_verified"`
	Problems    []string             `json:"problems"`
}

type apiVerificationRec struct {
	Format string    `json:"format"`
	Issued time.Time `json:"issued"`
	By     string    `json:"by"`
}

// handleAPIReportVerify checks a report file sent as the raw body.
func (s *Server) handleAPIReportVerify(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	body, err := io.ReadAll(r.Body) // bounded by the route's body limit
	if err != nil {
		var v apperr.Validation
		v.Add("body", "error.body.too_large", "Max", maxBody)
		return v.Err()
	}
	if len(body) == 0 {
		var v apperr.Validation
		v.Add("body", "form.error.required")
		return v.Err()
	}
	a, err := s.explorationActor(r)
	if err != nil {
		return err
	}
	res, err := s.Explorations.Verify(r.Context(), body)
	if err != nil {
		return err
	}
	out := apiVerification{Genuine: res.Genuine(), SHA256: res.SHA256, Issued: []apiVerificationRec{}, JSON: res.JSON, SnapshotOK: res.SnapshotOK, Problems: []string{}}
	if res.JSON {
		ok := res.ContentOK
		out.ContentOK = &ok
	}
	if res.Exploration != nil && len(res.Reports) > 0 {
		out.Exploration, out.Title = res.Exploration.ID, res.Exploration.Title
	}
	for _, rec := range res.Reports {
		out.Issued = append(out.Issued, apiVerificationRec{Format: rec.Format, Issued: rec.Issued, By: res.Issuer(a, rec)})
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, s.t(r, p))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
