package advice

import (
	"context"
	"fmt"
	"slices"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/notify"
)

// Post is a message someone writes to a request's thread.
type Post struct {
	Body  string
	Files []File
}

// validate checks a post (fields body and files).
func (p *Post) validate() error {
	p.Body = cleanBody(p.Body)
	var v apperr.Validation
	v.Text("body", p.Body, MaxBody, true)
	checkFiles(&v, p.Files)
	return v.Err()
}

func (s *Service) message(u account.User, r Request, p Post, internal bool) *Message {
	m := &Message{ID: newID(), RequestID: r.ID, Author: Person{ID: u.ID, Name: u.Name, Email: u.Email}, Body: p.Body,
		Internal: internal, ByCentre: u.Has(account.Advisor), Created: s.Now().UTC()}
	m.Attachments = attachments(p.Files, newID, m.ID, r.ID)
	return m
}

var errState = apperr.New(apperr.Conflict, "advice.error.state")

// Reply adds the municipality's message to a request that waits for it or
// is answered; the request goes back to the centre (in progress) and the
// responsible advisor gets a mail.
func (s *Service) Reply(ctx context.Context, u account.User, id string, p Post, m account.Meta) error {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if role == Centre {
		return errForbidden // the centre answers or writes notes
	}
	if !Can(role, ActReply, r.State) {
		return errState
	}
	if err := p.validate(); err != nil {
		return err
	}
	c := Change{RequestID: r.ID, From: r.State, To: InProgress, Message: s.message(u, r, p, false),
		Audit: audit(u, "advice.replied", r.ID, m, map[string]any{"from": r.State, "to": InProgress})}
	if r.Agent.ID != "" {
		out, err := s.mail(r.Agent, "replied", r)
		if err != nil {
			return err
		}
		c.Mails = []mail.Outgoing{out}
	}
	return s.change(ctx, c)
}

// Answer adds the centre's answer: the request is answered, or waits for
// the municipality when waiting is set (a question back). The asker gets a
// notification (kind advice.answer) with the answer mail. A request nobody is responsible for becomes u's.
func (s *Service) Answer(ctx context.Context, u account.User, id string, p Post, waiting bool, m account.Meta) error {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !Can(role, ActWork, r.State) {
		return errForbidden
	}
	to := Answered
	if waiting {
		to = Waiting
	}
	if r.State != to && !CanMove(role, r.State, to) {
		return errState
	}
	if err := p.validate(); err != nil {
		return err
	}
	c := Change{RequestID: r.ID, From: r.State, To: to, Message: s.message(u, r, p, false),
		Audit: audit(u, "advice.answered", r.ID, m, map[string]any{"from": r.State, "to": to})}
	if r.Agent.ID == "" {
		c.Agent = &u.ID
	}
	if r.Asker.ID != "" {
		// The answer mail is the notification's mail: it goes out as the
		// asker chose for advice answers (at once by default).
		out, err := s.mail(r.Asker, string(to), r)
		if err != nil {
			return err
		}
		c.Notices = []notify.Pending{{
			Notification: notify.Notification{ID: newID(), UserID: r.Asker.ID, Kind: notify.KindAdviceAnswer, Action: string(to),
				Title: r.Topic, Link: Path(r)},
			Mail: func(notify.Recipient, []notify.Notification) (mail.Outgoing, error) { return out, nil },
		}}
	}
	return s.change(ctx, c)
}

// Note adds an advisor's internal note; the municipality never sees it.
func (s *Service) Note(ctx context.Context, u account.User, id string, p Post, m account.Meta) error {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !Can(role, ActWork, r.State) {
		return errForbidden
	}
	if err := p.validate(); err != nil {
		return err
	}
	return s.change(ctx, Change{RequestID: r.ID, From: r.State, To: r.State, Message: s.message(u, r, p, true),
		Audit: audit(u, "advice.noted", r.ID, m, nil)})
}

// Assign makes an advisor responsible; a new request becomes assigned.
// The advisor gets a mail unless they assign it to themselves.
func (s *Service) Assign(ctx context.Context, u account.User, id, advisorID string, m account.Meta) error {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !Can(role, ActWork, r.State) {
		return errForbidden
	}
	advisors, err := s.store.Advisors(ctx)
	if err != nil {
		return fmt.Errorf("advice: advisors: %w", err)
	}
	i := slices.IndexFunc(advisors, func(p Person) bool { return p.ID == advisorID })
	if i < 0 {
		var v apperr.Validation
		v.Add("advisor", "advice.error.advisor")
		return v.Err()
	}
	to := r.State
	if to == New {
		to = Assigned
	}
	c := Change{RequestID: r.ID, From: r.State, To: to, Agent: &advisorID,
		Audit: audit(u, "advice.assigned", r.ID, m, map[string]any{"advisor": advisorID, "from": r.State, "to": to})}
	if advisorID != u.ID {
		out, err := s.mail(advisors[i], "assigned", r)
		if err != nil {
			return err
		}
		c.Mails = []mail.Outgoing{out}
	}
	return s.change(ctx, c)
}

// Move changes the state of a request as u's role allows (closing it is
// one such change, for the municipality too).
func (s *Service) Move(ctx context.Context, u account.User, id string, to State, m account.Meta) error {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if !to.Valid() {
		var v apperr.Validation
		v.Add("state", "advice.error.state_value")
		return v.Err()
	}
	if !CanMove(role, r.State, to) {
		return errState
	}
	return s.change(ctx, Change{RequestID: r.ID, From: r.State, To: to,
		Audit: audit(u, "advice.state_changed", r.ID, m, map[string]any{"from": r.State, "to": to})})
}

func (s *Service) change(ctx context.Context, c Change) error {
	if err := s.store.ChangeAdvice(ctx, c); err != nil {
		return fmt.Errorf("advice: change %s: %w", c.RequestID, err)
	}
	return nil
}

// Attachment returns a file of request id for u; files of internal notes
// only for the centre. apperr.NotFound otherwise.
func (s *Service) Attachment(ctx context.Context, u account.User, id, fileID string) (Attachment, error) {
	r, role, err := s.Get(ctx, u, id)
	if err != nil {
		return Attachment{}, err
	}
	a, internal, err := s.store.AdviceAttachment(ctx, r.ID, fileID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return a, errNotFound
		}
		return a, fmt.Errorf("advice: attachment %s: %w", fileID, err)
	}
	if internal && !Can(role, ActNotes, r.State) {
		return Attachment{}, errNotFound
	}
	return a, nil
}

// Advisors returns who may be made responsible, for the centre.
func (s *Service) Advisors(ctx context.Context, u account.User) ([]Person, error) {
	if !u.Has(account.Advisor) {
		return nil, errForbidden
	}
	return s.store.Advisors(ctx)
}

// Export adds u's messages to their data export.
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	list, err := s.store.UserAdviceMessages(ctx, userID)
	if err != nil {
		return fmt.Errorf("advice: export %s: %w", userID, err)
	}
	if list == nil {
		list = []ExportMessage{}
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["advice_messages"] = list
	return nil
}
