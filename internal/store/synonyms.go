package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/search"
)

var _ search.SynonymStore = (*DB)(nil)

// The curated synonym groups: search_synonym_groups holds one row per
// group (its stable id, who changed it last), search_synonyms its members
// with group_no = id. SearchSynonyms (search.go) reads the members for
// the search.

// SynonymGroups returns all groups by id.
func (db *DB) SynonymGroups(ctx context.Context) ([]search.SynonymGroup, error) {
	var out []search.SynonymGroup
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.synonymGroups(ctx)
		return err
	})
	return out, err
}

func (tx *Tx) synonymGroups(ctx context.Context) ([]search.SynonymGroup, error) {
	rows, err := tx.query(ctx, `SELECT g.id, g.updated_at, COALESCE(g.updated_by, ''), s.word FROM search_synonym_groups g
		JOIN search_synonyms s ON s.group_no = g.id ORDER BY g.id, s.position`)
	if err != nil {
		return nil, fmt.Errorf("store: synonym groups: %w", err)
	}
	defer rows.Close()
	var out []search.SynonymGroup
	for rows.Next() {
		var (
			id      int64
			updated sql.NullTime
			by      string
			word    string
		)
		if err := rows.Scan(&id, &updated, &by, &word); err != nil {
			return nil, fmt.Errorf("store: synonym groups: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			g := search.SynonymGroup{ID: id, UpdatedBy: by}
			if updated.Valid {
				t := updated.Time.UTC()
				g.Updated = &t
			}
			out = append(out, g)
		}
		out[len(out)-1].Members = append(out[len(out)-1].Members, word)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: synonym groups: %w", err)
	}
	return out, nil
}

// lockSynonyms makes the writers of synonyms wait for each other, so that
// the check of a change sees every change committed before it. SQLite has
// one writer anyway; PostgreSQL locks the table against other writers
// (readers go on).
func (tx *Tx) lockSynonyms(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `LOCK TABLE search_synonym_groups IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: lock synonyms: %w", err)
	}
	return nil
}

// checkSynonyms locks the groups, reads them and runs the change's check;
// it returns the audit entry to write.
func (tx *Tx) checkSynonyms(ctx context.Context, check search.SynonymChange) (account.AuditEntry, error) {
	if err := tx.lockSynonyms(ctx); err != nil {
		return account.AuditEntry{}, err
	}
	current, err := tx.synonymGroups(ctx)
	if err != nil {
		return account.AuditEntry{}, err
	}
	return check(current)
}

// insertSynonymGroup stores a group under a new id; updated is nil for a
// group as shipped.
func (tx *Tx) insertSynonymGroup(ctx context.Context, members []string, updated *time.Time, by string) (int64, error) {
	var (
		id     int64
		byArg  any
		atArg  any
		insert = `INSERT INTO search_synonym_groups (updated_at, updated_by) VALUES (?, ?) RETURNING id`
	)
	if updated != nil {
		atArg, byArg = *updated, by
	}
	if err := tx.queryRow(ctx, insert, atArg, byArg).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: add synonym group: %w", mapError(err))
	}
	if err := tx.insertSynonymMembers(ctx, id, members); err != nil {
		return 0, err
	}
	return id, nil
}

func (tx *Tx) insertSynonymMembers(ctx context.Context, id int64, members []string) error {
	for p, w := range members {
		if _, err := tx.exec(ctx, `INSERT INTO search_synonyms (group_no, position, word) VALUES (?, ?, ?)`, id, p+1, w); err != nil {
			return fmt.Errorf("store: synonym group %d: %w", id, err)
		}
	}
	return nil
}

// insertShippedSynonyms stores groups as shipped (SeedSynonyms, reset).
func (tx *Tx) insertShippedSynonyms(ctx context.Context, groups [][]string) error {
	for _, g := range groups {
		if _, err := tx.insertSynonymGroup(ctx, g, nil, ""); err != nil {
			return err
		}
	}
	return nil
}

// AddSynonymGroup stores a new group with its audit entry.
func (db *DB) AddSynonymGroup(ctx context.Context, members []string, updatedBy string, check search.SynonymChange) (search.SynonymGroup, error) {
	var g search.SynonymGroup
	err := db.inTx(ctx, func(tx *Tx) error {
		audit, err := tx.checkSynonyms(ctx, check)
		if err != nil {
			return err
		}
		now := tx.now
		id, err := tx.insertSynonymGroup(ctx, members, &now, updatedBy)
		if err != nil {
			return err
		}
		if audit.ObjectID == "" {
			audit.ObjectID = strconv.FormatInt(id, 10)
		}
		g = search.SynonymGroup{ID: id, Members: members, Updated: &now, UpdatedBy: updatedBy}
		return tx.addAudit(ctx, audit)
	})
	return g, err
}

// UpdateSynonymGroup replaces the members of a group with its audit entry.
func (db *DB) UpdateSynonymGroup(ctx context.Context, id int64, members []string, updatedBy string, check search.SynonymChange) (search.SynonymGroup, error) {
	var g search.SynonymGroup
	err := db.inTx(ctx, func(tx *Tx) error {
		audit, err := tx.checkSynonyms(ctx, check)
		if err != nil {
			return err
		}
		now := tx.now
		res, err := tx.exec(ctx, `UPDATE search_synonym_groups SET updated_at = ?, updated_by = ? WHERE id = ?`, now, updatedBy, id)
		if err != nil {
			return fmt.Errorf("store: synonym group %d: %w", id, err)
		}
		if err := oneRow(res, "synonyms.error.not_found"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_synonyms WHERE group_no = ?`, id); err != nil {
			return fmt.Errorf("store: synonym group %d: %w", id, err)
		}
		if err := tx.insertSynonymMembers(ctx, id, members); err != nil {
			return err
		}
		g = search.SynonymGroup{ID: id, Members: members, Updated: &now, UpdatedBy: updatedBy}
		return tx.addAudit(ctx, audit)
	})
	return g, err
}

// DeleteSynonymGroup removes a group with its audit entry.
func (db *DB) DeleteSynonymGroup(ctx context.Context, id int64, check search.SynonymChange) error {
	return db.inTx(ctx, func(tx *Tx) error {
		audit, err := tx.checkSynonyms(ctx, check)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_synonyms WHERE group_no = ?`, id); err != nil {
			return fmt.Errorf("store: delete synonym group %d: %w", id, err)
		}
		res, err := tx.exec(ctx, `DELETE FROM search_synonym_groups WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete synonym group %d: %w", id, err)
		}
		if err := oneRow(res, "synonyms.error.not_found"); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// ReplaceSynonymGroups replaces all groups, under new ids, with the
// audit entry.
func (db *DB) ReplaceSynonymGroups(ctx context.Context, groups [][]string, check search.SynonymChange) error {
	return db.inTx(ctx, func(tx *Tx) error {
		audit, err := tx.checkSynonyms(ctx, check)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_synonyms`); err != nil {
			return fmt.Errorf("store: reset synonyms: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_synonym_groups`); err != nil {
			return fmt.Errorf("store: reset synonyms: %w", err)
		}
		if err := tx.insertShippedSynonyms(ctx, groups); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}
