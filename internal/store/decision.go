package store

// This file: the saved decision aids (package decision), one JSON
// document each.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/decision"
)

// decisionData is the stored document of an aid.
type decisionData struct {
	Answers  map[string]string `json:"answers"`
	Options  []decision.Option `json:"options"`
	Increase int               `json:"increase_bp"`
}

func scanDecisionAid(sc interface{ Scan(...any) error }) (decision.Aid, error) {
	var (
		a    decision.Aid
		data string
	)
	if err := sc.Scan(&a.ID, &a.UserID, &a.Title, &data, &a.Lock, &a.Created, &a.Updated); err != nil {
		return a, mapError(err)
	}
	a.Created, a.Updated = a.Created.UTC(), a.Updated.UTC()
	var d decisionData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return a, fmt.Errorf("store: decision aid %s: %w", a.ID, err)
	}
	a.Answers, a.Options, a.Increase = d.Answers, d.Options, d.Increase
	return a, nil
}

const decisionColumns = `id, user_id, title, data, lock_version, created_at, updated_at`

func decisionJSON(a decision.Aid) (string, error) {
	b, err := json.Marshal(decisionData{Answers: a.Answers, Options: a.Options, Increase: a.Increase})
	return string(b), err
}

// CreateDecisionAid stores a new aid.
func (db *DB) CreateDecisionAid(ctx context.Context, a decision.Aid, audit account.AuditEntry) (decision.Aid, error) {
	data, err := decisionJSON(a)
	if err != nil {
		return a, fmt.Errorf("store: create decision aid: %w", err)
	}
	var out decision.Aid
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO decision_aids (id, user_id, title, data, lock_version, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)`,
			a.ID, a.UserID, a.Title, data, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create decision aid: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.decisionAid(ctx, a.ID)
		return err
	})
	return out, err
}

// UpdateDecisionAid replaces an aid under optimistic locking.
func (db *DB) UpdateDecisionAid(ctx context.Context, a decision.Aid, lock int, audit account.AuditEntry) (decision.Aid, error) {
	data, err := decisionJSON(a)
	if err != nil {
		return a, fmt.Errorf("store: update decision aid: %w", err)
	}
	var out decision.Aid
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE decision_aids SET title = ?, data = ?, lock_version = lock_version + 1, updated_at = ?
			WHERE id = ? AND lock_version = ?`, a.Title, data, tx.now, a.ID, lock)
		if err != nil {
			return fmt.Errorf("store: update decision aid %s: %w", a.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if _, err := tx.decisionAid(ctx, a.ID); err != nil {
				return err
			}
			return apperr.New(apperr.Conflict, "decision.error.stale")
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.decisionAid(ctx, a.ID)
		return err
	})
	return out, err
}

// DeleteDecisionAid removes an aid.
func (db *DB) DeleteDecisionAid(ctx context.Context, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM decision_aids WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete decision aid %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "decision.error.not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

func (tx *Tx) decisionAid(ctx context.Context, id string) (decision.Aid, error) {
	a, err := scanDecisionAid(tx.queryRow(ctx, `SELECT `+decisionColumns+` FROM decision_aids WHERE id = ?`, id))
	if err != nil {
		return a, fmt.Errorf("store: decision aid %s: %w", id, err)
	}
	return a, nil
}

// DecisionAid returns one aid.
func (db *DB) DecisionAid(ctx context.Context, id string) (decision.Aid, error) {
	var a decision.Aid
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.decisionAid(ctx, id)
		return err
	})
	return a, err
}

// DecisionAids returns a page of a user's aids, newest first.
func (db *DB) DecisionAids(ctx context.Context, userID string, limit int, after string) (decision.Page, error) {
	var p decision.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM decision_aids WHERE user_id = ?`, userID).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count decision aids: %w", err)
	}
	where, args := `user_id = ?`, []any{userID}
	if after != "" {
		where += ` AND id < ?`
		args = append(args, after)
	}
	var err error
	p.Items, p.Next, err = newestPage(ctx, db, "decision aids", `SELECT `+decisionColumns+` FROM decision_aids WHERE `+where, args, limit,
		scanDecisionAid, func(a decision.Aid) string { return a.ID })
	if err != nil {
		return p, err
	}
	return p, nil
}
