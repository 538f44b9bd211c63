package store

// This file: the in-app notification centre (package notify).

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/notify"
)

const notificationColumns = `id, user_id, kind, action, title, link, created_at, read_at`

func scanNotification(sc interface{ Scan(...any) error }) (notify.Notification, error) {
	var (
		n    notify.Notification
		read sql.NullTime
	)
	if err := sc.Scan(&n.ID, &n.UserID, &n.Kind, &n.Action, &n.Title, &n.Link, &n.Created, &read); err != nil {
		return n, mapError(err)
	}
	n.Created = n.Created.UTC()
	if read.Valid {
		t := read.Time.UTC()
		n.ReadAt = &t
	}
	return n, nil
}

func (tx *Tx) notificationList(ctx context.Context, q string, args ...any) ([]notify.Notification, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []notify.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, mapError(rows.Err())
}

func (db *DB) notificationList(ctx context.Context, q string, args ...any) ([]notify.Notification, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []notify.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, mapError(rows.Err())
}

func (tx *Tx) recipient(ctx context.Context, userID string) (notify.Recipient, error) {
	r := notify.Recipient{ID: userID}
	err := tx.queryRow(ctx, `SELECT email, lang FROM users WHERE id = ?`, userID).Scan(&r.Email, &r.Lang)
	return r, mapError(err)
}

// AddNotification stores n and the mail the user's choice asks for.
func (db *DB) AddNotification(ctx context.Context, n notify.Notification, def notify.Mail, compose notify.Compose) error {
	err := db.inTx(ctx, func(tx *Tx) error { return tx.addNotification(ctx, n, def, compose) })
	if err != nil {
		return fmt.Errorf("store: add notification %s: %w", n.ID, err)
	}
	return nil
}

// mailChoice returns the user's mail choice for kind, def without one.
func (tx *Tx) mailChoice(ctx context.Context, userID, kind string, def notify.Mail) (notify.Mail, error) {
	choice := string(def)
	err := tx.queryRow(ctx, `SELECT mail FROM notification_prefs WHERE user_id = ? AND kind = ?`, userID, kind).Scan(&choice)
	if err != nil && err != sql.ErrNoRows {
		return "", mapError(err)
	}
	return notify.Mail(choice), nil
}

// addNotification stores n inside the transaction of the change it tells
// of, with the mail the user's choice for n.Kind asks for (def without
// one): composed by compose at once, marked for the digest, or none.
func (tx *Tx) addNotification(ctx context.Context, n notify.Notification, def notify.Mail, compose notify.Compose) error {
	choice, err := tx.mailChoice(ctx, n.UserID, n.Kind, def)
	if err != nil {
		return err
	}
	if choice == notify.Immediate {
		to, err := tx.recipient(ctx, n.UserID)
		if err != nil {
			return err
		}
		n.Created = tx.now
		out, err := compose(to, []notify.Notification{n})
		if err != nil {
			return err
		}
		if err := tx.addMail(ctx, out); err != nil {
			return err
		}
	}
	return tx.insertNotification(ctx, n, choice == notify.Immediate, choice == notify.Digest)
}

// addPending adds the producers' pending notifications, each with the
// default mail choice of its kind.
func (tx *Tx) addPending(ctx context.Context, list []notify.Pending) error {
	for _, p := range list {
		if err := tx.addNotification(ctx, p.Notification, notify.DefaultFor(p.Kind), p.Mail); err != nil {
			return fmt.Errorf("notification %s for %s: %w", p.Kind, p.UserID, err)
		}
	}
	return nil
}

// insertNotification writes the row of n, mailed now or waiting for the
// digest.
func (tx *Tx) insertNotification(ctx context.Context, n notify.Notification, mailed, digest bool) error {
	var mailedAt any
	if mailed {
		mailedAt = tx.now
	}
	_, err := tx.exec(ctx, `INSERT INTO notifications (id, user_id, kind, action, title, link, created_at, mailed_at, digest_pending)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, n.ID, n.UserID, n.Kind, n.Action, n.Title, n.Link, tx.now, mailedAt, digest)
	return mapError(err)
}

// Notifications returns a user's newest notifications, unread first.
func (db *DB) Notifications(ctx context.Context, userID string, limit int) ([]notify.Notification, int, error) {
	l, err := db.notificationList(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE user_id = ?
		ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("store: notifications of %s: %w", userID, err)
	}
	n, err := db.UnreadCount(ctx, userID)
	return l, n, err
}

// UnreadCount counts a user's unread notifications (indexed).
func (db *DB) UnreadCount(ctx context.Context, userID string) (int, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: unread notifications of %s: %w", userID, mapError(err))
	}
	return n, nil
}

// MarkRead marks one of the user's notifications read.
func (db *DB) MarkRead(ctx context.Context, userID, id string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&n); err != nil {
			return fmt.Errorf("store: notification %s: %w", id, mapError(err))
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "notify.error.not_found")
		}
		if _, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL`, tx.now, id, userID); err != nil {
			return fmt.Errorf("store: mark notification %s read: %w", id, mapError(err))
		}
		return nil
	})
}

// MarkAllRead marks all of the user's notifications read.
func (db *DB) MarkAllRead(ctx context.Context, userID string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, tx.now, userID); err != nil {
			return fmt.Errorf("store: mark notifications of %s read: %w", userID, mapError(err))
		}
		return nil
	})
}

// NotificationPrefs returns the user's stored mail choices by kind.
func (db *DB) NotificationPrefs(ctx context.Context, userID string) (map[string]notify.Mail, error) {
	rows, err := db.query(ctx, `SELECT kind, mail FROM notification_prefs WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: notification prefs of %s: %w", userID, mapError(err))
	}
	defer rows.Close()
	out := map[string]notify.Mail{}
	for rows.Next() {
		var k, m string
		if err := rows.Scan(&k, &m); err != nil {
			return nil, mapError(err)
		}
		out[k] = notify.Mail(m)
	}
	return out, mapError(rows.Err())
}

// SetNotificationPrefs stores the user's mail choices.
func (db *DB) SetNotificationPrefs(ctx context.Context, userID string, prefs map[string]notify.Mail) error {
	return db.inTx(ctx, func(tx *Tx) error {
		for k, m := range prefs {
			if _, err := tx.exec(ctx, `INSERT INTO notification_prefs (user_id, kind, mail) VALUES (?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET mail = excluded.mail`, userID, k, string(m)); err != nil {
				return fmt.Errorf("store: notification pref %s of %s: %w", k, userID, mapError(err))
			}
		}
		return nil
	})
}

// DigestRecipients returns the users with notifications waiting for the digest.
func (db *DB) DigestRecipients(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT user_id FROM notifications WHERE digest_pending = ? ORDER BY user_id`, true)
	if err != nil {
		return nil, fmt.Errorf("store: digest recipients: %w", mapError(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, mapError(err)
		}
		out = append(out, id)
	}
	return out, mapError(rows.Err())
}

// SendDigest stores one mail with the user's waiting notifications and
// marks them digested in the same transaction.
func (db *DB) SendDigest(ctx context.Context, userID string, compose notify.Compose) (bool, error) {
	sent := false
	err := db.inTx(ctx, func(tx *Tx) error {
		list, err := tx.notificationList(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE user_id = ? AND digest_pending = ?
			ORDER BY created_at, id`, userID, true)
		if err != nil || len(list) == 0 {
			return err
		}
		to, err := tx.recipient(ctx, userID)
		if err != nil {
			return err
		}
		out, err := compose(to, list)
		if err != nil {
			return err
		}
		if err := tx.addMail(ctx, out); err != nil {
			return err
		}
		for _, n := range list {
			if _, err := tx.exec(ctx, `UPDATE notifications SET digest_pending = ?, digested_at = ? WHERE id = ?`, false, tx.now, n.ID); err != nil {
				return mapError(err)
			}
		}
		sent = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: digest of %s: %w", userID, err)
	}
	return sent, nil
}

// AllNotifications returns every notification of a user, oldest first.
func (db *DB) AllNotifications(ctx context.Context, userID string) ([]notify.Notification, error) {
	l, err := db.notificationList(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: all notifications of %s: %w", userID, err)
	}
	return l, nil
}

// Notification returns one of the user's notifications.
func (db *DB) Notification(ctx context.Context, userID, id string) (notify.Notification, error) {
	l, err := db.notificationList(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = ? AND user_id = ?`, id, userID)
	if err != nil {
		return notify.Notification{}, fmt.Errorf("store: notification %s: %w", id, err)
	}
	if len(l) == 0 {
		return notify.Notification{}, apperr.New(apperr.NotFound, "notify.error.not_found")
	}
	return l[0], nil
}
