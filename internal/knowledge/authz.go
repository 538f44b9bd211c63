package knowledge

import (
	"slices"

	"github.com/smartregions/smartregions/internal/account"
)

// Action is something a user may do to an article.
type Action int

// The actions Can decides.
const (
	ActRead   Action = iota // read the published version
	ActCreate               // write a new article
	ActEdit                 // see and change the working version, attach files, submit
	ActReview               // publish the submitted version or ask for changes
	ActCheck                // confirm "checked, still correct"
	ActRate                 // rate and suggest corrections
	ActDecide               // see and decide correction suggestions
)

// Writer reports whether u may write articles: curators and advisors
// (operators hold every role).
func Writer(u *account.User) bool {
	return u != nil && (u.Has(account.Curator) || u.Has(account.Advisor))
}

// Can is the authorisation rule of the knowledge base: may u (nil for a
// visitor) do act to a? Everyone reads published articles; curators and
// advisors write; a curator other than the author of the submitted
// version reviews it — nobody who wrote it since the last publication (four-eyes, also when there is only one curator —
// then nobody can publish that curator's own articles until a second one
// exists); the owner or a curator confirms an article as checked and
// decides suggestions.
func Can(u *account.User, act Action, a Article) bool {
	switch act {
	case ActRead:
		return a.Published != nil || Writer(u)
	case ActCreate, ActEdit:
		return Writer(u)
	case ActReview:
		return u != nil && u.Has(account.Curator) && a.State == Submitted && !slices.Contains(a.Authors, u.ID)
	case ActCheck, ActDecide:
		return u != nil && a.Published != nil && (u.Has(account.Curator) || a.Owner.ID != "" && a.Owner.ID == u.ID && Writer(u))
	case ActRate:
		return u != nil && a.Published != nil
	}
	return false
}

// transitions lists the state changes of the working version. Saving a
// published or returned article makes it a draft again; only a review
// leaves Submitted.
var transitions = map[State][]State{
	Draft:            {Draft, Submitted},
	ChangesRequested: {Draft, Submitted},
	Published:        {Draft},
	Submitted:        {Published, ChangesRequested},
}

// CanMove reports whether the working version may go from one state to
// another.
func CanMove(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}
