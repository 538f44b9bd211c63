package procurement

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// Change is what the store runs inside the transaction of a change, with
// the value as it is then (the zero Threshold when adding): it returns the
// audit entry to write, or an error that aborts the change.
type Change func(current Threshold) (account.AuditEntry, error)

// Store is what the thresholds need from the database. Every write is one
// transaction with its audit entry.
type Store interface {
	// Thresholds returns all values, EU first, then by jurisdiction,
	// contract type, authority type, procedure and validity.
	Thresholds(ctx context.Context) ([]Threshold, error)
	// Threshold returns one value; apperr.NotFound for an unknown id.
	Threshold(ctx context.Context, id string) (Threshold, error)
	// AddThreshold stores a new value.
	AddThreshold(ctx context.Context, t Threshold, check Change) error
	// UpdateThreshold replaces the value with t.ID after check accepted
	// the stored one; apperr.NotFound for an unknown id.
	UpdateThreshold(ctx context.Context, t Threshold, check Change) error
}

// Service reads and edits the thresholds and computes orientations.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns the service.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// SetClock sets the service's clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Today is the current day in Europe/Berlin as UTC midnight.
func (s *Service) Today() time.Time { return Day(s.now()) }

// List returns all values.
func (s *Service) List(ctx context.Context) ([]Threshold, error) { return s.store.Thresholds(ctx) }

// Get returns one value; apperr.NotFound for an unknown id.
func (s *Service) Get(ctx context.Context, id string) (Threshold, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Threshold{}, errNotFound()
	}
	return s.store.Threshold(ctx, id)
}

func errNotFound() error { return apperr.New(apperr.NotFound, "procurement.error.not_found") }

// Orient computes the orientation from the stored values.
func (s *Service) Orient(ctx context.Context, in Input) (Result, error) {
	if err := in.Validate(); err != nil {
		return Result{}, err
	}
	all, err := s.store.Thresholds(ctx)
	if err != nil {
		return Result{}, err
	}
	return Orient(in, all)
}

// Add stores a new value.
func (s *Service) Add(ctx context.Context, u account.User, t Threshold, m account.Meta) (Threshold, error) {
	if !CanEdit(&u) {
		return Threshold{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if err := t.Validate(); err != nil {
		return Threshold{}, err
	}
	t.ID = uuid.Must(uuid.NewV7()).String()
	t.UpdatedBy, t.UpdatedAt = u.Email, s.now().UTC()
	err := s.store.AddThreshold(ctx, t, func(Threshold) (account.AuditEntry, error) {
		return audit(u, m, "procurement.threshold_added", t.ID, nil, &t), nil
	})
	return t, err
}

// Update changes a value. A value that is or was in force keeps its
// amount, kind and start: only its source and its end may change (end it
// and add a new value instead), so that what applied on a day stays
// visible. The end may not lie before yesterday.
func (s *Service) Update(ctx context.Context, u account.User, t Threshold, m account.Meta) (Threshold, error) {
	return s.update(ctx, u, t, m, "procurement.threshold_changed")
}

func (s *Service) update(ctx context.Context, u account.User, t Threshold, m account.Meta, action string) (Threshold, error) {
	if !CanEdit(&u) {
		return Threshold{}, apperr.New(apperr.Forbidden, "error.forbidden")
	}
	if _, err := uuid.Parse(t.ID); err != nil {
		return Threshold{}, errNotFound()
	}
	if err := t.Validate(); err != nil {
		return Threshold{}, err
	}
	today := s.Today()
	t.UpdatedBy, t.UpdatedAt = u.Email, s.now().UTC()
	err := s.store.UpdateThreshold(ctx, t, func(cur Threshold) (account.AuditEntry, error) {
		var v apperr.Validation
		if !cur.ValidFrom.After(today) {
			if t.Scope != cur.Scope || t.Jurisdiction != cur.Jurisdiction || t.ContractType != cur.ContractType ||
				t.AuthorityType != cur.AuthorityType || t.Procedure != cur.Procedure || t.AmountNet != cur.AmountNet {
				v.Add("amount", "procurement.error.in_force")
			}
			if !t.ValidFrom.Equal(cur.ValidFrom) {
				v.Add("valid_from", "procurement.error.in_force")
			}
		}
		if t.ValidUntil != nil && t.ValidUntil.Before(today.AddDate(0, 0, -1)) && !sameDay(t.ValidUntil, cur.ValidUntil) {
			v.Add("valid_until", "procurement.error.until_past")
		}
		if err := v.Err(); err != nil {
			return account.AuditEntry{}, err
		}
		return audit(u, m, action, t.ID, &cur, &t), nil
	})
	return t, err
}

// End ends a value's validity on until (its last day).
func (s *Service) End(ctx context.Context, u account.User, id string, until time.Time, m account.Meta) (Threshold, error) {
	t, err := s.Get(ctx, id)
	if err != nil {
		return Threshold{}, err
	}
	t.ValidUntil = &until
	return s.update(ctx, u, t, m, "procurement.threshold_ended")
}

func sameDay(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func audit(u account.User, m account.Meta, action, id string, before, after *Threshold) account.AuditEntry {
	details := map[string]any{}
	if before != nil {
		details["before"] = auditView(*before)
	}
	if after != nil {
		details["after"] = auditView(*after)
	}
	return account.AuditEntry{ID: uuid.Must(uuid.NewV7()).String(), ActorID: u.ID, ActorLabel: u.Email, Action: action,
		ObjectType: "procurement_threshold", ObjectID: id, Details: details, IP: m.IP}
}

func auditView(t Threshold) map[string]any {
	v := map[string]any{"scope": t.Scope, "jurisdiction": t.Jurisdiction, "contract_type": t.ContractType,
		"authority_type": t.AuthorityType, "procedure": t.Procedure, "amount_net": FormatEuro(t.AmountNet),
		"valid_from": t.ValidFrom.Format(DateLayout), "source_text": t.SourceText, "source_url": t.SourceURL}
	if t.ValidUntil != nil {
		v["valid_until"] = t.ValidUntil.Format(DateLayout)
	}
	return v
}
