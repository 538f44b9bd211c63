package http

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

type apiRepoError struct {
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	Problems []apiProblem   `json:"problems"`
	Fields   []problemField `json:"fields"`
}

type apiRepository struct {
	ID            string        `json:"id"`
	URL           string        `json:"url"`
	AddedAt       time.Time     `json:"added_at"`
	LastCheckedAt *time.Time    `json:"last_checked_at"`
	LastCommit    *string       `json:"last_commit"`
	LastError     *apiRepoError `json:"last_error"`
	Failures      int           `json:"failures"`
	NextAttemptAt time.Time     `json:"next_attempt_at"`
}

func (s *Server) apiRepositoryOf(r *http.Request, repo catalog.Repository) apiRepository {
	a := apiRepository{ID: repo.ID, URL: repo.URL, AddedAt: repo.Added, LastCheckedAt: repo.LastChecked, Failures: repo.Failures,
		NextAttemptAt: repo.NextAttempt}
	if repo.LastCommit != "" {
		a.LastCommit = &repo.LastCommit
	}
	if f := repo.LastError; f != nil {
		lang := langOf(r)
		e := &apiRepoError{Code: f.Key, Message: s.t(r, f.Key), Problems: []apiProblem{}, Fields: []problemField{}}
		for _, p := range f.Problems {
			e.Problems = append(e.Problems, apiProblemOf(p, lang))
		}
		for _, fe := range f.Fields {
			e.Fields = append(e.Fields, problemField{Field: fe.Field, Message: s.t(r, fe.Key, append([]any{"Name", fe.Field}, fe.Args...)...)})
		}
		a.LastError = e
	}
	return a
}

type apiChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

type apiProposal struct {
	ID            string      `json:"id"`
	RepositoryID  *string     `json:"repository_id"`
	RepositoryURL string      `json:"repository_url"`
	Commit        string      `json:"commit"`
	State         string      `json:"state"`
	CreatedAt     time.Time   `json:"created_at"`
	Changes       []apiChange `json:"changes"`
	Entry         apiEntry    `json:"entry"`
	Unmapped      []string    `json:"unmapped"`
}

// apiProposalOf describes a proposal with what accepting it would make of
// the entry cur.
func (s *Server) apiProposalOf(r *http.Request, p catalog.Proposal, cur catalog.Entry) apiProposal {
	a := apiProposal{ID: p.ID, RepositoryURL: p.RepositoryURL, Commit: p.Commit, State: p.State, CreatedAt: p.Created,
		Changes: []apiChange{}, Entry: apiEntryOf(p.Apply(cur)), Unmapped: []string{}}
	if p.RepositoryID != "" {
		a.RepositoryID = &p.RepositoryID
	}
	for _, c := range p.Changes(cur) {
		a.Changes = append(a.Changes, apiChange{Field: c.Field, Old: c.Old, New: c.New})
	}
	for _, n := range p.Notes {
		a.Unmapped = append(a.Unmapped, s.t(r, n.Key, n.KV()...))
	}
	return a
}

func (s *Server) handleAPIRepositoryList(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	_, _, repos, _, err := s.Harvest.Sources(r.Context(), userOf(r).user, r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := list[apiRepository]{Items: []apiRepository{}, Total: len(repos)}
	for _, repo := range repos {
		out.Items = append(out.Items, s.apiRepositoryOf(r, repo))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIRepositoryAdd(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.ownSolution(r, catalog.ActEdit); err != nil {
		return err
	}
	var body struct {
		URL string `json:"url"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	repo, err := s.Harvest.AddRepository(r.Context(), userOf(r).user, r.PathValue("slug"), body.URL, s.meta(r))
	if err != nil {
		return renameField(err, "repository", "url")
	}
	writeJSON(w, http.StatusCreated, "application/json", s.apiRepositoryOf(r, repo))
	return nil
}

func (s *Server) handleAPIRepositoryRemove(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	repo, err := s.Harvest.RemoveRepository(r.Context(), userOf(r).user, r.PathValue("slug"), r.PathValue("id"), s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiRepositoryOf(r, repo))
	return nil
}

func (s *Server) handleAPIProposal(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	sol, _, _, p, err := s.Harvest.Sources(r.Context(), userOf(r).user, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if p == nil {
		return apperr.New(apperr.NotFound, "harvest.error.no_proposal")
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiProposalOf(r, *p, sol.Current().Entry))
	return nil
}

func (s *Server) handleAPIProposalDecision(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.ownSolution(r, catalog.ActEdit); err != nil {
		return err
	}
	var body struct {
		Proposal string `json:"proposal"`
		Decision string `json:"decision"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	var v apperr.Validation
	if body.Proposal == "" {
		v.Add("proposal", "form.error.required")
	}
	if body.Decision != "accept" && body.Decision != "dismiss" {
		v.Add("decision", "harvest.error.decision")
	}
	if err := v.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	p, err := s.Harvest.Decide(r.Context(), u, r.PathValue("slug"), body.Proposal, body.Decision == "accept", nil, s.meta(r))
	if err != nil {
		return err
	}
	sol, _, err := s.Solutions.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiProposalOf(r, p, sol.Current().Entry))
	return nil
}
