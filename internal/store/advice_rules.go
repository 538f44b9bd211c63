package store

// This file: the routing rules of advice requests, the advisors they name
// and the requests' attachments.

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/advice"
	"github.com/smartregions/smartregions/internal/apperr"
)

// AdviceRules returns the routing rules with their advisors.
func (db *DB) AdviceRules(ctx context.Context) ([]advice.Rule, error) {
	rows, err := db.query(ctx, `SELECT r.id, r.state_key, r.field_key, u.id, u.name, u.email, u.lang
		FROM advice_rules r JOIN users u ON u.id = r.advisor_id ORDER BY r.state_key, r.field_key`)
	if err != nil {
		return nil, fmt.Errorf("store: advice rules: %w", err)
	}
	defer rows.Close()
	var list []advice.Rule
	for rows.Next() {
		var r advice.Rule
		if err := rows.Scan(&r.ID, &r.StateKey, &r.FieldKey, &r.Advisor.ID, &r.Advisor.Name, &r.Advisor.Email, &r.Advisor.Lang); err != nil {
			return nil, fmt.Errorf("store: advice rules: %w", mapError(err))
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// SaveAdviceRule adds a rule, replacing the one with the same keys.
func (db *DB) SaveAdviceRule(ctx context.Context, r advice.Rule, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM advice_rules WHERE state_key = ? AND field_key = ?`, r.StateKey, r.FieldKey); err != nil {
			return fmt.Errorf("store: replace advice rule: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO advice_rules (id, state_key, field_key, advisor_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.ID, r.StateKey, r.FieldKey, r.Advisor.ID, tx.now); err != nil {
			return fmt.Errorf("store: add advice rule: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// DeleteAdviceRule removes a rule.
func (db *DB) DeleteAdviceRule(ctx context.Context, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM advice_rules WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete advice rule %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "error.not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// Advisors returns the users with the role advisor or operator (operators
// hold every role), by name.
func (db *DB) Advisors(ctx context.Context) ([]advice.Person, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT u.id, u.name, u.email, u.lang FROM users u JOIN platform_roles p ON p.user_id = u.id
		WHERE p.role IN ('advisor', 'operator') ORDER BY u.name, u.email`)
	if err != nil {
		return nil, fmt.Errorf("store: advisors: %w", err)
	}
	defer rows.Close()
	var list []advice.Person
	for rows.Next() {
		var p advice.Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Email, &p.Lang); err != nil {
			return nil, fmt.Errorf("store: advisors: %w", mapError(err))
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// AdviceAttachment returns an attachment of a request with its data and
// whether it belongs to an internal note.
func (db *DB) AdviceAttachment(ctx context.Context, requestID, id string) (advice.Attachment, bool, error) {
	a := advice.Attachment{RequestID: requestID}
	var internal bool
	err := db.queryRow(ctx, `SELECT a.id, a.message_id, a.name, a.mime_type, a.size, a.data, m.internal FROM advice_attachments a
		JOIN advice_messages m ON m.id = a.message_id WHERE a.request_id = ? AND a.id = ?`, requestID, id).
		Scan(&a.ID, &a.MessageID, &a.Name, &a.Type, &a.Size, &a.Data, &internal)
	if err != nil {
		return a, false, fmt.Errorf("store: advice attachment %s: %w", id, mapError(err))
	}
	return a, internal, nil
}
