package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
)

const userColumns = `u.id, u.email, u.email_confirmed_at, u.name, u.lang, u.password_hash, u.created_at`

func (tx *Tx) scanUser(sc interface{ Scan(...any) error }) (account.User, string, error) {
	var (
		u         account.User
		confirmed nullTime
		hash      string
	)
	if err := sc.Scan(&u.ID, &u.Email, &confirmed, &u.Name, &u.Lang, &hash, &u.Created); err != nil {
		return u, "", err
	}
	u.EmailConfirmed, u.HasPassword, u.Created = confirmed.ptr(), hash != "", u.Created.UTC()
	return u, hash, nil
}

// userRoles fills in the platform roles.
func (tx *Tx) userRoles(ctx context.Context, u *account.User) error {
	roles, err := tx.strings(ctx, `SELECT role FROM platform_roles WHERE user_id = ? ORDER BY role`, u.ID)
	for _, r := range roles {
		u.Roles = append(u.Roles, account.Role(r))
	}
	return err
}

func (tx *Tx) user(ctx context.Context, where string, arg any) (account.User, string, error) {
	u, hash, err := tx.scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where, arg))
	if err != nil {
		return u, "", mapError(err)
	}
	return u, hash, tx.userRoles(ctx, &u)
}

// CreateUser stores a new user with its roles, confirmation link and audit entry.
func (db *DB) CreateUser(ctx context.Context, nu account.NewUser) error {
	return db.inTx(ctx, func(tx *Tx) error {
		u := nu.User
		var confirmed any
		if u.EmailConfirmed != nil {
			confirmed = *u.EmailConfirmed
		}
		if _, err := tx.exec(ctx, `INSERT INTO users (id, email, email_confirmed_at, password_hash, name, lang, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, confirmed, nu.PasswordHash, u.Name, u.Lang, tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		for _, r := range nu.Roles {
			if _, err := tx.exec(ctx, `INSERT INTO platform_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)`,
				u.ID, string(r), nu.Audit.ActorID, tx.now); err != nil {
				return fmt.Errorf("store: create user role: %w", err)
			}
		}
		if id := nu.Identity; id != nil {
			if err := tx.linkIdentity(ctx, u.ID, *id); err != nil {
				return err
			}
		}
		if t := nu.Confirm; t != nil {
			if err := tx.addToken(ctx, u.ID, *t); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, nu.Audit)
	})
}

// UserByID returns a user with roles.
func (db *DB) UserByID(ctx context.Context, id string) (account.User, error) {
	var u account.User
	err := db.view(ctx, func(tx *Tx) (err error) {
		u, _, err = tx.user(ctx, "u.id = ?", id)
		return err
	})
	if err != nil {
		return u, fmt.Errorf("store: user %s: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns a user with roles and password hash.
func (db *DB) UserByEmail(ctx context.Context, email string) (account.User, string, error) {
	var (
		u    account.User
		hash string
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		u, hash, err = tx.user(ctx, "u.email = ?", email)
		return err
	})
	if err != nil {
		return u, "", fmt.Errorf("store: user by e-mail: %w", err)
	}
	return u, hash, nil
}

func (tx *Tx) linkIdentity(ctx context.Context, userID string, id account.Identity) error {
	_, err := tx.exec(ctx, `INSERT INTO identities (provider, subject, user_id, email, created_at) VALUES (?, ?, ?, ?, ?)`,
		id.Provider, id.Subject, userID, id.Email, tx.now)
	if err != nil {
		return fmt.Errorf("store: link identity %s: %w", id.Provider, err)
	}
	return nil
}

// IdentityUser returns the user linked to a provider's account.
func (db *DB) IdentityUser(ctx context.Context, provider, subject string) (account.User, error) {
	var u account.User
	err := db.view(ctx, func(tx *Tx) error {
		var id string
		if err := tx.queryRow(ctx, `SELECT user_id FROM identities WHERE provider = ? AND subject = ?`, provider, subject).Scan(&id); err != nil {
			return mapError(err)
		}
		var err error
		u, _, err = tx.user(ctx, "u.id = ?", id)
		return err
	})
	return u, err
}

// LinkIdentity links a provider's account to a user.
func (db *DB) LinkIdentity(ctx context.Context, userID string, id account.Identity, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.linkIdentity(ctx, userID, id); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

func (tx *Tx) addToken(ctx context.Context, userID string, t account.NewToken) error {
	_, err := tx.exec(ctx, `INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, userID, t.Purpose, t.Email, tx.now, t.Expires)
	if err != nil {
		return fmt.Errorf("store: add %s link: %w", t.Purpose, err)
	}
	return nil
}

// AddToken stores a one-time link.
func (db *DB) AddToken(ctx context.Context, userID string, t account.NewToken, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.addToken(ctx, userID, t); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// RedeemToken uses a one-time link once and applies what it does.
func (db *DB) RedeemToken(ctx context.Context, hash string, r account.Redeem) (account.User, error) {
	var u account.User
	err := db.inTx(ctx, func(tx *Tx) error {
		var (
			userID, purpose, email string
			expires                time.Time
			used                   nullTime
		)
		err := tx.queryRow(ctx, `SELECT user_id, purpose, email, expires_at, used_at FROM email_tokens WHERE token_hash = ?`, hash).
			Scan(&userID, &purpose, &email, &expires, &used)
		if err != nil {
			return mapError(err)
		}
		switch {
		case purpose != r.Purpose:
			return apperr.New(apperr.NotFound, "account.error.link_invalid")
		case used.Valid:
			return apperr.New(apperr.Invalid, "account.error.link_used")
		case !tx.now.Before(expires):
			return apperr.New(apperr.Invalid, "account.error.link_expired")
		}
		if _, err := tx.exec(ctx, `UPDATE email_tokens SET used_at = ? WHERE token_hash = ?`, tx.now, hash); err != nil {
			return fmt.Errorf("store: use link: %w", err)
		}
		if r.ConfirmEmail {
			if _, err := tx.exec(ctx, `UPDATE users SET email_confirmed_at = ?, updated_at = ? WHERE id = ? AND email_confirmed_at IS NULL`,
				tx.now, tx.now, userID); err != nil {
				return fmt.Errorf("store: confirm e-mail: %w", err)
			}
		}
		if r.ChangeEmail {
			if _, err := tx.exec(ctx, `UPDATE users SET email = ?, email_confirmed_at = ?, updated_at = ? WHERE id = ?`,
				email, tx.now, tx.now, userID); err != nil {
				return fmt.Errorf("store: change e-mail: %w", err)
			}
		}
		if r.NewPasswordHash != "" {
			if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, r.NewPasswordHash, tx.now, userID); err != nil {
				return fmt.Errorf("store: set password: %w", err)
			}
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
				return fmt.Errorf("store: end sessions: %w", err)
			}
			// Other reset links of the account are void now.
			if _, err := tx.exec(ctx, `UPDATE email_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL`,
				tx.now, userID, r.Purpose); err != nil {
				return fmt.Errorf("store: void links: %w", err)
			}
		}
		if u, _, err = tx.user(ctx, "u.id = ?", userID); err != nil {
			return err
		}
		a := r.Audit
		if a.ActorID == "" {
			a.ActorID, a.ActorLabel = u.ID, u.Email
		}
		if a.ObjectID == "" {
			a.ObjectID = u.ID
		}
		return tx.addAudit(ctx, a)
	})
	return u, err
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s account.Session, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ID, s.UserID, s.Created, s.LastSeen, s.Expires, s.IP, s.UserAgent); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		if audit.ObjectID == "" {
			audit.ObjectID = s.ID[:12]
		}
		return tx.addAudit(ctx, audit)
	})
}

const sessionColumns = `s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent`

func scanSession(sc interface{ Scan(...any) error }) (account.Session, error) {
	var s account.Session
	err := sc.Scan(&s.ID, &s.UserID, &s.Created, &s.LastSeen, &s.Expires, &s.IP, &s.UserAgent)
	s.Created, s.LastSeen, s.Expires = s.Created.UTC(), s.LastSeen.UTC(), s.Expires.UTC()
	return s, err
}

// SessionUser returns an unexpired session with its user.
func (db *DB) SessionUser(ctx context.Context, hash string) (account.Session, account.User, error) {
	var (
		s account.Session
		u account.User
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		s, err = scanSession(tx.queryRow(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.id_hash = ? AND s.expires_at > ?`, hash, tx.now))
		if err != nil {
			return mapError(err)
		}
		u, _, err = tx.user(ctx, "u.id = ?", s.UserID)
		return err
	})
	return s, u, err
}

// TouchSession records activity and extends the session.
func (db *DB) TouchSession(ctx context.Context, hash string, expires time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?`, tx.now, expires, hash)
		return err
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, hash string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, hash); err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
		audit.ObjectID = hash[:min(12, len(hash))]
		return tx.addAudit(ctx, audit)
	})
}

// DeleteUserSession ends one session of a user.
func (db *DB) DeleteUserSession(ctx context.Context, userID, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ? AND user_id = ?`, id, userID)
		if err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "account.error.session_not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// UserSessions lists a user's unexpired sessions, newest activity first.
func (db *DB) UserSessions(ctx context.Context, userID string) ([]account.Session, error) {
	var out []account.Session
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+sessionColumns+` FROM sessions s WHERE s.user_id = ? AND s.expires_at > ? ORDER BY s.last_seen_at DESC`, userID, tx.now)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanSession(rows)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: sessions of %s: %w", userID, err)
	}
	return out, nil
}

// GrantRole gives a user a platform role.
func (db *DB) GrantRole(ctx context.Context, userID string, r account.Role, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO platform_roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, role) DO NOTHING`, userID, string(r), audit.ActorID, tx.now); err != nil {
			return fmt.Errorf("store: grant %s: %w", r, err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// Hit counts an attempt in a fixed window shared by all instances.
func (db *DB) Hit(ctx context.Context, key string, window time.Duration, limit int) (bool, error) {
	var n int
	err := db.inTx(ctx, func(tx *Tx) error {
		start := tx.now.Truncate(window)
		err := tx.queryRow(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
			ON CONFLICT (key) DO UPDATE SET
				count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
				window_start = excluded.window_start
			RETURNING count`, key, start).Scan(&n)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: rate limit %s: %w", strings.SplitN(key, ":", 3)[0], err)
	}
	return n <= limit, nil
}

func (tx *Tx) addAudit(ctx context.Context, e account.AuditEntry) error {
	if e.ID == "" {
		return nil
	}
	details := "{}"
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return fmt.Errorf("store: audit details: %w", err)
		}
		details = string(b)
	}
	_, err := tx.exec(ctx, `INSERT INTO audit_log (id, at, actor_id, actor_label, action, object_type, object_id, details, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, tx.now, e.ActorID, e.ActorLabel, e.Action, e.ObjectType, e.ObjectID, details, e.IP)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// AddAudit records one audit entry.
func (db *DB) AddAudit(ctx context.Context, e account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.addAudit(ctx, e) })
}

// AuditLog returns a page of audit entries, newest first.
func (db *DB) AuditLog(ctx context.Context, f account.AuditFilter) (account.AuditPage, error) {
	conds, args := []string{"1 = 1"}, []any{}
	for _, c := range []struct{ col, val string }{{"actor_id", f.ActorID}, {"actor_label", f.ActorLabel},
		{"object_type", f.ObjectType}, {"object_id", f.ObjectID}} {
		if c.val != "" {
			conds, args = append(conds, c.col+" = ?"), append(args, c.val)
		}
	}
	switch {
	case strings.HasSuffix(f.Action, "."):
		conds, args = append(conds, `action LIKE ? ESCAPE '\'`), append(args, escapeLike(f.Action)+"%")
	case f.Action != "":
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, f.Since.UTC())
	}
	if !f.Before.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, f.Before.UTC())
	}
	var page account.AuditPage
	err := db.view(ctx, func(tx *Tx) error {
		where := "WHERE " + strings.Join(conds, " AND ")
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		pageArgs := slices.Clip(args)
		if c := f.Cursor; c != nil {
			where += " AND (at < ? OR (at = ? AND id < ?))"
			pageArgs = append(pageArgs, c.At.UTC(), c.At.UTC(), c.ID)
		}
		var err error
		page.Items, err = tx.auditEntries(ctx, where+" ORDER BY at DESC, id DESC LIMIT ?", append(pageArgs, f.Limit+1)...)
		if err != nil {
			return err
		}
		if len(page.Items) > f.Limit {
			page.Items = page.Items[:f.Limit]
			last := page.Items[f.Limit-1]
			page.Next = &account.AuditCursor{At: last.At, ID: last.ID}
		}
		return nil
	})
	if err != nil {
		return account.AuditPage{}, fmt.Errorf("store: audit log: %w", err)
	}
	return page, nil
}

// auditEntries reads the audit entries that the rest of the query selects
// ("WHERE … ORDER BY …").
func (tx *Tx) auditEntries(ctx context.Context, rest string, args ...any) ([]account.AuditEntry, error) {
	rows, err := tx.query(ctx, `SELECT id, at, actor_id, actor_label, action, object_type, object_id, details, ip FROM audit_log `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.AuditEntry
	for rows.Next() {
		var (
			e       account.AuditEntry
			details string
		)
		if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorLabel, &e.Action, &e.ObjectType, &e.ObjectID, &details, &e.IP); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			return nil, fmt.Errorf("store: audit details %s: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

const apiTokenColumns = `t.id, t.user_id, t.name, t.scopes, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanAPIToken(sc interface{ Scan(...any) error }) (account.APIToken, error) {
	var (
		t             account.APIToken
		scopes        string
		used, revoked nullTime
	)
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &scopes, &t.Created, &t.Expires, &used, &revoked); err != nil {
		return t, err
	}
	t.Scopes, t.LastUsed, t.Revoked = strings.Fields(scopes), used.ptr(), revoked.ptr()
	t.Created, t.Expires = t.Created.UTC(), t.Expires.UTC()
	return t, nil
}

// CreateAPIToken stores a token by the hash of its secret.
func (db *DB) CreateAPIToken(ctx context.Context, t account.APIToken, hash string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.UserID, t.Name, hash, strings.Join(t.Scopes, " "), t.Created, t.Expires); err != nil {
			return fmt.Errorf("store: create api token: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID string) ([]account.APIToken, error) {
	var out []account.APIToken
	err := db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.apiTokens(ctx, userID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	return out, nil
}

func (tx *Tx) apiTokens(ctx context.Context, userID string) ([]account.APIToken, error) {
	rows, err := tx.query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// APITokenUser returns an active token with its user and records its use
// (at most once a minute, to spare the writer).
func (db *DB) APITokenUser(ctx context.Context, hash string) (account.APIToken, account.User, error) {
	var (
		t account.APIToken
		u account.User
	)
	err := db.view(ctx, func(tx *Tx) (err error) {
		t, err = scanAPIToken(tx.queryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens t
			WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?`, hash, tx.now))
		if err != nil {
			return mapError(err)
		}
		u, _, err = tx.user(ctx, "u.id = ?", t.UserID)
		return err
	})
	if err != nil {
		return t, u, err
	}
	if now := db.Now().UTC(); t.LastUsed == nil || now.Sub(*t.LastUsed) > time.Minute {
		err = db.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, tx.now, t.ID)
			return err
		})
	}
	return t, u, err
}

// RevokeAPIToken revokes one token of a user.
func (db *DB) RevokeAPIToken(ctx context.Context, userID, id string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, tx.now, id, userID)
		if err != nil {
			return fmt.Errorf("store: revoke api token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "account.error.token_not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// SetPassword sets a user's password and ends the other sessions.
func (db *DB) SetPassword(ctx context.Context, userID, hash, keep string, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, tx.now, userID); err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, userID, keep); err != nil {
			return fmt.Errorf("store: end other sessions: %w", err)
		}
		return tx.addAudit(ctx, audit)
	})
}
