package advice

import (
	"context"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
	"github.com/smartregions/smartregions/internal/org"
)

// Query selects requests for a list. OrgIDs limits it to organisations
// (a municipality's view); AgentID to one advisor's; Unassigned to the
// shared queue. The order is: overdue at Now first, then by due date.
type Query struct {
	OrgIDs     []string
	AgentID    string
	Unassigned bool
	State      State // "" for all
	Now        time.Time
	Limit      int
	Offset     int
}

// Page is one page of a list with the number of all matches.
type Page struct {
	Items []Request
	Total int
}

// Change is one write to a request: a state change and/or a new
// responsible advisor and/or a message, written with its mails,
// notifications and audit entry in one transaction.
type Change struct {
	RequestID string
	From      State   // the state the change was decided on
	To        State   // equal to From when the state stays
	Agent     *string // nil: unchanged
	Message   *Message
	Mails     []mail.Outgoing
	// Notices are in-app notifications with their mails (see
	// notify.Pending), added with the change.
	Notices []notify.Pending
	Audit   account.AuditEntry
}

// Rule routes new requests to an advisor: by the asking organisation's
// state (StateKey), by a top-level field of action (FieldKey), by both, or
// neither (the default rule).
type Rule struct {
	ID       string
	StateKey string
	FieldKey string
	Advisor  Person
}

// ExportMessage is a message of a user in their data export.
type ExportMessage struct {
	Request  string    `json:"request"` // readable number
	Topic    string    `json:"topic"`
	Body     string    `json:"body"`
	Internal bool      `json:"internal"`
	SentAt   time.Time `json:"sent_at"`
}

// Store is the database of advice requests (the platform's store is one).
type Store interface {
	// CreateAdvice stores a request with its first message and its
	// attachments, the mails and the audit entry in one transaction and
	// returns it with its number.
	CreateAdvice(ctx context.Context, r Request, m Message, mails []mail.Outgoing, audit account.AuditEntry) (Request, error)
	// Advice returns a request without its thread; apperr.NotFound.
	Advice(ctx context.Context, id string) (Request, error)
	// AdviceThread returns the messages of a request, oldest first, with
	// their attachments (without data); internal notes only when asked.
	AdviceThread(ctx context.Context, id string, internal bool) ([]Message, error)
	// AdviceList returns a page of requests.
	AdviceList(ctx context.Context, q Query) (Page, error)
	// ChangeAdvice applies c; apperr.Conflict when the request is no
	// longer in c.From.
	ChangeAdvice(ctx context.Context, c Change) error
	// AdviceAttachment returns an attachment of a request with its data
	// and whether its message is an internal note; apperr.NotFound.
	AdviceAttachment(ctx context.Context, requestID, id string) (Attachment, bool, error)
	// AdviceRules returns the routing rules.
	AdviceRules(ctx context.Context) ([]Rule, error)
	// SaveAdviceRule adds a rule or replaces the one with the same keys.
	SaveAdviceRule(ctx context.Context, r Rule, audit account.AuditEntry) error
	// DeleteAdviceRule removes a rule; apperr.NotFound.
	DeleteAdviceRule(ctx context.Context, id string, audit account.AuditEntry) error
	// Advisors returns the users with the role advisor or operator.
	Advisors(ctx context.Context) ([]Person, error)
	// UserAdviceMessages returns the messages a user wrote.
	UserAdviceMessages(ctx context.Context, userID string) ([]ExportMessage, error)
}

// Orgs tells which organisations a user belongs to.
type Orgs interface {
	UserMemberships(ctx context.Context, userID string) ([]org.Membership, error)
	OrgBySlug(ctx context.Context, slug string) (org.Organisation, error)
}

// Taxonomy is the list of fields of action a request may name.
type Taxonomy interface {
	All(ctx context.Context) ([]catalog.Field, error)
}

// Outbox prepares mails for a store to add inside its transactions.
type Outbox interface {
	Prepare(m mail.Message) (mail.Outgoing, error)
}
