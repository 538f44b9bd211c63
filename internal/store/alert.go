package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/alert"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/notify"
)

// Saved searches of the catalogue and their mails (package alert).

const savedSearchColumns = `s.id, s.user_id, s.name, s.query, s.lang, s.paused, s.runs, s.created_at, s.last_run, s.last_sent`

func scanSavedSearch(sc interface{ Scan(...any) error }, extra ...any) (alert.SavedSearch, error) {
	var (
		ss             alert.SavedSearch
		lastRun, lastS nullTime
	)
	dest := append([]any{&ss.ID, &ss.UserID, &ss.Name, &ss.Query, &ss.Lang, &ss.Paused, &ss.Runs, &ss.Created, &lastRun, &lastS}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return ss, err
	}
	ss.Created, ss.LastRun, ss.LastSent = ss.Created.UTC(), lastRun.ptr(), lastS.ptr()
	return ss, nil
}

// CreateSavedSearch stores s unless its user has max searches already
// (apperr.Conflict "saved.error.limit").
func (db *DB) CreateSavedSearch(ctx context.Context, s alert.SavedSearch, max int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM saved_searches WHERE user_id = ?`, s.UserID).Scan(&n); err != nil {
			return fmt.Errorf("store: count saved searches: %w", mapError(err))
		}
		if n >= max {
			return apperr.New(apperr.Conflict, "saved.error.limit", "Max", max)
		}
		_, err := tx.exec(ctx, `INSERT INTO saved_searches (id, user_id, name, query, lang, paused, runs, created_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?)`, s.ID, s.UserID, s.Name, s.Query, s.Lang, s.Paused, tx.now)
		if err != nil {
			return fmt.Errorf("store: save search %s: %w", s.ID, err)
		}
		return nil
	})
}

func (db *DB) savedSearches(ctx context.Context, where string, args ...any) ([]alert.SavedSearch, error) {
	rows, err := db.query(ctx, `SELECT `+savedSearchColumns+` FROM saved_searches s WHERE `+where+` ORDER BY s.created_at, s.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []alert.SavedSearch{}
	for rows.Next() {
		ss, err := scanSavedSearch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// SavedSearches lists a user's searches, oldest first.
func (db *DB) SavedSearches(ctx context.Context, userID string) ([]alert.SavedSearch, error) {
	out, err := db.savedSearches(ctx, `s.user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: saved searches of %s: %w", userID, err)
	}
	return out, nil
}

// SavedSearch returns the search id of the user userID; apperr.NotFound.
func (db *DB) SavedSearch(ctx context.Context, userID, id string) (alert.SavedSearch, error) {
	ss, err := scanSavedSearch(db.queryRow(ctx, `SELECT `+savedSearchColumns+` FROM saved_searches s WHERE s.id = ? AND s.user_id = ?`, id, userID))
	if err != nil {
		return ss, fmt.Errorf("store: saved search %s: %w", id, mapError(err))
	}
	return ss, nil
}

// changed returns apperr.NotFound when an update or delete met no row.
func changed(res interface{ RowsAffected() (int64, error) }, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "error.not_found")
	}
	return nil
}

// DeleteSavedSearch deletes the user's search id and returns it;
// apperr.NotFound.
func (db *DB) DeleteSavedSearch(ctx context.Context, userID, id string) (alert.SavedSearch, error) {
	var ss alert.SavedSearch
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		ss, err = scanSavedSearch(tx.queryRow(ctx, `SELECT `+savedSearchColumns+` FROM saved_searches s WHERE s.id = ? AND s.user_id = ?`, id, userID))
		if err != nil {
			return mapError(err)
		}
		_, err = tx.exec(ctx, `DELETE FROM saved_searches WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return ss, fmt.Errorf("store: delete saved search %s: %w", id, err)
	}
	return ss, nil
}

// PauseSavedSearch stops or resumes the mails of the user's search id; a
// search that resumes starts over from now. apperr.NotFound.
func (db *DB) PauseSavedSearch(ctx context.Context, userID, id string, paused bool) error {
	return db.inTx(ctx, func(tx *Tx) error {
		q := `UPDATE saved_searches SET paused = ? WHERE id = ? AND user_id = ?`
		args := []any{true, id, userID}
		if !paused {
			q = `UPDATE saved_searches SET paused = ?, last_run = CASE WHEN paused THEN ? ELSE last_run END,
				runs = runs + CASE WHEN paused THEN 1 ELSE 0 END
				WHERE id = ? AND user_id = ?`
			args = []any{false, tx.now, id, userID}
		}
		res, err := tx.exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: pause saved search %s: %w", id, err)
		}
		return changed(res, "pause saved search "+id)
	})
}

const byToken = ` FROM saved_searches s JOIN saved_search_tokens t ON t.search_id = s.id WHERE t.token_hash = ?`

// SavedSearchByToken returns the search of an unsubscribe token's hash;
// apperr.NotFound.
func (db *DB) SavedSearchByToken(ctx context.Context, hash string) (alert.SavedSearch, error) {
	ss, err := scanSavedSearch(db.queryRow(ctx, `SELECT `+savedSearchColumns+byToken, hash))
	if err != nil {
		return ss, fmt.Errorf("store: saved search by token: %w", mapError(err))
	}
	return ss, nil
}

// UnsubscribeSavedSearch pauses the search of an unsubscribe token's
// hash; apperr.NotFound.
func (db *DB) UnsubscribeSavedSearch(ctx context.Context, hash string) (alert.SavedSearch, error) {
	var ss alert.SavedSearch
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		if ss, err = scanSavedSearch(tx.queryRow(ctx, `SELECT `+savedSearchColumns+byToken, hash)); err != nil {
			return mapError(err)
		}
		if _, err := tx.exec(ctx, `UPDATE saved_searches SET paused = ? WHERE id = ?`, true, ss.ID); err != nil {
			return err
		}
		ss.Paused = true
		return nil
	})
	if err != nil {
		return ss, fmt.Errorf("store: unsubscribe saved search: %w", err)
	}
	return ss, nil
}

// dueSearch is the condition of a search the sweep runs.
const dueSearch = `s.paused = ? AND (s.last_run IS NULL OR s.last_run <= ?)`

// DueAlertUsers returns up to limit ids of users after after, in order,
// with a confirmed address and a search that is due (not paused, not run
// since before).
func (db *DB) DueAlertUsers(ctx context.Context, before time.Time, after string, limit int) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT s.user_id FROM saved_searches s JOIN users u ON u.id = s.user_id
		WHERE `+dueSearch+` AND u.email_confirmed_at IS NOT NULL AND s.user_id > ? ORDER BY s.user_id LIMIT ?`,
		false, before.UTC(), after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: due alert users: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: due alert users: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DueSavedSearches returns the user's due searches with the user's
// address and language; none without a confirmed address.
func (db *DB) DueSavedSearches(ctx context.Context, userID string, before time.Time) (alert.Recipient, []alert.SavedSearch, error) {
	to := alert.Recipient{UserID: userID}
	var confirmed nullTime
	err := db.queryRow(ctx, `SELECT email, lang, email_confirmed_at FROM users WHERE id = ?`, userID).Scan(&to.Email, &to.Lang, &confirmed)
	if isNotFound(mapError(err)) {
		return to, nil, nil
	}
	if err != nil {
		return to, nil, fmt.Errorf("store: due saved searches of %s: %w", userID, err)
	}
	if !confirmed.Valid {
		return to, nil, nil
	}
	due, err := db.savedSearches(ctx, `s.user_id = ? AND `+dueSearch, userID, false, before.UTC())
	if err != nil {
		return to, nil, fmt.Errorf("store: due saved searches of %s: %w", userID, err)
	}
	return to, due, nil
}

// NewlyPublished returns the published, not archived solutions whose
// first published version was published after since and not after until.
// A version that was published is "published" or, after a newer one,
// "superseded"; its decided_at is the time of publication.
func (db *DB) NewlyPublished(ctx context.Context, since, until time.Time) ([]alert.Published, error) {
	rows, err := db.query(ctx, `SELECT s.id, s.created_at, v.decided_at FROM solutions s
		JOIN solution_versions v ON v.solution_id = s.id AND v.state IN ('published', 'superseded')
		WHERE s.published_version IS NOT NULL AND s.archived_at IS NULL AND v.decided_at > ? AND v.decided_at <= ?
		AND NOT EXISTS (SELECT 1 FROM solution_versions w WHERE w.solution_id = s.id AND w.state IN ('published', 'superseded')
			AND (w.decided_at < v.decided_at OR w.decided_at = v.decided_at AND w.number < v.number))
		ORDER BY s.created_at DESC, s.id`, since.UTC(), until.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: newly published: %w", err)
	}
	defer rows.Close()
	var out []alert.Published
	for rows.Next() {
		var p alert.Published
		if err := rows.Scan(&p.ID, &p.Created, &p.First); err != nil {
			return nil, fmt.Errorf("store: newly published: %w", err)
		}
		p.Created, p.First = p.Created.UTC(), p.First.UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

// addRunMail stores the notification of a run's new matches and its
// mail, unless the user turned the mail of saved-search matches off: the
// sweep's mail is already daily, so there is no digest of this kind.
func (tx *Tx) addRunMail(ctx context.Context, r alert.Run) error {
	mailIt := r.Mail != nil
	if r.Notice != nil {
		choice, err := tx.mailChoice(ctx, r.UserID, notify.KindAlertMatches, notify.DefaultFor(notify.KindAlertMatches))
		if err != nil {
			return fmt.Errorf("mail choice: %w", err)
		}
		mailIt = mailIt && choice != notify.Off
		if err := tx.insertNotification(ctx, *r.Notice, mailIt, false); err != nil {
			return fmt.Errorf("notification: %w", err)
		}
	}
	if mailIt {
		return tx.addMail(ctx, *r.Mail)
	}
	return nil
}

// errRunTaken rolls back a run that another sweep recorded first.
var errRunTaken = errors.New("store: run recorded by another sweep")

// RecordRun records a run of a user's searches at r.At with its mail in
// one transaction; false, storing nothing, when another sweep ran one of the
// searches first or the user got a mail after r.MailedAfter.
func (db *DB) RecordRun(ctx context.Context, r alert.Run) (bool, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		if r.Mail != nil {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM saved_searches WHERE user_id = ? AND last_sent > ?`,
				r.UserID, r.MailedAfter.UTC()).Scan(&n); err != nil {
				return mapError(err)
			}
			if n > 0 {
				return errRunTaken
			}
		}
		sent := map[string]bool{}
		for _, id := range r.Sent {
			sent[id] = true
		}
		for id, runs := range r.Runs {
			q := `UPDATE saved_searches SET runs = runs + 1, last_run = ? WHERE id = ? AND user_id = ? AND runs = ?`
			args := []any{r.At.UTC(), id, r.UserID, runs}
			if sent[id] {
				q = `UPDATE saved_searches SET runs = runs + 1, last_run = ?, last_sent = ? WHERE id = ? AND user_id = ? AND runs = ?`
				args = []any{r.At.UTC(), r.At.UTC(), id, r.UserID, runs}
			}
			res, err := tx.exec(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("run %s: %w", id, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("run %s: %w", id, err)
			}
			if n == 0 {
				return errRunTaken
			}
		}
		for id, hash := range r.Tokens {
			if _, err := tx.exec(ctx, `INSERT INTO saved_search_tokens (token_hash, search_id, created_at) VALUES (?, ?, ?)`,
				hash, id, tx.now); err != nil {
				return fmt.Errorf("token of %s: %w", id, err)
			}
		}
		if !r.PruneBefore.IsZero() {
			if _, err := tx.exec(ctx, `DELETE FROM saved_search_tokens WHERE created_at < ?`, r.PruneBefore.UTC()); err != nil {
				return fmt.Errorf("prune tokens: %w", err)
			}
		}
		return tx.addRunMail(ctx, r)
	})
	if errors.Is(err, errRunTaken) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: record run of %s: %w", r.UserID, err)
	}
	return true, nil
}
