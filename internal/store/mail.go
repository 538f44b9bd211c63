package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/smartregions/smartregions/internal/mail"
)

// WriterPool returns the pool that takes writes: on SQLite the single
// writer connection, on PostgreSQL the one pool. The River job queue (package
// jobs) works through it, so that on SQLite its writes queue behind the
// platform's instead of failing with SQLITE_BUSY, and so that jobs can be
// inserted in the store's transactions.
func (db *DB) WriterPool() *sql.DB { return db.write }

// AddMail stores a mail in the outbox in its own transaction, together with
// its delivery job.
func (db *DB) AddMail(ctx context.Context, out mail.Outgoing) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.addMail(ctx, out) })
}

// addMail stores a mail in tx and calls its Enqueue hook with the same
// transaction, so that a store method can send a mail about a change that
// commits (or rolls back) together with the change.
func (tx *Tx) addMail(ctx context.Context, out mail.Outgoing) error {
	m := out.Mail
	_, err := tx.exec(ctx, `INSERT INTO mail_outbox (id, created_at, kind, lang, recipient, subject, body, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, tx.now, m.Kind, m.Lang, m.To, m.Subject, m.Text, string(m.Status))
	if err != nil {
		return fmt.Errorf("store: add mail %s: %w", m.ID, err)
	}
	if out.Enqueue != nil {
		if err := out.Enqueue(ctx, tx.tx); err != nil {
			return fmt.Errorf("store: add mail %s: %w", m.ID, err)
		}
	}
	return nil
}

const mailColumns = `id, created_at, kind, lang, recipient, subject, status, attempts, last_error, last_attempt_at, sent_at`

func scanMail(sc interface{ Scan(...any) error }, extra ...any) (mail.Mail, error) {
	var (
		m                 mail.Mail
		status            string
		lastAttempt, sent nullTime
	)
	dest := append([]any{&m.ID, &m.Created, &m.Kind, &m.Lang, &m.To, &m.Subject, &status, &m.Attempts,
		&m.LastError, &lastAttempt, &sent}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return m, err
	}
	m.Created, m.Status, m.LastAttempt, m.Sent = m.Created.UTC(), mail.Status(status), lastAttempt.ptr(), sent.ptr()
	return m, nil
}

// Mail returns one outbox mail with its text; apperr.NotFound when there is
// none.
func (db *DB) Mail(ctx context.Context, id string) (mail.Mail, error) {
	var text string
	m, err := scanMail(db.queryRow(ctx, `SELECT `+mailColumns+`, body FROM mail_outbox WHERE id = ?`, id), &text)
	if err != nil {
		return m, fmt.Errorf("store: mail %s: %w", id, mapError(err))
	}
	m.Text = text
	return m, nil
}

// Mails returns a page of the outbox, newest first, without the mails'
// text, and the number of all mails.
func (db *DB) Mails(ctx context.Context, limit, offset int) ([]mail.Mail, int, error) {
	var total int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM mail_outbox`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: mails: %w", mapError(err))
	}
	rows, err := db.query(ctx, `SELECT `+mailColumns+` FROM mail_outbox
		ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: mails: %w", err)
	}
	defer rows.Close()
	var out []mail.Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: mails: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: mails: %w", err)
	}
	return out, total, nil
}

// RecordMailAttempt counts a delivery attempt of mail id and sets its
// status and last error; sent_at is set when status is sent. A mail already
// sent is left alone, so a repeated job cannot undo or repeat its success;
// the result reports whether the mail changed.
func (db *DB) RecordMailAttempt(ctx context.Context, id string, status mail.Status, lastError string) (bool, error) {
	var changed bool
	err := db.inTx(ctx, func(tx *Tx) error {
		var sentAt any
		if status == mail.StatusSent {
			sentAt = tx.now
		}
		res, err := tx.exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, status = ?, last_error = ?,
			last_attempt_at = ?, sent_at = ? WHERE id = ? AND status <> 'sent'`,
			string(status), lastError, tx.now, sentAt, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		changed = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: record mail attempt %s: %w", id, err)
	}
	return changed, nil
}
