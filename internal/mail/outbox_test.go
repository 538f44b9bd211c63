package mail_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/jobs"
	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/mail/mailtest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

// harness is one instance's mail set-up on a test database.
type harness struct {
	db     *store.DB
	svc    *mail.Service
	worker *mail.Worker
	runner *jobs.Runner
	events <-chan *river.Event
}

type quickRetry struct{}

func (quickRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(5 * time.Millisecond) }

func newHarness(t *testing.T, db *store.DB, smtp mail.SMTPConfig) *harness {
	t.Helper()
	ctx := context.Background()
	w, err := mail.NewWorker(db, smtp)
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	runner, err := jobs.New(ctx, db, workers, jobs.Config{
		PollInterval: 20 * time.Millisecond,
		RetryPolicy:  quickRetry{},
		Logger:       slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	var queue mail.Enqueuer
	if smtp.Enabled() {
		queue = runner.Client()
	}
	svc, err := mail.NewService(db, smtp, queue)
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := runner.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	t.Cleanup(cancel)
	return &harness{db: db, svc: svc, worker: w, runner: runner, events: events}
}

// start works jobs until the test ends.
func (h *harness) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-h.runner.Stopped()
	})
}

// waitJobs returns the kinds of the next n job events, failing the test
// after a deadline.
func (h *harness) waitJobs(t *testing.T, n int) []river.EventKind {
	t.Helper()
	deadline := time.After(15 * time.Second)
	var kinds []river.EventKind
	for len(kinds) < n {
		select {
		case e := <-h.events:
			kinds = append(kinds, e.Kind)
		case <-deadline:
			t.Fatalf("job events %v: want %d before the deadline", kinds, n)
		}
	}
	return kinds
}

// only returns the single mail in the outbox, with its text.
func (h *harness) only(t *testing.T) mail.Mail {
	t.Helper()
	ctx := context.Background()
	list, total, err := h.svc.List(ctx, 10, 0)
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("List = %d mails of %d, %v; want one", len(list), total, err)
	}
	m, err := h.svc.Get(ctx, list[0].ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return m
}

func (h *harness) jobCount(t *testing.T) int {
	t.Helper()
	res, err := h.runner.Client().JobList(context.Background(), river.NewJobListParams())
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Jobs)
}

func smtpConfig(host string, port int) mail.SMTPConfig {
	return mail.SMTPConfig{Host: host, Port: port, From: "Smartregions <noreply@example.org>", TLS: mail.TLSNone, Timeout: 5 * time.Second}
}

var message = mail.Message{
	To:      "eva@example.org",
	Subject: "Bestätigen Sie Ihre Adresse – Grüße",
	Text:    "Guten Tag,\n\nbitte bestätigen Sie Ihre Adresse für Köln-Mülheim.\nÄÖÜ äöü ß\n",
	Lang:    "de",
	Kind:    "account.confirm",
}

func TestOutboxWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHarness(t, db, mail.SMTPConfig{})
		h.start(t)
		first := message
		first.Subject = "Erste"
		for _, m := range []mail.Message{first, message} {
			if err := h.svc.Send(ctx, m); err != nil {
				t.Fatalf("Send: %v", err)
			}
		}
		list, total, err := h.svc.List(ctx, 10, 0)
		if err != nil || total != 2 || len(list) != 2 {
			t.Fatalf("List = %d of %d, %v", len(list), total, err)
		}
		if list[0].Subject != message.Subject || list[1].Subject != "Erste" {
			t.Fatalf("List order: %q, %q; want newest first", list[0].Subject, list[1].Subject)
		}
		if l := list[0]; l.Status != mail.StatusStored || l.Text != "" || l.To != message.To || l.Kind != message.Kind || l.Created.IsZero() {
			t.Fatalf("list item %+v", l)
		}
		if page, total, err := h.svc.List(ctx, 1, 1); err != nil || total != 2 || len(page) != 1 || page[0].Subject != "Erste" {
			t.Fatalf("second page = %+v, %d, %v", page, total, err)
		}
		m, err := h.svc.Get(ctx, list[0].ID)
		if err != nil || m.Text != message.Text || m.Attempts != 0 || m.Sent != nil {
			t.Fatalf("Get = %+v, %v", m, err)
		}
		if n := h.jobCount(t); n != 0 {
			t.Fatalf("%d jobs without SMTP", n)
		}
		for _, id := range []string{"nonsense", uuid.Must(uuid.NewV7()).String()} {
			if _, err := h.svc.Get(ctx, id); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("Get(%q) = %v, want not found", id, err)
			}
		}
	})
}

func TestInvalidStoresNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		h := newHarness(t, db, smtpConfig(srv.Host, srv.Port))
		bad := []mail.Message{
			{To: "eva@example.org\r\nBcc: all@example.org", Subject: "x", Text: "x"},
			{To: "eva@example.org", Subject: "x\r\nBcc: all@example.org", Text: "x"},
			{To: "not an address", Subject: "", Text: "x"},
		}
		for _, m := range bad {
			err := h.svc.Send(context.Background(), m)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || len(e.Fields) == 0 {
				t.Fatalf("Send(%q, %q) = %v, want invalid with fields", m.To, m.Subject, err)
			}
		}
		if _, total, err := h.svc.List(context.Background(), 10, 0); err != nil || total != 0 {
			t.Fatalf("outbox has %d mails, %v", total, err)
		}
		if n := h.jobCount(t); n != 0 {
			t.Fatalf("%d jobs for invalid mails", n)
		}
	})
}

// TestEnqueueFailureRollsBack checks that the outbox row and the job commit
// together: when enqueuing fails, the row is gone too.
func TestEnqueueFailureRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		out := mail.Outgoing{
			Mail:    mail.Mail{Message: message, ID: uuid.Must(uuid.NewV7()).String(), Status: mail.StatusQueued},
			Enqueue: func(context.Context, *sql.Tx) error { return errors.New("queue down") },
		}
		if err := db.AddMail(ctx, out); err == nil {
			t.Fatal("AddMail succeeded although enqueuing failed")
		}
		if _, err := db.Mail(ctx, out.Mail.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Mail = %v; the row should have been rolled back", err)
		}
	})
}
