package account

import (
	"context"
	"time"
)

// NewUser is a user to create with everything that belongs to its
// creation, stored in one transaction.
type NewUser struct {
	User         User
	PasswordHash string
	Roles        []Role
	Confirm      *NewToken // link to confirm the address; nil when confirmed already
	Identity     *Identity // account at an OpenID provider to link
	Audit        AuditEntry
}

// Identity is an account at an OpenID provider.
type Identity struct {
	Provider, Subject, Email string
}

// NewToken is a one-time link to store (its secret goes only into the mail).
type NewToken struct {
	Hash    string
	Purpose string
	Email   string
	Expires time.Time
}

// Redeem says what a one-time link does when it is used.
type Redeem struct {
	Purpose         string
	ConfirmEmail    bool   // mark the user's address confirmed
	ChangeEmail     bool   // make the link's address the user's (confirmed); Conflict when taken meanwhile
	NewPasswordHash string // set this password and end all sessions
	Audit           AuditEntry
}

// Store is what accounts need from the database. Methods return
// apperr.NotFound for unknown objects and apperr.Conflict for an e-mail
// address in use.
type Store interface {
	TokenStore

	CreateUser(ctx context.Context, nu NewUser) error
	UserByID(ctx context.Context, id string) (User, error)
	// UserByEmail returns the user and the password hash ("" without one).
	UserByEmail(ctx context.Context, email string) (User, string, error)
	// IdentityUser returns the user linked to a provider's account;
	// apperr.NotFound when none is.
	IdentityUser(ctx context.Context, provider, subject string) (User, error)
	// LinkIdentity links a provider's account to a user.
	LinkIdentity(ctx context.Context, userID string, id Identity, audit AuditEntry) error
	// AddToken stores a one-time link for a user.
	AddToken(ctx context.Context, userID string, t NewToken, audit AuditEntry) error
	// RedeemToken uses a one-time link once: apperr.NotFound when unknown,
	// apperr.Invalid with "account.error.link_used" or
	// "account.error.link_expired", else it applies r and returns the user.
	RedeemToken(ctx context.Context, hash string, r Redeem) (User, error)

	CreateSession(ctx context.Context, s Session, audit AuditEntry) error
	// SessionUser returns the session and its user; apperr.NotFound when
	// unknown or expired.
	SessionUser(ctx context.Context, hash string) (Session, User, error)
	TouchSession(ctx context.Context, hash string, expires time.Time) error
	DeleteSession(ctx context.Context, hash string, audit AuditEntry) error
	// DeleteUserSession ends one session of a user by its id; NotFound
	// when the user has no such session.
	DeleteUserSession(ctx context.Context, userID, id string, audit AuditEntry) error
	UserSessions(ctx context.Context, userID string) ([]Session, error)

	// SetPassword sets a new password and ends the user's sessions except
	// the one with hash keep.
	SetPassword(ctx context.Context, userID, hash, keep string, audit AuditEntry) error
	GrantRole(ctx context.Context, userID string, r Role, audit AuditEntry) error
	// Hit counts one attempt under key in a fixed window and reports
	// whether it is within limit.
	Hit(ctx context.Context, key string, window time.Duration, limit int) (bool, error)
	AddAudit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, f AuditFilter) (AuditPage, error)

	AdminStore
}

// AuditFilter narrows the audit log. Empty fields do not narrow it.
type AuditFilter struct {
	// Actor is an account's id or e-mail address, as an operator types it;
	// Service.AuditLog resolves it into ActorID or ActorLabel.
	Actor      string
	ActorID    string
	ActorLabel string // for actors without an account (any more)
	Action     string // exact, or a prefix when it ends with "." (e.g. "account.")
	ObjectType string
	ObjectID   string
	Since      time.Time // inclusive
	Before     time.Time // exclusive
	// Cursor continues after this entry; entries come newest first.
	Cursor *AuditCursor
	Limit  int
}

// AuditCursor is the position of an entry in the audit log's order.
type AuditCursor struct {
	At time.Time
	ID string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Items []AuditEntry
	Total int          // entries that match the filter, on all pages
	Next  *AuditCursor // nil on the last page
}
