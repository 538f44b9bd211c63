package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/mail"
)

var _ catalog.UsageStore = (*DB)(nil)

// useVerified is the rule that a declaration counts, in SQL over the
// declaration u and its organisation o: the organisation is verified and
// the declaring user is still a member.
const useVerified = `(o.verified_at IS NOT NULL AND EXISTS (SELECT 1 FROM memberships mb WHERE mb.org_id = u.org_id AND mb.user_id = u.declared_by))`

// useCurrent selects declarations of municipalities that still use the
// solution.
const useCurrent = `u.withdrawn_at IS NULL AND u.status IN ('in_use', 'piloting')`

const useColumns = `u.id, u.solution_id, o.id, o.slug, o.name, COALESCE(o.region_key, ''), COALESCE(mu.state_key, ''),
	COALESCE(st.name, ''), COALESCE(mu.population, 0), u.since, u.delivery_model, u.status, u.stop_reason, u.version,
	u.contactable, u.declared_by, ` + useVerified + `, u.created_at, u.updated_at, u.withdrawn_at, u.followup6_sent_at, u.followup12_sent_at`

// useFrom joins a declaration with its organisation and, through the
// organisation's key, the register's municipality and state.
const useFrom = ` FROM solution_usages u JOIN organisations o ON o.id = u.org_id
	LEFT JOIN municipalities mu ON mu.ags = o.region_key LEFT JOIN states st ON st.key = mu.state_key`

func scanUse(sc interface{ Scan(...any) error }, extra ...any) (catalog.Declaration, error) {
	var (
		d                     catalog.Declaration
		withdrawn, fu6, fu12  nullTime
		contactable, verified bool
	)
	dest := append([]any{&d.ID, &d.SolutionID, &d.Org.ID, &d.Org.Slug, &d.Org.Name, &d.Org.AGS, &d.Org.StateKey, &d.Org.StateName,
		&d.Org.Population, &d.Since, &d.Delivery, &d.Status, &d.Reason, &d.Version, &contactable, &d.DeclaredBy, &verified,
		&d.Created, &d.Updated, &withdrawn, &fu6, &fu12}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return d, err
	}
	d.Contactable, d.Verified = contactable, verified
	d.Since, d.Created, d.Updated = d.Since.UTC(), d.Created.UTC(), d.Updated.UTC()
	d.Withdrawn, d.FollowUp6, d.FollowUp12 = withdrawn.ptr(), fu6.ptr(), fu12.ptr()
	return d, nil
}

func (tx *Tx) use(ctx context.Context, where string, args ...any) (catalog.Declaration, error) {
	d, err := scanUse(tx.queryRow(ctx, `SELECT `+useColumns+useFrom+` WHERE `+where, args...))
	if err != nil {
		if isNotFound(mapError(err)) {
			return d, apperr.New(apperr.NotFound, "usage.error.not_declared")
		}
		return d, fmt.Errorf("store: declaration: %w", err)
	}
	return d, nil
}

// SaveUse inserts or updates a declaration.
func (db *DB) SaveUse(ctx context.Context, d catalog.Declaration, isNew bool, audit account.AuditEntry) (catalog.Declaration, error) {
	var out catalog.Declaration
	err := db.inTx(ctx, func(tx *Tx) error {
		if isNew {
			_, err := tx.exec(ctx, `INSERT INTO solution_usages (id, solution_id, org_id, since, delivery_model, status, stop_reason, version,
				contactable, declared_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.ID, d.SolutionID, d.Org.ID, d.Since, d.Delivery, d.Status, d.Reason, d.Version, d.Contactable, d.DeclaredBy, tx.now, tx.now)
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "usage.error.stale")
			}
			if err != nil {
				return fmt.Errorf("store: declare use: %w", err)
			}
		} else {
			res, err := tx.exec(ctx, `UPDATE solution_usages SET since = ?, delivery_model = ?, status = ?, stop_reason = ?, version = ?,
				contactable = ?, declared_by = ?, updated_at = ?, withdrawn_at = NULL WHERE id = ?`,
				d.Since, d.Delivery, d.Status, d.Reason, d.Version, d.Contactable, d.DeclaredBy, tx.now, d.ID)
			if err != nil {
				return fmt.Errorf("store: update use %s: %w", d.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return apperr.New(apperr.NotFound, "usage.error.not_declared")
			}
		}
		if err := tx.searchChanged(ctx, d.SolutionID); err != nil { // search_changes.go
			return err
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		var err error
		out, err = tx.use(ctx, "u.id = ?", d.ID)
		return err
	})
	return out, err
}

// WithdrawUse marks a declaration as withdrawn.
func (db *DB) WithdrawUse(ctx context.Context, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE solution_usages SET withdrawn_at = ?, updated_at = ? WHERE id = ? AND withdrawn_at IS NULL`, tx.now, tx.now, id)
		if err != nil {
			return fmt.Errorf("store: withdraw use %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.NotFound, "usage.error.not_declared")
		}
		if err := tx.usageChanged(ctx, "u.id = ?", id); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// UseOf returns an organisation's declaration for a solution.
func (db *DB) UseOf(ctx context.Context, solutionID, orgID string) (catalog.Declaration, error) {
	var d catalog.Declaration
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		d, err = tx.use(ctx, "u.solution_id = ? AND u.org_id = ?", solutionID, orgID)
		return err
	})
	return d, err
}

// UseByID returns a declaration that is not withdrawn.
func (db *DB) UseByID(ctx context.Context, id string) (catalog.Declaration, error) {
	var d catalog.Declaration
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		d, err = tx.use(ctx, "u.id = ? AND u.withdrawn_at IS NULL", id)
		return err
	})
	return d, err
}

// Uses returns a solution's declarations that are not withdrawn.
func (db *DB) Uses(ctx context.Context, solutionID string) ([]catalog.Declaration, error) {
	rows, err := db.query(ctx, `SELECT `+useColumns+useFrom+` WHERE u.solution_id = ? AND u.withdrawn_at IS NULL ORDER BY o.name_key, o.id`, solutionID)
	if err != nil {
		return nil, fmt.Errorf("store: uses of %s: %w", solutionID, err)
	}
	defer rows.Close()
	var out []catalog.Declaration
	for rows.Next() {
		d, err := scanUse(rows)
		if err != nil {
			return nil, fmt.Errorf("store: uses of %s: %w", solutionID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// UsedBy returns the names of the verified current users per solution.
func (db *DB) UsedBy(ctx context.Context, solutionIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(solutionIDs) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT u.solution_id, o.name FROM solution_usages u JOIN organisations o ON o.id = u.org_id
		WHERE u.solution_id IN `+placeholders(1, len(solutionIDs))+` AND `+useCurrent+` AND `+useVerified+`
		ORDER BY o.name_key, o.id`, anys(solutionIDs)...)
	if err != nil {
		return nil, fmt.Errorf("store: used by: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store: used by: %w", err)
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

// lockContact makes the cap checks of contact requests about one
// declaration or by one user run one after the other. On SQLite, write
// transactions begin IMMEDIATE and exclude each other already; on
// PostgreSQL the declaration's and the user's rows are locked, always in
// this order.
func (tx *Tx) lockContact(ctx context.Context, usageID, userID string) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT id FROM solution_usages WHERE id = ? FOR UPDATE`, usageID); err != nil {
		return fmt.Errorf("store: lock use %s: %w", usageID, err)
	}
	if _, err := tx.exec(ctx, `SELECT id FROM users WHERE id = ? FOR UPDATE`, userID); err != nil {
		return fmt.Errorf("store: lock user: %w", err)
	}
	return nil
}

// AddContact stores a contact request with its mails within the caps.
func (db *DB) AddContact(ctx context.Context, c catalog.Contact, lim catalog.ContactLimit, mails []mail.Outgoing, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.lockContact(ctx, c.UsageID, c.RequesterID); err != nil {
			return err
		}
		var byUser, byUse int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM usage_contacts WHERE requester_id = ? AND created_at >= ?`,
			c.RequesterID, lim.Since).Scan(&byUser); err != nil {
			return fmt.Errorf("store: count contact requests: %w", err)
		}
		if byUser >= lim.PerUser {
			return apperr.New(apperr.TooMany, "usage.error.cap_user", "Max", lim.PerUser)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM usage_contacts WHERE usage_id = ? AND created_at >= ?`,
			c.UsageID, lim.Since).Scan(&byUse); err != nil {
			return fmt.Errorf("store: count contact requests: %w", err)
		}
		if byUse >= lim.PerUse {
			return apperr.New(apperr.TooMany, "usage.error.cap_use", "Max", lim.PerUse)
		}
		if _, err := tx.exec(ctx, `INSERT INTO usage_contacts (id, usage_id, requester_id, requester_org_id, message, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.UsageID, c.RequesterID, c.OrgID, c.Message, tx.now); err != nil {
			return fmt.Errorf("store: contact request: %w", err)
		}
		for _, m := range mails {
			if err := tx.addMail(ctx, m); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

// DueFollowUps returns the declarations whose follow-up is due.
func (db *DB) DueFollowUps(ctx context.Context, due6, due12 time.Time, limit int) ([]catalog.FollowUp, error) {
	rows, err := db.query(ctx, `SELECT `+useColumns+`, s.slug, v.entry`+useFrom+`
		JOIN solutions s ON s.id = u.solution_id JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
		WHERE `+useCurrent+` AND s.archived_at IS NULL AND `+useVerified+`
		AND (u.followup6_sent_at IS NULL AND u.followup12_sent_at IS NULL AND u.created_at <= ? OR u.followup12_sent_at IS NULL AND u.created_at <= ?)
		ORDER BY u.created_at, u.id LIMIT `+strconv.Itoa(limit), due6.UTC(), due12.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: due follow-ups: %w", err)
	}
	defer rows.Close()
	var out []catalog.FollowUp
	for rows.Next() {
		var (
			f     catalog.FollowUp
			entry string
		)
		if f.Declaration, err = scanUse(rows, &f.SolutionSlug, &entry); err != nil {
			return nil, fmt.Errorf("store: due follow-ups: %w", err)
		}
		var e catalog.Entry
		if err := json.Unmarshal([]byte(entry), &e); err != nil {
			return nil, fmt.Errorf("store: due follow-ups: entry of %s: %w", f.SolutionSlug, err)
		}
		f.SolutionName = e.Name
		out = append(out, f)
	}
	return out, rows.Err()
}

// MarkFollowUp records a follow-up with its mails, once.
func (db *DB) MarkFollowUp(ctx context.Context, id string, stage int, mails []mail.Outgoing) (bool, error) {
	var marked bool
	err := db.inTx(ctx, func(tx *Tx) error {
		q := `UPDATE solution_usages SET followup6_sent_at = ? WHERE id = ? AND followup6_sent_at IS NULL AND followup12_sent_at IS NULL`
		args := []any{tx.now, id}
		if stage == 12 {
			q = `UPDATE solution_usages SET followup12_sent_at = ?, followup6_sent_at = COALESCE(followup6_sent_at, ?)
				WHERE id = ? AND followup12_sent_at IS NULL`
			args = []any{tx.now, tx.now, id}
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: mark follow-up %s: %w", id, err)
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		marked = true
		for _, m := range mails {
			if err := tx.addMail(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	return marked, err
}
