package mail

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smartregions/smartregions/internal/apperr"
)

// memStore keeps the outbox in memory for the validation tests.
type memStore struct{ mails []Mail }

func (m *memStore) AddMail(_ context.Context, out Outgoing) error {
	m.mails = append(m.mails, out.Mail)
	return nil
}
func (m *memStore) Mail(context.Context, string) (Mail, error) { return Mail{}, notFound("") }
func (m *memStore) Mails(context.Context, int, int) ([]Mail, int, error) {
	return m.mails, len(m.mails), nil
}
func (m *memStore) RecordMailAttempt(context.Context, string, Status, string) (bool, error) {
	return false, nil
}

func TestSendValidation(t *testing.T) {
	ok := Message{To: "eva@example.org", Subject: "Bestätigung", Text: "Grüße aus Köln"}
	with := func(f func(m *Message)) Message {
		m := ok
		f(&m)
		return m
	}
	tests := []struct {
		name   string
		in     Message
		fields []string
	}{
		{"OK", ok, nil},
		{"OK english with kind", with(func(m *Message) { m.Lang, m.Kind = "en", "account.confirm" }), nil},
		{"OK spaces around address", with(func(m *Message) { m.To = "  eva@example.org " }), nil},
		{"empty", Message{}, []string{"to", "subject", "text"}},
		{"invalid address", with(func(m *Message) { m.To = "not an address" }), []string{"to"}},
		{"two addresses", with(func(m *Message) { m.To = "eva@example.org, bob@example.org" }), []string{"to"}},
		{"display name", with(func(m *Message) { m.To = "Eva <eva@example.org>" }), []string{"to"}},
		{"header injection in recipient", with(func(m *Message) { m.To = "eva@example.org\r\nBcc: all@example.org" }), []string{"to"}},
		{"line break after recipient", with(func(m *Message) { m.To = "eva@example.org\n" }), []string{"to"}},
		{"long address", with(func(m *Message) { m.To = strings.Repeat("a", MaxTo) + "@example.org" }), []string{"to"}},
		{"empty subject", with(func(m *Message) { m.Subject = "  " }), []string{"subject"}},
		{"header injection in subject", with(func(m *Message) { m.Subject = "Hallo\r\nBcc: all@example.org" }), []string{"subject"}},
		{"long subject", with(func(m *Message) { m.Subject = strings.Repeat("ü", MaxSubject+1) }), []string{"subject"}},
		{"empty text", with(func(m *Message) { m.Text = "\n\n" }), []string{"text"}},
		{"long text", with(func(m *Message) { m.Text = strings.Repeat("ß", MaxText+1) }), []string{"text"}},
		{"nul in text", with(func(m *Message) { m.Text = "a\x00b" }), []string{"text"}},
		{"invalid UTF-8 in subject", with(func(m *Message) { m.Subject = "a\xffb" }), []string{"subject"}},
		{"unknown language", with(func(m *Message) { m.Lang = "fr" }), []string{"lang"}},
		{"kind with spaces", with(func(m *Message) { m.Kind = "account confirm" }), []string{"kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &memStore{}
			svc, err := NewService(st, SMTPConfig{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = svc.Send(context.Background(), tt.in)
			if tt.fields == nil {
				if err != nil || len(st.mails) != 1 {
					t.Fatalf("err = %v, stored %d", err, len(st.mails))
				}
				m := st.mails[0]
				if m.To != "eva@example.org" || m.Status != StatusStored || m.Lang == "" || m.ID == "" {
					t.Fatalf("stored %+v", m)
				}
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.fields) || len(st.mails) != 0 {
				t.Fatalf("fields = %v, want %v; stored %d", got, tt.fields, len(st.mails))
			}
		})
	}
}

func TestSMTPConfig(t *testing.T) {
	tests := []struct {
		name    string
		in      SMTPConfig
		port    int
		wantErr bool
	}{
		{"none configured", SMTPConfig{}, 0, false},
		{"starttls default", SMTPConfig{Host: "mail.example.org", From: "noreply@example.org"}, 587, false},
		{"implicit tls", SMTPConfig{Host: "mail.example.org", From: "noreply@example.org", TLS: "tls"}, 465, false},
		{"plain", SMTPConfig{Host: "localhost", From: "Plattform <noreply@example.org>", TLS: "none"}, 25, false},
		{"explicit port", SMTPConfig{Host: "localhost", From: "noreply@example.org", Port: 2525}, 2525, false},
		{"unknown tls", SMTPConfig{Host: "localhost", From: "noreply@example.org", TLS: "ssl"}, 0, true},
		{"no sender", SMTPConfig{Host: "localhost"}, 0, true},
		{"bad port", SMTPConfig{Host: "localhost", From: "noreply@example.org", Port: 70000}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.in.withDefaults()
			if (err != nil) != tt.wantErr || (!tt.wantErr && c.Port != tt.port) {
				t.Fatalf("withDefaults = %+v, %v", c, err)
			}
		})
	}
	if _, err := NewService(&memStore{}, SMTPConfig{Host: "localhost", From: "noreply@example.org"}, nil); err == nil {
		t.Fatal("NewService with SMTP but without a queue succeeded")
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate("aäb", 2); got != "a" {
		t.Fatalf("truncate = %q", got)
	}
	if got := truncate("abc", 5); got != "abc" {
		t.Fatalf("truncate = %q", got)
	}
}
