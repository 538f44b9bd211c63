package offer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
)

// Question is a clarifying question of a provider, or a statement of the
// need's owners (OrgID ""), with the owners' answer.
type Question struct {
	ID, NeedID string
	// OrgID and OrgName name the asking provider; they are cleared for
	// every other provider (Questions).
	OrgID, OrgName string
	AuthorID       string
	Text           string
	Answer         string
	AnsweredAt     *time.Time
	Created        time.Time
}

// Statement reports whether the owners wrote it.
func (q Question) Statement() bool { return q.OrgID == "" }

// Published reports whether every provider sees it: a statement, or an
// answered question.
func (q Question) Published() bool { return q.Statement() || q.AnsweredAt != nil }

// Thread is the clarifying questions of a need as an actor sees them.
type Thread struct {
	Need  need.Need
	Role  Role
	Items []Question
}

// Questions returns the questions of the need slug: all of them for its
// owners; for a provider the published ones and its own, the askers of
// other providers' questions hidden; apperr.NotFound for anyone else.
func (s *Service) Questions(ctx context.Context, a need.Actor, slug string) (Thread, error) {
	n, r, err := s.context(ctx, a, slug, "")
	if err != nil {
		return Thread{}, err
	}
	if !r.Party() {
		return Thread{}, errNoParty
	}
	all, err := s.store.Questions(ctx, n.ID)
	if err != nil {
		return Thread{}, fmt.Errorf("offer: questions of %s: %w", slug, err)
	}
	t := Thread{Need: n, Role: r, Items: []Question{}}
	for _, q := range all {
		if !r.Owner {
			own := q.OrgID != "" && memberOf(a, q.OrgID)
			if !own && !q.Published() {
				continue
			}
			if !own {
				q.OrgID, q.OrgName, q.AuthorID = "", "", ""
			}
		}
		t.Items = append(t.Items, q)
	}
	return t, nil
}

// Ask adds text to the need slug while it is open: the owners' statement
// goes to every provider the need concerns at once; a provider's question
// goes to the owners, and to the other providers with its answer.
func (s *Service) Ask(ctx context.Context, a need.Actor, slug, text string, m account.Meta) (Question, error) {
	n, r, err := s.context(ctx, a, slug, "")
	if err != nil {
		return Question{}, err
	}
	if !r.Party() {
		if a.User == nil {
			return Question{}, apperr.New(apperr.Unauthenticated, "error.unauthenticated")
		}
		return Question{}, apperr.New(apperr.Forbidden, "offer.error.no_provider")
	}
	if !Offerable(n) {
		return Question{}, apperr.New(apperr.Conflict, "offer.error.need_closed")
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var v apperr.Validation
	v.Text("text", text, MaxQuestion, true)
	if err := v.Err(); err != nil {
		return Question{}, err
	}
	q := Question{ID: newID(), NeedID: n.ID, AuthorID: a.User.ID, Text: text, Created: s.Now().UTC()}
	action := "need.statement"
	if !r.Owner {
		q.OrgID, q.OrgName, action = r.Provider.OrgID, r.Provider.OrgName, "need.question"
	}
	if err := s.store.AddQuestion(ctx, q, audit(a, action, "need", n.ID, m, map[string]any{"question": q.ID})); err != nil {
		return q, fmt.Errorf("offer: ask on %s: %w", slug, err)
	}
	link := "/bedarfe/" + n.Slug + "/fragen"
	if r.Owner {
		s.notifyAudience(ctx, n, "statement", link)
	} else {
		s.notifyOrg(ctx, n.Org.ID, KindClarification, "asked", n.Title, link)
	}
	return q, nil
}

// Answer stores the owners' answer to a provider's question and tells
// every provider the need concerns alike.
func (s *Service) Answer(ctx context.Context, a need.Actor, slug, id, text string, m account.Meta) (Question, error) {
	n, r, err := s.context(ctx, a, slug, "")
	if err != nil {
		return Question{}, err
	}
	if !r.Owner {
		if !r.Party() {
			return Question{}, errNoParty
		}
		return Question{}, errForbidden
	}
	if n.State == need.Closed {
		return Question{}, apperr.New(apperr.Conflict, "offer.error.need_closed")
	}
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	var v apperr.Validation
	v.Text("text", text, MaxQuestion, true)
	if err := v.Err(); err != nil {
		return Question{}, err
	}
	q, err := s.store.AnswerQuestion(ctx, n.ID, id, text, a.User.ID, audit(a, "need.answer", "need", n.ID, m, map[string]any{"question": id}))
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return q, apperr.New(apperr.NotFound, "offer.error.question")
		}
		return q, fmt.Errorf("offer: answer on %s: %w", slug, err)
	}
	s.notifyAudience(ctx, n, "answered", "/bedarfe/"+n.Slug+"/fragen")
	return q, nil
}

// notifyAudience tells the members of every provider the need concerns.
func (s *Service) notifyAudience(ctx context.Context, n need.Need, action, link string) {
	if s.notes == nil {
		return
	}
	users, err := s.store.AudienceMembers(ctx, n.ID)
	if err != nil {
		s.log.Warn("offer: audience", "need", n.ID, "err", err)
		return
	}
	s.notifyUsers(ctx, users, KindClarification, action, n.Title, link)
}
