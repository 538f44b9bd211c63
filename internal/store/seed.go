package store

// This file: bulk writes of the synthetic benchmark catalogue
// (catalog.Seeder). Rows go in with multi-row INSERTs, one transaction
// per batch, which is what makes 100,000 entries a matter of minutes.

import (
	"context"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/org"
)

var _ catalog.SeedStore = (*DB)(nil)

// maxParams bounds the parameters of one statement: SQLite allows 32,766,
// PostgreSQL 65,535.
const maxParams = 30000

// insertRows inserts rows (each with len(cols) values) into table with as
// few statements as the parameter limit allows.
func (tx *Tx) insertRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := maxParams / len(cols)
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if _, err := tx.exec(ctx, head+placeholders(len(chunk), len(cols)), args...); err != nil {
			return fmt.Errorf("store: insert %d rows into %s: %w", len(chunk), table, err)
		}
	}
	return nil
}

// SeedCensus counts the solutions by the origin in imported_from and
// lists every slug.
func (db *DB) SeedCensus(ctx context.Context, seedPrefix, demoPrefix string) (catalog.SeedCensus, error) {
	c := catalog.SeedCensus{Slugs: map[string]bool{}}
	err := db.view(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solutions WHERE imported_from NOT LIKE ? ESCAPE '\' AND imported_from NOT LIKE ? ESCAPE '\'`,
			escapeLike(seedPrefix)+"%", escapeLike(demoPrefix)+"%").Scan(&c.Foreign); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solutions WHERE imported_from LIKE ? ESCAPE '\'`,
			escapeLike(seedPrefix)+"%").Scan(&c.Seeded); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT slug FROM solutions`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			c.Slugs[s] = true
		}
		return rows.Err()
	})
	if err != nil {
		return c, fmt.Errorf("store: seed census: %w", err)
	}
	return c, nil
}

// SeedMunicipalities lists the current municipalities of the register
// without an organisation, by AGS.
func (db *DB) SeedMunicipalities(ctx context.Context) ([]catalog.SeedMunicipality, error) {
	rows, err := db.query(ctx, `SELECT m.ags, m.name, m.population FROM municipalities m
		WHERE m.dissolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.region_key = m.ags) ORDER BY m.ags`)
	if err != nil {
		return nil, fmt.Errorf("store: seed municipalities: %w", err)
	}
	defer rows.Close()
	var out []catalog.SeedMunicipality
	for rows.Next() {
		var m catalog.SeedMunicipality
		if err := rows.Scan(&m.AGS, &m.Name, &m.Population); err != nil {
			return nil, fmt.Errorf("store: seed municipalities: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// InsertSeedOrgs stores the owner of the synthetic entries and the
// verified municipality organisations, each with its one admin.
func (db *DB) InsertSeedOrgs(ctx context.Context, owner org.Organisation, users []catalog.SeedUser, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		orgs := [][]any{{owner.ID, owner.Slug, string(owner.Kind), owner.Name, fold.SearchKey(owner.Name), nil, owner.Website, owner.Description,
			tx.now, "seed", "seed", tx.now, tx.now}}
		accounts := make([][]any, 0, len(users))
		members := make([][]any, 0, len(users))
		for _, u := range users {
			orgs = append(orgs, []any{u.OrgID, u.OrgSlug, string(org.Municipality), u.OrgName, fold.SearchKey(u.OrgName), u.AGS, "",
				catalog.SeedOrg.Name + ": erfundene Nutzung für Lasttests.", tx.now, "seed", "seed", tx.now, tx.now})
			accounts = append(accounts, []any{u.UserID, u.Email, tx.now, "", u.UserName, "de", tx.now, tx.now})
			members = append(members, []any{u.OrgID, u.UserID, string(org.Admin), tx.now})
		}
		if err := tx.insertRows(ctx, "organisations", []string{"id", "slug", "kind", "name", "name_key", "region_key", "website", "description",
			"verified_at", "verified_by", "created_by", "created_at", "updated_at"}, orgs); err != nil {
			return err
		}
		if err := tx.insertRows(ctx, "users", []string{"id", "email", "email_confirmed_at", "password_hash", "name", "lang", "created_at", "updated_at"}, accounts); err != nil {
			return err
		}
		if err := tx.insertRows(ctx, "memberships", []string{"org_id", "user_id", "role", "created_at"}, members); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// InsertSeedBatch stores synthetic solutions of orgID as published
// version 1, indexed for the list like ImportSolution does, with their
// declarations of use.
func (db *DB) InsertSeedBatch(ctx context.Context, orgID string, sols []catalog.SeedSolution, uses []catalog.SeedUse) error {
	solRows := make([][]any, 0, len(sols))
	verRows := make([][]any, 0, len(sols))
	var fieldRows [][]any
	for _, s := range sols {
		entry, err := entryJSON(s.Entry)
		if err != nil {
			return err
		}
		solRows = append(solRows, []any{s.ID, orgID, s.Slug, fold.SearchKey(s.Entry.Name), 1, s.ImportedFrom, "seed", s.Created, s.Created})
		verRows = append(verRows, []any{s.ID, 1, entry, "published", "seed", s.Created, s.Created, s.Created, "seed", s.Created})
		for _, f := range s.Entry.Fields {
			fieldRows = append(fieldRows, []any{s.ID, f})
		}
	}
	useRows := make([][]any, 0, len(uses))
	for _, u := range uses {
		useRows = append(useRows, []any{u.ID, u.SolutionID, u.OrgID, u.Since, u.Delivery, u.Status, u.Reason, 1, u.Contactable, u.UserID, u.Created, u.Created})
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.insertRows(ctx, "solutions", []string{"id", "org_id", "slug", "name_key", "published_version", "imported_from",
			"created_by", "created_at", "updated_at"}, solRows); err != nil {
			return err
		}
		if err := tx.insertRows(ctx, "solution_versions", []string{"solution_id", "number", "entry", "state", "created_by", "created_at",
			"updated_at", "submitted_at", "decided_by", "decided_at"}, verRows); err != nil {
			return err
		}
		if err := tx.insertRows(ctx, "solution_fields", []string{"solution_id", "field_key"}, fieldRows); err != nil {
			return err
		}
		return tx.insertRows(ctx, "solution_usages", []string{"id", "solution_id", "org_id", "since", "delivery_model", "status", "stop_reason",
			"version", "contactable", "declared_by", "created_at", "updated_at"}, useRows)
	})
}

// Analyze refreshes the planner's statistics after a bulk load.
func (db *DB) Analyze(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("store: analyze: %w", mapError(err))
	}
	return nil
}

// Size returns the size of the database in bytes: SQLite's pages (the
// file after a checkpoint), PostgreSQL's whole current database.
func (db *DB) Size(ctx context.Context) (int64, error) {
	var n int64
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if db.dialect == Postgres {
		q = `SELECT pg_database_size(current_database())`
	}
	if err := db.write.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: database size: %w", mapError(err))
	}
	return n, nil
}
