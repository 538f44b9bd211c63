package advice

import (
	"slices"

	"github.com/smartregions/smartregions/internal/account"
)

// Role is the part a user plays in a request.
type Role int

// The roles. A user who is neither sees nothing of the request.
const (
	None   Role = iota
	Asker       // a member of the asking organisation
	Centre      // an advisor of the competence centre (operators hold every role)
)

// RoleOf returns u's part in a request of organisation orgID; memberOf
// lists the organisations u belongs to. Advisors and operators are the
// centre even when they belong to the organisation too.
func RoleOf(u *account.User, memberOf []string, orgID string) Role {
	switch {
	case u == nil:
		return None
	case u.Has(account.Advisor):
		return Centre
	case slices.Contains(memberOf, orgID):
		return Asker
	}
	return None
}

// transitions lists, per role, the state changes it may make. The centre
// moves a request through its states and reopens it; the municipality
// brings it back to the centre by replying and closes it.
var transitions = map[Role]map[State][]State{
	Centre: {
		New:        {Assigned, InProgress, Waiting, Answered, Closed},
		Assigned:   {InProgress, Waiting, Answered, Closed},
		InProgress: {Waiting, Answered, Closed},
		Waiting:    {InProgress, Answered, Closed},
		Answered:   {InProgress, Waiting, Closed},
		Closed:     {InProgress},
	},
	Asker: {
		New:        {Closed},
		Assigned:   {Closed},
		InProgress: {Closed},
		Waiting:    {InProgress, Closed},
		Answered:   {InProgress, Closed},
	},
}

// CanMove is the one rule of state changes: may role r move a request
// from one state to another?
func CanMove(r Role, from, to State) bool {
	return slices.Contains(transitions[r][from], to)
}

// Next lists the states r may move a request in state from to.
func Next(r Role, from State) []State { return slices.Clone(transitions[r][from]) }

// Action is something a user may do to a request.
type Action int

// The actions Can decides.
const (
	ActView  Action = iota // see the request and its public thread
	ActReply               // write to the thread as the municipality
	ActWork                // assign, change state, answer, write internal notes
	ActNotes               // see internal notes
)

// Can is the authorisation rule of requests: may a user in role r do act
// to a request in state st? A request is never visible to anyone outside
// its organisation and the centre.
func Can(r Role, act Action, st State) bool {
	switch act {
	case ActView:
		return r == Asker || r == Centre
	case ActReply:
		return r == Asker && (st == Waiting || st == Answered)
	case ActWork, ActNotes:
		return r == Centre
	}
	return false
}
