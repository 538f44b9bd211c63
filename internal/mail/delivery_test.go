package mail_test

import (
	"context"
	"mime"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/smartregions/smartregions/internal/mail"
	"github.com/smartregions/smartregions/internal/mail/mailtest"
	"github.com/smartregions/smartregions/internal/store"
	"github.com/smartregions/smartregions/internal/store/storetest"
)

func TestDeliver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		h := newHarness(t, db, smtpConfig(srv.Host, srv.Port))
		h.start(t)
		if err := h.svc.Send(context.Background(), message); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if kinds := h.waitJobs(t, 1); kinds[0] != river.EventKindJobCompleted {
			t.Fatalf("job event %s", kinds[0])
		}
		m := h.only(t)
		if m.Status != mail.StatusSent || m.Attempts != 1 || m.Sent == nil || m.LastError != "" || m.LastAttempt == nil {
			t.Fatalf("outbox row %+v", m)
		}

		got := srv.Messages()
		if len(got) != 1 {
			t.Fatalf("server received %d mails", len(got))
		}
		if got[0].From != "noreply@example.org" || !slices.Equal(got[0].To, []string{"eva@example.org"}) {
			t.Fatalf("envelope from %q to %v", got[0].From, got[0].To)
		}
		checkMessage(t, got[0], m)
	})
}

// checkMessage compares what the server received with m.
func checkMessage(t *testing.T, got mailtest.Message, m mail.Mail) {
	t.Helper()
	if got.ParseErr != nil {
		t.Fatalf("received mail: %v", got.ParseErr)
	}
	hdr := got.Header
	if got.Subject != message.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, message.Subject)
	}
	if to, err := hdr.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "eva@example.org" {
		t.Errorf("To = %v, %v", to, err)
	}
	if from, err := hdr.AddressList("From"); err != nil || len(from) != 1 || from[0].Address != "noreply@example.org" {
		t.Errorf("From = %v, %v", from, err)
	}
	if id := hdr.Get("Message-ID"); id != "<"+m.ID+"@example.org>" {
		t.Errorf("Message-ID = %q, want the outbox ID", id)
	}
	if date, err := hdr.Date(); err != nil || !date.Equal(m.Created.Truncate(time.Second)) {
		t.Errorf("Date = %v (%v), want the outbox time %v", date, err, m.Created)
	}
	if lang := hdr.Get("Content-Language"); lang != "de" {
		t.Errorf("Content-Language = %q", lang)
	}
	mediaType, params, err := mime.ParseMediaType(hdr.Get("Content-Type"))
	if err != nil || mediaType != "text/plain" || !strings.EqualFold(params["charset"], "utf-8") {
		t.Errorf("Content-Type = %q", hdr.Get("Content-Type"))
	}
	if strings.TrimRight(got.Text, "\n") != strings.TrimRight(message.Text, "\n") {
		t.Errorf("body = %q, want %q", got.Text, message.Text)
	}
}

// closedPort returns a local port that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// TestRetryAfterRejection: the server refuses the recipient twice; River
// retries and the third attempt delivers.
func TestRetryAfterRejection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv := mailtest.Start(t)
		srv.SetReject(2)
		h := newHarness(t, db, smtpConfig(srv.Host, srv.Port))
		h.start(t)
		if err := h.svc.Send(context.Background(), message); err != nil {
			t.Fatalf("Send: %v", err)
		}
		want := []river.EventKind{river.EventKindJobFailed, river.EventKindJobFailed, river.EventKindJobCompleted}
		if kinds := h.waitJobs(t, 3); !slices.Equal(kinds, want) {
			t.Fatalf("job events %v, want %v", kinds, want)
		}
		m := h.only(t)
		if m.Status != mail.StatusSent || m.Attempts != 3 || m.LastError != "" {
			t.Fatalf("outbox row %+v", m)
		}
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("server received %d mails", n)
		}
	})
}

// TestRetryClosedPort: nothing listens; every attempt is recorded with its
// error and retried.
func TestRetryClosedPort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db, smtpConfig("127.0.0.1", closedPort(t)))
		h.start(t)
		if err := h.svc.Send(context.Background(), message); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if kinds := h.waitJobs(t, 2); kinds[0] != river.EventKindJobFailed || kinds[1] != river.EventKindJobFailed {
			t.Fatalf("job events %v", kinds)
		}
		m := h.only(t)
		if m.Status != mail.StatusRetrying || m.Attempts < 2 || !strings.Contains(m.LastError, "127.0.0.1") || m.Sent != nil {
			t.Fatalf("outbox row %+v", m)
		}
	})
}

// TestWorkTwice runs the job of one mail twice by hand (as a retry after
// a lost completion would): the mail is sent once.
func TestWorkTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		h := newHarness(t, db, smtpConfig(srv.Host, srv.Port)) // not started
		if err := h.svc.Send(ctx, message); err != nil {
			t.Fatalf("Send: %v", err)
		}
		id := h.only(t).ID
		if h.only(t).Status != mail.StatusQueued || h.jobCount(t) != 1 {
			t.Fatalf("after Send: %+v, %d jobs", h.only(t), h.jobCount(t))
		}
		for range 2 {
			job := &river.Job[mail.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 25}, Args: mail.SendArgs{ID: id}}
			if err := h.worker.Work(ctx, job); err != nil {
				t.Fatalf("Work: %v", err)
			}
		}
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("server received %d mails", n)
		}
		if m := h.only(t); m.Status != mail.StatusSent || m.Attempts != 1 {
			t.Fatalf("outbox row %+v", m)
		}
		// Enqueuing the same mail again is refused as a duplicate.
		res, err := h.runner.Client().Insert(ctx, mail.SendArgs{ID: id}, nil)
		if err != nil || !res.UniqueSkippedAsDuplicate {
			t.Fatalf("second Insert = %+v, %v; want a duplicate", res, err)
		}
	})
}

// TestLastAttemptFails: when River's last allowed attempt fails, the mail
// is marked failed.
func TestLastAttemptFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHarness(t, db, smtpConfig("127.0.0.1", closedPort(t)))
		if err := h.svc.Send(ctx, message); err != nil {
			t.Fatalf("Send: %v", err)
		}
		id := h.only(t).ID
		job := &river.Job[mail.SendArgs]{JobRow: &rivertype.JobRow{Attempt: 25, MaxAttempts: 25}, Args: mail.SendArgs{ID: id}}
		if err := h.worker.Work(ctx, job); err == nil {
			t.Fatal("Work succeeded against a closed port")
		}
		if m := h.only(t); m.Status != mail.StatusFailed || m.Attempts != 1 || m.LastError == "" {
			t.Fatalf("outbox row %+v", m)
		}
	})
}
