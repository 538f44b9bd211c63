package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Page sizes of List.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Service validates mails, stores them in the outbox and, with an SMTP
// server, has a job deliver them.
type Service struct {
	store Store
	smtp  SMTPConfig
	queue Enqueuer
}

// NewService returns a service on store. With smtp.Host set, queue (the
// River client of package jobs) enqueues the delivery jobs and must not be
// nil; without it, queue may be nil and mails stay in the outbox.
func NewService(store Store, smtp SMTPConfig, queue Enqueuer) (*Service, error) {
	smtp, err := smtp.withDefaults()
	if err != nil {
		return nil, err
	}
	if smtp.Enabled() && queue == nil {
		return nil, errors.New("mail: SMTP is configured but there is no job queue")
	}
	return &Service{store: store, smtp: smtp, queue: queue}, nil
}

// Prepare validates m and returns it as an outgoing mail with a new ID,
// for a store method that adds it inside its own transaction. apperr.Invalid
// names each faulty field.
func (s *Service) Prepare(m Message) (Outgoing, error) {
	m, err := validate(m)
	if err != nil {
		return Outgoing{}, err
	}
	out := Outgoing{Mail: Mail{Message: m, ID: uuid.Must(uuid.NewV7()).String(), Status: StatusStored}}
	if s.smtp.Enabled() {
		id := out.Mail.ID
		out.Mail.Status = StatusQueued
		out.Enqueue = func(ctx context.Context, tx *sql.Tx) error {
			if _, err := s.queue.InsertTx(ctx, tx, SendArgs{ID: id}, nil); err != nil {
				return fmt.Errorf("mail: enqueue %s: %w", id, err)
			}
			return nil
		}
	}
	return out, nil
}

// Send validates m and stores it in the outbox in one transaction; with an
// SMTP server the delivery job commits in the same transaction, so either
// both exist or neither. apperr.Invalid names each faulty field; nothing is
// stored then.
func (s *Service) Send(ctx context.Context, m Message) error {
	out, err := s.Prepare(m)
	if err != nil {
		return err
	}
	if err := s.store.AddMail(ctx, out); err != nil {
		return fmt.Errorf("mail: send %s (%s): %w", out.Mail.ID, out.Mail.Kind, err)
	}
	return nil
}

// List returns a page of the outbox, newest first, without the mails'
// Text, and the number of all mails. limit is clamped to 1..MaxLimit
// (DefaultLimit when zero or less).
func (s *Service) List(ctx context.Context, limit, offset int) ([]Mail, int, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset = max(offset, 0)
	mails, total, err := s.store.Mails(ctx, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list: %w", err)
	}
	return mails, total, nil
}

// Get returns one mail with its text; apperr.NotFound when there is none.
func (s *Service) Get(ctx context.Context, id string) (Mail, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Mail{}, notFound(id)
	}
	m, err := s.store.Mail(ctx, id)
	if err != nil {
		return Mail{}, fmt.Errorf("mail: get %s: %w", id, err)
	}
	return m, nil
}
