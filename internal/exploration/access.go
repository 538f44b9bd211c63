package exploration

import (
	"github.com/smartregions/smartregions/internal/org"
)

// Actor is a user with their memberships; the zero Actor is a visitor.
type Actor = org.Actor

// Respondent returns the actor's organisation that was asked in e ("" for
// none).
func Respondent(a Actor, e Exploration) string {
	if a.User == nil || e.State == Draft {
		return ""
	}
	for _, m := range a.Orgs {
		if e.Asked(m.OrgID) {
			return m.OrgID
		}
	}
	return ""
}

// Action is something a user may do about an exploration.
type Action int

// The actions Can decides.
const (
	ActView   Action = iota // see everything: candidates, all answers, scores
	ActEdit                 // criteria, questionnaire, sending, scoring, closing, reports
	ActAnswer               // see the questionnaire and the own answer; answer it
)

// Can is the one authorisation rule of explorations: may a do act to e?
//
//   - Members of the buyer organisation see the whole exploration;
//     members of it while it is a verified public body edit it.
//   - Members of a provider organisation asked see the questionnaire
//     and their own organisation's answer, never others', once sent.
//   - Nobody else sees it at all (not even curators: it is part of a
//     procurement file); handlers answer 404.
func Can(a Actor, act Action, e Exploration) bool {
	if a.User == nil {
		return false
	}
	switch act {
	case ActView:
		return a.Member(e.Org.ID)
	case ActEdit:
		for _, m := range a.PublicBodies() {
			if m.OrgID == e.Org.ID {
				return true
			}
		}
	case ActAnswer:
		return Respondent(a, e) != ""
	}
	return false
}
