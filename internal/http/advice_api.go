package http

// This file: the JSON API of advice requests (/api/v1/advice-requests).
// Members see their organisations' requests, the centre all. Attachments
// are not part of the API; their names are listed with links to the pages'
// downloads.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
)

type apiAdviceOrg struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiAdviceAttachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	URL  string `json:"url"`
}

type apiAdviceMessage struct {
	ID          string                `json:"id"`
	Author      string                `json:"author"` // name or address; "" for a deleted account
	ByCentre    bool                  `json:"by_centre"`
	Internal    bool                  `json:"internal"`
	Body        string                `json:"body"`
	Created     time.Time             `json:"created"`
	Attachments []apiAdviceAttachment `json:"attachments"`
}

type apiAdvice struct {
	ID       string             `json:"id"`
	Number   string             `json:"number"`
	Org      apiAdviceOrg       `json:"organisation"`
	Topic    string             `json:"topic"`
	Field    string             `json:"field"`
	Urgency  advice.Urgency     `json:"urgency"`
	State    advice.State       `json:"state"`
	Assignee string             `json:"assignee"` // name or address of the responsible advisor; "" for none
	Created  time.Time          `json:"created"`
	Due      time.Time          `json:"due"`
	Overdue  bool               `json:"overdue"`
	URL      string             `json:"url"`
	Messages []apiAdviceMessage `json:"messages,omitempty"` // on the single request only
}

func (s *Server) apiAdviceOf(r advice.Request) apiAdvice {
	a := apiAdvice{ID: r.ID, Number: r.Number(), Org: apiAdviceOrg{Slug: r.Org.Slug, Name: r.Org.Name}, Topic: r.Topic, Field: r.Field,
		Urgency: r.Urg, State: r.State, Assignee: r.Agent.Label(), Created: r.Created, Due: r.Due, Overdue: r.Overdue(s.Advice.Now()),
		URL: s.Advice.Link(r)}
	for _, m := range r.Messages {
		am := apiAdviceMessage{ID: m.ID, Author: m.Author.Label(), ByCentre: m.ByCentre, Internal: m.Internal, Body: m.Body, Created: m.Created,
			Attachments: []apiAdviceAttachment{}}
		for _, f := range m.Attachments {
			am.Attachments = append(am.Attachments, apiAdviceAttachment{Name: f.Name, Type: f.Type, Size: f.Size,
				URL: s.Advice.Link(r) + "/anhang/" + f.ID})
		}
		a.Messages = append(a.Messages, am)
	}
	return a
}

func (s *Server) handleAPIAdviceList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "state", "limit", "cursor")
	limit := p.int("limit", advice.DefaultLimit, 1, advice.MaxLimit)
	offset := p.int("cursor", 0, 0, 1<<30)
	st := advice.State(p.str("state"))
	if st != "" && !st.Valid() {
		p.Add("state", "error.param.value", "Name", "state")
	}
	if err := p.Err(); err != nil {
		return err
	}
	u := userOf(r).user
	var (
		page advice.Page
		err  error
	)
	if u.Has(account.Advisor) {
		page, err = s.Advice.Queue(r.Context(), u, advice.Query{State: st, Limit: limit, Offset: offset})
	} else {
		page, err = s.Advice.Mine(r.Context(), u, st, limit, offset)
	}
	if err != nil {
		return err
	}
	out := list[apiAdvice]{Items: []apiAdvice{}, Total: page.Total}
	for _, a := range page.Items {
		out.Items = append(out.Items, s.apiAdviceOf(a))
	}
	if offset+len(page.Items) < page.Total {
		out.Next = strconv.Itoa(offset + len(page.Items))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

type apiAdviceInput struct {
	Organisation string         `json:"organisation"` // slug
	Topic        string         `json:"topic"`
	Field        string         `json:"field"`
	Urgency      advice.Urgency `json:"urgency"`
	Body         string         `json:"body"`
}

func (s *Server) handleAPIAdviceCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiAdviceInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	u := userOf(r).user
	req, err := s.Advice.Create(r.Context(), u, advice.Input{Org: body.Organisation, Topic: body.Topic, Field: body.Field,
		Urgency: body.Urgency, Body: body.Body}, s.meta(r))
	if err != nil {
		return renameField(err, "org", "organisation")
	}
	req, _, err = s.Advice.Get(r.Context(), u, req.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/advice-requests/"+req.ID)
	writeJSON(w, http.StatusCreated, "application/json", s.apiAdviceOf(req))
	return nil
}

func (s *Server) handleAPIAdviceView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	req, _, err := s.Advice.Get(r.Context(), userOf(r).user, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiAdviceOf(req))
	return nil
}

type apiAdviceMessageInput struct {
	Body string `json:"body"`
	// Internal makes the centre's message a note the municipality never
	// sees; Waiting makes its answer a question back (state waiting).
	Internal bool `json:"internal"`
	Waiting  bool `json:"waiting"`
}

// handleAPIAdviceMessage adds a message: the municipality's reply, or the
// centre's answer or internal note.
func (s *Server) handleAPIAdviceMessage(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var body apiAdviceMessageInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	u, id := userOf(r).user, r.PathValue("id")
	req, role, err := s.Advice.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	post := advice.Post{Body: body.Body}
	switch {
	case role == advice.Centre && body.Internal:
		err = s.Advice.Note(r.Context(), u, id, post, s.meta(r))
	case role == advice.Centre:
		err = s.Advice.Answer(r.Context(), u, id, post, body.Waiting, s.meta(r))
	default:
		err = s.Advice.Reply(r.Context(), u, id, post, s.meta(r))
	}
	if err != nil {
		return err
	}
	if req, _, err = s.Advice.Get(r.Context(), u, req.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", s.apiAdviceOf(req))
	return nil
}
