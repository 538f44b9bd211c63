package store

// This file: registrations for events with the waiting list. Every write
// about an event's places first takes the event's lock (lockedEvent), so
// that the count of confirmed places and the insert or move-up that
// follows are never interleaved with another's: 50 people asking for the
// last 5 places at once get exactly 5 places.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/event"
	"github.com/smartregions/smartregions/internal/mail"
)

// regColumns are read by scanReg; the position counts the waiting
// registrations up to this one.
const regColumns = `r.id, r.event_id, r.user_id, u.name, u.email, u.lang, r.organisation, r.access_needs, r.status,
	CASE WHEN r.status = 'waitlisted' THEN (SELECT COUNT(*) FROM event_registrations w
		WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.seq <= r.seq) ELSE 0 END,
	r.created_at, r.updated_at, r.cancelled_at, r.reminded_at, r.promoted_at`

const regFrom = ` FROM event_registrations r JOIN users u ON u.id = r.user_id`

func scanReg(sc interface{ Scan(...any) error }, extra ...any) (event.Registration, error) {
	var (
		r                            event.Registration
		status                       string
		cancelled, reminded, promote nullTime
	)
	dest := []any{&r.ID, &r.EventID, &r.UserID, &r.Name, &r.Email, &r.Lang, &r.Organisation, &r.AccessNeeds, &status,
		&r.Position, &r.Created, &r.Updated, &cancelled, &reminded, &promote}
	if err := sc.Scan(append(dest, extra...)...); err != nil {
		return r, mapError(err)
	}
	r.Status = event.Status(status)
	r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
	r.Cancelled, r.Reminded, r.Promoted = cancelled.ptr(), reminded.ptr(), promote.ptr()
	return r, nil
}

func (tx *Tx) registration(ctx context.Context, where string, args ...any) (event.Registration, error) {
	return scanReg(tx.queryRow(ctx, `SELECT `+regColumns+regFrom+` WHERE `+where, args...))
}

// registrations returns an event's active registrations: the confirmed
// by time of registration, then the waiting list in order.
func (tx *Tx) registrations(ctx context.Context, eventID string) ([]event.Registration, error) {
	rows, err := tx.query(ctx, `SELECT `+regColumns+regFrom+` WHERE r.event_id = ? AND r.status IN ('confirmed', 'waitlisted')
		ORDER BY CASE r.status WHEN 'confirmed' THEN 0 ELSE 1 END, r.seq`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: registrations of %s: %w", eventID, err)
	}
	defer rows.Close()
	var out []event.Registration
	for rows.Next() {
		r, err := scanReg(rows)
		if err != nil {
			return nil, fmt.Errorf("store: registrations of %s: %w", eventID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Register registers a user for an event, serialised per event.
func (db *DB) Register(ctx context.Context, r event.Registration, notify event.Notify) (event.Registration, error) {
	var out event.Registration
	err := db.inTx(ctx, func(tx *Tx) error {
		e, err := tx.lockedEvent(ctx, r.EventID)
		if err != nil {
			return err
		}
		switch {
		case e.State != event.Published:
			return apperr.New(apperr.Conflict, "event.error.closed")
		case e.Started(tx.now):
			return apperr.New(apperr.Conflict, "event.error.started")
		case !tx.now.Before(e.Deadline):
			return apperr.New(apperr.Conflict, "event.error.deadline")
		}
		prev, err := tx.registration(ctx, "r.event_id = ? AND r.user_id = ?", r.EventID, r.UserID)
		switch {
		case err == nil && prev.Active():
			return apperr.New(apperr.Conflict, "event.error.registered")
		case err != nil && !isNotFound(err):
			return fmt.Errorf("store: registration: %w", err)
		}
		var seq int
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM event_registrations WHERE event_id = ?`, r.EventID).Scan(&seq); err != nil {
			return fmt.Errorf("store: registration: %w", err)
		}
		status := event.Waitlisted
		if e.Confirmed < e.Capacity {
			status = event.Confirmed
		}
		reminded := tx.reminderSettled(e, status == event.Confirmed)
		if err == nil { // registering again after a cancellation
			r.ID = prev.ID
			_, err = tx.exec(ctx, `UPDATE event_registrations SET organisation = ?, access_needs = ?, status = ?, seq = ?, updated_at = ?,
				cancelled_at = NULL, reminded_at = ?, promoted_at = NULL, notice_pending = ? WHERE id = ?`,
				r.Organisation, r.AccessNeeds, string(status), seq, tx.now, reminded, false, r.ID)
		} else {
			_, err = tx.exec(ctx, `INSERT INTO event_registrations (id, event_id, user_id, organisation, access_needs, status, seq, created_at, updated_at, reminded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.EventID, r.UserID, r.Organisation, r.AccessNeeds, string(status), seq, tx.now, tx.now, reminded)
		}
		if err != nil {
			return fmt.Errorf("store: register for %s: %w", r.EventID, err)
		}
		if out, err = tx.registration(ctx, "r.id = ?", r.ID); err != nil {
			return err
		}
		notice := event.NoticeConfirmed
		if status == event.Waitlisted {
			notice = event.NoticeWaitlist
		}
		return tx.notice(ctx, notify, notice, e, out)
	})
	return out, err
}

// reminderSettled returns the time to record as the reminder of a place
// confirmed now (nil when none): within event.ReminderLead of the start
// the confirmation or move-up mail says all a reminder would, so the
// sweep sends none after it.
func (tx *Tx) reminderSettled(e event.Event, confirmed bool) *time.Time {
	if !confirmed || e.Start.Sub(tx.now) > event.ReminderLead {
		return nil
	}
	return &tx.now
}

// notice stores the mail of n to r, composed by notify.
func (tx *Tx) notice(ctx context.Context, notify event.Notify, n event.Notice, e event.Event, r event.Registration) error {
	out, err := notify(n, e, r)
	if err != nil {
		return err
	}
	return tx.addMail(ctx, out)
}

// fillPlaces moves the waiting list up while places are free, with the
// mail of notify to each one moved up; without notify (an account being
// deleted, where no one composes mails) the sweep sends it later.
func (tx *Tx) fillPlaces(ctx context.Context, e event.Event, notify event.Notify) error {
	var confirmed int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'confirmed'`, e.ID).Scan(&confirmed); err != nil {
		return fmt.Errorf("store: places of %s: %w", e.ID, err)
	}
	for free := e.Capacity - confirmed; free > 0; free-- {
		next, err := tx.registration(ctx, `r.event_id = ? AND r.status = 'waitlisted' ORDER BY r.seq LIMIT 1`, e.ID)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: waiting list of %s: %w", e.ID, err)
		}
		if _, err := tx.exec(ctx, `UPDATE event_registrations SET status = 'confirmed', promoted_at = ?, updated_at = ?, notice_pending = ?,
			reminded_at = COALESCE(reminded_at, ?) WHERE id = ?`, tx.now, tx.now, notify == nil, tx.reminderSettled(e, true), next.ID); err != nil {
			return fmt.Errorf("store: move up %s: %w", next.ID, err)
		}
		if notify == nil {
			continue
		}
		next.Status, next.Position, next.Promoted = event.Confirmed, 0, &tx.now
		if err := tx.notice(ctx, notify, event.NoticePromoted, e, next); err != nil {
			return err
		}
	}
	return nil
}

// Unregister cancels a user's registration and gives the place on.
func (db *DB) Unregister(ctx context.Context, eventID, userID string, notify event.Notify) (event.Registration, error) {
	var out event.Registration
	err := db.inTx(ctx, func(tx *Tx) error {
		e, err := tx.lockedEvent(ctx, eventID)
		if err != nil {
			return err
		}
		r, err := tx.registration(ctx, "r.event_id = ? AND r.user_id = ?", eventID, userID)
		if err == nil && !r.Active() || isNotFound(err) {
			return apperr.New(apperr.NotFound, "event.error.not_registered")
		}
		if err != nil {
			return fmt.Errorf("store: registration: %w", err)
		}
		if e.Started(tx.now) {
			return apperr.New(apperr.Conflict, "event.error.started")
		}
		if err := tx.withdraw(ctx, r.ID); err != nil {
			return err
		}
		if r.Status == event.Confirmed && e.State == event.Published {
			if err := tx.fillPlaces(ctx, e, notify); err != nil {
				return err
			}
		}
		out, err = tx.registration(ctx, "r.id = ?", r.ID)
		return err
	})
	return out, err
}

func (tx *Tx) withdraw(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `UPDATE event_registrations SET status = 'cancelled', cancelled_at = ?, updated_at = ?, notice_pending = ? WHERE id = ?`,
		tx.now, tx.now, false, id); err != nil {
		return fmt.Errorf("store: cancel registration %s: %w", id, err)
	}
	return nil
}

// forgetEventRegistrations removes a user's registrations as the account
// is deleted; the places they held in events still to come go to the
// waiting list (the sweep mails those moved up).
func (tx *Tx) forgetEventRegistrations(ctx context.Context, userID string) error {
	ids, err := tx.strings(ctx, `SELECT r.event_id FROM event_registrations r JOIN events e ON e.id = r.event_id
		WHERE r.user_id = ? AND r.status = 'confirmed' AND e.state = 'published' AND e.starts_at > ? ORDER BY r.event_id`, userID, tx.now)
	if err != nil {
		return fmt.Errorf("store: registrations of %s: %w", userID, err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM event_registrations WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: delete registrations of %s: %w", userID, err)
	}
	for _, id := range ids {
		e, err := tx.lockedEvent(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.fillPlaces(ctx, e, nil); err != nil {
			return err
		}
	}
	return nil
}

// RegistrationOf returns a user's registration for an event.
func (db *DB) RegistrationOf(ctx context.Context, eventID, userID string) (event.Registration, error) {
	var out event.Registration
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.registration(ctx, "r.event_id = ? AND r.user_id = ?", eventID, userID)
		return err
	})
	if err != nil && !isNotFound(err) {
		return out, fmt.Errorf("store: registration: %w", err)
	}
	return out, err
}

// Registrations returns an event's active registrations.
func (db *DB) Registrations(ctx context.Context, eventID string) ([]event.Registration, error) {
	var out []event.Registration
	err := db.view(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.registrations(ctx, eventID)
		return err
	})
	return out, err
}

// UserRegistrations returns a user's registrations with their events.
func (db *DB) UserRegistrations(ctx context.Context, userID string) ([]event.Mine, error) {
	var out []event.Mine
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+regColumns+`, `+eventColumns+regFrom+` JOIN events e ON e.id = r.event_id
			LEFT JOIN organisations o ON o.id = e.org_id WHERE r.user_id = ? ORDER BY e.starts_at DESC, e.id`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m event.Mine
			e, err := scanEventAfter(rows, func(dest []any) ([]any, func() error) {
				var r event.Registration
				var status string
				var cancelled, reminded, promoted nullTime
				pre := []any{&r.ID, &r.EventID, &r.UserID, &r.Name, &r.Email, &r.Lang, &r.Organisation, &r.AccessNeeds, &status,
					&r.Position, &r.Created, &r.Updated, &cancelled, &reminded, &promoted}
				return append(pre, dest...), func() error {
					r.Status = event.Status(status)
					r.Created, r.Updated = r.Created.UTC(), r.Updated.UTC()
					r.Cancelled, r.Reminded, r.Promoted = cancelled.ptr(), reminded.ptr(), promoted.ptr()
					m.Registration = r
					return nil
				}
			})
			if err != nil {
				return err
			}
			m.Event = e
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: registrations of %s: %w", userID, err)
	}
	return out, nil
}

// scanEventAfter scans a row with leading columns before the event's:
// prefix returns the full destination list and what to do after the scan.
func scanEventAfter(sc interface{ Scan(...any) error }, prefix func(dest []any) ([]any, func() error)) (event.Event, error) {
	var done func() error
	e, err := scanEvent(scanFunc(func(dest ...any) error {
		all, after := prefix(dest)
		done = after
		return sc.Scan(all...)
	}))
	if err != nil {
		return e, err
	}
	return e, done()
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// DueNotices returns the reminders and owed move-up mails due now.
func (db *DB) DueNotices(ctx context.Context, from, to time.Time, limit int) ([]event.Due, error) {
	rows, err := db.query(ctx, `SELECT `+regColumns+`, CASE WHEN r.notice_pending = ? THEN 'promoted' ELSE 'reminder' END, `+eventColumns+regFrom+`
		JOIN events e ON e.id = r.event_id LEFT JOIN organisations o ON o.id = e.org_id
		WHERE r.status = 'confirmed' AND e.state = 'published' AND e.starts_at > ?
		AND (r.notice_pending = ? OR r.reminded_at IS NULL AND e.starts_at <= ?)
		ORDER BY e.starts_at, r.seq LIMIT `+strconv.Itoa(limit), true, from.UTC(), true, to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: due event mails: %w", err)
	}
	defer rows.Close()
	var out []event.Due
	for rows.Next() {
		var d event.Due
		e, err := scanEventAfter(rows, func(dest []any) ([]any, func() error) {
			var status, notice string
			var cancelled, reminded, promoted nullTime
			r := &d.Registration
			pre := []any{&r.ID, &r.EventID, &r.UserID, &r.Name, &r.Email, &r.Lang, &r.Organisation, &r.AccessNeeds, &status,
				&r.Position, &r.Created, &r.Updated, &cancelled, &reminded, &promoted, &notice}
			return append(pre, dest...), func() error {
				r.Status, d.Notice = event.Status(status), event.Notice(notice)
				r.Cancelled, r.Reminded, r.Promoted = cancelled.ptr(), reminded.ptr(), promoted.ptr()
				return nil
			}
		})
		if err != nil {
			return nil, fmt.Errorf("store: due event mails: %w", err)
		}
		d.Event = e
		out = append(out, d)
	}
	return out, rows.Err()
}

// MarkNotice records a reminder or an owed move-up mail with the mail,
// once.
func (db *DB) MarkNotice(ctx context.Context, regID string, n event.Notice, out mail.Outgoing) (bool, error) {
	q := `UPDATE event_registrations SET reminded_at = ? WHERE id = ? AND status = 'confirmed' AND reminded_at IS NULL AND notice_pending = ?`
	args := []any{time.Time{}, regID, false}
	if n == event.NoticePromoted {
		q = `UPDATE event_registrations SET notice_pending = ? WHERE id = ? AND status = 'confirmed' AND notice_pending = ?`
		args = []any{false, regID, true}
	} else if n != event.NoticeReminder {
		return false, fmt.Errorf("store: mark notice %s: not a sweep's notice", n)
	}
	marked := false
	err := db.inTx(ctx, func(tx *Tx) error {
		if n == event.NoticeReminder {
			args[0] = tx.now
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: mark notice %s: %w", regID, err)
		}
		if k, err := res.RowsAffected(); err != nil || k == 0 {
			return nil
		}
		marked = true
		return tx.addMail(ctx, out)
	})
	return marked, err
}
