// Package feedback takes the accessibility feedback that BITV 2.0 requires
// a public website to accept: anyone may report a barrier, without an
// account.
package feedback

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/apperr"
)

// Limits of the form fields, in characters.
const (
	MaxMessage = 5000
	MaxName    = 200
	MaxEmail   = 254
	MaxPage    = 500
)

// Feedback is one report about a barrier on the platform.
type Feedback struct {
	ID      string
	Created time.Time
	Lang    string
	Name    string
	Email   string
	Page    string
	Message string
}

// Store keeps feedback.
type Store interface {
	// AddFeedback stores one report.
	AddFeedback(ctx context.Context, f Feedback) error
	// Feedback returns the newest reports first.
	Feedback(ctx context.Context, limit int) ([]Feedback, error)
}

// Service validates and stores feedback.
type Service struct{ store Store }

// NewService returns a service on store.
func NewService(store Store) *Service { return &Service{store: store} }

// Submit validates f and stores it. apperr.Invalid names each faulty field.
func (s *Service) Submit(ctx context.Context, f Feedback) (Feedback, error) {
	f.Name = strings.TrimSpace(f.Name)
	f.Email = strings.TrimSpace(f.Email)
	f.Page = strings.TrimSpace(f.Page)
	f.Message = strings.TrimSpace(f.Message)
	var v apperr.Validation
	checkLen := func(field, val string, max int) {
		if utf8.RuneCountInString(val) > max {
			v.Add(field, "form.error.too_long", "Max", max)
		}
	}
	for field, val := range map[string]string{"name": f.Name, "email": f.Email, "page": f.Page, "message": f.Message} {
		if !utf8.ValidString(val) || strings.ContainsRune(val, 0) {
			v.Add(field, "form.error.encoding")
		}
	}
	switch {
	case f.Message == "":
		v.Add("message", "form.error.required")
	default:
		checkLen("message", f.Message, MaxMessage)
	}
	checkLen("name", f.Name, MaxName)
	checkLen("page", f.Page, MaxPage)
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || utf8.RuneCountInString(f.Email) > MaxEmail {
			v.Add("email", "form.error.email")
		}
	}
	if err := v.Err(); err != nil {
		return f, err
	}
	f.ID = uuid.Must(uuid.NewV7()).String()
	if err := s.store.AddFeedback(ctx, f); err != nil {
		return f, fmt.Errorf("feedback: submit: %w", err)
	}
	return f, nil
}

// List returns the newest reports first.
func (s *Service) List(ctx context.Context, limit int) ([]Feedback, error) {
	return s.store.Feedback(ctx, limit)
}
