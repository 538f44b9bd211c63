package http

// This file: the pages of trainings and information events
// (/veranstaltungen). Forms enter times as local date and time in
// Europe/Berlin (event.ParseLocal); the store keeps UTC.

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/web"
)

// eventsOn guards the event routes: without the service they are not there.
func (s *Server) eventsOn(fn handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if s.Events == nil {
			return errNotFound
		}
		return fn(w, r)
	}
}

// EventCard is an event in a list, with its time in the page's language.
type EventCard struct {
	event.Event
	When string
}

// EventListView is the Data of the "events" page.
type EventListView struct {
	Events  []EventCard
	Past    bool
	Kind    string
	Format  string
	Next    string // query of the next page, "" on the last
	Kinds   []event.Kind
	Formats []event.Format
	CanEdit bool
}

// eventCrumbs are the breadcrumbs below the event list.
func (s *Server) eventCrumbs(r *http.Request, trail ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "event.title"), Href: "/veranstaltungen"}}, trail...)
}

// eventParams names the parameters of an event list: the page's German
// names and values, the API's English ones.
type eventParams struct{ period, upcoming, past, kind, format, cursor string }

var (
	eventPageParams = eventParams{"zeitraum", "kommend", "vergangen", "art", "format", "nach"}
	eventAPIParams  = eventParams{"period", "upcoming", "past", "kind", "format", "cursor"}
)

// readEventQuery reads the filters and cursor of an event list; errors
// are left in p. Drafts reach editors only (the service decides).
func readEventQuery(p *params, n eventParams) event.Query {
	q := event.Query{Drafts: true}
	switch p.str(n.period) {
	case "", n.upcoming:
	case n.past:
		q.Past = true
	default:
		p.Add(n.period, "error.param.value", "Name", n.period)
	}
	q.Kind, q.Format = event.Kind(p.str(n.kind)), event.Format(p.str(n.format))
	if q.Kind != "" && !eventHas(event.Kinds, q.Kind) {
		p.Add(n.kind, "error.param.value", "Name", n.kind)
	}
	if q.Format != "" && !eventHas(event.Formats, q.Format) {
		p.Add(n.format, "error.param.value", "Name", n.format)
	}
	if c := p.str(n.cursor); c != "" {
		if cur, ok := event.ParseCursor(c); ok {
			q.After = &cur
		} else {
			p.Add(n.cursor, "error.param.cursor")
		}
	}
	return q
}

func (s *Server) handleEventList(w http.ResponseWriter, r *http.Request) error {
	p := readParams(r, "zeitraum", "art", "format", "nach")
	q := readEventQuery(p, eventPageParams)
	q.Limit = 50
	if err := p.Err(); err != nil {
		return err
	}
	u := optionalUser(r)
	page, err := s.Events.List(r.Context(), u, q)
	if err != nil {
		return err
	}
	v := EventListView{Past: q.Past, Kind: string(q.Kind), Format: string(q.Format), Kinds: event.Kinds, Formats: event.Formats,
		CanEdit: event.Can(u, event.ActEdit, nil)}
	lang := langOf(r)
	for _, e := range page.Items {
		v.Events = append(v.Events, EventCard{Event: e, When: event.When(e, lang)})
	}
	if page.Next != nil {
		next := url.Values{"nach": {page.Next.String()}}
		if q.Past {
			next.Set("zeitraum", "vergangen")
		}
		if q.Kind != "" {
			next.Set("art", string(q.Kind))
		}
		if q.Format != "" {
			next.Set("format", string(q.Format))
		}
		v.Next = next.Encode()
	}
	title := s.t(r, "event.title")
	if q.Past {
		title = s.t(r, "event.past.title")
	}
	pg := s.page(r, title)
	pg.Breadcrumbs = []web.Crumb{{Label: s.t(r, "nav.home"), Href: "/"}, {Label: s.t(r, "event.title")}}
	pg.Data = v
	return s.render(w, r, "events", pg)
}

// eventHas reports whether list holds v.
func eventHas[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// EventView is the Data of the "event" page.
type EventView struct {
	Event event.Event
	When  string
	// Registration is the viewer's, nil when none (or cancelled).
	Registration *event.Registration
	SignedIn     bool
	CanEdit      bool
	Open         bool // registration is open now
	Started      bool
	Over         bool
	Notice       string
	Alert        string
	ICal         string // link to the calendar file
	// AskFeedback: the event is over and the viewer had a place;
	// Feedback is what they sent, nil before.
	AskFeedback bool
	Feedback    *event.Feedback
	Ratings     []int
}

// eventNotices are the messages that ?erledigt= may ask the event page for.
var eventNotices = map[string]string{
	"angemeldet": "event.done.registered", "abgemeldet": "event.done.unregistered", "gespeichert": "event.done.saved",
	"abgesagt": "event.done.cancelled", "angelegt": "event.done.created", "rueckmeldung": "event.done.feedback",
}

// eventView reads the event slug with the viewer's registration.
func (s *Server) eventView(r *http.Request, slug string) (EventView, error) {
	u := optionalUser(r)
	e, err := s.Events.Get(r.Context(), u, slug)
	if err != nil {
		return EventView{}, err
	}
	now := time.Now()
	v := EventView{Event: e, When: event.When(e, langOf(r)), SignedIn: u != nil, CanEdit: event.Can(u, event.ActEdit, &e),
		Open: e.Open(now), Started: e.Started(now), Over: e.Over(now), ICal: "/veranstaltungen/" + e.Slug + ".ics"}
	if u != nil {
		reg, err := s.Events.Own(r.Context(), *u, e)
		switch {
		case err == nil && reg.Active():
			v.Registration = &reg
		case err != nil && !apperr.Is(err, apperr.NotFound):
			return v, err
		}
		if v.Over && e.State == event.Published && v.Registration != nil && v.Registration.Status == event.Confirmed {
			v.AskFeedback, v.Ratings = true, []int{5, 4, 3, 2, 1}
			f, err := s.Events.OwnFeedback(r.Context(), *u, e)
			switch {
			case err == nil:
				v.Feedback = &f
			case !apperr.Is(err, apperr.NotFound):
				return v, err
			}
		}
	}
	return v, nil
}

func (s *Server) handleEventFeedback(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	rating, err := strconv.Atoi(r.PostForm.Get("rating"))
	if err != nil {
		rating = 0 // refused with the rating's message
	}
	if err := s.Events.SendFeedback(r.Context(), userOf(r).user, slug, rating, r.PostForm.Get("comment")); err != nil {
		return s.eventRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+slug+"?erledigt=rueckmeldung#rueckmeldung", http.StatusSeeOther)
	return nil
}

func (s *Server) renderEvent(w http.ResponseWriter, r *http.Request, status int, v EventView, form url.Values, fields map[string]string) error {
	pg := s.page(r, v.Event.Title)
	if v.SignedIn {
		pg.CSRFToken = s.csrfToken(w, r)
	}
	pg.Form, pg.FieldErrors = form, fields
	pg.Breadcrumbs = s.eventCrumbs(r, web.Crumb{Label: v.Event.Title})
	pg.Data = v
	s.renderStatus(w, r, status, "event", pg)
	return nil
}

// handleEventView serves an event's page, or its calendar file for a
// path that ends in .ics (a pattern cannot say "{slug}.ics").
func (s *Server) handleEventView(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if base, ok := strings.CutSuffix(slug, ".ics"); ok {
		return s.eventICal(w, r, base)
	}
	p := readParams(r, "erledigt")
	notice := ""
	if n := p.str("erledigt"); n != "" {
		if key, ok := eventNotices[n]; ok {
			notice = s.t(r, key)
		} else {
			p.Add("erledigt", "error.param.value", "Name", "erledigt")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	v, err := s.eventView(r, slug)
	if err != nil {
		return err
	}
	v.Notice = notice
	return s.renderEvent(w, r, http.StatusOK, v, nil, nil)
}

// eventICal serves one event as an iCalendar file.
func (s *Server) eventICal(w http.ResponseWriter, r *http.Request, slug string) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	e, err := s.Events.Get(r.Context(), optionalUser(r), slug)
	if err != nil {
		return err
	}
	return s.writeICal(w, []event.Event{e}, "", slug+".ics")
}

// handleEventFeed serves the subscribable calendar of published events:
// the coming ones and those of the last 90 days.
func (s *Server) handleEventFeed(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	var all []event.Event
	for _, past := range []bool{false, true} {
		var after *event.Cursor
		for {
			page, err := s.Events.List(r.Context(), nil, event.Query{Past: past, After: after, Limit: event.MaxLimit})
			if err != nil {
				return err
			}
			stop := false
			for _, e := range page.Items {
				if past && e.End.Before(time.Now().AddDate(0, 0, -90)) {
					stop = true
					break
				}
				all = append(all, e)
			}
			if stop || page.Next == nil {
				break
			}
			after = page.Next
		}
	}
	return s.writeICal(w, all, s.t(r, "event.feed.name"), "veranstaltungen.ics")
}

func (s *Server) writeICal(w http.ResponseWriter, events []event.Event, name, file string) error {
	var buf bytes.Buffer
	if err := event.ICal(&buf, events, name, s.Events.Link, time.Now()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+file+`"`)
	buf.WriteTo(w)
	return nil
}

func (s *Server) handleEventRegister(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	_, err := s.Events.Register(r.Context(), userOf(r).user, slug, event.RegisterForm{Organisation: r.PostForm.Get("organisation"),
		AccessNeeds: r.PostForm.Get("access_needs")})
	if err != nil {
		return s.eventRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+slug+"?erledigt=angemeldet#anmeldung", http.StatusSeeOther)
	return nil
}

func (s *Server) handleEventUnregister(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	if _, err := s.Events.Unregister(r.Context(), userOf(r).user, slug); err != nil {
		return s.eventRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+slug+"?erledigt=abgemeldet#anmeldung", http.StatusSeeOther)
	return nil
}

// eventRetry shows the event page again after a failed registration or
// cancellation, with the messages; other errors become the error page.
func (s *Server) eventRetry(w http.ResponseWriter, r *http.Request, slug string, err error) error {
	fields, alert, rest := s.formError(r, err)
	if rest != nil || apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) && alert == "" {
		return err
	}
	v, verr := s.eventView(r, slug)
	if verr != nil {
		return verr
	}
	v.Alert = alert
	return s.renderEvent(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleEventCancel(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	slug := r.PathValue("slug")
	lock := lockOf(r)
	if err := s.Events.Cancel(r.Context(), userOf(r).user, slug, lock, s.meta(r)); err != nil {
		return s.eventRetry(w, r, slug, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+slug+"?erledigt=abgesagt", http.StatusSeeOther)
	return nil
}

// EventFormView is the Data of the "event_form" page.
type EventFormView struct {
	Event   *event.Event // nil when creating
	Kinds   []event.Kind
	Formats []event.Format
	Fields  []catalog.Field
	Chosen  map[string]bool // chosen fields of action
	Alert   string
}

// eventForm writes an event into form values, in Berlin time.
func eventForm(e event.Event) url.Values {
	f := url.Values{"title": {e.Title}, "summary": {e.Summary}, "description": {e.Description}, "kind": {string(e.Kind)},
		"format": {string(e.Format)}, "address": {e.Address}, "online_url": {e.OnlineURL},
		"start_date": {event.LocalDate(e.Start)}, "start_time": {event.LocalClock(e.Start)},
		"end_date": {event.LocalDate(e.End)}, "end_time": {event.LocalClock(e.End)},
		"deadline_date": {event.LocalDate(e.Deadline)}, "deadline_time": {event.LocalClock(e.Deadline)},
		"capacity": {strconv.Itoa(e.Capacity)}, "org": {e.Org.Slug}, "fields": e.Fields, "lock": {strconv.Itoa(e.Lock)}}
	var mats []string
	for _, m := range e.Materials {
		mats = append(mats, m.Label+" | "+m.URL)
	}
	f.Set("materials", strings.Join(mats, "\n"))
	if e.State != event.Draft {
		f.Set("publish", "1")
	}
	return f
}

// eventInput reads the event form; times that cannot be read are field
// errors, joined with the other fields' errors of validation.
func eventInput(f url.Values) (event.Input, error) {
	capacity, err := strconv.Atoi(strings.TrimSpace(f.Get("capacity")))
	if err != nil {
		capacity = 0 // refused with the capacity's message
	}
	in := event.Input{Title: f.Get("title"), Summary: f.Get("summary"), Description: f.Get("description"), Kind: event.Kind(f.Get("kind")),
		Format: event.Format(f.Get("format")), Address: f.Get("address"), OnlineURL: f.Get("online_url"), Capacity: capacity,
		Org: f.Get("org"), Fields: f["fields"], Publish: f.Get("publish") == "1"}
	var v apperr.Validation
	read := func(name string, required bool) time.Time {
		date, clock := f.Get(name+"_date"), f.Get(name+"_time")
		if !required && strings.TrimSpace(date) == "" && strings.TrimSpace(clock) == "" {
			return time.Time{}
		}
		if strings.TrimSpace(date) == "" || strings.TrimSpace(clock) == "" {
			v.Add(name, "event.error.date_time")
			return time.Time{}
		}
		t, key := event.ParseLocal(date, clock)
		if key != "" {
			v.Add(name, key)
		}
		return t
	}
	in.Start, in.End, in.Deadline = read("start", true), read("end", true), read("deadline", false)
	for _, line := range strings.Split(strings.ReplaceAll(f.Get("materials"), "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		// The last bar divides: a label may contain one, an address not.
		label, link := line, ""
		if i := strings.LastIndex(line, "|"); i >= 0 {
			label, link = line[:i], line[i+1:]
		}
		in.Materials = append(in.Materials, event.Link{Label: strings.TrimSpace(label), URL: strings.TrimSpace(link)})
	}
	if err := v.Err(); err != nil {
		// Validate the rest as well, so that all messages show at once;
		// the times refused here say nothing more.
		rest := in
		if rest.Start.IsZero() || rest.End.IsZero() {
			rest.Start, rest.End = time.Unix(1, 0), time.Unix(2, 0)
		}
		rest.Deadline = time.Time{}
		if verr := rest.Validate(); verr != nil {
			if ve, ok := verr.(*apperr.Error); ok {
				for _, fe := range ve.Fields {
					v.Add(fe.Field, fe.Key, fe.Args...)
				}
			}
		}
		return in, v.Err()
	}
	return in, nil
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, v EventFormView, form url.Values, fields map[string]string) error {
	v.Kinds, v.Formats = event.Kinds, event.Formats
	all, err := s.Events.Fields(r.Context())
	if err != nil {
		return err
	}
	v.Fields = all
	v.Chosen = map[string]bool{}
	for _, k := range form["fields"] {
		v.Chosen[k] = true
	}
	title := s.t(r, "event.new.title")
	trail := []web.Crumb{{Label: s.t(r, "event.new.short")}}
	if v.Event != nil {
		title = s.t(r, "event.edit.title", "Title", v.Event.Title)
		trail = []web.Crumb{{Label: v.Event.Title, Href: "/veranstaltungen/" + v.Event.Slug}, {Label: s.t(r, "event.edit.short")}}
	}
	return s.renderFormPage(w, r, status, "event_form", title, s.eventCrumbs(r, trail...), form, fields, v)
}

func (s *Server) handleEventNewForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	if u := userOf(r).user; !event.Can(&u, event.ActEdit, nil) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.renderEventForm(w, r, http.StatusOK, EventFormView{}, url.Values{"kind": {string(event.Training)}, "format": {string(event.Online)},
		"capacity": {"20"}}, nil)
}

// eventFormRetry shows the form again with the messages of err.
func (s *Server) eventFormRetry(w http.ResponseWriter, r *http.Request, v EventFormView, err error) error {
	fields, alert, stop := s.pageFormError(r, err)
	if stop != nil {
		return stop
	}
	v.Alert = alert
	return s.renderEventForm(w, r, statusOf[apperr.CodeOf(err)], v, keptInput(r), fields)
}

func (s *Server) handleEventCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	u := userOf(r).user
	if !event.Can(&u, event.ActEdit, nil) {
		return apperr.New(apperr.Forbidden, "error.forbidden")
	}
	in, err := eventInput(r.PostForm)
	if err != nil {
		return s.eventFormRetry(w, r, EventFormView{}, err)
	}
	e, err := s.Events.Create(r.Context(), u, in, s.meta(r))
	if err != nil {
		return s.eventFormRetry(w, r, EventFormView{}, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+e.Slug+"?erledigt=angelegt", http.StatusSeeOther)
	return nil
}

// editableEvent reads the event of the path for its editor.
func (s *Server) editableEvent(r *http.Request) (event.Event, error) {
	u := userOf(r).user
	if !event.Can(&u, event.ActEdit, nil) {
		return event.Event{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	return s.Events.Get(r.Context(), &u, r.PathValue("slug"))
}

func (s *Server) handleEventEditForm(w http.ResponseWriter, r *http.Request) error {
	if p := readParams(r); p.Err() != nil {
		return p.Err()
	}
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	return s.renderEventForm(w, r, http.StatusOK, EventFormView{Event: &e}, eventForm(e), nil)
}

func (s *Server) handleEventUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := s.readForm(r); err != nil {
		return err
	}
	e, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	v := EventFormView{Event: &e}
	in, err := eventInput(r.PostForm)
	if err != nil {
		return s.eventFormRetry(w, r, v, err)
	}
	lock := lockOf(r)
	if _, err := s.Events.Update(r.Context(), userOf(r).user, e.Slug, lock, in, s.meta(r)); err != nil {
		return s.eventFormRetry(w, r, v, err)
	}
	http.Redirect(w, r, "/veranstaltungen/"+e.Slug+"?erledigt=gespeichert", http.StatusSeeOther)
	return nil
}
