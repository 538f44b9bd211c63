package need

import (
	"github.com/smartregions/smartregions/internal/org"
)

// Actor is a user with their memberships; the zero Actor is a visitor.
type Actor = org.Actor

// Action is something a user may do about needs.
type Action int

// The actions Can decides.
const (
	ActView   Action = iota // see the need and its matches
	ActCreate               // write a need for the organisation n.Org.ID
	ActEdit                 // change, open or close the need
	ActJoin                 // join or leave the need for another public body
)

// Can is the one authorisation rule of needs: may a do act to n? For
// ActCreate only n.Org.ID counts.
//
//   - The owning organisation's members see and edit their needs, drafts
//     included; curators see every need but edit none.
//   - A need in state draft or with visibility draft is seen only by them.
//   - Public needs are seen by everyone; providers-only needs by members
//     of verified companies and IT service providers.
//   - Members of another verified municipality, district or state join
//     open public needs.
func Can(a Actor, act Action, n Need) bool {
	owner := a.User != nil && a.Member(n.Org.ID)
	verifiedOwner := false
	for _, m := range a.PublicBodies() {
		if m.OrgID == n.Org.ID {
			verifiedOwner = true
		}
	}
	switch act {
	case ActCreate, ActEdit:
		return a.User != nil && verifiedOwner
	case ActView:
		if owner || a.Curator() {
			return true
		}
		if n.State == Draft || n.Visibility == Private {
			return false
		}
		if n.Visibility == Providers {
			return a.User != nil && a.Provider()
		}
		return n.Visibility == Public
	case ActJoin:
		if a.User == nil || n.State != Open || n.Visibility != Public {
			return false
		}
		for _, m := range a.PublicBodies() {
			if m.OrgID != n.Org.ID {
				return true
			}
		}
	}
	return false
}

// Joinable returns the actor's public bodies that may join n (all but
// the owner).
func Joinable(a Actor, n Need) []org.Membership {
	if !Can(a, ActJoin, n) {
		return nil
	}
	var out []org.Membership
	for _, m := range a.PublicBodies() {
		if m.OrgID != n.Org.ID {
			out = append(out, m)
		}
	}
	return out
}
