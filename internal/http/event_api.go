package http

// This file: the JSON API of events and registrations (/api/v1/events).

import (
	"net/http"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
)

type apiEventOrg struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type apiEvent struct {
	Slug        string       `json:"slug"`
	Title       string       `json:"title"`
	Summary     string       `json:"summary"`
	Description string       `json:"description"`
	Kind        event.Kind   `json:"kind"`
	Format      event.Format `json:"format"`
	Address     string       `json:"address"`
	OnlineURL   *string      `json:"online_url"` // for editors and confirmed attendees
	Start       time.Time    `json:"start"`
	End         time.Time    `json:"end"`
	Deadline    time.Time    `json:"registration_deadline"`
	Capacity    int          `json:"capacity"`
	PlacesLeft  int          `json:"places_left"`
	Waitlisted  int          `json:"waitlisted"`
	Organiser   *apiEventOrg `json:"organiser"`
	Fields      []string     `json:"fields"`
	Materials   []event.Link `json:"materials"`
	State       event.State  `json:"state"`
	Lock        int          `json:"lock"`
	URL         string       `json:"url"`
	ICal        string       `json:"ical"`
}

func (s *Server) apiEventOf(e event.Event, showLink bool) apiEvent {
	a := apiEvent{Slug: e.Slug, Title: e.Title, Summary: e.Summary, Description: e.Description, Kind: e.Kind, Format: e.Format,
		Address: e.Address, Start: e.Start, End: e.End, Deadline: e.Deadline, Capacity: e.Capacity, PlacesLeft: e.PlacesLeft(),
		Waitlisted: e.Waitlisted, Fields: e.Fields, Materials: e.Materials, State: e.State, Lock: e.Lock,
		URL: s.Events.Link(e), ICal: s.Events.Link(e) + ".ics"}
	if showLink && e.OnlineURL != "" {
		a.OnlineURL = &e.OnlineURL
	}
	if e.Org.Slug != "" {
		a.Organiser = &apiEventOrg{Slug: e.Org.Slug, Name: e.Org.Name}
	}
	if a.Fields == nil {
		a.Fields = []string{}
	}
	if a.Materials == nil {
		a.Materials = []event.Link{}
	}
	return a
}

// apiEventInput is the body of POST and PUT /api/v1/events.
type apiEventInput struct {
	Title       string       `json:"title"`
	Summary     string       `json:"summary"`
	Description string       `json:"description"`
	Kind        event.Kind   `json:"kind"`
	Format      event.Format `json:"format"`
	Address     string       `json:"address"`
	OnlineURL   string       `json:"online_url"`
	Start       *time.Time   `json:"start"`
	End         *time.Time   `json:"end"`
	Deadline    *time.Time   `json:"registration_deadline"`
	Capacity    int          `json:"capacity"`
	Organiser   string       `json:"organiser"`
	Fields      []string     `json:"fields"`
	Materials   []event.Link `json:"materials"`
	Publish     bool         `json:"publish"`
}

func (a apiEventInput) input() event.Input {
	in := event.Input{Title: a.Title, Summary: a.Summary, Description: a.Description, Kind: a.Kind, Format: a.Format, Address: a.Address,
		OnlineURL: a.OnlineURL, Capacity: a.Capacity, Org: a.Organiser, Fields: a.Fields, Materials: a.Materials, Publish: a.Publish}
	for _, t := range []struct {
		dst *time.Time
		src *time.Time
	}{{&in.Start, a.Start}, {&in.End, a.End}, {&in.Deadline, a.Deadline}} {
		if t.src != nil {
			*t.dst = t.src.UTC()
		}
	}
	return in
}

// renameEventFields gives the API's names to the domain's field names.
func renameEventFields(err error) error {
	e, ok := err.(*apperr.Error)
	if !ok {
		return err
	}
	names := map[string]string{"deadline": "registration_deadline", "org": "organiser"}
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			e.Fields[i].Field = n
		}
	}
	return e
}

type apiRegistration struct {
	Event        apiRegistrationEvent `json:"event"`
	Status       event.Status         `json:"status"`
	Position     *int                 `json:"waitlist_position"`
	Organisation string               `json:"organisation"`
	AccessNeeds  string               `json:"access_needs"`
	RegisteredAt time.Time            `json:"registered_at"`
	CancelledAt  *time.Time           `json:"cancelled_at"`
}

type apiRegistrationEvent struct {
	Slug  string    `json:"slug"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
}

func apiRegistrationOf(e event.Event, r event.Registration) apiRegistration {
	a := apiRegistration{Event: apiRegistrationEvent{Slug: e.Slug, Title: e.Title, Start: e.Start}, Status: r.Status,
		Organisation: r.Organisation, AccessNeeds: r.AccessNeeds, RegisteredAt: r.Created, CancelledAt: r.Cancelled}
	if r.Status == event.Waitlisted {
		p := r.Position
		a.Position = &p
	}
	return a
}

func (s *Server) handleAPIEventList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "period", "kind", "format", "limit", "cursor")
	limit := p.int("limit", event.DefaultLimit, 1, event.MaxLimit)
	q := readEventQuery(p, eventAPIParams)
	q.Limit = limit
	if err := p.Err(); err != nil {
		return err
	}
	u := optionalUser(r)
	// Drafts only reach editors (the service decides).
	page, err := s.Events.List(r.Context(), u, q)
	if err != nil {
		return err
	}
	editor := event.Can(u, event.ActEdit, nil)
	out := list[apiEvent]{Items: []apiEvent{}, Total: page.Total}
	for _, e := range page.Items {
		out.Items = append(out.Items, s.apiEventOf(e, editor))
	}
	if page.Next != nil {
		out.Next = page.Next.String()
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// showLink reports whether the caller may see the event's online
// address: its editors and confirmed attendees.
func (s *Server) showLink(r *http.Request, e event.Event) (bool, error) {
	u := optionalUser(r)
	if u == nil {
		return false, nil
	}
	if event.Can(u, event.ActEdit, &e) {
		return true, nil
	}
	reg, err := s.Events.Own(r.Context(), *u, e)
	if apperr.Is(err, apperr.NotFound) {
		return false, nil
	}
	return err == nil && reg.Status == event.Confirmed, err
}

func (s *Server) handleAPIEventView(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	e, err := s.Events.Get(r.Context(), optionalUser(r), r.PathValue("slug"))
	if err != nil {
		return err
	}
	show, err := s.showLink(r, e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiEventOf(e, show))
	return nil
}

func (s *Server) handleAPIEventCreate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	if !event.Can(&u, event.ActEdit, nil) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var body apiEventInput
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	e, err := s.Events.Create(r.Context(), u, body.input(), s.meta(r))
	if err != nil {
		return renameEventFields(err)
	}
	w.Header().Set("Location", "/api/v1/events/"+e.Slug)
	writeJSON(w, http.StatusCreated, "application/json", s.apiEventOf(e, true))
	return nil
}

func (s *Server) handleAPIEventUpdate(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if _, err := s.editableEvent(r); err != nil {
		return err
	}
	var body struct {
		Lock *int `json:"lock"`
		apiEventInput
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	if err := requireLock(body.Lock); err != nil {
		return err
	}
	e, err := s.Events.Update(r.Context(), userOf(r).user, r.PathValue("slug"), *body.Lock, body.input(), s.meta(r))
	if err != nil {
		return renameEventFields(err)
	}
	writeJSON(w, http.StatusOK, "application/json", s.apiEventOf(e, true))
	return nil
}

func (s *Server) handleAPIEventRegister(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	e, err := s.Events.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	var body struct {
		Organisation string `json:"organisation"`
		AccessNeeds  string `json:"access_needs"`
	}
	if err := decodeJSON(w, r, maxJSONBody, &body); err != nil {
		return err
	}
	reg, err := s.Events.Register(r.Context(), u, e.Slug, event.RegisterForm{Organisation: body.Organisation, AccessNeeds: body.AccessNeeds})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, "application/json", apiRegistrationOf(e, reg))
	return nil
}

func (s *Server) handleAPIEventUnregister(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	u := userOf(r).user
	e, err := s.Events.Get(r.Context(), &u, r.PathValue("slug"))
	if err != nil {
		return err
	}
	reg, err := s.Events.Unregister(r.Context(), u, e.Slug)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, "application/json", apiRegistrationOf(e, reg))
	return nil
}

func (s *Server) handleAPIMyRegistrations(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	mine, err := s.Events.Mine(r.Context(), userOf(r).user)
	if err != nil {
		return err
	}
	out := list[apiRegistration]{Items: []apiRegistration{}, Total: len(mine)}
	for _, m := range mine {
		out.Items = append(out.Items, apiRegistrationOf(m.Event, m.Registration))
	}
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}
