package event

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/mail"
)

// Status is where a registration stands.
type Status string

// The statuses of a registration.
const (
	Confirmed  Status = "confirmed"
	Waitlisted Status = "waitlisted"
	Withdrawn  Status = "cancelled" // by the user, or with the account
)

// Registration is a user's registration for an event.
type Registration struct {
	ID      string
	EventID string
	UserID  string
	// Name, Email and Lang come from the account.
	Name, Email, Lang string
	Organisation      string // optional, as the user writes it
	AccessNeeds       string // optional note on accessibility needs
	Status            Status
	// Position on the waiting list, 1 for the next to move up; 0 when
	// not waiting.
	Position  int
	Created   time.Time // first registered
	Updated   time.Time
	Cancelled *time.Time
	Reminded  *time.Time
	Promoted  *time.Time // moved up from the waiting list
}

// Active reports whether the registration holds or waits for a place.
func (r Registration) Active() bool { return r.Status == Confirmed || r.Status == Waitlisted }

// Label is the registrant's name, or the address when there is none.
func (r Registration) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Email
}

// Notice is what a mail about a registration tells.
type Notice string

// The notices.
const (
	NoticeConfirmed Notice = "confirmed"  // registered with a place
	NoticeWaitlist  Notice = "waitlisted" // registered on the waiting list
	NoticePromoted  Notice = "promoted"   // moved up from the waiting list
	NoticeCancelled Notice = "cancelled"  // the organiser cancelled the event
	NoticeReminder  Notice = "reminder"   // the event starts within a day
)

// Notify composes the mail of a notice to a registrant. Stores call it
// inside the transaction of the change, with the event and registration
// as they are after it, and store the mail in that transaction.
type Notify func(n Notice, e Event, r Registration) (mail.Outgoing, error)

// Mine is one of a user's registrations with its event.
type Mine struct {
	Registration
	Event Event
}

// Query selects events for a list.
type Query struct {
	Past   bool // ended events, newest first; else upcoming, soonest first
	Drafts bool // include drafts (editors)
	Kind   Kind
	Format Format
	// From is the time that divides upcoming from past events.
	From  time.Time
	After *Cursor // the last event of the previous page
	Limit int
}

// Page is a page of events.
type Page struct {
	Items []Event
	Total int     // events on all pages
	Next  *Cursor // nil on the last page
}

// Cursor is where a page of events ends: its last event's start and id.
type Cursor struct {
	Start time.Time `json:"s"`
	ID    string    `json:"i"`
}

// String encodes the cursor for a URL.
func (c Cursor) String() string {
	b, _ := json.Marshal(Cursor{Start: c.Start.UTC(), ID: c.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a cursor of String; false when s is none.
func ParseCursor(s string) (Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, false
	}
	var c Cursor
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || c.Start.IsZero() || uuid.Validate(c.ID) != nil {
		return Cursor{}, false
	}
	c.Start = c.Start.UTC()
	return c, true
}

// Store is what events need from the database. Methods return
// apperr.NotFound for unknown events and registrations; every write runs
// in one transaction with its mails and audit entry.
type Store interface {
	// CreateEvent stores a new event under e.Slug, or the slug with a
	// number appended when it is taken, and returns it as stored.
	CreateEvent(ctx context.Context, e Event, audit account.AuditEntry) (Event, error)
	// UpdateEvent saves e if its lock is still lock (else apperr.Conflict
	// "event.error.stale"). A capacity below the confirmed registrations
	// is apperr.Invalid on "capacity"; a larger one moves the waiting list
	// up, with notify's mails. A change of ChangeOf notifies every active
	// registrant in the same transaction (kind notify.KindEventChanged),
	// with notify's mail as the notification's mail at once; a nil notify
	// tells nobody.
	UpdateEvent(ctx context.Context, e Event, lock int, notify Notify, audit account.AuditEntry) (Event, error)
	// CancelEvent cancels a published or draft event and notifies every
	// active registrant (NoticeCancelled, see UpdateEvent).
	CancelEvent(ctx context.Context, id string, lock int, notify Notify, audit account.AuditEntry) error
	EventBySlug(ctx context.Context, slug string) (Event, error)
	Events(ctx context.Context, q Query) (Page, error)

	// Register registers r.UserID for the event r.EventID: confirmed
	// while places are free, else on the waiting list, with the mail of
	// notify. The capacity check and the insert run serialised per event.
	// apperr.Conflict: "event.error.registered" (already registered),
	// "event.error.closed" (not published or cancelled),
	// "event.error.deadline", "event.error.started".
	Register(ctx context.Context, r Registration, notify Notify) (Registration, error)
	// Unregister cancels the user's active registration before the start
	// ("event.error.started" after it); a freed place goes to the first
	// on the waiting list in the same transaction, with notify's mail.
	Unregister(ctx context.Context, eventID, userID string, notify Notify) (Registration, error)
	// RegistrationOf returns the user's registration, also a cancelled one.
	RegistrationOf(ctx context.Context, eventID, userID string) (Registration, error)
	// Registrations returns the active registrations: confirmed ones by
	// time of registration, then the waiting list in order.
	Registrations(ctx context.Context, eventID string) ([]Registration, error)
	// UserRegistrations returns all registrations of a user with their
	// events, newest event first.
	UserRegistrations(ctx context.Context, userID string) ([]Mine, error)

	// DueNotices returns confirmed registrations of published events
	// starting in (from, to] without a reminder, and registrations moved
	// up without a mail (after an account was deleted); at most limit.
	DueNotices(ctx context.Context, from, to time.Time, limit int) ([]Due, error)
	// MarkNotice records that the reminder (NoticeReminder) or the
	// move-up mail (NoticePromoted) of a registration was sent and stores
	// out, unless it was recorded already; it reports whether it recorded.
	MarkNotice(ctx context.Context, regID string, n Notice, out mail.Outgoing) (bool, error)
}

// Due is a mail the sweep owes: a reminder or a move-up notice.
type Due struct {
	Notice Notice
	Event  Event
	Registration
}
