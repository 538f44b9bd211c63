package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/search"
)

// The change log of the search (migration 00018): the in-memory index of
// each instance (internal/search/memory.go) reads it to stay current.

// lockSearchChanges makes PostgreSQL writers of the log wait for each
// other until commit, so that the numbers become visible in their order:
// otherwise a reader could see number 11 before a slower transaction
// commits number 10, and never read 10. Readers are not blocked. SQLite
// has one writer at a time anyway.
func (tx *Tx) lockSearchChanges(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `LOCK TABLE search_changes IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: lock search changes: %w", err)
	}
	return nil
}

// searchChanged records that the search data of solutions changed; ""
// stands for all.
func (tx *Tx) searchChanged(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := tx.lockSearchChanges(ctx); err != nil {
		return err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if _, err := tx.exec(ctx, `INSERT INTO search_changes (solution_id) VALUES `+placeholders(len(ids), 1), args...); err != nil {
		return fmt.Errorf("store: search changes: %w", err)
	}
	return nil
}

// usageChanged records the solutions with declarations u matching cond
// (over solution_usages u): their verified use may have changed.
func (tx *Tx) usageChanged(ctx context.Context, cond string, args ...any) error {
	if err := tx.lockSearchChanges(ctx); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO search_changes (solution_id) SELECT DISTINCT u.solution_id FROM solution_usages u WHERE `+cond, args...); err != nil {
		return fmt.Errorf("store: search changes of use: %w", err)
	}
	return nil
}

// maxChangesRead bounds one read of the log; the index rebuilds itself
// when it is that far behind.
const maxChangesRead = 10000

// SearchChanges returns the change log after seq, oldest first; with
// seq < 0 its newest entry.
func (db *DB) SearchChanges(ctx context.Context, seq int64) ([]search.Change, error) {
	q := `SELECT seq, solution_id FROM search_changes WHERE seq > ? ORDER BY seq LIMIT ?`
	args := []any{seq, maxChangesRead}
	if seq < 0 {
		q, args = `SELECT seq, solution_id FROM search_changes ORDER BY seq DESC LIMIT 1`, nil
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search changes: %w", err)
	}
	defer rows.Close()
	var out []search.Change
	for rows.Next() {
		var c search.Change
		if err := rows.Scan(&c.Seq, &c.SolutionID); err != nil {
			return nil, fmt.Errorf("store: search changes: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search changes: %w", err)
	}
	if len(out) == maxChangesRead { // too far behind: read everything anew
		out = append(out, search.Change{Seq: out[len(out)-1].Seq, SolutionID: ""})
	}
	return out, nil
}
