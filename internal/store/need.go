package store

// This file: needs ("Bedarfe", package need) and the organisations that
// joined them.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
)

const needColumns = `n.id, n.slug, n.org_id, o.slug, o.name, o.kind, COALESCE(o.region_key, ''), n.title, n.problem, n.field,
	n.requirements, n.delivery, n.hosting, n.evidence, n.budget_min, n.budget_max, n.starts_on, n.ends_on,
	n.inhabitants, n.users, n.visibility, n.state, n.lock_version, n.created_by, n.created_at, n.updated_at`

const needFrom = ` FROM needs n JOIN organisations o ON o.id = n.org_id`

const dateLayout = "2006-01-02"

func scanNeed(sc interface{ Scan(...any) error }) (need.Need, error) {
	var (
		n                        need.Need
		reqs, delivery, evidence string
		bmin, bmax               sql.NullInt64
		start, end               sql.NullString
		vis, st                  string
	)
	if err := sc.Scan(&n.ID, &n.Slug, &n.Org.ID, &n.Org.Slug, &n.Org.Name, &n.Org.Kind, &n.Org.RegionKey, &n.Title, &n.Problem, &n.Field,
		&reqs, &delivery, &n.Hosting, &evidence, &bmin, &bmax, &start, &end,
		&n.Inhabitants, &n.Users, &vis, &st, &n.Lock, &n.CreatedBy, &n.Created, &n.Updated); err != nil {
		return n, mapError(err)
	}
	n.Visibility, n.State = need.Visibility(vis), need.State(st)
	n.Created, n.Updated = n.Created.UTC(), n.Updated.UTC()
	if bmin.Valid {
		n.BudgetMin = &bmin.Int64
	}
	if bmax.Valid {
		n.BudgetMax = &bmax.Int64
	}
	for _, d := range []struct {
		s   sql.NullString
		out **time.Time
	}{{start, &n.Start}, {end, &n.End}} {
		if d.s.Valid {
			t, err := time.Parse(dateLayout, d.s.String)
			if err != nil {
				return n, fmt.Errorf("store: need %s: date: %w", n.ID, err)
			}
			*d.out = &t
		}
	}
	for _, j := range []struct {
		s   string
		out any
	}{{reqs, &n.Reqs}, {delivery, &n.Delivery}, {evidence, &n.Evidence}} {
		if err := json.Unmarshal([]byte(j.s), j.out); err != nil {
			return n, fmt.Errorf("store: need %s: %w", n.ID, err)
		}
	}
	return n, nil
}

// needArgs returns the written columns of n from title to visibility.
func needArgs(n need.Need) ([]any, error) {
	reqs, err := json.Marshal(orEmptyList(n.Reqs))
	if err != nil {
		return nil, err
	}
	delivery, err := json.Marshal(orEmptyList(n.Delivery))
	if err != nil {
		return nil, err
	}
	evidence, err := json.Marshal(orEmptyList(n.Evidence))
	if err != nil {
		return nil, err
	}
	date := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.UTC().Format(dateLayout)
	}
	amount := func(p *int64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return []any{n.Title, n.Problem, n.Field, string(reqs), string(delivery), n.Hosting, string(evidence),
		amount(n.BudgetMin), amount(n.BudgetMax), date(n.Start), date(n.End), n.Inhabitants, n.Users, string(n.Visibility)}, nil
}

// CreateNeed stores a new need under a free slug.
func (db *DB) CreateNeed(ctx context.Context, n need.Need, audit account.AuditEntry) (need.Need, error) {
	args, err := needArgs(n)
	if err != nil {
		return n, fmt.Errorf("store: create need: %w", err)
	}
	var out need.Need
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.uniqueSlug(ctx, "needs", n.Slug)
		if err != nil {
			return err
		}
		all := append([]any{n.ID, slug, n.Org.ID}, args...)
		all = append(all, string(n.State), n.CreatedBy, tx.now, tx.now)
		if _, err := tx.exec(ctx, `INSERT INTO needs (id, slug, org_id, title, problem, field, requirements, delivery, hosting, evidence,
			budget_min, budget_max, starts_on, ends_on, inhabitants, users, visibility, state, lock_version, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`, all...); err != nil {
			return fmt.Errorf("store: create need: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.need(ctx, n.ID)
		return err
	})
	return out, err
}

func (tx *Tx) need(ctx context.Context, id string) (need.Need, error) {
	n, err := scanNeed(tx.queryRow(ctx, `SELECT `+needColumns+needFrom+` WHERE n.id = ?`, id))
	if err != nil {
		return n, fmt.Errorf("store: need %s: %w", id, err)
	}
	n.Joined, err = tx.needJoins(ctx, id)
	return n, err
}

func (tx *Tx) needJoins(ctx context.Context, id string) ([]need.Joiner, error) {
	rows, err := tx.query(ctx, `SELECT o.id, o.slug, o.name, o.kind, COALESCE(o.region_key, ''), j.created_at
		FROM need_joins j JOIN organisations o ON o.id = j.org_id WHERE j.need_id = ? ORDER BY j.created_at, o.id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: need %s: joins: %w", id, err)
	}
	defer rows.Close()
	out := []need.Joiner{}
	for rows.Next() {
		var j need.Joiner
		if err := rows.Scan(&j.Org.ID, &j.Org.Slug, &j.Org.Name, &j.Org.Kind, &j.Org.RegionKey, &j.Joined); err != nil {
			return nil, fmt.Errorf("store: need %s: joins: %w", id, err)
		}
		j.Joined = j.Joined.UTC()
		out = append(out, j)
	}
	return out, rows.Err()
}

// raiseNeedLock checks the caller's lock and raises it.
func (tx *Tx) raiseNeedLock(ctx context.Context, id string, lock int) error {
	res, err := tx.exec(ctx, `UPDATE needs SET lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ?`, tx.now, id, lock)
	if err != nil {
		return fmt.Errorf("store: lock need %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return apperr.New(apperr.Conflict, "need.error.stale")
	}
	return nil
}

// UpdateNeed saves a changed need (its state too) under optimistic locking.
func (db *DB) UpdateNeed(ctx context.Context, n need.Need, lock int, audit account.AuditEntry) (need.Need, error) {
	args, err := needArgs(n)
	if err != nil {
		return n, fmt.Errorf("store: update need: %w", err)
	}
	var out need.Need
	err = db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseNeedLock(ctx, n.ID, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE needs SET title = ?, problem = ?, field = ?, requirements = ?, delivery = ?, hosting = ?, evidence = ?,
			budget_min = ?, budget_max = ?, starts_on = ?, ends_on = ?, inhabitants = ?, users = ?, visibility = ?, state = ? WHERE id = ?`,
			append(args, string(n.State), n.ID)...); err != nil {
			return fmt.Errorf("store: update need %s: %w", n.ID, err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = tx.need(ctx, n.ID)
		return err
	})
	return out, err
}

// SetNeedState changes the state of a need under optimistic locking.
func (db *DB) SetNeedState(ctx context.Context, id string, st need.State, lock int, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.raiseNeedLock(ctx, id, lock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE needs SET state = ? WHERE id = ?`, string(st), id); err != nil {
			return fmt.Errorf("store: need %s: state: %w", id, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// NeedBySlug returns one need with the organisations that joined it.
func (db *DB) NeedBySlug(ctx context.Context, slug string) (need.Need, error) {
	var n need.Need
	err := db.view(ctx, func(tx *Tx) error {
		var id string
		if err := tx.queryRow(ctx, `SELECT id FROM needs WHERE slug = ?`, slug).Scan(&id); err != nil {
			if err = mapError(err); isNotFound(err) {
				return apperr.Wrap(err, apperr.NotFound, "need.error.not_found")
			}
			return fmt.Errorf("store: need %s: %w", slug, err)
		}
		var err error
		n, err = tx.need(ctx, id)
		return err
	})
	return n, err
}

// Needs returns a page of needs, newest first (ids are UUIDv7), that
// q's actor may see.
func (db *DB) Needs(ctx context.Context, q need.Query) (need.Page, error) {
	where, args := `1 = 1`, []any{}
	if !q.All {
		vis := `n.visibility = 'public'`
		if q.Providers {
			vis = `n.visibility IN ('public', 'providers')`
		}
		where = `(n.state <> 'draft' AND ` + vis + `)`
		if len(q.OrgIDs) > 0 {
			where = `(` + where + ` OR n.org_id IN (?` + strings.Repeat(", ?", len(q.OrgIDs)-1) + `))`
			for _, id := range q.OrgIDs {
				args = append(args, id)
			}
		}
	}
	if q.Field != "" {
		where += ` AND n.field = ?`
		args = append(args, q.Field)
	}
	if q.State != "" {
		where += ` AND n.state = ?`
		args = append(args, string(q.State))
	}
	var p need.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM needs n WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count needs: %w", err)
	}
	if q.After != "" {
		where += ` AND n.id < ?`
		args = append(args, q.After)
	}
	var ids []string
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+needColumns+needFrom+` WHERE `+where+` ORDER BY n.id DESC LIMIT `+strconv.Itoa(q.Limit+1), args...)
		if err != nil {
			return fmt.Errorf("store: needs: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNeed(rows)
			if err != nil {
				return fmt.Errorf("store: needs: %w", err)
			}
			p.Items = append(p.Items, n)
			ids = append(ids, n.ID)
		}
		return rows.Err()
	})
	if err != nil {
		return p, err
	}
	if len(p.Items) > q.Limit {
		p.Items = p.Items[:q.Limit]
		p.Next = p.Items[q.Limit-1].ID
	}
	err = db.view(ctx, func(tx *Tx) error {
		for i := range p.Items {
			var err error
			if p.Items[i].Joined, err = tx.needJoins(ctx, p.Items[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

// JoinNeed records that an organisation needs it too.
func (db *DB) JoinNeed(ctx context.Context, needID, orgID, userID string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO need_joins (need_id, org_id, user_id, created_at) VALUES (?, ?, ?, ?)`,
			needID, orgID, userID, tx.now); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "need.error.joined")
			}
			return fmt.Errorf("store: join need %s: %w", needID, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// LeaveNeed removes an organisation from a need.
func (db *DB) LeaveNeed(ctx context.Context, needID, orgID string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM need_joins WHERE need_id = ? AND org_id = ?`, needID, orgID)
		if err != nil {
			return fmt.Errorf("store: leave need %s: %w", needID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "need.error.not_joined")
		}
		return tx.addAudit(ctx, audit)
	})
}
