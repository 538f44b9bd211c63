package store

import (
	"context"
	"fmt"
)

// MigrateSynonymsDown takes the schema back to before the synonym groups
// (migration 00017) and stores members as that schema held them, so that
// a test can check what the migration makes of existing data.
func (db *DB) MigrateSynonymsDown(ctx context.Context, groups map[int][]string) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, 16); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM search_synonyms`); err != nil {
			return err
		}
		for no, words := range groups {
			for pos, w := range words {
				if _, err := tx.exec(ctx, `INSERT INTO search_synonyms (group_no, position, word) VALUES (?, ?, ?)`, no, pos+1, w); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
