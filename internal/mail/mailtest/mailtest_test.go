package mailtest_test

import (
	"context"
	"errors"
	"net"
	"net/smtp"
	"strconv"
	"testing"
	"time"

	"github.com/smartregions/smartregions/internal/mail/mailtest"
)

func sendRaw(t *testing.T, s *mailtest.Server, to, raw string) {
	t.Helper()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	if err := smtp.SendMail(addr, nil, "from@example.org", []string{to}, []byte(raw)); err != nil {
		t.Fatalf("send to %s: %v", to, err)
	}
}

// TestNext: Next waits for a mail, returns each mail once, in order, and
// gives up when its context ends; bodies are decoded.
func TestNext(t *testing.T) {
	s := mailtest.Start(t)
	got := make(chan mailtest.Message, 1)
	go func() {
		m, err := s.Next(context.Background(), "eva@example.org")
		if err != nil {
			t.Error(err)
		}
		got <- m
	}()
	sendRaw(t, s, "bob@example.org", "Subject: for Bob\r\n\r\nHallo Bob\r\n")
	sendRaw(t, s, "Eva@Example.org", "Subject: =?UTF-8?q?Best=C3=A4tigung?=\r\nContent-Type: text/plain; charset=utf-8\r\n"+
		"Content-Transfer-Encoding: quoted-printable\r\n\r\nBitte =C3=B6ffnen: http://platform.test/konto/bestaetigen/=\r\nabc123\r\n")
	sendRaw(t, s, "eva@example.org", "Subject: second\r\n\r\nzwei\r\n")

	first := <-got
	if first.Subject != "Bestätigung" || first.Text != "Bitte öffnen: http://platform.test/konto/bestaetigen/abc123\n" || first.ParseErr != nil {
		t.Fatalf("first mail to Eva: %q %q %v", first.Subject, first.Text, first.ParseErr)
	}
	if second := s.MustNext(t, "eva@example.org", 5*time.Second); second.Subject != "second" || second.From != "from@example.org" {
		t.Fatalf("second mail to Eva: %+v", second)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Next(ctx, "eva@example.org"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third Next: %v, want the context's deadline", err)
	}
	if n := len(s.Messages()); n != 3 {
		t.Fatalf("%d messages, want 3", n)
	}
}

// TestReject: while rejecting, the server refuses recipients.
func TestReject(t *testing.T) {
	s := mailtest.Start(t)
	s.SetReject(1)
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	if err := smtp.SendMail(addr, nil, "from@example.org", []string{"eva@example.org"}, []byte("Subject: x\r\n\r\nx\r\n")); err == nil {
		t.Fatal("the first mail was accepted")
	}
	sendRaw(t, s, "eva@example.org", "Subject: y\r\n\r\ny\r\n")
	if m := s.Messages(); len(m) != 1 || m[0].Subject != "y" {
		t.Fatalf("messages %+v", m)
	}
}
