package http

// This file: the JSON API of practice examples (/api/v1/practice-examples).

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/region"
)

var (
	reSolutionSlug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	reAGS          = regexp.MustCompile(`^[0-9]{8}$`)
)

type apiPracticeOrg struct {
	Slug      string `json:"slug"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	RegionKey string `json:"region_key"`
}

// apiPracticeContent is a version of an example; the contact person is
// null where the reader may not see it.
type apiPracticeContent struct {
	practice.Content
	Contact *practice.Contact `json:"contact"`
}

func apiPracticeContentOf(c practice.Content, showContact bool) *apiPracticeContent {
	c.Fields, c.Solutions = practiceKeys(c.Fields), practiceKeys(c.Solutions)
	if c.Results == nil {
		c.Results = []practice.Indicator{}
	}
	out := &apiPracticeContent{Content: c}
	if showContact && !c.Contact.Empty() {
		ct := c.Contact
		out.Contact = &ct
	}
	return out
}

func practiceKeys(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

type apiPractice struct {
	Slug         string              `json:"slug"`
	Organisation apiPracticeOrg      `json:"organisation"`
	SizeBand     region.Band         `json:"size_band"`
	Urbanisation string              `json:"urbanisation"`
	State        practice.State      `json:"state"`
	Version      int                 `json:"version"`
	PublishedAt  *time.Time          `json:"published_at"`
	Published    *apiPracticeContent `json:"published"`
	// Working, Lock and ReviewNote are there for those who work on the
	// example: its organisation and curators.
	Working    *apiPracticeContent `json:"working,omitempty"`
	Lock       int                 `json:"lock,omitempty"`
	ReviewNote string              `json:"review_note,omitempty"`
	URL        string              `json:"url"`
}

func (s *Server) apiPracticeOf(a practice.Actor, e practice.Example) apiPractice {
	out := apiPractice{Slug: e.Slug, Organisation: apiPracticeOrg{Slug: e.Org.Slug, Name: e.Org.Name, Kind: e.Org.Kind, RegionKey: e.Org.RegionKey},
		SizeBand: e.Band, Urbanisation: e.Urbanisation.Slug(), State: e.State, Version: e.Version, PublishedAt: e.PublishedAt,
		URL: s.Config.BaseURL + "/praxisbeispiele/" + e.Slug}
	work := practice.Can(a, practice.ActWork, e)
	if e.Published != nil {
		out.Published = apiPracticeContentOf(*e.Published, work || e.Published.Contact.Consent)
	}
	if work {
		out.Working, out.Lock, out.ReviewNote = apiPracticeContentOf(e.Working, true), e.Lock, e.ReviewNote
	}
	return out
}

// apiPracticeInput is the body of POST and PUT /api/v1/practice-examples.
type apiPracticeInput struct {
	Organisation string `json:"organisation"` // slug; on creation only
	Lock         *int   `json:"lock"`         // on update only
	practice.Content
}

func (s *Server) handleAPIPracticeList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "field", "band", "urbanisation", "state", "solution", "municipality", "limit", "cursor")
	q := practiceFilter(p, "field", "band", "urbanisation", "state")
	q.Solution, q.RegionKey = p.str("solution"), p.str("municipality")
	if q.Solution != "" && (len(q.Solution) > 100 || !reSolutionSlug.MatchString(q.Solution)) {
		p.Add("solution", "error.param.value", "Name", "solution")
	}
	if q.RegionKey != "" && !reAGS.MatchString(q.RegionKey) {
		p.Add("municipality", "error.param.value", "Name", "municipality")
	}
	q.Limit = p.int("limit", practice.DefaultLimit, 1, practice.MaxLimit)
	q.Offset = p.int("cursor", 0, 0, 1_000_000)
	if q.Field != "" && !s.fieldKnown(r, q.Field) {
		p.Add("field", "error.param.value", "Name", "field")
	}
	if err := p.Err(); err != nil {
		return err
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	page, err := s.Practice.List(r.Context(), a, q)
	if err != nil {
		return err
	}
	out := list[apiPractice]{Items: []apiPractice{}, Total: page.Total}
	if page.Next > 0 {
		out.Next = strconv.Itoa(page.Next)
	}
	for _, e := range page.Items {
		out.Items = append(out.Items, s.apiPracticeOf(a, e))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIPracticeView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	e, err := s.Practice.Get(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiPracticeOf(a, e))
	return nil
}

// renamePracticeFields gives the API's names to the domain's field names.
func renamePracticeFields(err error) error {
	if e, ok := err.(*apperr.Error); ok {
		for i, f := range e.Fields {
			switch f.Field {
			case "org":
				e.Fields[i].Field = "organisation"
			case "contact_name", "contact_role", "contact_email":
				e.Fields[i].Field = "contact." + f.Field[len("contact_"):]
			case "consent":
				e.Fields[i].Field = "contact.consent"
			}
		}
	}
	return err
}

func (s *Server) handleAPIPracticeCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	var body apiPracticeInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	e, err := s.Practice.Create(r.Context(), a, body.Organisation, practice.Input{Content: body.Content}, s.meta(r))
	if err != nil {
		return renamePracticeFields(err)
	}
	w.Header().Set("Location", "/api/v1/practice-examples/"+e.Slug)
	writeJSON(w, http.StatusCreated, "application/json", s.apiPracticeOf(a, e))
	return nil
}

func (s *Server) handleAPIPracticeUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	var body apiPracticeInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	lock := *body.Lock
	if lock == 0 {
		lock = -1 // never a lock: refused as stale
	}
	e, err := s.Practice.Update(r.Context(), a, r.PathValue("slug"), practice.Input{Content: body.Content, Lock: lock}, s.meta(r))
	if err != nil {
		return renamePracticeFields(err)
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiPracticeOf(a, e))
	return nil
}

func (s *Server) handleAPIPracticeSubmit(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	var body struct{}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	e, err := s.Practice.Submit(r.Context(), a, r.PathValue("slug"), s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiPracticeOf(a, e))
	return nil
}

func (s *Server) handleAPIPracticeWithdraw(w http.ResponseWriter, r *http.Request) error {
	return s.apiPracticeStep(w, r, func(a practice.Actor, slug string) error {
		_, err := s.Practice.Withdraw(r.Context(), a, slug, s.meta(r))
		return err
	})
}

func (s *Server) handleAPIPracticeArchive(w http.ResponseWriter, r *http.Request) error {
	return s.apiPracticeStep(w, r, func(a practice.Actor, slug string) error {
		return s.Practice.Archive(r.Context(), a, slug, s.meta(r))
	})
}

// apiPracticeStep runs a state change without parameters (the body is
// {}) and answers with the example as it is then.
func (s *Server) apiPracticeStep(w http.ResponseWriter, r *http.Request, step func(practice.Actor, string) error) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	var body struct{}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if err := step(a, slug); err != nil {
		return err
	}
	s.cache.forget() // municipality pages list published examples
	e, err := s.Practice.Get(r.Context(), a, slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiPracticeOf(a, e))
	return nil
}

func (s *Server) handleAPIPracticeReview(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body struct {
		Decision string `json:"decision"`
		Comment  string `json:"comment"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if body.Decision != "publish" && body.Decision != "changes" {
		var v apperr.Validation
		v.Add("decision", "practice.error.decision")
		return v.Err()
	}
	a, err := s.practiceActor(r)
	if err != nil {
		return err
	}
	e, err := s.Practice.Review(r.Context(), a, r.PathValue("slug"), body.Decision == "publish", body.Comment, s.meta(r))
	if err != nil {
		return err
	}
	s.cache.forget() // municipality pages list published examples
	writeJSON(w, http.StatusOK, "application/json", s.apiPracticeOf(a, e))
	return nil
}
