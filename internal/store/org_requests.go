package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

const requestColumns = `r.id, r.org_id, o.slug, o.name, o.kind, COALESCE(o.region_key, ''), r.user_id, u.name, u.lang, r.email, r.statement,
	r.status, r.automatic, r.decided_by, r.decided_at, r.decision_reason, r.created_at,
	EXISTS (SELECT 1 FROM memberships mm WHERE mm.org_id = r.org_id AND mm.user_id = r.user_id)`

const requestFrom = ` FROM verification_requests r JOIN organisations o ON o.id = r.org_id JOIN users u ON u.id = r.user_id `

func (tx *Tx) scanRequests(ctx context.Context, where, order string, args ...any) ([]org.Request, error) {
	rows, err := tx.query(ctx, `SELECT `+requestColumns+requestFrom+`WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("store: verification requests: %w", err)
	}
	defer rows.Close()
	var out []org.Request
	for rows.Next() {
		var (
			r       org.Request
			kind    string
			decided nullTime
		)
		if err := rows.Scan(&r.ID, &r.OrgID, &r.OrgSlug, &r.OrgName, &kind, &r.RegionKey, &r.UserID, &r.UserName, &r.Lang, &r.Email,
			&r.Statement, &r.Status, &r.Automatic, &r.DecidedBy, &decided, &r.Reason, &r.Created, &r.Member); err != nil {
			return nil, fmt.Errorf("store: verification requests: %w", err)
		}
		r.OrgKind, r.Decided, r.Created = org.Kind(kind), decided.ptr(), r.Created.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		domains, err := tx.strings(ctx, `SELECT domain FROM organisation_domains WHERE org_id = ?`, out[i].OrgID)
		if err != nil {
			return nil, err
		}
		for _, d := range domains {
			out[i].DomainOfficial = out[i].DomainOfficial || org.AtDomain(out[i].Email, d)
		}
	}
	return out, nil
}

// verify marks an organisation verified (once) and makes the requester a
// member: admin when the organisation has no admin, else member.
func (tx *Tx) verify(ctx context.Context, r org.Request, actorID string) error {
	if _, err := tx.exec(ctx, `UPDATE organisations SET verified_at = ?, verified_by = ?, updated_at = ? WHERE id = ? AND verified_at IS NULL`,
		tx.now, actorID, tx.now, r.OrgID); err != nil {
		return fmt.Errorf("store: verify organisation: %w", err)
	}
	if err := tx.usageChanged(ctx, "u.org_id = ?", r.OrgID); err != nil { // their use counts now
		return err
	}
	if _, err := tx.role(ctx, r.OrgID, r.UserID); !isNotFound(err) {
		return err
	}
	var admins int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'admin'`, r.OrgID).Scan(&admins); err != nil {
		return fmt.Errorf("store: count admins: %w", err)
	}
	role := org.Member
	if admins == 0 {
		role = org.Admin
	}
	return tx.addMember(ctx, r.OrgID, r.UserID, role)
}

// CreateRequest stores a claim; an approved one takes effect at once.
func (db *DB) CreateRequest(ctx context.Context, r org.Request, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var decided any
		if r.Status != org.Pending {
			decided = tx.now
		}
		if _, err := tx.exec(ctx, `INSERT INTO verification_requests (id, org_id, user_id, email, statement, status, automatic, decided_at, decision_reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.OrgID, r.UserID, r.Email, r.Statement, r.Status, r.Automatic, decided, r.Reason, tx.now); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, "org.error.request_pending")
			}
			return fmt.Errorf("store: create verification request: %w", err)
		}
		if r.Status == org.Approved {
			if err := tx.verify(ctx, r, ""); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

// Requests returns a page of verification requests: pending ones oldest
// first (a queue), others newest first.
func (db *DB) Requests(ctx context.Context, q org.RequestQuery) (org.RequestPage, error) {
	conds, args := []string{"1 = 1"}, []any{}
	if q.Status != "" {
		conds, args = append(conds, "r.status = ?"), append(args, q.Status)
	}
	if q.OrgID != "" {
		conds, args = append(conds, "r.org_id = ?"), append(args, q.OrgID)
	}
	if q.UserID != "" {
		conds, args = append(conds, "r.user_id = ?"), append(args, q.UserID)
	}
	order, cmp := "r.created_at DESC, r.id DESC", "<"
	if q.Status == org.Pending {
		order, cmp = "r.created_at, r.id", ">"
	}
	var page org.RequestPage
	err := db.view(ctx, func(tx *Tx) error {
		where := strings.Join(conds, " AND ")
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM verification_requests r WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		if q.After != "" {
			where += ` AND (r.created_at, r.id) ` + cmp + ` (SELECT a.created_at, a.id FROM verification_requests a WHERE a.id = ?)`
			args = append(args, q.After)
		}
		var err error
		page.Items, err = tx.scanRequests(ctx, where, order+" LIMIT ?", append(args, q.Limit+1)...)
		return err
	})
	if err != nil {
		return page, fmt.Errorf("store: verification requests: %w", err)
	}
	if len(page.Items) > q.Limit {
		page.Items = page.Items[:q.Limit]
		page.Next = page.Items[q.Limit-1].ID
	}
	return page, nil
}

// RequestByID returns one verification request.
func (db *DB) RequestByID(ctx context.Context, id string) (org.Request, error) {
	var rs []org.Request
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		rs, err = tx.scanRequests(ctx, "r.id = ?", "r.id", id)
		return err
	})
	if err != nil {
		return org.Request{}, err
	}
	if len(rs) == 0 {
		return org.Request{}, apperr.New(apperr.NotFound, "org.error.request_not_found")
	}
	return rs[0], nil
}

// DecideRequest answers a pending request.
func (db *DB) DecideRequest(ctx context.Context, id string, d org.Decision, audit account.AuditEntry) (org.Request, error) {
	var r org.Request
	err := db.inTx(ctx, func(tx *Tx) error {
		rs, err := tx.scanRequests(ctx, "r.id = ?", "r.id", id)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return apperr.New(apperr.NotFound, "org.error.request_not_found")
		}
		r = rs[0]
		if r.Status != org.Pending {
			return apperr.New(apperr.Conflict, "org.error.request_decided")
		}
		r.Status = org.Rejected
		if d.Approve {
			r.Status = org.Approved
		}
		now := tx.now
		r.Decided, r.DecidedBy, r.Reason = &now, d.ActorID, d.Reason
		if _, err := tx.exec(ctx, `UPDATE verification_requests SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? WHERE id = ?`,
			r.Status, d.ActorID, tx.now, d.Reason, id); err != nil {
			return fmt.Errorf("store: decide verification request: %w", err)
		}
		if d.Approve {
			if err := tx.verify(ctx, r, d.ActorID); err != nil {
				return err
			}
			r.Member = true
			if d.AddDomain {
				if err := tx.addDomain(ctx, r.OrgID, org.Domain(r.Email), d.ActorID); err != nil {
					return err
				}
			}
		}
		return tx.addAudit(ctx, audit)
	})
	return r, err
}
