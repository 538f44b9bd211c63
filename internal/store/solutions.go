package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/fold"
	"github.com/smartregions/smartregions/internal/org"
)

var _ catalog.SolutionStore = (*DB)(nil)

const versionColumns = `v.number, v.entry, v.state, v.comment, v.created_by, v.created_at, v.updated_at, v.submitted_at, v.decided_by, v.decided_at`

func scanVersion(sc interface{ Scan(...any) error }) (catalog.Version, error) {
	var v catalog.Version
	err := scanVersionInto(sc, &v)
	return v, err
}

// scanVersionInto scans the columns before (into before) and then
// versionColumns into v.
func scanVersionInto(sc interface{ Scan(...any) error }, v *catalog.Version, before ...any) error {
	var (
		entry              string
		submitted, decided nullTime
	)
	dest := append(before, &v.Number, &entry, &v.State, &v.Comment, &v.CreatedBy, &v.Created, &v.Updated, &submitted, &v.DecidedBy, &decided)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	v.Created, v.Updated, v.Submitted, v.Decided = v.Created.UTC(), v.Updated.UTC(), submitted.ptr(), decided.ptr()
	if err := json.Unmarshal([]byte(entry), &v.Entry); err != nil {
		return fmt.Errorf("store: version %d: entry: %w", v.Number, err)
	}
	return nil
}

func (tx *Tx) version(ctx context.Context, id string, number sql.NullInt64) (*catalog.Version, error) {
	if !number.Valid {
		return nil, nil
	}
	v, err := scanVersion(tx.queryRow(ctx, `SELECT `+versionColumns+` FROM solution_versions v WHERE v.solution_id = ? AND v.number = ?`, id, number.Int64))
	if err != nil {
		return nil, fmt.Errorf("store: solution %s version %d: %w", id, number.Int64, mapError(err))
	}
	return &v, nil
}

func (tx *Tx) solution(ctx context.Context, where string, arg any) (catalog.Solution, error) {
	var (
		s                  catalog.Solution
		published, working sql.NullInt64
		archived           nullTime
		kind               string
	)
	err := tx.queryRow(ctx, `SELECT s.id, s.slug, s.org_id, o.slug, o.name, o.kind, s.published_version, s.working_version, s.archived_at,
		s.archived_reason, s.lock_version, s.created_at, s.imported_from FROM solutions s JOIN organisations o ON o.id = s.org_id WHERE `+where, arg).
		Scan(&s.ID, &s.Slug, &s.OrgID, &s.OrgSlug, &s.OrgName, &kind, &published, &working, &archived, &s.Reason, &s.Lock, &s.Created, &s.ImportedFrom)
	if err != nil {
		if isNotFound(mapError(err)) {
			return s, apperr.New(apperr.NotFound, "catalog.error.solution_not_found")
		}
		return s, fmt.Errorf("store: solution: %w", err)
	}
	s.OrgKind, s.Archived, s.Created = org.Kind(kind), archived.ptr(), s.Created.UTC()
	if s.Published, err = tx.version(ctx, s.ID, published); err != nil {
		return s, err
	}
	s.Working, err = tx.version(ctx, s.ID, working)
	return s, err
}

// solutionsByID loads solutions in the order of ids.
func (tx *Tx) solutionsByID(ctx context.Context, ids []string) ([]catalog.Solution, error) {
	var out []catalog.Solution
	for _, id := range ids {
		s, err := tx.solution(ctx, "s.id = ?", id)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// SolutionBySlug returns a solution with its published and working versions.
func (db *DB) SolutionBySlug(ctx context.Context, slug string) (catalog.Solution, error) {
	var s catalog.Solution
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		s, err = tx.solution(ctx, "s.slug = ?", slug)
		return err
	})
	return s, err
}

func entryJSON(e catalog.Entry) (string, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("store: entry: %w", err)
	}
	return string(b), nil
}

// CreateSolution stores a solution with its first version as a draft.
func (db *DB) CreateSolution(ctx context.Context, s catalog.Solution, e catalog.Entry, audit account.AuditEntry) (catalog.Solution, error) {
	entry, err := entryJSON(e)
	if err != nil {
		return s, err
	}
	var out catalog.Solution
	err = db.inTx(ctx, func(tx *Tx) error {
		var err error
		if s.Slug, err = tx.uniqueSlug(ctx, "solutions", s.Slug); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO solutions (id, org_id, slug, working_version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?, ?)`, s.ID, s.OrgID, s.Slug, audit.ActorID, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create solution: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_versions (solution_id, number, entry, state, created_by, created_at, updated_at)
			VALUES (?, 1, ?, 'draft', ?, ?, ?)`, s.ID, entry, audit.ActorID, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: first version: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.solution(ctx, "s.id = ?", s.ID)
		return err
	})
	return out, err
}

// locked reads the solution for a write and checks the caller's lock,
// then raises it.
func (tx *Tx) locked(ctx context.Context, id string, lock int) (catalog.Solution, error) {
	s, err := tx.solution(ctx, "s.id = ?", id)
	if err != nil {
		return s, err
	}
	res, err := tx.exec(ctx, `UPDATE solutions SET lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, tx.now, id, lock)
	if err != nil {
		return s, fmt.Errorf("store: lock solution: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return s, apperr.New(apperr.Conflict, "catalog.error.stale")
	}
	return s, nil
}

// SaveWorking replaces the working version's entry or starts a new one.
func (db *DB) SaveWorking(ctx context.Context, id string, lock int, e catalog.Entry, by string, audit account.AuditEntry) error {
	entry, err := entryJSON(e)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.saveWorking(ctx, id, lock, entry, by); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// saveWorking replaces the working version's entry (JSON) or starts a
// new one, for SaveWorking and the acceptance of a harvested proposal.
func (tx *Tx) saveWorking(ctx context.Context, id string, lock int, entry, by string) error {
	s, err := tx.locked(ctx, id, lock)
	if err != nil {
		return err
	}
	if s.Working != nil {
		if s.Working.State == catalog.Submitted {
			return apperr.New(apperr.Conflict, "catalog.error.in_review")
		}
		// A change after a change request is a draft again.
		if _, err := tx.exec(ctx, `UPDATE solution_versions SET entry = ?, state = 'draft', updated_at = ? WHERE solution_id = ? AND number = ?`,
			entry, tx.now, id, s.Working.Number); err != nil {
			return fmt.Errorf("store: save version: %w", err)
		}
	} else {
		var next int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM solution_versions WHERE solution_id = ?`, id).Scan(&next); err != nil {
			return fmt.Errorf("store: next version: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_versions (solution_id, number, entry, state, created_by, created_at, updated_at)
				VALUES (?, ?, ?, 'draft', ?, ?, ?)`, id, next, entry, by, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: new version: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE solutions SET working_version = ? WHERE id = ?`, next, id); err != nil {
			return fmt.Errorf("store: working version: %w", err)
		}
	}
	return nil
}

// SetWorkingState moves the working version between states.
func (db *DB) SetWorkingState(ctx context.Context, id string, lock int, from []string, to, comment, by string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		s, err := tx.locked(ctx, id, lock)
		if err != nil {
			return err
		}
		if s.Working == nil || !contains(from, s.Working.State) {
			return apperr.New(apperr.Conflict, "catalog.error.state")
		}
		q := `UPDATE solution_versions SET state = ?, comment = ?, updated_at = ?, decided_by = ?, decided_at = ? WHERE solution_id = ? AND number = ?`
		args := []any{to, comment, tx.now, by, tx.now, id, s.Working.Number}
		if to == catalog.Submitted {
			q = `UPDATE solution_versions SET state = ?, comment = ?, updated_at = ?, submitted_at = ? WHERE solution_id = ? AND number = ?`
			args = []any{to, comment, tx.now, tx.now, id, s.Working.Number}
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: version state: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// PublishWorking publishes the submitted working version.
func (db *DB) PublishWorking(ctx context.Context, id string, lock int, by string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		s, err := tx.locked(ctx, id, lock)
		if err != nil {
			return err
		}
		if s.Working == nil || s.Working.State != catalog.Submitted {
			return apperr.New(apperr.Conflict, "catalog.error.state")
		}
		if s.Published != nil {
			if _, err := tx.exec(ctx, `UPDATE solution_versions SET state = 'superseded', updated_at = ? WHERE solution_id = ? AND number = ?`,
				tx.now, id, s.Published.Number); err != nil {
				return fmt.Errorf("store: supersede version: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `UPDATE solution_versions SET state = 'published', updated_at = ?, decided_by = ?, decided_at = ?
			WHERE solution_id = ? AND number = ?`, tx.now, by, tx.now, id, s.Working.Number); err != nil {
			return fmt.Errorf("store: publish version: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE solutions SET published_version = ?, working_version = NULL WHERE id = ?`, s.Working.Number, id); err != nil {
			return fmt.Errorf("store: publish solution: %w", err)
		}
		if err := tx.indexPublished(ctx, id, s.Working.Entry); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// Archive takes a solution out of the catalogue.
func (db *DB) Archive(ctx context.Context, id string, lock int, reason string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.locked(ctx, id, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE solutions SET archived_at = ?, archived_reason = ? WHERE id = ? AND archived_at IS NULL`, tx.now, reason, id); err != nil {
			return fmt.Errorf("store: archive solution: %w", err)
		}
		if err := tx.unindexSolution(ctx, id); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// Versions returns all versions of a solution, newest first.
func (db *DB) Versions(ctx context.Context, id string) ([]catalog.Version, error) {
	rows, err := db.query(ctx, `SELECT `+versionColumns+` FROM solution_versions v WHERE v.solution_id = ? ORDER BY v.number DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("store: versions: %w", err)
	}
	defer rows.Close()
	var out []catalog.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Queue returns the submitted versions, oldest first.
func (db *DB) Queue(ctx context.Context, limit int) ([]catalog.QueueItem, error) {
	var out []catalog.QueueItem
	err := db.view(ctx, func(tx *Tx) error {
		ids, err := tx.strings(ctx, `SELECT s.id FROM solutions s JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.working_version
			WHERE v.state = 'submitted' AND s.archived_at IS NULL ORDER BY v.submitted_at, s.id LIMIT `+strconv.Itoa(limit))
		if err != nil {
			return err
		}
		sols, err := tx.solutionsByID(ctx, ids)
		for _, s := range sols {
			out = append(out, catalog.QueueItem{Solution: s, Version: *s.Working})
		}
		return err
	})
	return out, err
}

// indexPublished keeps the search columns of a solution in step with its
// published entry.
func (tx *Tx) indexPublished(ctx context.Context, id string, e catalog.Entry) error {
	if _, err := tx.exec(ctx, `UPDATE solutions SET name_key = ? WHERE id = ?`, fold.SearchKey(e.Name), id); err != nil {
		return fmt.Errorf("store: index solution: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM solution_fields WHERE solution_id = ?`, id); err != nil {
		return fmt.Errorf("store: index solution fields: %w", err)
	}
	for _, f := range e.Fields {
		if _, err := tx.exec(ctx, `INSERT INTO solution_fields (solution_id, field_key) VALUES (?, ?)`, id, f); err != nil {
			return fmt.Errorf("store: index solution fields: %w", err)
		}
	}
	return tx.indexSolution(ctx, id, e) // full-text search (search.go)
}

// ImportSolution stores an imported entry as published version 1.
func (db *DB) ImportSolution(ctx context.Context, s catalog.Solution, e catalog.Entry, audit account.AuditEntry) (bool, error) {
	entry, err := entryJSON(e)
	if err != nil {
		return false, err
	}
	stored := false
	err = db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solutions WHERE org_id = ? AND imported_from = ?`, s.OrgID, s.ImportedFrom).Scan(&n); err != nil || n > 0 {
			return err
		}
		var err error
		if s.Slug, err = tx.uniqueSlug(ctx, "solutions", s.Slug); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO solutions (id, org_id, slug, published_version, imported_from, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?, ?, ?)`, s.ID, s.OrgID, s.Slug, s.ImportedFrom, audit.ActorID, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: import solution: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO solution_versions (solution_id, number, entry, state, created_by, created_at, updated_at, decided_at)
			VALUES (?, 1, ?, 'published', ?, ?, ?, ?)`, s.ID, entry, audit.ActorID, tx.now, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: import version: %w", err)
		}
		if err := tx.indexPublished(ctx, s.ID, e); err != nil {
			return err
		}
		stored = true
		return tx.addAudit(ctx, audit)
	})
	return stored, err
}

// PublishedSolutions returns a page of published solutions by name.
func (db *DB) PublishedSolutions(ctx context.Context, q catalog.ListQuery) (catalog.Page, error) {
	// A text query is answered by the full-text search (search.go).
	conds, args := []string{"s.published_version IS NOT NULL", "s.archived_at IS NULL"}, []any{}
	if q.Field != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM solution_fields f WHERE f.solution_id = s.id AND (f.field_key = ? OR f.field_key LIKE ? ESCAPE '\'))`)
		args = append(args, q.Field, escapeLike(q.Field)+".%")
	}
	var page catalog.Page
	err := db.view(ctx, func(tx *Tx) error {
		where := strings.Join(conds, " AND ")
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solutions s WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		if q.After != "" {
			where += ` AND (s.name_key, s.id) > (SELECT a.name_key, a.id FROM solutions a WHERE a.id = ?)`
			args = append(args, q.After)
		}
		// One query for the page: the solutions with their published
		// versions (the working versions are not public).
		rows, err := tx.query(ctx, `SELECT s.id, s.slug, s.org_id, o.slug, o.name, o.kind, s.lock_version, s.created_at, s.imported_from, `+
			versionColumns+` FROM solutions s JOIN organisations o ON o.id = s.org_id
			JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
			WHERE `+where+` ORDER BY s.name_key, s.id LIMIT ?`, append(args, q.Limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				sol  catalog.Solution
				kind string
				v    catalog.Version
			)
			err := scanVersionInto(rows, &v, &sol.ID, &sol.Slug, &sol.OrgID, &sol.OrgSlug, &sol.OrgName, &kind, &sol.Lock, &sol.Created, &sol.ImportedFrom)
			if err != nil {
				return err
			}
			sol.OrgKind, sol.Created, sol.Published = org.Kind(kind), sol.Created.UTC(), &v
			page.Items = append(page.Items, sol)
		}
		return rows.Err()
	})
	if err != nil {
		return page, fmt.Errorf("store: published solutions: %w", err)
	}
	if len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		page.Next = page.Items[q.Limit-1].ID
	}
	return page, nil
}
