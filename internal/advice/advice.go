// Package advice holds the advice requests that public bodies send to the
// competence centre: the request with its thread of messages and
// attachments, the states it passes through and who may move it, the
// response-time targets per urgency, the routing of new requests to an
// advisor by the operators' rules, and the authorisation rule that keeps a
// request within its organisation and the competence centre.
package advice

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin must load on machines without a zoneinfo database

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

// State is where a request stands.
type State string

// The states of a request, in the order they are usually passed.
const (
	New        State = "new"         // in the shared queue, nobody responsible yet
	Assigned   State = "assigned"    // an advisor is responsible
	InProgress State = "in_progress" // the advisor works on it
	Waiting    State = "waiting"     // waiting for the municipality
	Answered   State = "answered"    // the advisor has answered
	Closed     State = "closed"
)

// States lists the states in order.
var States = []State{New, Assigned, InProgress, Waiting, Answered, Closed}

// Valid reports whether s is a state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Open reports whether the competence centre has to act: a request that
// waits for the municipality, is answered or closed is not overdue.
func (s State) Open() bool { return s == New || s == Assigned || s == InProgress }

// Urgency says how soon a municipality needs an answer.
type Urgency string

// The urgencies.
const (
	Low    Urgency = "low"
	Normal Urgency = "normal"
	High   Urgency = "high"
)

// Urgencies lists the urgencies in form order.
var Urgencies = []Urgency{Low, Normal, High}

// TargetDays is the response-time target per urgency in working days
// (Monday to Friday; public holidays are not counted out). This table is
// the one place that defines the targets.
var TargetDays = map[Urgency]int{Low: 10, Normal: 5, High: 2}

// Berlin is the time zone in which working days are counted.
var Berlin = mustZone("Europe/Berlin")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Due returns the response target of a request created at created: the
// same time of day TargetDays[u] working days later (a request made on a
// Saturday counts from Monday).
func Due(created time.Time, u Urgency) time.Time {
	t := created.In(Berlin)
	for n := TargetDays[u]; n > 0; {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t.UTC()
}

// Limits of a request's fields.
const (
	MaxTopic = 200
	MaxBody  = 20000
)

// Request is an advice request with, when read for its page, its thread.
type Request struct {
	ID     string
	Year   int
	Seq    int
	OrgID  string
	Org    OrgRef
	Asker  Person // empty ID: the account was deleted
	Topic  string
	Field  string // key of a field of action; "" for none
	Urg    Urgency
	State  State
	Agent  Person // the responsible advisor; empty ID: nobody
	Due    time.Time
	Closed *time.Time

	Created, Updated time.Time
	Messages         []Message
}

// OrgRef names the asking organisation.
type OrgRef struct {
	ID, Slug, Name string
	Kind           org.Kind
	RegionKey      string
}

// Person is a user as a request shows them.
type Person struct {
	ID, Name, Email, Lang string
}

// Label is the person's name, their address when they have none, and
// DeletedLabel's key when the account is gone.
func (p Person) Label() string {
	switch {
	case p.ID == "":
		return ""
	case p.Name != "":
		return p.Name
	}
	return p.Email
}

// Number is the request's readable number, such as "B-2026-0042".
func (r Request) Number() string { return fmt.Sprintf("B-%d-%04d", r.Year, r.Seq) }

// Overdue reports whether the centre has missed the response target.
func (r Request) Overdue(now time.Time) bool { return r.State.Open() && now.After(r.Due) }

// Message is one entry of a request's thread.
type Message struct {
	ID          string
	RequestID   string
	Author      Person // empty ID: the account was deleted
	Body        string // Markdown
	Internal    bool   // an advisor's note, never shown to the municipality
	ByCentre    bool   // written by the competence centre
	Created     time.Time
	Attachments []Attachment
}

// Attachment is a file attached to a message; Data is only filled when the
// file itself is read.
type Attachment struct {
	ID        string
	MessageID string
	RequestID string
	Name      string
	Type      string // sniffed MIME type
	Size      int64
	Data      []byte
}

// Input is what a member enters to ask the centre.
type Input struct {
	Org     string // slug of the asking organisation
	Topic   string
	Field   string
	Urgency Urgency
	Body    string
	Files   []File
}

// Validate checks in and returns apperr.Invalid with a message per field.
// Field names: org, topic, field, urgency, body, files.
func (in *Input) Validate() error {
	in.Topic = strings.TrimSpace(in.Topic)
	in.Body = cleanBody(in.Body)
	in.Field = strings.TrimSpace(in.Field)
	var v apperr.Validation
	if strings.TrimSpace(in.Org) == "" {
		v.Add("org", "advice.error.org")
	}
	v.Text("topic", in.Topic, MaxTopic, true)
	if !slices.Contains(Urgencies, in.Urgency) {
		v.Add("urgency", "advice.error.urgency")
	}
	v.Text("body", in.Body, MaxBody, true)
	checkFiles(&v, in.Files)
	return v.Err()
}

func cleanBody(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// StateKey returns the two-digit state key of the asking organisation's
// register key ("" for federal bodies), for routing.
func StateKey(o OrgRef) string {
	if len(o.RegionKey) >= 2 && o.Kind.Regional() {
		return o.RegionKey[:2]
	}
	return ""
}

// MayAsk reports whether an organisation of kind k may ask the centre:
// public bodies (municipalities, districts, states and federal bodies).
func MayAsk(k org.Kind) bool { return k.Public() }
