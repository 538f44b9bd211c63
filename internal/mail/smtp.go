package mail

import (
	"context"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// The values of SMTPConfig.TLS.
const (
	TLSStartTLS = "starttls" // STARTTLS is required (the default)
	TLSImplicit = "tls"      // TLS from the first byte ("SMTPS")
	TLSNone     = "none"     // plain text, for a relay on the same host
)

// DefaultTimeout bounds one delivery attempt: connecting, greeting,
// authenticating and sending.
const DefaultTimeout = 30 * time.Second

// SMTPConfig is the server that delivers mail. A zero SMTPConfig (no Host)
// means no server: mails stay in the outbox.
type SMTPConfig struct {
	Host string
	// Port defaults to 587 for STARTTLS, 465 for TLS and 25 for none.
	Port int
	// Username and Password authenticate when Username is set.
	Username, Password string
	// From is the sender address, such as "smartregions <noreply@example.org>".
	From string
	// TLS is "starttls" (the default when empty), "tls" or "none".
	TLS string
	// Timeout bounds one delivery attempt; zero means DefaultTimeout.
	Timeout time.Duration
}

// Enabled reports whether a server is configured.
func (c SMTPConfig) Enabled() bool { return c.Host != "" }

// withDefaults checks c and fills in the defaults.
func (c SMTPConfig) withDefaults() (SMTPConfig, error) {
	if !c.Enabled() {
		return c, nil
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	if c.Port == 0 {
		c.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[c.TLS]
	}
	switch {
	case c.Port == 0:
		return c, fmt.Errorf("mail: SMTP TLS %q: want starttls, tls or none", c.TLS)
	case c.Port < 0 || c.Port > 65535:
		return c, fmt.Errorf("mail: SMTP port %d out of range", c.Port)
	case c.Timeout < 0:
		return c, fmt.Errorf("mail: SMTP timeout %s is negative", c.Timeout)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return c, fmt.Errorf("mail: SMTP sender %q: %w", c.From, err)
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c, nil
}

// sender delivers mails through one configured server.
type sender struct{ cfg SMTPConfig }

// send delivers m, bounded by the configured timeout.
func (s sender) send(ctx context.Context, m Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	client, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return nil
}

// message builds the MIME message. Message-ID and Date come from the
// outbox row, so a retry sends the same message and a receiver can
// recognise a duplicate.
func (s sender) message(m Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@" + domainOf(s.cfg.From))
	msg.SetDateWithValue(m.Created)
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	return msg, nil
}

// domainOf returns the domain of the sender address, for Message-IDs.
func domainOf(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "localhost"
	}
	for i := len(a.Address) - 1; i >= 0; i-- {
		if a.Address[i] == '@' {
			return a.Address[i+1:]
		}
	}
	return "localhost"
}
