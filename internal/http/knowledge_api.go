package http

// This file: the JSON API of the knowledge base (/api/v1/articles).
// Everyone reads published articles; curators and advisors write, submit
// and (curators, four-eyes) review with the same rules as the pages.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/knowledge"
)

type apiArticleVersion struct {
	Number    int            `json:"number"`
	Kind      knowledge.Kind `json:"kind"`
	Title     string         `json:"title"`
	Summary   string         `json:"summary"`
	Body      string         `json:"body"`
	Fields    []string       `json:"fields"`
	Solutions []string       `json:"solutions"`
	Related   []string       `json:"related"`
	Published *time.Time     `json:"published_at,omitempty"`
}

type apiArticle struct {
	Slug        string             `json:"slug"`
	Owner       string             `json:"owner"` // name; "" for a deleted account
	LastChecked string             `json:"last_checked"`
	Outdated    bool               `json:"outdated"`
	Helpful     int                `json:"helpful"`
	NotHelpful  int                `json:"not_helpful"`
	URL         string             `json:"url"`
	Published   *apiArticleVersion `json:"published"`
	// The working version, for writers only.
	State   knowledge.State    `json:"state,omitempty"`
	Lock    int                `json:"lock,omitempty"`
	Working *apiArticleVersion `json:"working,omitempty"`
}

func apiArticleContent(c knowledge.Content) *apiArticleVersion {
	return &apiArticleVersion{Kind: c.Kind, Title: c.Title, Summary: c.Summary, Body: c.Body, Fields: nonNil(c.Fields),
		Solutions: nonNil(c.Solutions), Related: nonNil(c.Related)}
}

// apiArticleOf writes a for the API; writers see the working version.
func (s *Server) apiArticleOf(r *http.Request, a knowledge.Article) apiArticle {
	out := apiArticle{Slug: a.Slug, Owner: a.Owner.Name, LastChecked: a.LastChecked.Format(time.DateOnly),
		Outdated: a.Published != nil && s.Knowledge.Outdated(a), Helpful: a.Helpful, NotHelpful: a.NotHelpful,
		URL: s.Config.BaseURL + "/wissen/" + a.Slug}
	if v := a.Published; v != nil {
		out.Published = apiArticleContent(v.Content)
		out.Published.Number = v.Number
		at := v.At
		out.Published.Published = &at
	}
	if knowledge.Can(optionalUser(r), knowledge.ActEdit, a) {
		out.State, out.Lock, out.Working = a.State, a.Lock, apiArticleContent(a.Working)
	}
	return out
}

func (s *Server) handleAPIArticleList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "kind", "field", "limit", "cursor")
	limit := p.int("limit", knowledge.DefaultLimit, 1, knowledge.MaxLimit)
	offset := p.int("cursor", 0, 0, 1<<30)
	kind := knowledge.Kind(p.str("kind"))
	if kind != "" && !kind.Valid() {
		p.Add("kind", "error.param.value", "Name", "kind")
	}
	field := p.str("field")
	if field != "" && !s.fieldKnown(r, field) {
		p.Add("field", "error.param.value", "Name", "field")
	}
	if err := p.Err(); err != nil {
		return err
	}
	page, err := s.Knowledge.List(r.Context(), knowledge.Query{Kind: kind, Field: field, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	out := list[apiArticle]{Items: []apiArticle{}, Total: page.Total}
	for _, a := range page.Items {
		out.Items = append(out.Items, s.apiArticleOf(r, a))
	}
	if offset+len(page.Items) < page.Total {
		out.Next = strconv.Itoa(offset + len(page.Items))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

func (s *Server) handleAPIArticleView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	a, err := s.Knowledge.Get(r.Context(), optionalUser(r), r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiArticleOf(r, a))
	return nil
}

type apiArticleInput struct {
	Kind      knowledge.Kind `json:"kind"`
	Title     string         `json:"title"`
	Summary   string         `json:"summary"`
	Body      string         `json:"body"`
	Fields    []string       `json:"fields"`
	Solutions []string       `json:"solutions"`
	Related   []string       `json:"related"`
	Owner     string         `json:"owner"` // e-mail address; "" keeps the owner
	Lock      int            `json:"lock"`  // on PUT: the lock read with the article
}

func (in apiArticleInput) input() knowledge.Input {
	return knowledge.Input{Content: knowledge.Content{Kind: in.Kind, Title: in.Title, Summary: in.Summary, Body: in.Body,
		Fields: in.Fields, Solutions: in.Solutions, Related: in.Related}, Owner: in.Owner, Lock: in.Lock}
}

func (s *Server) handleAPIArticleCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiArticleInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	a, err := s.Knowledge.Create(r.Context(), userOf(r).user, body.input(), s.meta(r))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/articles/"+a.Slug)
	writeJSON(w, http.StatusCreated, "application/json", s.apiArticleOf(r, a))
	return nil
}

func (s *Server) handleAPIArticleUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiArticleInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	in := body.input()
	if in.Lock == 0 {
		in.Lock = -1 // the API always checks the lock
	}
	a, err := s.Knowledge.Update(r.Context(), userOf(r).user, r.PathValue("slug"), in, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiArticleOf(r, a))
	return nil
}

type apiArticleSubmit struct {
	Lock int `json:"lock"`
}

func (s *Server) handleAPIArticleSubmit(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiArticleSubmit
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	a, err := s.Knowledge.Submit(r.Context(), userOf(r).user, r.PathValue("slug"), s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiArticleOf(r, a))
	return nil
}

type apiArticleReview struct {
	Decision string `json:"decision"` // publish | changes
	Comment  string `json:"comment"`
}

func (s *Server) handleAPIArticleReview(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiArticleReview
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if body.Decision != "publish" && body.Decision != "changes" {
		var v apperr.Validation
		v.Add("decision", "knowledge.error.decision")
		return v.Err()
	}
	a, err := s.Knowledge.Review(r.Context(), userOf(r).user, r.PathValue("slug"), body.Decision == "publish", body.Comment, s.meta(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiArticleOf(r, a))
	return nil
}

// fieldKnown reports whether key is a field of action; without the
// taxonomy every key is.
func (s *Server) fieldKnown(r *http.Request, key string) bool {
	if s.Fields == nil {
		return true
	}
	all, err := s.Fields.All(r.Context())
	if err != nil {
		return true // the list query reports the database's trouble
	}
	for _, f := range all {
		if f.Key == key {
			return true
		}
		for _, c := range f.Children {
			if c.Key == key {
				return true
			}
		}
	}
	return false
}
