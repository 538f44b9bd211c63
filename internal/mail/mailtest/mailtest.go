// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp)
// on 127.0.0.1 for tests: it accepts every mail without TLS or
// authentication, keeps it, and lets a test wait for the next mail to an
// address. The platform delivers to it exactly as to a production relay.
package mailtest

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/smartregions/smartregions/internal/mail"
)

// Message is one mail the server accepted.
type Message struct {
	// From and To are the envelope (MAIL FROM, RCPT TO).
	From string
	To   []string
	// Raw is the message as it came over the wire.
	Raw []byte
	// Header, Subject (with encoded words decoded) and Text (the body with
	// its transfer encoding undone and line ends as "\n") are set when Raw
	// parses as a single-part message; ParseErr says why not otherwise.
	Header   netmail.Header
	Subject  string
	Text     string
	ParseErr error
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int

	mu      sync.Mutex
	msgs    []Message
	taken   map[string]int // per recipient: how many mails Next has returned
	changed chan struct{}  // closed and replaced when a mail arrives
	reject  int
}

// Start runs a server until tb ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{taken: map[string]int{}, changed: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: listen: %v", err)
	}
	go srv.Serve(l)
	tb.Cleanup(func() { srv.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	return s
}

// Config returns the SMTP settings that deliver to s, in plain text,
// from "Smartregions <noreply@example.org>".
func (s *Server) Config() mail.SMTPConfig {
	return mail.SMTPConfig{Host: s.Host, Port: s.Port, From: "Smartregions <noreply@example.org>", TLS: mail.TLSNone, Timeout: 10 * time.Second}
}

// SetReject makes the server refuse the next n recipients with a
// permanent error (550), to test retries.
func (s *Server) SetReject(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = n
}

// Messages returns every mail received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Next returns the oldest mail to the address to (case-insensitive) that
// Next has not returned before, waiting for it until ctx ends.
func (s *Server) Next(ctx context.Context, to string) (Message, error) {
	key := strings.ToLower(to)
	for {
		s.mu.Lock()
		seen := 0
		for _, m := range s.msgs {
			if !m.sentTo(key) {
				continue
			}
			if seen == s.taken[key] {
				s.taken[key]++
				s.mu.Unlock()
				return m, nil
			}
			seen++
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("mailtest: no new mail to %s: %w", to, ctx.Err())
		}
	}
}

// MustNext is Next with a timeout; it fails tb when no mail comes.
func (s *Server) MustNext(tb testing.TB, to string, timeout time.Duration) Message {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	m, err := s.Next(ctx, to)
	if err != nil {
		tb.Fatalf("%v (after %s)", err, timeout)
	}
	return m
}

func (m Message) sentTo(lowerAddr string) bool {
	for _, t := range m.To {
		if strings.ToLower(t) == lowerAddr {
			return true
		}
	}
	return false
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

type session struct {
	srv *Server
	cur Message
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.cur = Message{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.reject > 0 {
		s.srv.reject--
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(s.cur.To) == 0 {
		return errors.New("no recipients")
	}
	m := s.cur
	m.Raw = b
	m.Header, m.Subject, m.Text, m.ParseErr = parse(b)
	s.srv.add(m)
	return nil
}

func (s *session) Reset()        { s.cur = Message{} }
func (s *session) Logout() error { return nil }

// parse reads a single-part message.
func parse(raw []byte) (netmail.Header, string, string, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, "", "", fmt.Errorf("mailtest: parse: %w", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return msg.Header, "", "", fmt.Errorf("mailtest: subject: %w", err)
	}
	if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); strings.HasPrefix(mt, "multipart/") {
		return msg.Header, subject, "", fmt.Errorf("mailtest: %s is not supported", mt)
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return msg.Header, subject, "", fmt.Errorf("mailtest: body: %w", err)
	}
	return msg.Header, subject, strings.ReplaceAll(string(text), "\r\n", "\n"), nil
}
