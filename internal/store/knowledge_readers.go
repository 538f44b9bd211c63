package store

// This file: the knowledge base's attachments, readers' votes and
// correction suggestions, the outdated sweep and a user's export.

import (
	"context"
	"fmt"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/knowledge"
	"github.com/smartregions/smartregions/internal/mail"
)

// ArticleAttachments lists the files of an article without their data.
func (db *DB) ArticleAttachments(ctx context.Context, id string) ([]knowledge.Attachment, error) {
	rows, err := db.query(ctx, `SELECT id, article_id, name, mime_type, size, created_at FROM knowledge_attachments
		WHERE article_id = ? ORDER BY created_at, name`, id)
	if err != nil {
		return nil, fmt.Errorf("store: attachments of article %s: %w", id, err)
	}
	defer rows.Close()
	var list []knowledge.Attachment
	for rows.Next() {
		var f knowledge.Attachment
		if err := rows.Scan(&f.ID, &f.ArticleID, &f.Name, &f.Type, &f.Size, &f.Created); err != nil {
			return nil, fmt.Errorf("store: attachments of article %s: %w", id, mapError(err))
		}
		f.Created = f.Created.UTC()
		list = append(list, f)
	}
	return list, rows.Err()
}

// AddArticleAttachments stores files unless the article would have more
// than knowledge.MaxFiles.
func (db *DB) AddArticleAttachments(ctx context.Context, id string, files []knowledge.Attachment, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM knowledge_attachments WHERE article_id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("store: count attachments of %s: %w", id, mapError(err))
		}
		if n+len(files) > knowledge.MaxFiles {
			var v apperr.Validation
			v.Add("files", "knowledge.error.files", "Max", knowledge.MaxFiles)
			return v.Err()
		}
		for _, f := range files {
			if _, err := tx.exec(ctx, `INSERT INTO knowledge_attachments (id, article_id, name, mime_type, size, data, uploaded_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.ID, id, f.Name, f.Type, f.Size, f.Data, nullable(audit.ActorID), tx.now); err != nil {
				return fmt.Errorf("store: attachment of %s: %w", id, err)
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

// ArticleAttachment returns a file with its data.
func (db *DB) ArticleAttachment(ctx context.Context, articleID, id string) (knowledge.Attachment, error) {
	var f knowledge.Attachment
	err := db.queryRow(ctx, `SELECT id, article_id, name, mime_type, size, data, created_at FROM knowledge_attachments
		WHERE article_id = ? AND id = ?`, articleID, id).Scan(&f.ID, &f.ArticleID, &f.Name, &f.Type, &f.Size, &f.Data, &f.Created)
	if err != nil {
		return f, fmt.Errorf("store: attachment %s of %s: %w", id, articleID, mapError(err))
	}
	return f, nil
}

// RateArticle records or replaces a user's vote.
func (db *DB) RateArticle(ctx context.Context, articleID, userID string, helpful bool) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO knowledge_ratings (article_id, user_id, helpful, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id, user_id) DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at`,
			articleID, userID, helpful, tx.now); err != nil {
			return fmt.Errorf("store: rate article %s: %w", articleID, err)
		}
		return nil
	})
}

// ArticleRating returns a user's vote, nil when none.
func (db *DB) ArticleRating(ctx context.Context, articleID, userID string) (*bool, error) {
	var helpful bool
	err := db.queryRow(ctx, `SELECT helpful FROM knowledge_ratings WHERE article_id = ? AND user_id = ?`, articleID, userID).Scan(&helpful)
	if err != nil {
		if err = mapError(err); apperr.Is(err, apperr.NotFound) {
			return nil, nil
		}
		return nil, fmt.Errorf("store: rating of %s: %w", articleID, err)
	}
	return &helpful, nil
}

// AddSuggestion stores a correction suggestion.
func (db *DB) AddSuggestion(ctx context.Context, sg knowledge.Suggestion) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO knowledge_suggestions (id, article_id, user_id, body, state, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			sg.ID, sg.ArticleID, sg.User.ID, sg.Body, string(knowledge.Open), tx.now); err != nil {
			return fmt.Errorf("store: suggestion on %s: %w", sg.ArticleID, err)
		}
		return nil
	})
}

const suggestionColumns = `s.id, s.article_id, a.slug, COALESCE(v.title, a.title), COALESCE(a.owner_id, ''), COALESCE(uo.name, ''),
	s.user_id, COALESCE(u.name, ''), COALESCE(u.email, ''), COALESCE(u.lang, ''), s.body, s.state, s.note,
	COALESCE(s.decided_by, ''), COALESCE(ud.name, ''), s.created_at, s.decided_at
	FROM knowledge_suggestions s JOIN knowledge_articles a ON a.id = s.article_id
	LEFT JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published
	LEFT JOIN users uo ON uo.id = a.owner_id LEFT JOIN users u ON u.id = s.user_id LEFT JOIN users ud ON ud.id = s.decided_by`

func scanSuggestion(sc interface{ Scan(...any) error }) (knowledge.Suggestion, error) {
	var (
		sg      knowledge.Suggestion
		st      string
		decided nullTime
	)
	if err := sc.Scan(&sg.ID, &sg.ArticleID, &sg.Slug, &sg.Title, &sg.Owner.ID, &sg.Owner.Name, &sg.User.ID, &sg.User.Name,
		&sg.User.Email, &sg.User.Lang, &sg.Body, &st, &sg.Note, &sg.DecidedBy.ID, &sg.DecidedBy.Name, &sg.Created, &decided); err != nil {
		return sg, mapError(err)
	}
	sg.State, sg.Created, sg.Decided = knowledge.SuggestionState(st), sg.Created.UTC(), decided.ptr()
	return sg, nil
}

// Suggestions returns suggestions of the articles of ownerID ("" for
// all), open ones first, newest first.
func (db *DB) Suggestions(ctx context.Context, ownerID string, limit int) ([]knowledge.Suggestion, error) {
	q, args := `SELECT `+suggestionColumns, []any{}
	if ownerID != "" {
		q += ` WHERE a.owner_id = ?`
		args = append(args, ownerID)
	}
	rows, err := db.query(ctx, q+` ORDER BY CASE WHEN s.state = 'open' THEN 0 ELSE 1 END, s.created_at DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: suggestions: %w", err)
	}
	defer rows.Close()
	var list []knowledge.Suggestion
	for rows.Next() {
		sg, err := scanSuggestion(rows)
		if err != nil {
			return nil, fmt.Errorf("store: suggestions: %w", err)
		}
		list = append(list, sg)
	}
	return list, rows.Err()
}

// Suggestion returns one suggestion.
func (db *DB) Suggestion(ctx context.Context, id string) (knowledge.Suggestion, error) {
	sg, err := scanSuggestion(db.queryRow(ctx, `SELECT `+suggestionColumns+` WHERE s.id = ?`, id))
	if err != nil {
		return sg, fmt.Errorf("store: suggestion %s: %w", id, err)
	}
	return sg, nil
}

// DecideSuggestion closes an open suggestion with its mail and audit entry.
func (db *DB) DecideSuggestion(ctx context.Context, sg knowledge.Suggestion, m *mail.Outgoing, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE knowledge_suggestions SET state = ?, note = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = ?`,
			string(sg.State), sg.Note, nullable(sg.DecidedBy.ID), tx.now, sg.ID, string(knowledge.Open))
		if err != nil {
			return fmt.Errorf("store: decide suggestion %s: %w", sg.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "knowledge.error.decided")
		}
		if m != nil {
			if err := tx.addMail(ctx, *m); err != nil {
				return err
			}
		}
		return tx.addAudit(ctx, audit)
	})
}

// OutdatedArticles returns published articles last checked before
// checkedBefore and not reminded since remindedBefore.
func (db *DB) OutdatedArticles(ctx context.Context, checkedBefore, remindedBefore time.Time) ([]knowledge.Article, error) {
	list, err := db.scanArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.published > 0 AND a.last_checked < ?
		AND (a.reminded_at IS NULL OR a.reminded_at < ?) ORDER BY a.last_checked LIMIT 500`,
		checkedBefore.UTC().Format(time.DateOnly), remindedBefore.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: outdated articles: %w", err)
	}
	return list, nil
}

// RemindArticle records a reminder with its mail unless another run did
// since remindedBefore.
func (db *DB) RemindArticle(ctx context.Context, r knowledge.Reminder, remindedBefore time.Time) (bool, error) {
	done := false
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE knowledge_articles SET reminded_at = ? WHERE id = ? AND (reminded_at IS NULL OR reminded_at < ?)`,
			r.At.UTC(), r.ArticleID, remindedBefore.UTC())
		if err != nil {
			return fmt.Errorf("store: remind article %s: %w", r.ArticleID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		done = true
		return tx.addMail(ctx, r.Mail)
	})
	return done, err
}

// UserKnowledge returns a user's votes and suggestions.
func (db *DB) UserKnowledge(ctx context.Context, userID string) ([]knowledge.ExportRating, []knowledge.ExportSuggestion, error) {
	rows, err := db.query(ctx, `SELECT a.slug, r.helpful, r.updated_at FROM knowledge_ratings r JOIN knowledge_articles a ON a.id = r.article_id
		WHERE r.user_id = ? ORDER BY r.updated_at`, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: knowledge ratings of %s: %w", userID, err)
	}
	defer rows.Close()
	var ratings []knowledge.ExportRating
	for rows.Next() {
		var r knowledge.ExportRating
		if err := rows.Scan(&r.Article, &r.Helpful, &r.At); err != nil {
			return nil, nil, fmt.Errorf("store: knowledge ratings of %s: %w", userID, mapError(err))
		}
		r.At = r.At.UTC()
		ratings = append(ratings, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows2, err := db.query(ctx, `SELECT a.slug, s.body, s.state, s.note, s.created_at FROM knowledge_suggestions s
		JOIN knowledge_articles a ON a.id = s.article_id WHERE s.user_id = ? ORDER BY s.created_at`, userID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: knowledge suggestions of %s: %w", userID, err)
	}
	defer rows2.Close()
	var suggestions []knowledge.ExportSuggestion
	for rows2.Next() {
		var s knowledge.ExportSuggestion
		if err := rows2.Scan(&s.Article, &s.Body, &s.State, &s.Note, &s.At); err != nil {
			return nil, nil, fmt.Errorf("store: knowledge suggestions of %s: %w", userID, mapError(err))
		}
		s.At = s.At.UTC()
		suggestions = append(suggestions, s)
	}
	return ratings, suggestions, rows2.Err()
}
