package event

import (
	"context"
	"time"

	"github.com/smartregions/smartregions/internal/account"
)

// ExportRegistration is one registration in a user's data export.
type ExportRegistration struct {
	Event        string     `json:"event"` // slug
	Title        string     `json:"title"`
	Start        time.Time  `json:"start"`
	Status       Status     `json:"status"`
	Position     int        `json:"waitlist_position,omitempty"`
	Organisation string     `json:"organisation"`
	AccessNeeds  string     `json:"access_needs"`
	RegisteredAt time.Time  `json:"registered_at"`
	CancelledAt  *time.Time `json:"cancelled_at"`
	RemindedAt   *time.Time `json:"reminded_at"`
	// Feedback is what the user said after the event; nil when nothing.
	Feedback *ExportFeedback `json:"feedback"`
}

// ExportFeedback is a user's feedback on an event in their data export.
type ExportFeedback struct {
	Rating  int       `json:"rating"`
	Comment string    `json:"comment"`
	SentAt  time.Time `json:"sent_at"`
}

// Export adds the user's registrations to their data export (an
// account.ExportFunc).
func (s *Service) Export(ctx context.Context, userID string, e *account.Export) error {
	mine, err := s.store.UserRegistrations(ctx, userID)
	if err != nil {
		return err
	}
	fbs, err := s.fb.UserEventFeedback(ctx, userID)
	if err != nil {
		return err
	}
	byEvent := map[string]*ExportFeedback{}
	for _, f := range fbs {
		byEvent[f.EventID] = &ExportFeedback{Rating: f.Rating, Comment: f.Comment, SentAt: f.Created}
	}
	list := []ExportRegistration{}
	for _, m := range mine {
		list = append(list, ExportRegistration{Feedback: byEvent[m.Event.ID], Event: m.Event.Slug, Title: m.Event.Title, Start: m.Event.Start, Status: m.Status,
			Position: m.Position, Organisation: m.Organisation, AccessNeeds: m.AccessNeeds, RegisteredAt: m.Created,
			CancelledAt: m.Cancelled, RemindedAt: m.Reminded})
	}
	if e.Extra == nil {
		e.Extra = map[string]any{}
	}
	e.Extra["event_registrations"] = list
	return nil
}
