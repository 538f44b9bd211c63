package store

import (
	"context"
	"fmt"
	"time"
)

// MarkEvidenceWarned records that the evidence kind of a solution, expiring
// on expires, has been warned about; it reports false when it had been.
func (db *DB) MarkEvidenceWarned(ctx context.Context, solutionID, kind string, expires time.Time) (bool, error) {
	var added bool
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO evidence_warnings (solution_id, kind, expires_on, warned_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (solution_id, kind, expires_on) DO NOTHING`, solutionID, kind, expires.Format(time.DateOnly), tx.now)
		if err != nil {
			return fmt.Errorf("store: mark evidence warning: %w", err)
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	return added, err
}

// UnmarkEvidenceWarned takes a mark back, when the warning could not be
// sent, so that the next run tries again.
func (db *DB) UnmarkEvidenceWarned(ctx context.Context, solutionID, kind string, expires time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM evidence_warnings WHERE solution_id = ? AND kind = ? AND expires_on = ?`,
			solutionID, kind, expires.Format(time.DateOnly)); err != nil {
			return fmt.Errorf("store: unmark evidence warning: %w", err)
		}
		return nil
	})
}
