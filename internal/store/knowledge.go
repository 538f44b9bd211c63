package store

// This file: the articles of the knowledge base (package knowledge) with
// their published versions. Attachments, votes, suggestions and the
// outdated sweep are in knowledge_readers.go.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/knowledge"
)

// articleColumns are read by scanArticle; the published version's columns
// are empty when there is none. Deleted accounts leave NULL ids, read "".
const articleColumns = `a.id, a.slug, COALESCE(a.owner_id, ''), COALESCE(uo.name, ''), COALESCE(uo.email, ''), COALESCE(uo.lang, ''),
	a.state, a.kind, a.title, a.summary, a.body, a.fields, a.solutions, a.related, COALESCE(a.editor_id, ''), COALESCE(ue.name, ''),
	a.authors, a.review_note, a.lock_version, a.published, a.last_checked, a.reminded_at, a.created_at, a.updated_at,
	COALESCE(v.kind, ''), COALESCE(v.title, ''), COALESCE(v.summary, ''), COALESCE(v.body, ''), COALESCE(v.fields, ','),
	COALESCE(v.solutions, ','), COALESCE(v.related, ','), COALESCE(v.author_id, ''), COALESCE(uv.name, ''), COALESCE(v.reviewer_id, ''),
	COALESCE(ur.name, ''), COALESCE(v.comment, ''), v.published_at,
	(SELECT COUNT(*) FROM knowledge_ratings r WHERE r.article_id = a.id AND r.helpful = TRUE),
	(SELECT COUNT(*) FROM knowledge_ratings r WHERE r.article_id = a.id AND r.helpful = FALSE)`

const articleFrom = ` FROM knowledge_articles a
	LEFT JOIN users uo ON uo.id = a.owner_id LEFT JOIN users ue ON ue.id = a.editor_id
	LEFT JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published
	LEFT JOIN users uv ON uv.id = v.author_id LEFT JOIN users ur ON ur.id = v.reviewer_id`

// joinKeys stores a list as ",a,b," so that LIKE '%,a,%' finds a key.
func joinKeys(list []string) string { return "," + strings.Join(list, ",") + "," }

func splitKeys(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

func scanArticle(sc interface{ Scan(...any) error }) (knowledge.Article, error) {
	var (
		a                                    knowledge.Article
		st, kind, fields, sols, rel, authors string
		checked                              string
		reminded, pubAt                      nullTime
		v                                    knowledge.Version
		vKind, vFields, vSols, vRel          string
	)
	err := sc.Scan(&a.ID, &a.Slug, &a.Owner.ID, &a.Owner.Name, &a.Owner.Email, &a.Owner.Lang,
		&st, &kind, &a.Working.Title, &a.Working.Summary, &a.Working.Body, &fields, &sols, &rel, &a.Editor.ID, &a.Editor.Name,
		&authors, &a.ReviewNote, &a.Lock, &v.Number, &checked, &reminded, &a.Created, &a.Updated,
		&vKind, &v.Title, &v.Summary, &v.Body, &vFields, &vSols, &vRel, &v.Author.ID, &v.Author.Name, &v.Reviewer.ID,
		&v.Reviewer.Name, &v.Comment, &pubAt, &a.Helpful, &a.NotHelpful)
	if err != nil {
		return a, mapError(err)
	}
	a.State, a.Working.Kind = knowledge.State(st), knowledge.Kind(kind)
	a.Working.Fields, a.Working.Solutions, a.Working.Related = splitKeys(fields), splitKeys(sols), splitKeys(rel)
	a.Authors = splitKeys(authors)
	a.LastChecked, _ = time.Parse(time.DateOnly, checked)
	a.RemindedAt = reminded.ptr()
	a.Created, a.Updated = a.Created.UTC(), a.Updated.UTC()
	if v.Number > 0 && pubAt.Valid {
		v.Kind, v.Fields, v.Solutions, v.Related = knowledge.Kind(vKind), splitKeys(vFields), splitKeys(vSols), splitKeys(vRel)
		v.At = pubAt.Time.UTC()
		a.Published = &v
	}
	return a, nil
}

func (db *DB) scanArticles(ctx context.Context, q string, args ...any) ([]knowledge.Article, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []knowledge.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// CreateArticle stores a new article; the slug gets a number when taken.
func (db *DB) CreateArticle(ctx context.Context, a knowledge.Article, audit account.AuditEntry) (knowledge.Article, error) {
	var out knowledge.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.uniqueSlug(ctx, "knowledge_articles", a.Slug)
		if err != nil {
			return fmt.Errorf("store: article slug: %w", err)
		}
		c := a.Working
		if _, err := tx.exec(ctx, `INSERT INTO knowledge_articles (id, slug, owner_id, state, kind, title, summary, body, fields, solutions,
			related, editor_id, authors, review_note, lock_version, published, last_checked, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, 0, ?, ?, ?)`,
			a.ID, slug, nullable(a.Owner.ID), string(a.State), string(c.Kind), c.Title, c.Summary, c.Body, joinKeys(c.Fields),
			joinKeys(c.Solutions), joinKeys(c.Related), nullable(a.Editor.ID), joinKeys(a.Authors), a.LastChecked.Format(time.DateOnly),
			tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create article: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = scanArticle(tx.queryRow(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.id = ?`, a.ID))
		return err
	})
	return out, err
}

// Article returns an article by slug.
func (db *DB) Article(ctx context.Context, slug string) (knowledge.Article, error) {
	a, err := scanArticle(db.queryRow(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.slug = ?`, slug))
	if err != nil {
		return a, fmt.Errorf("store: article %s: %w", slug, err)
	}
	return a, nil
}

// Articles returns a page of published articles, newest checked first.
func (db *DB) Articles(ctx context.Context, q knowledge.Query) (knowledge.Page, error) {
	where := ` WHERE a.published > 0`
	var args []any
	if q.Kind != "" {
		where += ` AND v.kind = ?`
		args = append(args, string(q.Kind))
	}
	if q.Field != "" {
		// a parent field finds its children too ("mobility" finds "mobility.parking")
		where += ` AND (v.fields LIKE ? ESCAPE '\' OR v.fields LIKE ? ESCAPE '\')`
		args = append(args, "%,"+escapeLike(q.Field)+",%", "%,"+escapeLike(q.Field)+".%")
	}
	var p knowledge.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+articleFrom+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count articles: %w", mapError(err))
	}
	list, err := db.scanArticles(ctx, `SELECT `+articleColumns+articleFrom+where+` ORDER BY a.last_checked DESC, v.title, a.id LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return p, fmt.Errorf("store: articles: %w", err)
	}
	p.Items = list
	return p, nil
}

// ArticlesForSolution returns the published articles that link to a solution.
func (db *DB) ArticlesForSolution(ctx context.Context, solutionSlug string) ([]knowledge.Article, error) {
	list, err := db.scanArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.published > 0 AND v.solutions LIKE ? ESCAPE '\'
		ORDER BY a.last_checked DESC, v.title LIMIT 20`, "%,"+escapeLike(solutionSlug)+",%")
	if err != nil {
		return nil, fmt.Errorf("store: articles of solution %s: %w", solutionSlug, err)
	}
	return list, nil
}

// WorkingArticles returns the articles whose working version is not the
// published one, submitted first.
func (db *DB) WorkingArticles(ctx context.Context, limit int) ([]knowledge.Article, error) {
	list, err := db.scanArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.state <> 'published'
		ORDER BY CASE WHEN a.state = 'submitted' THEN 0 ELSE 1 END, a.updated_at DESC, a.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: articles in work: %w", err)
	}
	return list, nil
}

// SaveArticle writes the working version when lock and state still match.
func (db *DB) SaveArticle(ctx context.Context, a knowledge.Article, from knowledge.State, audit account.AuditEntry) (knowledge.Article, error) {
	var out knowledge.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		c := a.Working
		res, err := tx.exec(ctx, `UPDATE knowledge_articles SET owner_id = ?, state = ?, kind = ?, title = ?, summary = ?, body = ?,
			fields = ?, solutions = ?, related = ?, editor_id = ?, authors = ?, review_note = ?, lock_version = lock_version + 1, updated_at = ?
			WHERE id = ? AND lock_version = ? AND state = ?`,
			nullable(a.Owner.ID), string(a.State), string(c.Kind), c.Title, c.Summary, c.Body, joinKeys(c.Fields), joinKeys(c.Solutions),
			joinKeys(c.Related), nullable(a.Editor.ID), joinKeys(a.Authors), a.ReviewNote, tx.now, a.ID, a.Lock, string(from))
		if err != nil {
			return fmt.Errorf("store: save article %s: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "knowledge.error.conflict")
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = scanArticle(tx.queryRow(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.id = ?`, a.ID))
		return err
	})
	return out, err
}

// PublishArticle adds the version and makes it the published one; the
// list of authors starts afresh and the article counts as checked today.
func (db *DB) PublishArticle(ctx context.Context, p knowledge.Publication) error {
	return db.inTx(ctx, func(tx *Tx) error {
		v := p.Version
		res, err := tx.exec(ctx, `UPDATE knowledge_articles SET state = ?, published = ?, authors = ',', review_note = '',
			last_checked = ?, reminded_at = NULL, lock_version = lock_version + 1, updated_at = ?
			WHERE id = ? AND lock_version = ? AND state = ?`, string(knowledge.Published), v.Number, p.Checked.Format(time.DateOnly),
			tx.now, p.ArticleID, p.Lock, string(knowledge.Submitted))
		if err != nil {
			return fmt.Errorf("store: publish article %s: %w", p.ArticleID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "knowledge.error.conflict")
		}
		if _, err := tx.exec(ctx, `INSERT INTO knowledge_versions (article_id, version, kind, title, summary, body, fields, solutions,
			related, author_id, reviewer_id, comment, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ArticleID, v.Number, string(v.Kind), v.Title, v.Summary, v.Body, joinKeys(v.Fields), joinKeys(v.Solutions),
			joinKeys(v.Related), nullable(v.Author.ID), nullable(v.Reviewer.ID), v.Comment, v.At.UTC()); err != nil {
			return fmt.Errorf("store: article version %s/%d: %w", p.ArticleID, v.Number, err)
		}
		if err := tx.indexArticle(ctx, p.ArticleID); err != nil { // centre_docs.go
			return err
		}
		return tx.addAudit(ctx, p.Audit)
	})
}

// CheckArticle sets the day an article was last checked.
func (db *DB) CheckArticle(ctx context.Context, id string, day time.Time, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE knowledge_articles SET last_checked = ?, reminded_at = NULL WHERE id = ?`, day.Format(time.DateOnly), id)
		if err != nil {
			return fmt.Errorf("store: check article %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.NotFound, "knowledge.error.not_found")
		}
		return tx.addAudit(ctx, audit)
	})
}

// ArticleVersions returns the published versions, newest first.
func (db *DB) ArticleVersions(ctx context.Context, id string) ([]knowledge.Version, error) {
	rows, err := db.query(ctx, `SELECT v.version, v.kind, v.title, v.summary, v.body, v.fields, v.solutions, v.related,
		COALESCE(v.author_id, ''), COALESCE(ua.name, ''), COALESCE(v.reviewer_id, ''), COALESCE(ur.name, ''), v.comment, v.published_at
		FROM knowledge_versions v LEFT JOIN users ua ON ua.id = v.author_id LEFT JOIN users ur ON ur.id = v.reviewer_id
		WHERE v.article_id = ? ORDER BY v.version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("store: versions of article %s: %w", id, err)
	}
	defer rows.Close()
	var list []knowledge.Version
	for rows.Next() {
		var (
			v                       knowledge.Version
			kind, fields, sols, rel string
		)
		if err := rows.Scan(&v.Number, &kind, &v.Title, &v.Summary, &v.Body, &fields, &sols, &rel, &v.Author.ID, &v.Author.Name,
			&v.Reviewer.ID, &v.Reviewer.Name, &v.Comment, &v.At); err != nil {
			return nil, fmt.Errorf("store: versions of article %s: %w", id, mapError(err))
		}
		v.Kind, v.Fields, v.Solutions, v.Related, v.At = knowledge.Kind(kind), splitKeys(fields), splitKeys(sols), splitKeys(rel), v.At.UTC()
		list = append(list, v)
	}
	return list, rows.Err()
}

// inList returns "(?, ?, …)" and the arguments of list.
func inList(list []string) (string, []any) {
	args := make([]any, len(list))
	for i, s := range list {
		args[i] = s
	}
	return placeholders(1, len(list)), args
}

// KnownSolutions returns those of slugs that are published solutions,
// with the name of their published version (read from the entry's JSON
// here, where the two dialects do not differ).
func (db *DB) KnownSolutions(ctx context.Context, slugs []string) ([]knowledge.SolutionRef, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	in, args := inList(slugs)
	rows, err := db.query(ctx, `SELECT s.slug, v.entry FROM solutions s
		JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
		WHERE s.archived_at IS NULL AND s.slug IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("store: known solutions: %w", err)
	}
	defer rows.Close()
	var out []knowledge.SolutionRef
	for rows.Next() {
		var (
			r     knowledge.SolutionRef
			entry string
			e     struct {
				Name string `json:"name"`
			}
		)
		if err := rows.Scan(&r.Slug, &entry); err != nil {
			return nil, fmt.Errorf("store: known solutions: %w", mapError(err))
		}
		if json.Unmarshal([]byte(entry), &e) == nil {
			r.Name = e.Name
		}
		if r.Name == "" {
			r.Name = r.Slug
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// KnownArticles returns those of slugs that are published articles.
func (db *DB) KnownArticles(ctx context.Context, slugs []string) ([]knowledge.Article, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	in, args := inList(slugs)
	list, err := db.scanArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.published > 0 AND a.slug IN `+in+` ORDER BY v.title`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: known articles: %w", err)
	}
	return list, nil
}
