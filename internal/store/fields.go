package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
)

var _ catalog.FieldStore = (*DB)(nil)

// Fields returns the fields of action, parents before children, by position.
func (db *DB) Fields(ctx context.Context) ([]catalog.Field, error) {
	rows, err := db.query(ctx, `SELECT f.key, COALESCE(f.parent_key, ''), f.label_de, f.label_en, f.position FROM fields_of_action f
		LEFT JOIN fields_of_action p ON p.key = f.parent_key
		ORDER BY COALESCE(p.position, f.position), f.parent_key IS NOT NULL, f.position, f.key`)
	if err != nil {
		return nil, fmt.Errorf("store: fields of action: %w", err)
	}
	defer rows.Close()
	var out []catalog.Field
	for rows.Next() {
		var f catalog.Field
		if err := rows.Scan(&f.Key, &f.Parent, &f.LabelDE, &f.LabelEN, &f.Position); err != nil {
			return nil, fmt.Errorf("store: fields of action: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (tx *Tx) insertField(ctx context.Context, f catalog.Field) error {
	var parent any
	if f.Parent != "" {
		parent = f.Parent
	}
	_, err := tx.exec(ctx, `INSERT INTO fields_of_action (key, parent_key, label_de, label_en, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.Key, parent, f.LabelDE, f.LabelEN, f.Position, tx.now, tx.now)
	if err != nil {
		return fmt.Errorf("store: add field of action %s: %w", f.Key, err)
	}
	return nil
}

// SeedFields stores the fields when the table is empty.
func (db *DB) SeedFields(ctx context.Context, fields []catalog.Field) (bool, error) {
	seeded := false
	err := db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM fields_of_action`).Scan(&n); err != nil || n > 0 {
			return err
		}
		for _, f := range fields {
			if err := tx.insertField(ctx, f); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// AddField appends a field after its siblings.
func (db *DB) AddField(ctx context.Context, f catalog.Field, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM fields_of_action
			WHERE COALESCE(parent_key, '') = ?`, f.Parent).Scan(&f.Position); err != nil {
			return fmt.Errorf("store: field position: %w", err)
		}
		if err := tx.insertField(ctx, f); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// UpdateField renames a field.
func (db *DB) UpdateField(ctx context.Context, key, labelDE, labelEN string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE fields_of_action SET label_de = ?, label_en = ?, updated_at = ? WHERE key = ?`, labelDE, labelEN, tx.now, key)
		if err != nil {
			return fmt.Errorf("store: rename field of action: %w", err)
		}
		if err := oneRow(res, "catalog.error.field_not_found"); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// MoveField swaps a field with its neighbour among its siblings; at the
// end of the list it stays.
func (db *DB) MoveField(ctx context.Context, key string, up bool, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var (
			parent sql.NullString
			pos    int
		)
		if err := tx.queryRow(ctx, `SELECT parent_key, position FROM fields_of_action WHERE key = ?`, key).Scan(&parent, &pos); err != nil {
			if isNotFound(mapError(err)) {
				return apperr.New(apperr.NotFound, "catalog.error.field_not_found")
			}
			return fmt.Errorf("store: field of action: %w", err)
		}
		q := `SELECT key, position FROM fields_of_action WHERE COALESCE(parent_key, '') = ? AND position > ? ORDER BY position LIMIT 1`
		if up {
			q = `SELECT key, position FROM fields_of_action WHERE COALESCE(parent_key, '') = ? AND position < ? ORDER BY position DESC LIMIT 1`
		}
		var (
			other    string
			otherPos int
		)
		switch err := tx.queryRow(ctx, q, parent.String, pos).Scan(&other, &otherPos); {
		case isNotFound(mapError(err)):
			return nil
		case err != nil:
			return fmt.Errorf("store: neighbour field: %w", err)
		}
		for _, kv := range []struct {
			key string
			pos int
		}{{key, otherPos}, {other, pos}} {
			if _, err := tx.exec(ctx, `UPDATE fields_of_action SET position = ?, updated_at = ? WHERE key = ?`, kv.pos, tx.now, kv.key); err != nil {
				return fmt.Errorf("store: move field of action: %w", err)
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

// DeleteField removes a field without children.
func (db *DB) DeleteField(ctx context.Context, key string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM fields_of_action WHERE parent_key = ?`, key).Scan(&n); err != nil {
			return fmt.Errorf("store: children of field: %w", err)
		}
		if n > 0 {
			return apperr.New(apperr.Invalid, "catalog.error.field_has_children")
		}
		res, err := tx.exec(ctx, `DELETE FROM fields_of_action WHERE key = ?`, key)
		if err != nil {
			return fmt.Errorf("store: delete field of action: %w", err)
		}
		if err := oneRow(res, "catalog.error.field_not_found"); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}
