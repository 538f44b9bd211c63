package exploration

// This file: the buyer's preparation: criteria, questionnaire, sending.

import (
	"context"
	"errors"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// SetCriteria replaces the criteria; they are fixed once scoring began.
func (s *Service) SetCriteria(ctx context.Context, a Actor, id string, lock int, cs []Criterion, m account.Meta) (Exploration, error) {
	e, err := s.editable(ctx, a, id)
	if err != nil {
		return e, err
	}
	if len(e.Scores) > 0 {
		return e, apperr.New(apperr.Conflict, "exploration.error.criteria_fixed")
	}
	if e.Criteria, err = ValidateCriteria(cs); err != nil {
		return e, err
	}
	return s.save(ctx, a, e, lock, "exploration.criteria", m, map[string]any{"criteria": e.Criteria})
}

// SetRFI saves the questionnaire of a draft: questions, deadline,
// providers asked (organisation ids among the candidates').
func (s *Service) SetRFI(ctx context.Context, a Actor, id string, lock int, in RFI, m account.Meta) (Exploration, error) {
	e, err := s.editable(ctx, a, id)
	if err != nil {
		return e, err
	}
	if e.State != Draft {
		return e, apperr.New(apperr.Conflict, "exploration.error.sent")
	}
	snap, err := e.Frozen()
	if err != nil {
		return e, err
	}
	if err := in.Validate(s.Now(), snap.ProviderIDs()); err != nil {
		return e, err
	}
	d := in.Deadline.UTC()
	e.Questions, e.Deadline, e.Providers = in.Questions, &d, in.Providers
	return s.save(ctx, a, e, lock, "exploration.rfi", m, map[string]any{"questions": len(e.Questions), "deadline": d, "providers": e.Providers})
}

// Send sends the questionnaire to the providers: the criteria must sum
// to 100 and the deadline still lie ahead. Their members are notified.
func (s *Service) Send(ctx context.Context, a Actor, id string, lock int, m account.Meta) (Exploration, error) {
	e, err := s.editable(ctx, a, id)
	if err != nil {
		return e, err
	}
	if e.State != Draft {
		return e, apperr.New(apperr.Conflict, "exploration.error.sent")
	}
	snap, err := e.Frozen()
	if err != nil {
		return e, err
	}
	_, cerr := ValidateCriteria(e.Criteria)
	in := RFI{Questions: e.Questions, Deadline: e.Deadline, Providers: e.Providers}
	rerr := in.Validate(s.Now(), snap.ProviderIDs())
	if err := joinInvalid(cerr, rerr); err != nil {
		return e, err
	}
	now := s.Now().UTC()
	e.State, e.SentAt = Sent, &now
	out, err := s.save(ctx, a, e, lock, "exploration.sent", m, map[string]any{"providers": e.Providers, "deadline": e.Deadline})
	if err != nil {
		return out, err
	}
	s.notifyProviders(ctx, out)
	return out, nil
}

// notifyProviders tells every member of the providers asked; a failure
// is logged, the questionnaire stays sent.
func (s *Service) notifyProviders(ctx context.Context, e Exploration) {
	if s.notify == nil {
		return
	}
	for _, p := range e.Providers {
		ms, err := s.store.Members(ctx, p)
		if err != nil {
			s.Log.Error("exploration: members to notify", "exploration", e.ID, "org", p, "err", err)
			continue
		}
		for _, mb := range ms {
			if err := s.notify.Notify(ctx, mb.UserID, KindRFI, "sent", e.Title, "/markterkundungen/"+e.ID+"/antwort"); err != nil {
				s.Log.Error("exploration: notify", "exploration", e.ID, "user", mb.UserID, "err", err)
			}
		}
	}
}

// joinInvalid merges validation errors into one; other errors win.
func joinInvalid(errs ...error) error {
	var out *apperr.Error
	for _, err := range errs {
		if err == nil {
			continue
		}
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
			return err
		}
		if out == nil {
			c := *ae
			out = &c
			continue
		}
		out.Fields = append(out.Fields, ae.Fields...)
	}
	if out == nil {
		return nil
	}
	return out
}

func (s *Service) save(ctx context.Context, a Actor, e Exploration, lock int, action string, m account.Meta, details map[string]any) (Exploration, error) {
	out, err := s.store.UpdateExploration(ctx, e, lock, audit(a, action, e.ID, m, details))
	if err != nil {
		return out, fmt.Errorf("exploration: %s %s: %w", action, e.ID, err)
	}
	return out, nil
}
