package store

// This file: clarifying questions on needs, the providers a need
// concerns, and the match sweep's bookkeeping (package offer).

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/need"
	"github.com/smartregions/smartregions/internal/offer"
)

// AddQuestion stores a question (of a provider) or statement (of the owners).
func (db *DB) AddQuestion(ctx context.Context, q offer.Question, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO need_questions (id, need_id, org_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			q.ID, q.NeedID, nullable(q.OrgID), q.AuthorID, q.Text, tx.now); err != nil {
			return fmt.Errorf("store: need %s: question: %w", q.NeedID, err)
		}
		if q.OrgID != "" {
			if err := tx.respond(ctx, q.NeedID, q.OrgID, "question"); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

const questionColumns = `q.id, q.need_id, COALESCE(q.org_id, ''), COALESCE(o.name, ''), q.author_id, q.body, q.answer, q.answered_at, q.created_at`

func scanQuestion(sc interface{ Scan(...any) error }) (offer.Question, error) {
	var (
		q  offer.Question
		at sql.NullTime
	)
	if err := sc.Scan(&q.ID, &q.NeedID, &q.OrgID, &q.OrgName, &q.AuthorID, &q.Text, &q.Answer, &at, &q.Created); err != nil {
		return q, mapError(err)
	}
	q.Created = q.Created.UTC()
	if at.Valid {
		t := at.Time.UTC()
		q.AnsweredAt = &t
	}
	return q, nil
}

// AnswerQuestion stores the owners' answer to a provider's question.
func (db *DB) AnswerQuestion(ctx context.Context, needID, id, answer, by string, audit account.AuditEntry) (offer.Question, error) {
	var q offer.Question
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		q, err = scanQuestion(tx.queryRow(ctx, `SELECT `+questionColumns+` FROM need_questions q LEFT JOIN organisations o ON o.id = q.org_id
			WHERE q.id = ? AND q.need_id = ? AND q.org_id IS NOT NULL`, id, needID))
		if err != nil {
			if isNotFound(err) {
				return apperr.Wrap(err, apperr.NotFound, "offer.error.question")
			}
			return fmt.Errorf("store: question %s: %w", id, err)
		}
		res, err := tx.exec(ctx, `UPDATE need_questions SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND answered_at IS NULL`,
			answer, by, tx.now, id)
		if err != nil {
			return fmt.Errorf("store: answer question %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return apperr.New(apperr.Conflict, "offer.error.answered")
		}
		q.Answer, q.AnsweredAt = answer, &tx.now
		return tx.addAudit(ctx, audit)
	})
	return q, err
}

// Questions returns the questions and statements of a need, oldest first.
func (db *DB) Questions(ctx context.Context, needID string) ([]offer.Question, error) {
	rows, err := db.query(ctx, `SELECT `+questionColumns+` FROM need_questions q LEFT JOIN organisations o ON o.id = q.org_id
		WHERE q.need_id = ? ORDER BY q.created_at, q.id`, needID)
	if err != nil {
		return nil, fmt.Errorf("store: questions of %s: %w", needID, err)
	}
	defer rows.Close()
	out := []offer.Question{}
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, fmt.Errorf("store: questions of %s: %w", needID, err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// AudienceMembers returns the users of every provider a need concerns
// (matched by the sweep, or responded).
func (db *DB) AudienceMembers(ctx context.Context, needID string) ([]string, error) {
	return db.userIDs(ctx, `SELECT DISTINCT m.user_id FROM need_providers p JOIN memberships m ON m.org_id = p.org_id
		WHERE p.need_id = ? ORDER BY m.user_id`, needID)
}

// UnsweptNeeds returns open needs that providers see, changed since
// since, that the match sweep has not handled, oldest first.
func (db *DB) UnsweptNeeds(ctx context.Context, since time.Time, limit int) ([]need.Need, error) {
	var out []need.Need
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT n.id FROM needs n WHERE n.state = 'open' AND n.visibility IN ('public', 'providers')
			AND n.updated_at >= ? AND NOT EXISTS (SELECT 1 FROM need_match_runs r WHERE r.need_id = n.id)
			ORDER BY n.updated_at, n.id LIMIT `+strconv.Itoa(limit), since.UTC())
		if err != nil {
			return fmt.Errorf("store: unswept needs: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("store: unswept needs: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			n, err := tx.need(ctx, id)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// ClaimMatchRun records the sweep of a need and its matching providers;
// false when another sweep recorded it first.
func (db *DB) ClaimMatchRun(ctx context.Context, needID string, orgIDs []string) (bool, error) {
	claimed := false
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO need_match_runs (need_id, providers, created_at) VALUES (?, ?, ?) ON CONFLICT (need_id) DO NOTHING`,
			needID, len(orgIDs), tx.now)
		if err != nil {
			return fmt.Errorf("store: match run %s: %w", needID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return nil
		}
		claimed = true
		for _, id := range orgIDs {
			if err := tx.respond(ctx, needID, id, "match"); err != nil {
				return err
			}
		}
		return nil
	})
	return claimed, err
}

// PendingNotices returns matched providers whose members were not
// notified yet.
func (db *DB) PendingNotices(ctx context.Context, limit int) ([]offer.Notice, error) {
	rows, err := db.query(ctx, `SELECT p.need_id, n.slug, n.title, p.org_id FROM need_providers p JOIN needs n ON n.id = p.need_id
		WHERE p.via = 'match' AND p.notified_at IS NULL ORDER BY p.created_at, p.need_id, p.org_id LIMIT `+strconv.Itoa(limit))
	if err != nil {
		return nil, fmt.Errorf("store: pending notices: %w", err)
	}
	defer rows.Close()
	var out []offer.Notice
	for rows.Next() {
		var no offer.Notice
		if err := rows.Scan(&no.NeedID, &no.NeedSlug, &no.NeedTitle, &no.OrgID); err != nil {
			return nil, fmt.Errorf("store: pending notices: %w", err)
		}
		out = append(out, no)
	}
	return out, rows.Err()
}

// ClaimNotice marks a notice sent; false when another sweep did.
func (db *DB) ClaimNotice(ctx context.Context, needID, orgID string) (bool, error) {
	claimed := false
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE need_providers SET notified_at = ? WHERE need_id = ? AND org_id = ? AND notified_at IS NULL`, tx.now, needID, orgID)
		if err != nil {
			return fmt.Errorf("store: notice %s/%s: %w", needID, orgID, err)
		}
		n, err := res.RowsAffected()
		claimed = err == nil && n == 1
		return err
	})
	return claimed, err
}
