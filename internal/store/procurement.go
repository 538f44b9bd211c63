package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/procurement"
)

var _ procurement.Store = (*DB)(nil)

// The procurement thresholds (procurement_thresholds, migration 00021):
// dates are stored as YYYY-MM-DD text in both dialects, so that a
// calendar day never shifts with a time zone.

const thresholdColumns = `id, scope, jurisdiction, contract_type, authority_type, procedure_type, amount_net,
	valid_from, valid_until, source_text, source_url, updated_at, COALESCE(updated_by, '')`

// Thresholds returns all values in a stable order.
func (db *DB) Thresholds(ctx context.Context) ([]procurement.Threshold, error) {
	rows, err := db.query(ctx, `SELECT `+thresholdColumns+` FROM procurement_thresholds
		ORDER BY CASE scope WHEN 'eu' THEN 0 ELSE 1 END, jurisdiction, contract_type, authority_type, procedure_type, valid_from, id`)
	if err != nil {
		return nil, fmt.Errorf("store: thresholds: %w", err)
	}
	defer rows.Close()
	var out []procurement.Threshold
	for rows.Next() {
		t, err := scanThreshold(rows)
		if err != nil {
			return nil, fmt.Errorf("store: thresholds: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: thresholds: %w", err)
	}
	return out, nil
}

// Threshold returns one value.
func (db *DB) Threshold(ctx context.Context, id string) (procurement.Threshold, error) {
	var t procurement.Threshold
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		t, err = tx.threshold(ctx, id)
		return err
	})
	return t, err
}

func (tx *Tx) threshold(ctx context.Context, id string) (procurement.Threshold, error) {
	t, err := scanThreshold(tx.queryRow(ctx, `SELECT `+thresholdColumns+` FROM procurement_thresholds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFoundThreshold(err)
	}
	if err != nil {
		return t, fmt.Errorf("store: threshold %s: %w", id, err)
	}
	return t, nil
}

func notFoundThreshold(err error) error {
	return apperr.Wrap(err, apperr.NotFound, "procurement.error.not_found")
}

// AddThreshold stores a new value with its audit entry.
func (db *DB) AddThreshold(ctx context.Context, t procurement.Threshold, check procurement.Change) error {
	return db.inTx(ctx, func(tx *Tx) error {
		audit, err := check(procurement.Threshold{})
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO procurement_thresholds (id, scope, jurisdiction, contract_type, authority_type,
			procedure_type, amount_net, valid_from, valid_until, source_text, source_url, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Scope, t.Jurisdiction, t.ContractType, t.AuthorityType,
			t.Procedure, t.AmountNet, t.ValidFrom.Format(procurement.DateLayout), dateArg(t.ValidUntil), t.SourceText, t.SourceURL,
			tx.now, t.UpdatedBy)
		if err != nil {
			return fmt.Errorf("store: add threshold: %w", mapError(err))
		}
		return tx.addAudit(ctx, audit)
	})
}

// UpdateThreshold replaces a value with its audit entry; check sees the
// value as stored, read in the same transaction.
func (db *DB) UpdateThreshold(ctx context.Context, t procurement.Threshold, check procurement.Change) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			// Two operators editing the same value wait for each other,
			// so that each check sees the other's change.
			if _, err := tx.exec(ctx, `SELECT id FROM procurement_thresholds WHERE id = ? FOR UPDATE`, t.ID); err != nil {
				return fmt.Errorf("store: threshold %s: %w", t.ID, err)
			}
		}
		cur, err := tx.threshold(ctx, t.ID)
		if err != nil {
			return err
		}
		audit, err := check(cur)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE procurement_thresholds SET scope = ?, jurisdiction = ?, contract_type = ?, authority_type = ?,
			procedure_type = ?, amount_net = ?, valid_from = ?, valid_until = ?, source_text = ?, source_url = ?, updated_at = ?, updated_by = ?
			WHERE id = ?`, t.Scope, t.Jurisdiction, t.ContractType, t.AuthorityType, t.Procedure, t.AmountNet,
			t.ValidFrom.Format(procurement.DateLayout), dateArg(t.ValidUntil), t.SourceText, t.SourceURL, tx.now, t.UpdatedBy, t.ID)
		if err != nil {
			return fmt.Errorf("store: threshold %s: %w", t.ID, mapError(err))
		}
		return tx.addAudit(ctx, audit)
	})
}

func dateArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.Format(procurement.DateLayout)
}

func scanThreshold(row interface{ Scan(...any) error }) (procurement.Threshold, error) {
	var (
		t                        procurement.Threshold
		from                     string
		until                    sql.NullString
		updated                  sql.NullTime
		scope, ct, at, procedure string
	)
	if err := row.Scan(&t.ID, &scope, &t.Jurisdiction, &ct, &at, &procedure, &t.AmountNet, &from, &until,
		&t.SourceText, &t.SourceURL, &updated, &t.UpdatedBy); err != nil {
		return t, err
	}
	t.Scope, t.ContractType, t.AuthorityType, t.Procedure = procurement.Scope(scope), procurement.ContractType(ct),
		procurement.AuthorityType(at), procurement.Procedure(procedure)
	var ok bool
	if t.ValidFrom, ok = procurement.ParseDate(from); !ok {
		return t, fmt.Errorf("threshold %s: malformed valid_from %q", t.ID, from)
	}
	if until.Valid {
		u, ok := procurement.ParseDate(until.String)
		if !ok {
			return t, fmt.Errorf("threshold %s: malformed valid_until %q", t.ID, until.String)
		}
		t.ValidUntil = &u
	}
	if updated.Valid {
		t.UpdatedAt = updated.Time.UTC()
	}
	return t, nil
}
