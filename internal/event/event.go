// Package event holds the platform's trainings and information events:
// the events themselves with their validation and authorisation rule,
// registration with a waiting list that moves up on cancellation, the
// mails about it (written to the outbox in the transaction of the change),
// reminders and calendar files.
package event

import (
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on machines without a zoneinfo database

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Kind says what an event is for.
type Kind string

// The kinds of events.
const (
	Training    Kind = "training"
	Information Kind = "information"
)

// Kinds lists the kinds in form order.
var Kinds = []Kind{Training, Information}

// Format says where an event takes place.
type Format string

// The formats of events.
const (
	Online Format = "online"
	Onsite Format = "onsite"
	Hybrid Format = "hybrid"
)

// Formats lists the formats in form order.
var Formats = []Format{Online, Onsite, Hybrid}

// State is where an event stands.
type State string

// The states of an event. Only published and cancelled events are public.
const (
	Draft     State = "draft"
	Published State = "published"
	Cancelled State = "cancelled"
)

// Limits of an event's fields.
const (
	MaxTitle       = 200
	MaxSummary     = 500
	MaxDescription = 20000
	MaxAddress     = 500
	MaxURL         = 2000
	MaxLabel       = 200
	MaxMaterials   = 20
	MaxFields      = 10
	MinCapacity    = 1
	MaxCapacity    = 10000
	MaxOrgNote     = 200 // the registrant's organisation
	MaxAccessNeeds = 1000
)

// Link is a labelled https link: material or a recording of an event.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Event is a training or information event.
type Event struct {
	ID          string
	Slug        string
	Title       string
	Summary     string
	Description string // Markdown; rendered sanitised
	Kind        Kind
	Format      Format
	Address     string // required on site and hybrid
	OnlineURL   string // https; shown to confirmed attendees only
	Start, End  time.Time
	// Deadline is the end of registration; never after Start.
	Deadline  time.Time
	Capacity  int
	Org       OrgRef // the organiser; empty when none is named
	Fields    []string
	Materials []Link
	State     State
	Lock      int // pass back on writes (optimistic locking)
	CreatedBy string
	Created   time.Time
	Updated   time.Time
	// Confirmed and Waitlisted count the active registrations.
	Confirmed  int
	Waitlisted int
}

// OrgRef names the organising organisation.
type OrgRef struct {
	ID, Slug, Name string
}

// PlacesLeft is how many places are free.
func (e Event) PlacesLeft() int { return max(e.Capacity-e.Confirmed, 0) }

// Started reports whether the event has begun at now.
func (e Event) Started(now time.Time) bool { return !now.Before(e.Start) }

// Over reports whether the event has ended at now.
func (e Event) Over(now time.Time) bool { return !now.Before(e.End) }

// Open reports whether people may register at now.
func (e Event) Open(now time.Time) bool {
	return e.State == Published && now.Before(e.Deadline) && now.Before(e.Start)
}

// OnSite reports whether the event has a place (on site or hybrid).
func (e Event) OnSite() bool { return e.Format == Onsite || e.Format == Hybrid }

// IsOnline reports whether the event has an online part.
func (e Event) IsOnline() bool { return e.Format == Online || e.Format == Hybrid }

// Input is what an editor enters for an event; times are instants (see
// ParseLocal for the form's local date and time).
type Input struct {
	Title, Summary, Description string
	Kind                        Kind
	Format                      Format
	Address, OnlineURL          string
	Start, End, Deadline        time.Time // Deadline zero: the start
	Capacity                    int
	Org                         string // slug of the organiser; "" for none
	Fields                      []string
	Materials                   []Link
	Publish                     bool // publish now (or keep published)
}

// Validate checks in and returns apperr.Invalid with a message per field.
// Field names: title, summary, description, kind, format, address,
// online_url, start, end, deadline, capacity, fields, materials.
func (in *Input) Validate() error {
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.Description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	in.Address = strings.TrimSpace(strings.ReplaceAll(in.Address, "\r\n", "\n"))
	in.OnlineURL = strings.TrimSpace(in.OnlineURL)
	var v apperr.Validation
	v.Text("title", in.Title, MaxTitle, true)
	v.Text("summary", in.Summary, MaxSummary, false)
	v.Text("description", in.Description, MaxDescription, false)
	if !slices.Contains(Kinds, in.Kind) {
		v.Add("kind", "event.error.kind")
	}
	if !slices.Contains(Formats, in.Format) {
		v.Add("format", "event.error.format")
	}
	onsite := in.Format == Onsite || in.Format == Hybrid
	v.Text("address", in.Address, MaxAddress, onsite)
	if in.OnlineURL == "" && (in.Format == Online || in.Format == Hybrid) {
		v.Add("online_url", "form.error.required")
	} else if in.OnlineURL != "" {
		checkURL(&v, "online_url", in.OnlineURL)
	}
	switch {
	case in.Start.IsZero():
		v.Add("start", "form.error.required")
	case in.End.IsZero():
		v.Add("end", "form.error.required")
	case !in.End.After(in.Start):
		v.Add("end", "event.error.end_before_start")
	}
	if in.Deadline.IsZero() {
		in.Deadline = in.Start
	} else if !in.Start.IsZero() && in.Deadline.After(in.Start) {
		v.Add("deadline", "event.error.deadline_after_start")
	}
	if in.Capacity < MinCapacity || in.Capacity > MaxCapacity {
		v.Add("capacity", "event.error.capacity", "Min", MinCapacity, "Max", MaxCapacity)
	}
	if len(in.Fields) > MaxFields {
		v.Add("fields", "event.error.fields", "Max", MaxFields)
	}
	if len(in.Materials) > MaxMaterials {
		v.Add("materials", "event.error.materials", "Max", MaxMaterials)
	}
	for i := range in.Materials {
		m := &in.Materials[i]
		m.Label, m.URL = strings.TrimSpace(m.Label), strings.TrimSpace(m.URL)
		switch {
		case m.Label == "" || m.URL == "":
			v.Add("materials", "event.error.material_incomplete")
		case len([]rune(m.Label)) > MaxLabel:
			v.Add("materials", "form.error.too_long", "Max", MaxLabel)
		default:
			checkURL(&v, "materials", m.URL)
		}
	}
	in.Start, in.End, in.Deadline = in.Start.UTC(), in.End.UTC(), in.Deadline.UTC()
	return v.Err()
}

// checkURL requires an absolute https URL with a host.
func checkURL(v *apperr.Validation, field, s string) {
	if len(s) > MaxURL {
		v.Add(field, "form.error.too_long", "Max", MaxURL)
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		v.Add(field, "event.error.https")
	}
}

// Action is something a user may do about events.
type Action int

// The actions Can decides.
const (
	ActView     Action = iota // see the event
	ActEdit                   // create, change, cancel an event; see and export its attendees
	ActRegister               // register for the event, cancel one's own registration
)

// Can is the one authorisation rule of events: may u (nil for a visitor)
// do act to e (nil when creating)? Curators and operators edit (operators
// hold every role); published and cancelled events are public, drafts
// only for editors; signed-in users register for published events.
func Can(u *account.User, act Action, e *Event) bool {
	editor := u != nil && u.Has(account.Curator)
	switch act {
	case ActEdit:
		return editor
	case ActView:
		return e != nil && (e.State != Draft || editor)
	case ActRegister:
		return u != nil && e != nil && e.State == Published
	}
	return false
}
