package mail

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/smartregions/smartregions/internal/apperr"
)

// SendArgs is the job that delivers one outbox mail. It carries only the
// ID: the body stays in the outbox, out of River's job table.
type SendArgs struct {
	ID string `json:"id"`
}

// Kind names the job for River.
func (SendArgs) Kind() string { return "mail.send" }

// InsertOpts makes the job unique per mail, so a mail enqueued twice is
// still delivered by one job.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// maxErrorLen bounds the last error kept in the outbox.
const maxErrorLen = 1000

// Worker delivers outbox mails through the SMTP server. Register it with
// river.AddWorker before the River client is built (see package jobs).
//
// It is idempotent: a mail already sent is not sent again. A crash between
// the server's acceptance and the outbox update can still send a mail
// twice; its Message-ID stays the same, so receivers can tell.
type Worker struct {
	river.WorkerDefaults[SendArgs]
	store  Store
	sender sender
}

// NewWorker returns the delivery worker. Without an SMTP server it fails
// every job it is given (there are none: Send enqueues only with a server).
func NewWorker(store Store, smtp SMTPConfig) (*Worker, error) {
	smtp, err := smtp.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Worker{store: store, sender: sender{cfg: smtp}}, nil
}

// Timeout gives a job the SMTP timeout plus time for the database.
func (w *Worker) Timeout(*river.Job[SendArgs]) time.Duration {
	return w.sender.cfg.Timeout + 30*time.Second
}

// Work delivers the mail job.Args.ID and records the attempt. A failed
// attempt returns an error, so River retries with backoff; after the last
// allowed attempt the mail is marked failed.
func (w *Worker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	id := job.Args.ID
	m, err := w.store.Mail(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return river.JobCancel(fmt.Errorf("mail: deliver %s: not in the outbox", id))
	}
	if err != nil {
		return fmt.Errorf("mail: deliver %s: %w", id, err)
	}
	if m.Status == StatusSent {
		return nil
	}
	if !w.sender.cfg.Enabled() {
		return errors.New("mail: deliver " + id + ": no SMTP server configured")
	}

	sendErr := w.sender.send(ctx, m)
	status, lastError := StatusSent, ""
	if sendErr != nil {
		status, lastError = StatusRetrying, truncate(sendErr.Error(), maxErrorLen)
		if job.Attempt >= job.MaxAttempts {
			status = StatusFailed
		}
	}
	// Record even when the job's context has ended: the attempt happened.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := w.store.RecordMailAttempt(recCtx, id, status, lastError); err != nil {
		return errors.Join(sendErr, fmt.Errorf("mail: deliver %s: record attempt: %w", id, err))
	}
	if sendErr != nil {
		return fmt.Errorf("mail: deliver %s (%s): %w", id, m.Kind, sendErr)
	}
	return nil
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func notFound(id string) error {
	return apperr.Wrap(fmt.Errorf("mail %q", id), apperr.NotFound, "error.not_found")
}
