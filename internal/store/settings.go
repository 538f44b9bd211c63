package store

import (
	"context"
	"fmt"
)

// Setting returns the value stored under key. When there is none it stores
// the value that generate returns; when several instances race, all of
// them get the value that was stored first.
func (db *DB) Setting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == nil {
		return v, nil
	}
	if mapped := mapError(err); !isNotFound(mapped) {
		return "", fmt.Errorf("store: setting %s: %w", key, mapped)
	}
	nv, err := generate()
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, nv); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	})
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}
