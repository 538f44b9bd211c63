package store

// This file: "check before you fund" (package fundcheck): the checks,
// their fields of action (for the statistics) and the running
// cooperation projects they are matched against.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/fundcheck"
)

const fundCheckColumns = `id, author_id, author_label, COALESCE(org_id, ''), org_name, title, description, fields, delivery, licence,
	budget, programme, matches, state, snapshot, sha256, lock_version, created_at, updated_at, finalised_at`

func scanFundCheck(sc interface{ Scan(...any) error }) (fundcheck.Check, error) {
	var (
		c               fundcheck.Check
		fields, matches string
		budget          sql.NullInt64
		st              string
		fin             sql.NullTime
	)
	if err := sc.Scan(&c.ID, &c.AuthorID, &c.AuthorLabel, &c.OrgID, &c.OrgName, &c.Title, &c.Description, &fields, &c.Delivery, &c.Licence,
		&budget, &c.Programme, &matches, &st, &c.Snapshot, &c.SHA256, &c.Lock, &c.Created, &c.Updated, &fin); err != nil {
		return c, mapError(err)
	}
	c.State, c.Created, c.Updated = fundcheck.State(st), c.Created.UTC(), c.Updated.UTC()
	if budget.Valid {
		c.Budget = &budget.Int64
	}
	if fin.Valid {
		t := fin.Time.UTC()
		c.Finalised = &t
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return c, fmt.Errorf("store: fund check %s: fields: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(matches), &c.Matches); err != nil {
		return c, fmt.Errorf("store: fund check %s: matches: %w", c.ID, err)
	}
	return c, nil
}

func fundCheckJSON(c fundcheck.Check) (fields, matches string, err error) {
	f, err := json.Marshal(orEmptyList(c.Fields))
	if err != nil {
		return "", "", err
	}
	m, err := json.Marshal(orEmptyList(c.Matches))
	return string(f), string(m), err
}

func nullBudget(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullOrg(id string) any {
	if id == "" {
		return nil
	}
	return id
}

// CreateFundCheck stores a new check with its fields of action.
func (db *DB) CreateFundCheck(ctx context.Context, c fundcheck.Check, audit account.AuditEntry) (fundcheck.Check, error) {
	fields, matches, err := fundCheckJSON(c)
	if err != nil {
		return c, fmt.Errorf("store: create fund check: %w", err)
	}
	var out fundcheck.Check
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO fund_checks (id, author_id, author_label, org_id, org_name, title, description, fields, delivery,
			licence, budget, programme, matches, state, lock_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			c.ID, c.AuthorID, c.AuthorLabel, nullOrg(c.OrgID), c.OrgName, c.Title, c.Description, fields, c.Delivery, c.Licence,
			nullBudget(c.Budget), c.Programme, matches, string(fundcheck.Draft), tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create fund check: %w", err)
		}
		if err := tx.setFundCheckFields(ctx, c.ID, c.Fields); err != nil {
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.fundCheck(ctx, c.ID)
		return err
	})
	return out, err
}

func (tx *Tx) setFundCheckFields(ctx context.Context, id string, fields []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM fund_check_fields WHERE check_id = ?`, id); err != nil {
		return fmt.Errorf("store: fund check %s: fields: %w", id, err)
	}
	for _, f := range fields {
		if _, err := tx.exec(ctx, `INSERT INTO fund_check_fields (check_id, field) VALUES (?, ?)`, id, f); err != nil {
			return fmt.Errorf("store: fund check %s: field %s: %w", id, f, err)
		}
	}
	return nil
}

// raiseFundCheckLock takes the lock of a draft; a stale lock or a final
// check is a conflict.
func (tx *Tx) raiseFundCheckLock(ctx context.Context, id string, lock int) error {
	res, err := tx.exec(ctx, `UPDATE fund_checks SET lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ? AND state = 'draft'`,
		tx.now, id, lock)
	if err != nil {
		return fmt.Errorf("store: lock fund check %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if _, err := tx.fundCheck(ctx, id); err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, "fundcheck.error.stale")
	}
	return nil
}

// UpdateFundCheck saves the description, fields and matches of a draft.
func (db *DB) UpdateFundCheck(ctx context.Context, c fundcheck.Check, lock int, audit account.AuditEntry) (fundcheck.Check, error) {
	fields, matches, err := fundCheckJSON(c)
	if err != nil {
		return c, fmt.Errorf("store: update fund check: %w", err)
	}
	var out fundcheck.Check
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseFundCheckLock(ctx, c.ID, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE fund_checks SET title = ?, description = ?, fields = ?, delivery = ?, licence = ?, budget = ?,
			programme = ?, matches = ? WHERE id = ?`, c.Title, c.Description, fields, c.Delivery, c.Licence, nullBudget(c.Budget), c.Programme,
			matches, c.ID); err != nil {
			return fmt.Errorf("store: update fund check %s: %w", c.ID, err)
		}
		if err := tx.setFundCheckFields(ctx, c.ID, c.Fields); err != nil {
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.fundCheck(ctx, c.ID)
		return err
	})
	return out, err
}

// FinaliseFundCheck stores the verdicts and the snapshot of a draft and
// makes it final.
func (db *DB) FinaliseFundCheck(ctx context.Context, c fundcheck.Check, lock int, audit account.AuditEntry) (fundcheck.Check, error) {
	_, matches, err := fundCheckJSON(c)
	if err != nil {
		return c, fmt.Errorf("store: finalise fund check: %w", err)
	}
	reusable := 0
	if c.Reusable() {
		reusable = 1
	}
	var out fundcheck.Check
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseFundCheckLock(ctx, c.ID, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE fund_checks SET matches = ?, state = 'final', reusable = ?, snapshot = ?, sha256 = ?, finalised_at = ?
			WHERE id = ?`, matches, reusable, c.Snapshot, c.SHA256, c.Finalised.UTC(), c.ID); err != nil {
			return fmt.Errorf("store: finalise fund check %s: %w", c.ID, err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.fundCheck(ctx, c.ID)
		return err
	})
	return out, err
}

// DeleteFundCheck removes a draft.
func (db *DB) DeleteFundCheck(ctx context.Context, id string, lock int, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseFundCheckLock(ctx, id, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM fund_checks WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: delete fund check %s: %w", id, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

func (tx *Tx) fundCheck(ctx context.Context, id string) (fundcheck.Check, error) {
	c, err := scanFundCheck(tx.queryRow(ctx, `SELECT `+fundCheckColumns+` FROM fund_checks WHERE id = ?`, id))
	if err != nil {
		return c, fmt.Errorf("store: fund check %s: %w", id, err)
	}
	return c, nil
}

// FundCheck returns one check.
func (db *DB) FundCheck(ctx context.Context, id string) (fundcheck.Check, error) {
	var c fundcheck.Check
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		c, err = tx.fundCheck(ctx, id)
		return err
	})
	return c, err
}

// FundChecks returns a page of the checks written by authorID or owned
// by one of orgIDs, newest first.
func (db *DB) FundChecks(ctx context.Context, authorID string, orgIDs []string, limit int, after string) (fundcheck.Page, error) {
	where, args := `author_id = ?`, []any{authorID}
	if len(orgIDs) > 0 {
		where = `(author_id = ? OR org_id IN (?` + strings.Repeat(", ?", len(orgIDs)-1) + `))`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	var p fundcheck.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM fund_checks WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count fund checks: %w", err)
	}
	if after != "" {
		where += ` AND id < ?`
		args = append(args, after)
	}
	var err error
	p.Items, p.Next, err = newestPage(ctx, db, "fund checks", `SELECT `+fundCheckColumns+` FROM fund_checks WHERE `+where, args, limit,
		scanFundCheck, func(c fundcheck.Check) string { return c.ID })
	if err != nil {
		return p, err
	}
	return p, nil
}

// FundCheckFacts returns one row per final check and field of action:
// only dates, the reuse flag, the programme and the field.
func (db *DB) FundCheckFacts(ctx context.Context) ([]fundcheck.Fact, error) {
	var out []fundcheck.Fact
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT c.id, c.finalised_at, c.reusable, c.programme, COALESCE(f.field, '')
			FROM fund_checks c LEFT JOIN fund_check_fields f ON f.check_id = c.id
			WHERE c.state = 'final' AND c.finalised_at IS NOT NULL ORDER BY c.id`)
		if err != nil {
			return fmt.Errorf("store: fund check facts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				f        fundcheck.Fact
				at       time.Time
				reusable int
			)
			if err := rows.Scan(&f.CheckID, &at, &reusable, &f.Programme, &f.Field); err != nil {
				return fmt.Errorf("store: fund check facts: %w", err)
			}
			f.Finalised, f.Reusable = at.UTC(), reusable == 1
			out = append(out, f)
		}
		return rows.Err()
	})
	return out, err
}

// CooperationNeeds returns the open public needs that at least one other
// organisation joined, with the number that joined.
func (db *DB) CooperationNeeds(ctx context.Context) ([]fundcheck.Cooperation, error) {
	var out []fundcheck.Cooperation
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT n.slug, n.title, n.problem, n.field, o.name, COUNT(j.org_id)
			FROM needs n JOIN organisations o ON o.id = n.org_id JOIN need_joins j ON j.need_id = n.id
			WHERE n.state = 'open' AND n.visibility = 'public'
			GROUP BY n.id, n.slug, n.title, n.problem, n.field, o.name ORDER BY n.id DESC LIMIT 1000`)
		if err != nil {
			return fmt.Errorf("store: cooperation needs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c fundcheck.Cooperation
			if err := rows.Scan(&c.Slug, &c.Title, &c.Problem, &c.Field, &c.Org, &c.Joined); err != nil {
				return fmt.Errorf("store: cooperation needs: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}
