// Package account holds the platform's user accounts: registration with
// a confirmed e-mail address, passwords, sessions, one-time links sent by
// mail, platform roles and the limits on login attempts.
package account

import (
	"slices"
	"time"
)

// Role is a platform-wide role, beyond membership in an organisation.
type Role string

// The platform roles.
const (
	Curator  Role = "curator"  // reviews organisations and, later, solutions
	Advisor  Role = "advisor"  // competence centre
	Operator Role = "operator" // everything, including assigning roles
)

// Roles lists the platform roles.
var Roles = []Role{Curator, Advisor, Operator}

// Valid reports whether r is a platform role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is an account.
type User struct {
	ID             string
	Email          string
	EmailConfirmed *time.Time
	Name           string
	Lang           string
	HasPassword    bool
	Roles          []Role
	Created        time.Time
}

// Confirmed reports whether the e-mail address has been confirmed.
func (u User) Confirmed() bool { return u.EmailConfirmed != nil }

// Has reports whether the user holds role r; operators hold every role.
func (u User) Has(r Role) bool {
	return slices.Contains(u.Roles, r) || slices.Contains(u.Roles, Operator)
}

// Session is one login of a user in one browser.
type Session struct {
	ID        string // SHA-256 of the cookie value, hex; shown to identify it
	UserID    string
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time
	IP        string
	UserAgent string
	Current   bool // the session of the request that lists them
}

// Token purposes of one-time links.
const (
	PurposeConfirm     = "confirm"
	PurposeReset       = "reset"
	PurposeEmailChange = "email_change"
)

// Lifetimes.
const (
	SessionLifetime  = 30 * 24 * time.Hour
	SessionIdle      = 7 * 24 * time.Hour
	ConfirmLifetime  = 48 * time.Hour
	ResetLifetime    = time.Hour
	sessionTouchStep = 5 * time.Minute // last_seen is written at most this often
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         string
	At         time.Time
	ActorID    string
	ActorLabel string
	Action     string
	ObjectType string
	ObjectID   string
	Details    map[string]any
	IP         string
}
