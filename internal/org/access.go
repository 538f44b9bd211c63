package org

import "github.com/smartregions/smartregions/internal/account"

// Action is something a user may do to an organisation.
type Action int

// The actions that Can decides.
const (
	ActView          Action = iota // see the organisation's page
	ActViewMembers                 // see members and invitations
	ActEdit                        // change website and description
	ActManageMembers               // invite, change roles, remove
	ActLeave                       // leave the organisation
	ActRequest                     // claim to act for the organisation
	ActReview                      // decide claims, keep official domains
)

// Can is the one authorisation rule of organisations: may user u (nil for
// a visitor) do act to o, where m is u's membership in o (nil when none)?
// Operators may do everything; curators review and see what they review.
func Can(u *account.User, act Action, o Organisation, m *Membership) bool {
	if u != nil && u.Has(account.Operator) {
		return act != ActLeave || m != nil
	}
	curator := u != nil && u.Has(account.Curator)
	admin := m != nil && m.Role == Admin
	switch act {
	case ActView:
		// Unverified organisations are hidden from the public, which
		// could take them for genuine, but shown to signed-in users, who
		// may need to claim one that someone else has opened.
		return o.Verified() || u != nil
	case ActViewMembers:
		return m != nil || curator
	case ActEdit, ActManageMembers:
		return admin
	case ActLeave:
		return m != nil
	case ActRequest:
		return u != nil && u.Confirmed()
	case ActReview:
		return curator
	}
	return false
}
