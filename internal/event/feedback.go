package event

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// MaxFeedback is the longest feedback comment.
const MaxFeedback = 2000

// Feedback is an attendee's view of an event after it: a rating from 1
// (poor) to 5 (very good) and a comment. Organisers see it without the
// name; the user id keeps it to one per person and goes with the account.
type Feedback struct {
	ID      string
	EventID string
	UserID  string
	Rating  int
	Comment string
	Created time.Time
}

// FeedbackSummary is what the organisers see of an event's feedback.
type FeedbackSummary struct {
	Items   []Feedback // newest first
	Average float64    // of the ratings; 0 without feedback
}

// FeedbackStore is what the feedback needs from the database.
type FeedbackStore interface {
	// AddEventFeedback stores f if its user had a confirmed place for the event
	// (apperr.Forbidden "event.error.feedback_attendees" otherwise);
	// apperr.Conflict "event.error.feedback_sent" when they sent some.
	AddEventFeedback(ctx context.Context, f Feedback) error
	// EventFeedbackOf returns a user's feedback for an event.
	EventFeedbackOf(ctx context.Context, eventID, userID string) (Feedback, error)
	// EventFeedbacks returns an event's feedback, newest first.
	EventFeedbacks(ctx context.Context, eventID string) ([]Feedback, error)
	// UserEventFeedback returns a user's feedback on all events, newest first.
	UserEventFeedback(ctx context.Context, userID string) ([]Feedback, error)
}

// SendFeedback stores u's feedback on the event slug: after its end, from
// those who had a confirmed place, once. Field errors: rating, comment.
func (s *Service) SendFeedback(ctx context.Context, u account.User, slug string, rating int, comment string) error {
	e, err := s.Get(ctx, &u, slug)
	if err != nil {
		return err
	}
	comment = strings.TrimSpace(strings.ReplaceAll(comment, "\r\n", "\n"))
	var v apperr.Validation
	if rating < 1 || rating > 5 {
		v.Add("rating", "event.error.rating")
	}
	v.Text("comment", comment, MaxFeedback, false)
	if err := v.Err(); err != nil {
		return err
	}
	if e.State != Published || !e.Over(s.Now()) {
		return apperr.New(apperr.Conflict, "event.error.feedback_early")
	}
	f := Feedback{ID: uuid.Must(uuid.NewV7()).String(), EventID: e.ID, UserID: u.ID, Rating: rating, Comment: comment}
	if err := s.fb.AddEventFeedback(ctx, f); err != nil {
		return fmt.Errorf("event: feedback on %s: %w", slug, err)
	}
	return nil
}

// OwnFeedback returns u's feedback on e; apperr.NotFound when none.
func (s *Service) OwnFeedback(ctx context.Context, u account.User, e Event) (Feedback, error) {
	return s.fb.EventFeedbackOf(ctx, e.ID, u.ID)
}

// Feedback returns the feedback on e for its editors.
func (s *Service) Feedback(ctx context.Context, u account.User, e Event) (FeedbackSummary, error) {
	if !Can(&u, ActEdit, &e) {
		return FeedbackSummary{}, errForbidden
	}
	list, err := s.fb.EventFeedbacks(ctx, e.ID)
	if err != nil {
		return FeedbackSummary{}, err
	}
	sum := FeedbackSummary{Items: list}
	for _, f := range list {
		sum.Average += float64(f.Rating)
	}
	if len(list) > 0 {
		sum.Average /= float64(len(list))
	}
	return sum, nil
}
