package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
)

const feedbackColumns = `id, event_id, user_id, rating, comment, created_at`

func scanFeedback(sc interface{ Scan(...any) error }) (event.Feedback, error) {
	var f event.Feedback
	if err := sc.Scan(&f.ID, &f.EventID, &f.UserID, &f.Rating, &f.Comment, &f.Created); err != nil {
		return f, mapError(err)
	}
	f.Created = f.Created.UTC()
	return f, nil
}

// AddEventFeedback stores an attendee's feedback, once.
func (db *DB) AddEventFeedback(ctx context.Context, f event.Feedback) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND user_id = ? AND status = 'confirmed'`,
			f.EventID, f.UserID).Scan(&n); err != nil {
			return fmt.Errorf("store: feedback: %w", err)
		}
		if n == 0 {
			return apperr.New(apperr.Forbidden, "event.error.feedback_attendees")
		}
		if _, err := tx.exec(ctx, `INSERT INTO event_feedback (`+feedbackColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
			f.ID, f.EventID, f.UserID, f.Rating, f.Comment, tx.now); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "event.error.feedback_sent")
			}
			return fmt.Errorf("store: feedback: %w", err)
		}
		return nil
	})
}

// EventFeedbackOf returns a user's feedback on an event.
func (db *DB) EventFeedbackOf(ctx context.Context, eventID, userID string) (event.Feedback, error) {
	f, err := scanFeedback(db.queryRow(ctx, `SELECT `+feedbackColumns+` FROM event_feedback WHERE event_id = ? AND user_id = ?`, eventID, userID))
	if err != nil && !isNotFound(err) {
		return f, fmt.Errorf("store: feedback: %w", err)
	}
	return f, err
}

// EventFeedbacks returns an event's feedback, newest first.
func (db *DB) EventFeedbacks(ctx context.Context, eventID string) ([]event.Feedback, error) {
	return db.feedbackList(ctx, `event_id = ?`, eventID)
}

// UserEventFeedback returns a user's feedback on all events, newest first.
func (db *DB) UserEventFeedback(ctx context.Context, userID string) ([]event.Feedback, error) {
	return db.feedbackList(ctx, `user_id = ?`, userID)
}

func (db *DB) feedbackList(ctx context.Context, where string, arg any) ([]event.Feedback, error) {
	rows, err := db.query(ctx, `SELECT `+feedbackColumns+` FROM event_feedback WHERE `+where+` ORDER BY created_at DESC, id DESC`, arg)
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	defer rows.Close()
	var out []event.Feedback
	for rows.Next() {
		f, err := scanFeedback(rows)
		if err != nil {
			return nil, fmt.Errorf("store: feedback: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
