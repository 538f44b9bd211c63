package org

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
)

// Actor is a user with their memberships, as the services of needs,
// explorations, practice examples and checks before funding see a
// caller; the zero Actor is a visitor.
type Actor struct {
	User *account.User
	Orgs []Membership
}

// MembershipReader reads a user's memberships (store.DB).
type MembershipReader interface {
	UserMemberships(ctx context.Context, userID string) ([]Membership, error)
}

// ActorOf returns u (nil for a visitor) with their memberships.
func ActorOf(ctx context.Context, st MembershipReader, u *account.User) (Actor, error) {
	if u == nil {
		return Actor{}, nil
	}
	ms, err := st.UserMemberships(ctx, u.ID)
	if err != nil {
		return Actor{}, fmt.Errorf("org: memberships: %w", err)
	}
	return Actor{User: u, Orgs: ms}, nil
}

// Member reports whether the actor is a member of orgID.
func (a Actor) Member(orgID string) bool {
	return a.User != nil && slices.ContainsFunc(a.Orgs, func(m Membership) bool { return m.OrgID == orgID })
}

// PublicBodies returns the actor's verified municipalities, districts
// and states: the organisations for which they may write needs and
// practice examples and run explorations.
func (a Actor) PublicBodies() []Membership {
	var out []Membership
	for _, m := range a.Orgs {
		if m.Verified && m.OrgKind.Regional() {
			out = append(out, m)
		}
	}
	return out
}

// PublicBody reports whether orgID is one of the actor's PublicBodies.
func (a Actor) PublicBody(orgID string) bool {
	return a.User != nil && slices.ContainsFunc(a.PublicBodies(), func(m Membership) bool { return m.OrgID == orgID })
}

// Provider reports whether the actor is a member of a verified company
// or IT service provider.
func (a Actor) Provider() bool {
	return slices.ContainsFunc(a.Orgs, func(m Membership) bool { return m.Verified && (m.OrgKind == Company || m.OrgKind == ITProvider) })
}

// Curator reports whether the actor is a curator (operators hold every role).
func (a Actor) Curator() bool { return a.User != nil && a.User.Has(account.Curator) }

// Audit returns the audit entry of the actor's action on the object
// objectType id.
func (a Actor) Audit(action, objectType, id string, m account.Meta, details map[string]any) account.AuditEntry {
	e := account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), Action: action, ObjectType: objectType, ObjectID: id, Details: details, IP: m.IP}
	if a.User != nil {
		e.ActorID, e.ActorLabel = a.User.ID, a.User.Email
	}
	return e
}
