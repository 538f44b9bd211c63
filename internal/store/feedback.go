package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/feedback"
)

// AddFeedback stores one accessibility report; its time is the transaction's.
func (db *DB) AddFeedback(ctx context.Context, f feedback.Feedback) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO accessibility_feedback (id, created_at, lang, name, email, page, message)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, tx.now, f.Lang, f.Name, f.Email, f.Page, f.Message)
		if err != nil {
			return fmt.Errorf("store: add feedback: %w", err)
		}
		return nil
	})
}

// Feedback returns the newest accessibility reports first.
func (db *DB) Feedback(ctx context.Context, limit int) ([]feedback.Feedback, error) {
	rows, err := db.query(ctx, `SELECT id, created_at, lang, name, email, page, message
		FROM accessibility_feedback ORDER BY created_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: feedback: %w", err)
	}
	defer rows.Close()
	var out []feedback.Feedback
	for rows.Next() {
		var f feedback.Feedback
		if err := rows.Scan(&f.ID, &f.Created, &f.Lang, &f.Name, &f.Email, &f.Page, &f.Message); err != nil {
			return nil, fmt.Errorf("store: feedback: %w", err)
		}
		f.Created = f.Created.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}
