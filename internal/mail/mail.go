// Package mail sends the platform's plain-text mails. Every mail is first
// stored in an outbox that operators can read. With an SMTP server
// configured, a River job inserted in the same transaction as the outbox row
// delivers it and is retried with backoff; without one (the default), the
// outbox is where the mail ends, so a fresh installation works without any
// mail set-up.
//
// Mail bodies may hold one-time links; they are never logged.
package mail

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Message is a mail as a caller composes it; callers write the German or
// English text themselves.
type Message struct {
	// To is one bare address such as "eva@example.org".
	To string
	// Subject is one line.
	Subject string
	// Text is the plain-text body.
	Text string
	// Lang is "de" (the default when empty) or "en".
	Lang string
	// Kind names what the mail is for, such as "account.confirm", so that
	// operators can tell mails apart; it may be empty.
	Kind string
}

// Status is where a mail stands in the outbox.
type Status string

// The statuses of a mail.
const (
	// StatusStored: no SMTP server is configured; the mail stays in the
	// outbox for operators to read.
	StatusStored Status = "stored"
	// StatusQueued: a job will deliver the mail.
	StatusQueued Status = "queued"
	// StatusRetrying: the last delivery attempt failed; the job retries.
	StatusRetrying Status = "retrying"
	// StatusSent: the SMTP server accepted the mail.
	StatusSent Status = "sent"
	// StatusFailed: the last attempt the job was allowed failed; the mail
	// will not be sent.
	StatusFailed Status = "failed"
)

// Mail is a message in the outbox.
type Mail struct {
	Message
	ID          string
	Created     time.Time
	Status      Status
	Attempts    int
	LastError   string
	LastAttempt *time.Time
	Sent        *time.Time
}

// Outgoing is a validated mail ready to be stored, together with the hook
// that enqueues its delivery job. A store stores it with AddMail in a
// transaction of its own, or inside another of its transactions, so that
// the mail exists exactly when the change it reports does.
type Outgoing struct {
	Mail Mail
	// Enqueue inserts the delivery job in tx, the transaction that stores
	// the outbox row; nil when no SMTP server is configured.
	Enqueue func(ctx context.Context, tx *sql.Tx) error
}

// Store keeps the outbox.
type Store interface {
	// AddMail stores out.Mail (its Created time is the transaction's) and
	// calls out.Enqueue, when set, in the same transaction.
	AddMail(ctx context.Context, out Outgoing) error
	// Mail returns one mail; apperr.NotFound when there is none.
	Mail(ctx context.Context, id string) (Mail, error)
	// Mails returns a page of mails, newest first, without their Text,
	// and the number of all mails.
	Mails(ctx context.Context, limit, offset int) ([]Mail, int, error)
	// RecordMailAttempt counts a delivery attempt and sets the mail's
	// status and last error (empty after success). It changes nothing
	// for a mail already sent and reports whether it changed the mail.
	RecordMailAttempt(ctx context.Context, id string, status Status, lastError string) (bool, error)
}

// Enqueuer inserts River jobs inside a database/sql transaction; the
// platform's *river.Client[*sql.Tx] (see package jobs) is one.
type Enqueuer interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}
