package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/org"
)

const membershipColumns = `m.org_id, m.user_id, u.email, u.name, m.role, m.created_at, o.slug, o.name, o.kind, o.verified_at`

func scanMembership(sc interface{ Scan(...any) error }) (org.Membership, error) {
	var (
		m        org.Membership
		role     string
		kind     string
		verified nullTime
	)
	err := sc.Scan(&m.OrgID, &m.UserID, &m.Email, &m.Name, &role, &m.Created, &m.OrgSlug, &m.OrgName, &kind, &verified)
	m.Role, m.OrgKind, m.Verified, m.Created = org.Role(role), org.Kind(kind), verified.Valid, m.Created.UTC()
	return m, err
}

func (db *DB) memberships(ctx context.Context, where, order string, args ...any) ([]org.Membership, error) {
	rows, err := db.query(ctx, `SELECT `+membershipColumns+` FROM memberships m JOIN users u ON u.id = m.user_id
		JOIN organisations o ON o.id = m.org_id WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("store: memberships: %w", err)
	}
	defer rows.Close()
	var out []org.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, fmt.Errorf("store: memberships: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Membership returns a user's membership in an organisation.
func (db *DB) Membership(ctx context.Context, orgID, userID string) (org.Membership, error) {
	ms, err := db.memberships(ctx, "m.org_id = ? AND m.user_id = ?", "m.org_id", orgID, userID)
	if err != nil {
		return org.Membership{}, err
	}
	if len(ms) == 0 {
		return org.Membership{}, apperr.New(apperr.NotFound, "org.error.not_member")
	}
	return ms[0], nil
}

// Members returns the members of an organisation, admins first.
func (db *DB) Members(ctx context.Context, orgID string) ([]org.Membership, error) {
	return db.memberships(ctx, "m.org_id = ?", "CASE m.role WHEN 'admin' THEN 0 ELSE 1 END, u.email", orgID)
}

// UserMemberships returns a user's memberships by organisation name.
func (db *DB) UserMemberships(ctx context.Context, userID string) ([]org.Membership, error) {
	return db.memberships(ctx, "m.user_id = ?", "o.name_key, o.id", userID)
}

// role returns a member's role; NotFound when not a member.
func (tx *Tx) role(ctx context.Context, orgID, userID string) (org.Role, error) {
	var r string
	if err := tx.queryRow(ctx, `SELECT role FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID).Scan(&r); err != nil {
		if isNotFound(mapError(err)) {
			return "", apperr.New(apperr.NotFound, "org.error.not_member")
		}
		return "", fmt.Errorf("store: member role: %w", err)
	}
	return org.Role(r), nil
}

// keepsAdmin checks that members keep an admin when userID stops being one
// (leaving when others stays, or losing the role).
func (tx *Tx) keepsAdmin(ctx context.Context, orgID, userID string, leaving bool) error {
	var admins, others int
	if err := tx.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN role = 'admin' THEN 1 ELSE 0 END), 0), COUNT(*) FROM memberships WHERE org_id = ? AND user_id <> ?`,
		orgID, userID).Scan(&admins, &others); err != nil {
		return fmt.Errorf("store: count admins: %w", err)
	}
	if admins == 0 && (!leaving || others > 0) {
		return apperr.New(apperr.Invalid, "org.error.last_admin")
	}
	return nil
}

// SetMemberRole changes a member's role, keeping at least one admin.
func (db *DB) SetMemberRole(ctx context.Context, orgID, userID string, r org.Role, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		cur, err := tx.role(ctx, orgID, userID)
		if err != nil || cur == r {
			return err
		}
		if cur == org.Admin {
			if err := tx.keepsAdmin(ctx, orgID, userID, false); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?`, string(r), orgID, userID); err != nil {
			return fmt.Errorf("store: set member role: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// RemoveMember ends a membership, keeping an admin while members remain.
func (db *DB) RemoveMember(ctx context.Context, orgID, userID string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		cur, err := tx.role(ctx, orgID, userID)
		if err != nil {
			return err
		}
		if cur == org.Admin {
			if err := tx.keepsAdmin(ctx, orgID, userID, true); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID); err != nil {
			return fmt.Errorf("store: remove member: %w", err)
		}
		if err := tx.usageChanged(ctx, "u.org_id = ? AND u.declared_by = ?", orgID, userID); err != nil { // their declarations stop counting
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

const invitationColumns = `i.id, i.org_id, o.slug, o.name, i.email, i.role, COALESCE(u.email, ''), i.created_at, i.expires_at, i.accepted_at, i.revoked_at`

const invitationFrom = ` FROM invitations i JOIN organisations o ON o.id = i.org_id LEFT JOIN users u ON u.id = i.invited_by `

func scanInvitation(sc interface{ Scan(...any) error }) (org.Invitation, error) {
	var (
		inv               org.Invitation
		role              string
		accepted, revoked nullTime
	)
	err := sc.Scan(&inv.ID, &inv.OrgID, &inv.OrgSlug, &inv.OrgName, &inv.Email, &role, &inv.InvitedBy, &inv.Created, &inv.Expires, &accepted, &revoked)
	inv.Role, inv.Accepted, inv.Revoked = org.Role(role), accepted.ptr(), revoked.ptr()
	inv.Created, inv.Expires = inv.Created.UTC(), inv.Expires.UTC()
	return inv, err
}

func (db *DB) invitations(ctx context.Context, where string, args ...any) ([]org.Invitation, error) {
	rows, err := db.query(ctx, `SELECT `+invitationColumns+invitationFrom+`WHERE `+where+` ORDER BY i.created_at DESC, i.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: invitations: %w", err)
	}
	defer rows.Close()
	var out []org.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("store: invitations: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

const openInvitation = `i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?`

// CreateInvitation stores an invitation, replacing open ones to the same address.
func (db *DB) CreateInvitation(ctx context.Context, inv org.Invitation, hash string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND u.email = ?`,
			inv.OrgID, inv.Email).Scan(&n); err != nil {
			return fmt.Errorf("store: invitation: %w", err)
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "org.error.already_member")
		}
		if _, err := tx.exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
			tx.now, inv.OrgID, inv.Email); err != nil {
			return fmt.Errorf("store: replace invitation: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inv.ID, inv.OrgID, inv.Email, string(inv.Role), hash, audit.ActorID, tx.now, inv.Expires); err != nil {
			return fmt.Errorf("store: create invitation: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// Invitations returns an organisation's open invitations.
func (db *DB) Invitations(ctx context.Context, orgID string) ([]org.Invitation, error) {
	return db.invitations(ctx, "i.org_id = ? AND "+openInvitation, orgID, db.Now().UTC())
}

// UserInvitations returns the open invitations to an address.
func (db *DB) UserInvitations(ctx context.Context, email string) ([]org.Invitation, error) {
	return db.invitations(ctx, "i.email = ? AND "+openInvitation, email, db.Now().UTC())
}

// InvitationByHash returns the invitation behind a link.
func (db *DB) InvitationByHash(ctx context.Context, hash string) (org.Invitation, error) {
	invs, err := db.invitations(ctx, "i.token_hash = ?", hash)
	if err != nil {
		return org.Invitation{}, err
	}
	if len(invs) == 0 {
		return org.Invitation{}, apperr.New(apperr.NotFound, "org.error.invitation_invalid")
	}
	return invs[0], nil
}

// AcceptInvitation uses an invitation once and makes the user a member.
func (db *DB) AcceptInvitation(ctx context.Context, hash, userID string, audit account.AuditEntry) (org.Invitation, error) {
	var inv org.Invitation
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if inv, err = scanInvitation(tx.queryRow(ctx, `SELECT `+invitationColumns+invitationFrom+`WHERE i.token_hash = ?`, hash)); err != nil {
			if isNotFound(mapError(err)) {
				return apperr.New(apperr.NotFound, "org.error.invitation_invalid")
			}
			return fmt.Errorf("store: invitation: %w", err)
		}
		switch {
		case inv.Accepted != nil:
			return apperr.New(apperr.Invalid, "account.error.link_used")
		case inv.Revoked != nil:
			return apperr.New(apperr.Invalid, "org.error.invitation_revoked")
		case !tx.now.Before(inv.Expires):
			return apperr.New(apperr.Invalid, "account.error.link_expired")
		}
		if _, err := tx.exec(ctx, `UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ?`, tx.now, userID, inv.ID); err != nil {
			return fmt.Errorf("store: accept invitation: %w", err)
		}
		switch cur, err := tx.role(ctx, inv.OrgID, userID); {
		case isNotFound(err):
			err = tx.addMember(ctx, inv.OrgID, userID, inv.Role)
			if err != nil {
				return err
			}
		case err != nil:
			return err
		case cur == org.Member && inv.Role == org.Admin:
			if _, err := tx.exec(ctx, `UPDATE memberships SET role = 'admin' WHERE org_id = ? AND user_id = ?`, inv.OrgID, userID); err != nil {
				return fmt.Errorf("store: raise role: %w", err)
			}
		}
		now := tx.now
		inv.Accepted = &now
		return tx.addAudit(ctx, audit)
	})
	return inv, err
}

// RevokeInvitation withdraws an open invitation of an organisation.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE id = ? AND org_id = ? AND accepted_at IS NULL AND revoked_at IS NULL`,
			tx.now, id, orgID)
		if err != nil {
			return fmt.Errorf("store: revoke invitation: %w", err)
		}
		if err := oneRow(res, "org.error.invitation_invalid"); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}
