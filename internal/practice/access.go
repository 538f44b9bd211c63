package practice

import (
	"slices"

	"github.com/smartregions/smartregions/internal/org"
)

// Actor is a user with their memberships; the zero Actor is a visitor.
type Actor = org.Actor

// Action is something a user may do to an example.
type Action int

// The actions Can decides.
const (
	ActRead    Action = iota // read the published version
	ActWork                  // see the working version, its state and the contact person
	ActEdit                  // change the working version, submit, withdraw
	ActReview                // publish the submitted version or ask for changes
	ActArchive               // take the example off the public pages
)

// Can is the one authorisation rule of practice examples: may a do act
// to e?
//
//   - Everyone reads published examples.
//   - Members of the owning organisation and curators see the working
//     version (drafts included) and the contact person.
//   - Members of the owning organisation, when it is a verified public
//     body, write, submit and withdraw; they and curators archive.
//   - A curator who did not write the submitted version since the last
//     publication reviews it (four-eyes).
func Can(a Actor, act Action, e Example) bool {
	switch act {
	case ActRead:
		return e.Published != nil || Can(a, ActWork, e)
	case ActWork:
		return a.Member(e.Org.ID) || a.Curator()
	case ActEdit:
		return a.PublicBody(e.Org.ID)
	case ActReview:
		return a.Curator() && e.State == Submitted && !slices.Contains(e.Authors, a.User.ID)
	case ActArchive:
		return (a.PublicBody(e.Org.ID) || a.Curator()) && e.State != Archived
	}
	return false
}

// transitions lists the state changes of the working version: saving
// makes it a draft again (except while it is under review), a review
// leaves Submitted, withdrawing returns it to Draft.
var transitions = map[State][]State{
	Draft:            {Draft, Submitted, Archived},
	ChangesRequested: {Draft, Submitted, Archived},
	Published:        {Draft, Archived},
	Archived:         {Draft},
	Submitted:        {Published, ChangesRequested, Draft, Archived},
}

// CanMove reports whether the working version may go from one state to
// another.
func CanMove(from, to State) bool { return slices.Contains(transitions[from], to) }
