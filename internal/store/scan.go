package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// nullTime scans a nullable timestamp and hands it on as a UTC pointer.
type nullTime struct{ sql.NullTime }

func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// newestPage reads a page of rows newest first by their UUIDv7 id, for
// lists that go on after the last id shown: query is "SELECT … WHERE …"
// (with "AND id < ?" for a later page) and gets the order and limit+1
// added. It returns at most limit items and the id to go on after (""
// on the last page); what names the rows in errors.
func newestPage[T any](ctx context.Context, db *DB, what, query string, args []any, limit int,
	scan func(interface{ Scan(...any) error }) (T, error), id func(T) string) ([]T, string, error) {
	var items []T
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, query+` ORDER BY id DESC LIMIT `+strconv.Itoa(limit+1), args...)
		if err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return fmt.Errorf("store: %s: %w", what, err)
			}
			items = append(items, v)
		}
		return rows.Err()
	})
	if err != nil || len(items) <= limit {
		return items, "", err
	}
	items = items[:limit]
	return items, id(items[limit-1]), nil
}
