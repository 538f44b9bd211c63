package account

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// UserData is everything the database holds about one user (see
// AdminStore.UserData); Export turns it into the document users receive.
type UserData struct {
	User       User
	Sessions   []Session // all, also expired ones not yet cleaned up
	Identities []LinkedIdentity
	Tokens     []APIToken
	Audit      []AuditEntry // where the user is actor or object, oldest first
	Mails      []UserMail   // outbox mails to the user's address
}

// LinkedIdentity is an account at an OpenID provider linked to a user.
type LinkedIdentity struct {
	Identity
	Created time.Time
}

// UserMail is a mail in the outbox addressed to a user.
type UserMail struct {
	ID, Kind, Lang, Subject, Text, Status string
	Created                               time.Time
	Sent                                  *time.Time
}

// ExportFormat names the structure of the export, so that readers can
// tell versions apart.
const ExportFormat = "smartregions-account-export/1"

// Export is what a user receives as their data (GDPR Art. 15 and 20):
// everything the platform keeps about the account. Other domains add
// their parts through an ExportFunc.
type Export struct {
	Format     string           `json:"format"`
	ExportedAt time.Time        `json:"exported_at"`
	Account    ExportAccount    `json:"account"`
	Roles      []Role           `json:"roles"`
	Sessions   []ExportSession  `json:"sessions"`
	Identities []ExportIdentity `json:"identities"`
	APITokens  []ExportToken    `json:"api_tokens"`
	AuditLog   []ExportAudit    `json:"audit_log"`
	Mails      []ExportMail     `json:"mails"`
	// Memberships in organisations; the organisations domain fills it
	// through an ExportFunc. Always a list, empty without organisations.
	Memberships []any `json:"memberships"`
	// Extra holds the parts of further domains, by name; absent when empty.
	Extra map[string]any `json:"extra,omitempty"`
}

// ExportAccount is the account itself.
type ExportAccount struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Lang        string     `json:"lang"`
	Confirmed   bool       `json:"confirmed"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
	HasPassword bool       `json:"has_password"`
	CreatedAt   time.Time  `json:"created_at"`
}

// ExportSession is one login. ID is the stored hash of the cookie, which
// cannot be turned back into the cookie.
type ExportSession struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
}

// ExportIdentity is a linked account at an OpenID provider.
type ExportIdentity struct {
	Provider  string    `json:"provider"`
	Subject   string    `json:"subject"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportToken is an API token, without its secret or hash.
type ExportToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// Export returns the entry as the export and the API write it: details
// are an empty object rather than null when there are none.
func (a AuditEntry) Export() ExportAudit {
	details := a.Details
	if details == nil {
		details = map[string]any{}
	}
	return ExportAudit{ID: a.ID, At: a.At, ActorID: a.ActorID, ActorLabel: a.ActorLabel, Action: a.Action,
		ObjectType: a.ObjectType, ObjectID: a.ObjectID, Details: details, IP: a.IP}
}

// ExportAudit is an audit entry in JSON: in a user's data export, those in
// which the user acted or was acted on; in the operators' API, any.
type ExportAudit struct {
	ID         string         `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    string         `json:"actor_id"`
	ActorLabel string         `json:"actor_label"`
	Action     string         `json:"action"`
	ObjectType string         `json:"object_type"`
	ObjectID   string         `json:"object_id"`
	Details    map[string]any `json:"details"`
	IP         string         `json:"ip"`
}

// ExportMail is a mail the platform sent (or holds) for the user.
type ExportMail struct {
	ID        string     `json:"id"`
	CreatedAt time.Time  `json:"created_at"`
	Kind      string     `json:"kind"`
	Lang      string     `json:"lang"`
	Subject   string     `json:"subject"`
	Text      string     `json:"text"`
	Status    string     `json:"status"`
	SentAt    *time.Time `json:"sent_at"`
}

// ExportFunc adds a domain's data about the user userID to e, for
// example the organisations domain its memberships.
type ExportFunc func(ctx context.Context, userID string, e *Export) error

// AddExporter registers f; Export calls the registered functions in
// order. Call it while wiring the services, before serving requests.
func (s *Service) AddExporter(f ExportFunc) { s.exporters = append(s.exporters, f) }

// reLinkSecret finds the secrets of one-time links in mail texts.
var reLinkSecret = regexp.MustCompile(`(/konto/(?:bestaetigen|passwort-neu|email-bestaetigen)/)[A-Za-z0-9_-]+`)

// Export returns everything the platform keeps about the user userID. The
// secrets of one-time links in mails are replaced: an export file lying
// in a downloads folder must not open the account.
func (s *Service) Export(ctx context.Context, userID string) (Export, error) {
	d, err := s.store.UserData(ctx, userID)
	if err != nil {
		return Export{}, fmt.Errorf("account: export %s: %w", userID, err)
	}
	u := d.User
	e := Export{Format: ExportFormat, ExportedAt: s.Now().UTC().Truncate(time.Second),
		Account: ExportAccount{ID: u.ID, Email: u.Email, Name: u.Name, Lang: u.Lang, Confirmed: u.Confirmed(),
			ConfirmedAt: u.EmailConfirmed, HasPassword: u.HasPassword, CreatedAt: u.Created},
		Roles: nonNil(u.Roles), Sessions: []ExportSession{}, Identities: []ExportIdentity{}, APITokens: []ExportToken{},
		AuditLog: []ExportAudit{}, Mails: []ExportMail{}, Memberships: []any{}}
	for _, x := range d.Sessions {
		e.Sessions = append(e.Sessions, ExportSession{ID: x.ID, CreatedAt: x.Created, LastSeenAt: x.LastSeen,
			ExpiresAt: x.Expires, IP: x.IP, UserAgent: x.UserAgent})
	}
	for _, x := range d.Identities {
		e.Identities = append(e.Identities, ExportIdentity{Provider: x.Provider, Subject: x.Subject, Email: x.Email, CreatedAt: x.Created})
	}
	for _, x := range d.Tokens {
		e.APITokens = append(e.APITokens, ExportToken{ID: x.ID, Name: x.Name, Scopes: nonNil(x.Scopes), CreatedAt: x.Created,
			ExpiresAt: x.Expires, LastUsedAt: x.LastUsed, RevokedAt: x.Revoked})
	}
	for _, x := range d.Audit {
		e.AuditLog = append(e.AuditLog, x.Export())
	}
	for _, x := range d.Mails {
		e.Mails = append(e.Mails, ExportMail{ID: x.ID, CreatedAt: x.Created, Kind: x.Kind, Lang: x.Lang, Subject: x.Subject,
			Text: reLinkSecret.ReplaceAllString(x.Text, "${1}…"), Status: x.Status, SentAt: x.Sent})
	}
	for _, f := range s.exporters {
		if err := f(ctx, userID, &e); err != nil {
			return Export{}, fmt.Errorf("account: export %s: %w", userID, err)
		}
	}
	return e, nil
}

// nonNil returns list, or an empty list for nil, so that JSON shows [].
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
