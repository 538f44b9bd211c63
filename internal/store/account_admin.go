package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

// ListUsers returns a page of users in e-mail order with their roles.
func (db *DB) ListUsers(ctx context.Context, f account.UserFilter) (account.UserPage, error) {
	conds, args := []string{"1 = 1"}, []any{}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		conds = append(conds, `(u.email LIKE ? ESCAPE '\' OR LOWER(u.name) LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if f.Role != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM platform_roles r WHERE r.user_id = u.id AND r.role = ?)`)
		args = append(args, string(f.Role))
	}
	var page account.UserPage
	err := db.view(ctx, func(tx *Tx) error {
		where := strings.Join(conds, " AND ")
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users u WHERE `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		pageArgs := args
		if f.Cursor != "" {
			where += " AND u.email > ?"
			pageArgs = append(slices.Clip(args), f.Cursor)
		}
		rows, err := tx.query(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where+` ORDER BY u.email LIMIT ?`,
			append(pageArgs, f.Limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, _, err := tx.scanUser(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, u)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page.Items) > f.Limit {
			page.Items = page.Items[:f.Limit]
			page.Next = page.Items[f.Limit-1].Email
		}
		return tx.rolesOf(ctx, page.Items)
	})
	if err != nil {
		return account.UserPage{}, fmt.Errorf("store: list users: %w", err)
	}
	return page, nil
}

// rolesOf fills in the platform roles of users with one query.
func (tx *Tx) rolesOf(ctx context.Context, users []account.User) error {
	if len(users) == 0 {
		return nil
	}
	index := make(map[string]int, len(users))
	args := make([]any, len(users))
	for i, u := range users {
		index[u.ID], args[i] = i, u.ID
	}
	rows, err := tx.query(ctx, `SELECT user_id, role FROM platform_roles WHERE user_id IN `+placeholders(1, len(users))+
		` ORDER BY user_id, role`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		users[index[id]].Roles = append(users[index[id]].Roles, account.Role(role))
	}
	return rows.Err()
}

// lockOperators makes changes that could remove the last operator run one
// after the other. On SQLite, write transactions begin IMMEDIATE and
// exclude each other already; on PostgreSQL the operators' rows are
// locked, so that two operators who take each other's role at the same
// moment cannot both succeed.
func (tx *Tx) lockOperators(ctx context.Context) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	if _, err := tx.exec(ctx, `SELECT user_id FROM platform_roles WHERE role = 'operator' FOR UPDATE`); err != nil {
		return fmt.Errorf("store: lock operators: %w", err)
	}
	return nil
}

// otherOperators reports whether someone other than userID is an
// operator; call lockOperators first in the same transaction.
func (tx *Tx) otherOperators(ctx context.Context, userID string) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM platform_roles WHERE role = 'operator' AND user_id <> ?`, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: count operators: %w", err)
	}
	return n > 0, nil
}

// SetRoles gives a user exactly the roles of c.
func (db *DB) SetRoles(ctx context.Context, userID string, c account.RoleChange) (account.User, error) {
	var u account.User
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.lockOperators(ctx); err != nil {
			return err
		}
		var err error
		if u, _, err = tx.user(ctx, "u.id = ?", userID); err != nil {
			return err
		}
		for _, r := range u.Roles {
			if slices.Contains(c.Roles, r) {
				continue
			}
			if r == account.Operator {
				others, err := tx.otherOperators(ctx, userID)
				if err != nil {
					return err
				}
				if !others {
					var v apperr.Validation
					v.Add("roles", "account.error.last_operator")
					return v.Err()
				}
			}
			if _, err := tx.exec(ctx, `DELETE FROM platform_roles WHERE user_id = ? AND role = ?`, userID, string(r)); err != nil {
				return fmt.Errorf("store: revoke %s: %w", r, err)
			}
			if err := tx.addAudit(ctx, c.Audit(r, false)); err != nil {
				return err
			}
		}
		for _, r := range c.Roles {
			if slices.Contains(u.Roles, r) {
				continue
			}
			audit := c.Audit(r, true)
			if _, err := tx.exec(ctx, `INSERT INTO platform_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)`,
				userID, string(r), audit.ActorID, tx.now); err != nil {
				return fmt.Errorf("store: grant %s: %w", r, err)
			}
			if err := tx.addAudit(ctx, audit); err != nil {
				return err
			}
		}
		u.Roles = nil
		return tx.userRoles(ctx, &u)
	})
	if err != nil {
		return account.User{}, fmt.Errorf("store: set roles of %s: %w", userID, err)
	}
	return u, nil
}

// checkDeletable says whether the account userID may be deleted; it runs in
// the deleting transaction, so its answer holds when the deletion commits.
// It refuses the last operator and the only admin of an organisation that
// has other members.
func (tx *Tx) checkDeletable(ctx context.Context, userID string) error {
	if err := tx.lockOperators(ctx); err != nil {
		return err
	}
	var isOperator int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM platform_roles WHERE user_id = ? AND role = 'operator'`, userID).Scan(&isOperator); err != nil {
		return fmt.Errorf("store: operator role: %w", err)
	}
	if isOperator > 0 {
		others, err := tx.otherOperators(ctx, userID)
		if err != nil {
			return err
		}
		if !others {
			return apperr.New(apperr.Conflict, "account.error.last_operator_delete")
		}
	}
	return tx.checkOrgAdmins(ctx, userID)
}

// checkOrgAdmins refuses to delete the only admin of an organisation that
// has other members: they would be left without anyone who can manage
// it. (An admin who is the only member may go; the organisation and its
// content stay.)
func (tx *Tx) checkOrgAdmins(ctx context.Context, userID string) error {
	var name string
	err := tx.queryRow(ctx, `SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.user_id = ? AND m.role = 'admin'
		AND NOT EXISTS (SELECT 1 FROM memberships a WHERE a.org_id = m.org_id AND a.user_id <> m.user_id AND a.role = 'admin')
		AND EXISTS (SELECT 1 FROM memberships x WHERE x.org_id = m.org_id AND x.user_id <> m.user_id)
		ORDER BY o.name_key LIMIT 1`, userID).Scan(&name)
	switch {
	case isNotFound(mapError(err)):
		return nil
	case err != nil:
		return fmt.Errorf("store: sole organisation admin: %w", err)
	}
	return apperr.New(apperr.Conflict, "org.error.delete_last_admin", "Org", name)
}

// userAddresses returns the e-mail addresses that belong to a user: the
// current one and those of the user's one-time links (earlier addresses
// and addresses of pending changes), except addresses that another account
// has now.
func (tx *Tx) userAddresses(ctx context.Context, u account.User) ([]string, error) {
	addrs, err := tx.strings(ctx, `SELECT DISTINCT t.email FROM email_tokens t WHERE t.user_id = ?
		AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = t.email AND o.id <> ?) ORDER BY t.email`, u.ID, u.ID)
	if err != nil {
		return nil, fmt.Errorf("store: addresses of %s: %w", u.ID, err)
	}
	if !slices.Contains(addrs, u.Email) {
		addrs = append([]string{u.Email}, addrs...)
	}
	return addrs, nil
}

func anys(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

// DeleteUser deletes a user; see account.AdminStore.
func (db *DB) DeleteUser(ctx context.Context, userID string, audit account.AuditEntry) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		u, _, err := tx.user(ctx, "u.id = ?", userID)
		if err != nil {
			return err
		}
		if err := tx.checkDeletable(ctx, userID); err != nil {
			return err
		}
		addrs, err := tx.userAddresses(ctx, u)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE audit_log SET actor_label = ? WHERE actor_id = ?`, account.DeletedLabel, userID); err != nil {
			return fmt.Errorf("store: relabel audit log: %w", err)
		}
		if err := tx.scrubAuditDetails(ctx, userID, addrs); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM mail_outbox WHERE recipient IN `+placeholders(1, len(addrs)), anys(addrs)...); err != nil {
			return fmt.Errorf("store: delete mails: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM invitations WHERE email IN `+placeholders(1, len(addrs)), anys(addrs)...); err != nil {
			return fmt.Errorf("store: delete invitations: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM rate_limits WHERE key IN (?, ?)`, "login:account:"+u.Email, "reset:account:"+u.Email); err != nil {
			return fmt.Errorf("store: delete limits: %w", err)
		}
		if err := tx.forgetUsage(ctx, userID, addrs); err != nil {
			return err
		}
		if err := tx.forgetEventRegistrations(ctx, userID); err != nil { // event_registration.go
			return err
		}
		if err := tx.forgetAuthorLabels(ctx, userID); err != nil { // account_forget.go
			return err
		}
		if err := tx.usageChanged(ctx, "u.declared_by = ?", userID); err != nil { // their declarations stop counting
			return err
		}
		// Sessions, API tokens, identities, one-time links, roles and
		// memberships go with the user (ON DELETE CASCADE).
		if _, err := tx.exec(ctx, `DELETE FROM users WHERE id = ?`, userID); err != nil {
			return fmt.Errorf("store: delete user: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
	if err != nil {
		return fmt.Errorf("store: delete user %s: %w", userID, err)
	}
	return nil
}

// scrubAuditDetails replaces the user's e-mail addresses in the details
// of the audit entries about the user (such as "new_email") with
// DeletedLabel. JSON is handled here, not in SQL, where the two dialects
// differ.
func (tx *Tx) scrubAuditDetails(ctx context.Context, userID string, addrs []string) error {
	rows, err := tx.query(ctx, `SELECT id, details FROM audit_log
		WHERE (actor_id = ? OR object_id = ? OR action = 'org.invited') AND details LIKE '%@%'`, userID, userID)
	if err != nil {
		return fmt.Errorf("store: audit details of %s: %w", userID, err)
	}
	changed := map[string]string{}
	for rows.Next() {
		var id, details string
		if err := rows.Scan(&id, &details); err != nil {
			rows.Close()
			return fmt.Errorf("store: audit details of %s: %w", userID, err)
		}
		var m map[string]any
		if json.Unmarshal([]byte(details), &m) != nil {
			continue
		}
		dirty := false
		for k, v := range m {
			if s, ok := v.(string); ok && slices.Contains(addrs, strings.ToLower(s)) {
				m[k], dirty = account.DeletedLabel, true
			}
		}
		if dirty {
			b, _ := json.Marshal(m)
			changed[id] = string(b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: audit details of %s: %w", userID, err)
	}
	for id, details := range changed {
		if _, err := tx.exec(ctx, `UPDATE audit_log SET details = ? WHERE id = ?`, details, id); err != nil {
			return fmt.Errorf("store: scrub audit entry %s: %w", id, err)
		}
	}
	return nil
}

// UserData returns everything the database holds about a user.
func (db *DB) UserData(ctx context.Context, userID string) (account.UserData, error) {
	var d account.UserData
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		if d.User, _, err = tx.user(ctx, "u.id = ?", userID); err != nil {
			return err
		}
		if d.Sessions, err = tx.userSessionsAll(ctx, userID); err != nil {
			return err
		}
		if d.Identities, err = tx.userIdentities(ctx, userID); err != nil {
			return err
		}
		if d.Tokens, err = tx.apiTokens(ctx, userID); err != nil {
			return err
		}
		if d.Audit, err = tx.auditEntries(ctx, `WHERE actor_id = ? OR object_id = ? ORDER BY at, id`, userID, userID); err != nil {
			return err
		}
		addrs, err := tx.userAddresses(ctx, d.User)
		if err != nil {
			return err
		}
		d.Mails, err = tx.userMails(ctx, addrs)
		return err
	})
	if err != nil {
		return d, fmt.Errorf("store: data of user %s: %w", userID, err)
	}
	return d, nil
}

func (tx *Tx) userSessionsAll(ctx context.Context, userID string) ([]account.Session, error) {
	rows, err := tx.query(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.user_id = ? ORDER BY s.created_at, s.id_hash`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (tx *Tx) userIdentities(ctx context.Context, userID string) ([]account.LinkedIdentity, error) {
	rows, err := tx.query(ctx, `SELECT provider, subject, email, created_at FROM identities WHERE user_id = ? ORDER BY created_at, provider`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.LinkedIdentity
	for rows.Next() {
		var id account.LinkedIdentity
		if err := rows.Scan(&id.Provider, &id.Subject, &id.Email, &id.Created); err != nil {
			return nil, err
		}
		id.Created = id.Created.UTC()
		out = append(out, id)
	}
	return out, rows.Err()
}

func (tx *Tx) userMails(ctx context.Context, addrs []string) ([]account.UserMail, error) {
	rows, err := tx.query(ctx, `SELECT id, created_at, kind, lang, subject, body, status, sent_at FROM mail_outbox
		WHERE recipient IN `+placeholders(1, len(addrs))+` ORDER BY created_at, id`, anys(addrs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.UserMail
	for rows.Next() {
		var (
			m    account.UserMail
			sent nullTime
		)
		if err := rows.Scan(&m.ID, &m.Created, &m.Kind, &m.Lang, &m.Subject, &m.Text, &m.Status, &sent); err != nil {
			return nil, err
		}
		m.Created, m.Sent = m.Created.UTC(), sent.ptr()
		out = append(out, m)
	}
	return out, rows.Err()
}
