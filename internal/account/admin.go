package account

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/apperr"
)

// AdminStore is what the administration of accounts needs from the
// database, beyond Store's other methods.
type AdminStore interface {
	// ListUsers returns a page of users in the order of their e-mail
	// addresses, with their roles.
	ListUsers(ctx context.Context, f UserFilter) (UserPage, error)
	// SetRoles gives a user exactly the roles of c, in one transaction
	// with one audit entry per role granted or revoked, and returns the
	// user afterwards. apperr.NotFound for an unknown user; apperr.Invalid
	// (field "roles", "account.error.last_operator") when the change would
	// leave the platform without an operator.
	SetRoles(ctx context.Context, userID string, c RoleChange) (User, error)
	// DeleteUser deletes a user with everything that belongs only to the
	// account (sessions, tokens, linked identities, roles, one-time links,
	// mails to the account's addresses); the audit log keeps the user's
	// entries under actor_id with DeletedLabel as label. apperr.NotFound for
	// an unknown user; apperr.Conflict when the account may not be deleted
	// (the last operator).
	DeleteUser(ctx context.Context, userID string, audit AuditEntry) error
	// UserData returns everything the database holds about a user, for
	// the export; apperr.NotFound for an unknown user.
	UserData(ctx context.Context, userID string) (UserData, error)
}

// UserFilter narrows the list of users.
type UserFilter struct {
	Query  string // part of the e-mail address or name, in any case
	Role   Role   // only users with this role; "" for all
	Cursor string // e-mail address of the last user of the previous page
	Limit  int
}

// UserPage is one page of users.
type UserPage struct {
	Items []User
	Total int    // users that match the filter, on all pages
	Next  string // cursor of the following page, "" on the last page
}

// RoleChange is the complete new set of a user's platform roles.
type RoleChange struct {
	Roles []Role
	// Audit returns the audit entry for granting (granted) or revoking
	// role r; the store calls it once per actual change.
	Audit func(r Role, granted bool) AuditEntry
}

// Page sizes of the administration lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	maxQuery     = 100
)

// MayAdminister reports whether u may administer accounts, assign roles
// and read the audit log: only operators.
func MayAdminister(u User) bool { return slices.Contains(u.Roles, Operator) }

// ListUsers returns a page of accounts for operators, sorted by e-mail
// address. Field errors: "q", "role".
func (s *Service) ListUsers(ctx context.Context, f UserFilter) (UserPage, error) {
	var v apperr.Validation
	f.Query = strings.TrimSpace(f.Query)
	switch {
	case !plainText(f.Query):
		v.Add("q", "form.error.encoding")
	case utf8.RuneCountInString(f.Query) > maxQuery:
		v.Add("q", "error.param.query_long", "Max", maxQuery)
	}
	if f.Role != "" && !f.Role.Valid() {
		v.Add("role", "account.error.role_invalid", "Role", string(f.Role))
	}
	if !plainText(f.Cursor) {
		v.Add("cursor", "error.param.cursor")
	}
	if err := v.Err(); err != nil {
		return UserPage{}, err
	}
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = DefaultLimit
	}
	f.Query = strings.ToLower(f.Query)
	return s.store.ListUsers(ctx, f)
}

// User returns one account; apperr.NotFound with
// "account.error.user_not_found" when there is none.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	if !plainText(id) {
		return User{}, apperr.New(apperr.NotFound, "account.error.user_not_found")
	}
	u, err := s.store.UserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.Wrap(err, apperr.NotFound, "account.error.user_not_found")
	}
	return u, err
}

// SetRoles gives the user userID exactly roles. Only operators may do
// this (apperr.Forbidden otherwise); the platform always keeps at least
// one operator. Field errors: "roles".
func (s *Service) SetRoles(ctx context.Context, actor User, userID string, roles []Role, m Meta) (User, error) {
	if !MayAdminister(actor) {
		return User{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	var (
		v     apperr.Validation
		clean []Role
	)
	for _, r := range roles {
		switch {
		case !r.Valid():
			v.Add("roles", "account.error.role_invalid", "Role", string(r))
		case !slices.Contains(clean, r):
			clean = append(clean, r)
		}
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	if !plainText(userID) {
		return User{}, apperr.New(apperr.NotFound, "account.error.user_not_found")
	}
	slices.Sort(clean)
	u, err := s.store.SetRoles(ctx, userID, RoleChange{Roles: clean, Audit: func(r Role, granted bool) AuditEntry {
		action := "account.role_revoked"
		if granted {
			action = "account.role_granted"
		}
		return s.audit(actor.ID, actor.Email, action, "user", userID, m, map[string]any{"role": string(r)})
	}})
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.Wrap(err, apperr.NotFound, "account.error.user_not_found")
	}
	if err != nil {
		return User{}, fmt.Errorf("account: set roles of %s: %w", userID, err)
	}
	return u, nil
}

var (
	reAction     = regexp.MustCompile(`^[a-z0-9_.]*$`)
	reObjectType = regexp.MustCompile(`^[a-z0-9_]*$`)
)

// Bounds of the audit log's filters.
const (
	maxActor      = 254
	maxAction     = 100
	maxObjectType = 50
	maxObjectID   = 100
)

// AuditLog returns a page of audit entries, newest first. An actor given
// as an e-mail address is the account with that address, or, when there is
// none (any more), the entries labelled with it. Field errors: "actor",
// "action", "object_type", "object_id", "to" (a range that ends before it
// starts).
func (s *Service) AuditLog(ctx context.Context, f AuditFilter) (AuditPage, error) {
	var v apperr.Validation
	f.Actor, f.Action = strings.TrimSpace(f.Actor), strings.TrimSpace(f.Action)
	f.ObjectType, f.ObjectID = strings.TrimSpace(f.ObjectType), strings.TrimSpace(f.ObjectID)
	switch {
	case !plainText(f.Actor):
		v.Add("actor", "form.error.encoding")
	case utf8.RuneCountInString(f.Actor) > maxActor:
		v.Add("actor", "form.error.too_long", "Max", maxActor)
	}
	switch {
	case len(f.Action) > maxAction:
		v.Add("action", "form.error.too_long", "Max", maxAction)
	case !reAction.MatchString(f.Action):
		v.Add("action", "audit.error.action")
	}
	switch {
	case len(f.ObjectType) > maxObjectType:
		v.Add("object_type", "form.error.too_long", "Max", maxObjectType)
	case !reObjectType.MatchString(f.ObjectType):
		v.Add("object_type", "audit.error.object_type")
	}
	switch {
	case !plainText(f.ObjectID):
		v.Add("object_id", "form.error.encoding")
	case utf8.RuneCountInString(f.ObjectID) > maxObjectID:
		v.Add("object_id", "form.error.too_long", "Max", maxObjectID)
	}
	if f.Cursor != nil && !plainText(f.Cursor.ID) {
		v.Add("cursor", "error.param.cursor")
	}
	if !f.Since.IsZero() && !f.Before.IsZero() && !f.Since.Before(f.Before) {
		v.Add("to", "audit.error.range")
	}
	if err := v.Err(); err != nil {
		return AuditPage{}, err
	}
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = DefaultLimit
	}
	if f.Actor != "" {
		if addr := NormalizeEmail(f.Actor); addr != "" {
			u, _, err := s.store.UserByEmail(ctx, addr)
			switch {
			case err == nil:
				f.ActorID = u.ID
			case apperr.Is(err, apperr.NotFound):
				f.ActorLabel = addr
			default:
				return AuditPage{}, err
			}
		} else {
			f.ActorID = f.Actor
		}
	}
	if !f.Since.IsZero() {
		f.Since = f.Since.UTC()
	}
	if !f.Before.IsZero() {
		f.Before = f.Before.UTC()
	}
	return s.store.AuditLog(ctx, f)
}

// plainText reports whether s is text both databases store: valid UTF-8
// without NUL (PostgreSQL refuses either).
func plainText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// The audit log's actor label of deleted accounts. It is stored, so it
// stays the same whatever the language; pages translate it.
const DeletedLabel = "gelöschtes Konto"
