package http

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
)

// maxEntryBody bounds the JSON body of a solution entry: the long
// description may take up to 20,000 characters of up to four bytes each,
// plus the lists.
const maxEntryBody = 256 << 10

// apiEntryEvidence is an evidence as clients write it; expires_at is a
// date ("2027-06-30") or an RFC 3339 time.
type apiEntryEvidence struct {
	Kind      string  `json:"kind"`
	Link      string  `json:"link"`
	ExpiresAt *string `json:"expires_at"`
	Note      string  `json:"note"`
}

// apiEntry is a solution's entry as clients write it and as owners read
// their versions: the names of the public solution document.
type apiEntry struct {
	Name        string             `json:"name"`
	Short       string             `json:"short"`
	Description string             `json:"description"`
	Fields      []string           `json:"fields"`
	Sizes       []region.Band      `json:"sizes"`
	Licence     string             `json:"licence"`
	Repository  string             `json:"repository"`
	Website     string             `json:"website"`
	Delivery    []apiDelivery      `json:"delivery"`
	Evidence    []apiEntryEvidence `json:"evidence"`
	Standards   []string           `json:"standards"`
	Maturity    string             `json:"maturity"`
	Origin      string             `json:"origin"`
	Programme   string             `json:"programme"`
	Languages   []string           `json:"languages"`
	Contact     string             `json:"contact"`
	Support     string             `json:"support"`
	// Logo and Screenshots refer to media uploaded with
	// POST /api/v1/solutions/{slug}/media.
	Logo        string          `json:"logo"`
	Screenshots []apiScreenshot `json:"screenshots"`
}

// apiScreenshot refers to an uploaded screenshot with its alternative
// text; without one, the text given at upload stays.
type apiScreenshot struct {
	ID  string `json:"id"`
	Alt string `json:"alt"`
}

// entry converts the client's entry; dates it cannot read are field
// errors named as the client named them.
func (a apiEntry) entry() (catalog.Entry, error) {
	e := catalog.Entry{Name: a.Name, Short: a.Short, Description: a.Description, Fields: a.Fields, Sizes: a.Sizes,
		Licence: a.Licence, Repository: a.Repository, Website: a.Website, Standards: a.Standards, Maturity: a.Maturity,
		Origin: a.Origin, Programme: a.Programme, Languages: a.Languages, Contact: a.Contact, Support: a.Support, Logo: a.Logo}
	for _, sc := range a.Screenshots {
		e.Screenshots = append(e.Screenshots, catalog.Screenshot{ID: sc.ID, Alt: sc.Alt})
	}
	var v apperr.Validation
	for _, d := range a.Delivery {
		cd := catalog.Delivery{Model: d.Model, Price: d.Price, PriceMin: d.PriceMin, PriceMax: d.PriceMax}
		if d.Hosting != nil {
			cd.Hosting = *d.Hosting
		}
		e.Delivery = append(e.Delivery, cd)
	}
	for i, ev := range a.Evidence {
		ce := catalog.Evidence{Kind: ev.Kind, Link: ev.Link, Note: ev.Note}
		if ev.ExpiresAt != nil && strings.TrimSpace(*ev.ExpiresAt) != "" {
			t, ok := parseAPIDate(*ev.ExpiresAt)
			if !ok {
				v.Add(fmt.Sprintf("evidence.%d.expires_at", i), "catalog.error.date")
			}
			ce.Expires = &t
		}
		e.Evidence = append(e.Evidence, ce)
	}
	return e, v.Err()
}

// parseAPIDate reads a date or an RFC 3339 time; a date is midnight UTC.
func parseAPIDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil && t.Year() < 10000
}

// apiEntryOf describes an entry in the names clients write.
func apiEntryOf(e catalog.Entry) apiEntry {
	a := apiEntry{Name: e.Name, Short: e.Short, Description: e.Description, Fields: nonNil(e.Fields), Sizes: e.Sizes,
		Licence: e.Licence, Repository: e.Repository, Website: e.Website, Standards: nonNil(e.Standards), Maturity: e.Maturity,
		Origin: e.Origin, Programme: e.Programme, Languages: nonNil(e.Languages), Contact: e.Contact, Support: e.Support,
		Delivery: apiDeliveryOf(e.Delivery), Evidence: []apiEntryEvidence{}, Logo: e.Logo, Screenshots: []apiScreenshot{}}
	for _, sc := range e.Screenshots {
		a.Screenshots = append(a.Screenshots, apiScreenshot{ID: sc.ID, Alt: sc.Alt})
	}
	if a.Sizes == nil {
		a.Sizes = []region.Band{}
	}
	for _, ev := range e.Evidence {
		ae := apiEntryEvidence{Kind: ev.Kind, Link: ev.Link, Note: ev.Note}
		if ev.Expires != nil {
			d := ev.Expires.Format(time.DateOnly)
			ae.ExpiresAt = &d
		}
		a.Evidence = append(a.Evidence, ae)
	}
	return a
}

// renameEntryFields gives the catalogue's field errors the names of the
// API document (the evidence date is expires_at there).
func renameEntryFields(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		for i, f := range ae.Fields {
			if strings.HasPrefix(f.Field, "evidence.") && strings.HasSuffix(f.Field, ".expires") {
				ae.Fields[i].Field += "_at"
			}
		}
	}
	return err
}

// apiVersion is one version of a solution as its owners and curators see
// it.
type apiVersion struct {
	Number      int        `json:"number"`
	State       string     `json:"state"`
	Comment     string     `json:"comment"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
	DecidedAt   *time.Time `json:"decided_at"`
	Entry       apiEntry   `json:"entry"`
}

func apiVersionOf(v catalog.Version) apiVersion {
	return apiVersion{Number: v.Number, State: v.State, Comment: v.Comment, CreatedAt: v.Created, UpdatedAt: v.Updated,
		SubmittedAt: v.Submitted, DecidedAt: v.Decided, Entry: apiEntryOf(v.Entry)}
}

// apiSolutionState is a solution's workflow state for its owners and
// curators: the published version, the one being worked on, and the lock
// to send back with the next write.
type apiSolutionState struct {
	Slug          string      `json:"slug"`
	Organisation  apiOrgRef   `json:"organisation"`
	Lock          int         `json:"lock"`
	Published     *apiVersion `json:"published"`
	Working       *apiVersion `json:"working"`
	ArchivedAt    *time.Time  `json:"archived_at"`
	ArchiveReason string      `json:"archive_reason"`
}

func apiSolutionStateOf(sol catalog.Solution) apiSolutionState {
	out := apiSolutionState{Slug: sol.Slug, Organisation: apiOrgRef{Slug: sol.OrgSlug, Name: sol.OrgName}, Lock: sol.Lock,
		ArchivedAt: sol.Archived, ArchiveReason: sol.Reason}
	if sol.Published != nil {
		v := apiVersionOf(*sol.Published)
		out.Published = &v
	}
	if sol.Working != nil {
		v := apiVersionOf(*sol.Working)
		out.Working = &v
	}
	return out
}

// writeSolutionState answers a write with the solution's new state.
func (s *Server) writeSolutionState(w http.ResponseWriter, r *http.Request, slug string, status int) error {
	u := userOf(r).user
	sol, _, err := s.Solutions.Get(r.Context(), &u, slug)
	if err != nil {
		return err
	}
	writeJSON(w, status, "application/json", apiSolutionStateOf(sol))
	return nil
}

// handleAPISolutionCreate opens a draft for an organisation the caller
// is a member of.
func (s *Server) handleAPISolutionCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Organisation string `json:"organisation"`
		apiEntry
	}
	if err := decodeJSON(w, r, maxEntryBody, &body); err != nil {
		return err
	}
	if strings.TrimSpace(body.Organisation) == "" {
		var v apperr.Validation
		v.Add("organisation", "form.error.required")
		return v.Err()
	}
	e, err := body.entry()
	if err != nil {
		return err
	}
	sol, err := s.Solutions.Create(r.Context(), userOf(r).user, body.Organisation, e, s.meta(r))
	if err != nil {
		return renameEntryFields(err)
	}
	w.Header().Set("Location", "/api/v1/solutions/"+sol.Slug+"/versions")
	return s.writeSolutionState(w, r, sol.Slug, http.StatusCreated)
}

// handleAPISolutionUpdate saves a changed entry: the draft, or a new
// version of a published solution (which stays published meanwhile).
func (s *Server) handleAPISolutionUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.ownSolution(r, catalog.ActEdit); err != nil {
		return err
	}
	var body struct {
		Lock *int `json:"lock"`
		apiEntry
	}
	if err := decodeJSON(w, r, maxEntryBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	e, err := body.entry()
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := s.Solutions.Update(r.Context(), userOf(r).user, slug, *body.Lock, e, s.meta(r)); err != nil {
		return renameEntryFields(err)
	}
	return s.writeSolutionState(w, r, slug, http.StatusOK)
}

// requireLock insists on the lock of the state the client last read, so
// that no write overwrites a change the client has not seen.
func requireLock(lock *int) error {
	if lock == nil {
		var v apperr.Validation
		v.Add("lock", "form.error.required")
		return v.Err()
	}
	return nil
}

// solutionStep reads a body with a lock and further fields after
// checking that the caller may act on the solution at all, runs the step
// and answers with the new state.
func (s *Server) solutionStep(w http.ResponseWriter, r *http.Request, act catalog.Action, body any, lock func() *int, step func(slug string, lock int) error) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.ownSolution(r, act); err != nil {
		return err
	}
	if err := decodeJSON(w, r, maxJSONBody, body); err != nil {
		return err
	}
	l := lock()
	if err := requireLock(l); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := step(slug, *l); err != nil {
		return err
	}
	return s.writeSolutionState(w, r, slug, http.StatusOK)
}

func (s *Server) handleAPISolutionSubmit(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock *int `json:"lock"`
	}
	return s.solutionStep(w, r, catalog.ActEdit, &body, func() *int { return body.Lock }, func(slug string, lock int) error {
		return s.Solutions.Submit(r.Context(), userOf(r).user, slug, lock, s.meta(r))
	})
}

func (s *Server) handleAPISolutionReview(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock     *int   `json:"lock"`
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	return s.solutionStep(w, r, catalog.ActReview, &body, func() *int { return body.Lock }, func(slug string, lock int) error {
		switch body.Decision {
		case "publish", "changes":
			return s.Solutions.Review(r.Context(), userOf(r).user, slug, lock, body.Decision == "publish", body.Comment, s.meta(r))
		}
		var v apperr.Validation
		v.Add("decision", "solution.error.decision")
		return v.Err()
	})
}

func (s *Server) handleAPISolutionArchive(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Lock   *int   `json:"lock"`
		Reason string `json:"reason"`
	}
	return s.solutionStep(w, r, catalog.ActArchive, &body, func() *int { return body.Lock }, func(slug string, lock int) error {
		return s.Solutions.Archive(r.Context(), userOf(r).user, slug, lock, body.Reason, s.meta(r))
	})
}

// handleAPISolutionVersions lists every version with the current state,
// for the providing organisation's members and curators.
func (s *Server) handleAPISolutionVersions(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	slug := r.PathValue("slug")
	versions, err := s.Solutions.Versions(r.Context(), u, slug)
	if err != nil {
		return err
	}
	sol, _, err := s.Solutions.Get(r.Context(), &u, slug)
	if err != nil {
		return err
	}
	out := struct {
		apiSolutionState
		Versions []apiVersion `json:"versions"`
	}{apiSolutionState: apiSolutionStateOf(sol), Versions: []apiVersion{}}
	for _, v := range versions {
		out.Versions = append(out.Versions, apiVersionOf(v))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
