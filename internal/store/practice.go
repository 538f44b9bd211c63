package store

// This file: practice examples ("Praxisbeispiele", package practice) with
// their working and published versions.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/smartregions/smartregions/internal/account"
	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/practice"
	"github.com/smartregions/smartregions/internal/region"
)

const practiceVersionKey = "practice_version"

const exampleColumns = `e.id, e.slug, e.org_id, o.slug, o.name, o.kind, e.region_key, e.size_band, e.urbanisation, e.state, e.content,
	COALESCE(e.editor_id, ''), e.authors, e.review_note, e.lock_version, e.version, e.published, e.published_at,
	COALESCE(e.created_by, ''), e.created_at, e.updated_at`

const exampleFrom = ` FROM practice_examples e JOIN organisations o ON o.id = e.org_id`

func scanExample(sc interface{ Scan(...any) error }) (practice.Example, error) {
	var (
		e                       practice.Example
		band, st, content, auth string
		pub                     sql.NullString
		pubAt                   nullTime
		urb                     int
	)
	if err := sc.Scan(&e.ID, &e.Slug, &e.Org.ID, &e.Org.Slug, &e.Org.Name, &e.Org.Kind, &e.Org.RegionKey, &band, &urb, &st, &content,
		&e.Editor, &auth, &e.ReviewNote, &e.Lock, &e.Version, &pub, &pubAt, &e.CreatedBy, &e.Created, &e.Updated); err != nil {
		return e, mapError(err)
	}
	e.Band, e.Urbanisation, e.State, e.Authors = region.Band(band), region.Urbanisation(urb), practice.State(st), splitKeys(auth)
	e.Created, e.Updated, e.PublishedAt = e.Created.UTC(), e.Updated.UTC(), pubAt.ptr()
	if e.PublishedAt != nil {
		t := e.PublishedAt.UTC()
		e.PublishedAt = &t
	}
	if err := json.Unmarshal([]byte(content), &e.Working); err != nil {
		return e, fmt.Errorf("store: example %s: content: %w", e.ID, err)
	}
	if pub.Valid {
		var c practice.Content
		if err := json.Unmarshal([]byte(pub.String), &c); err != nil {
			return e, fmt.Errorf("store: example %s: published: %w", e.ID, err)
		}
		e.Published = &c
	}
	return e, nil
}

func (db *DB) scanExamples(ctx context.Context, q string, args ...any) ([]practice.Example, error) {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []practice.Example
	for rows.Next() {
		e, err := scanExample(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

func contentJSON(c practice.Content) (string, error) {
	c.Fields, c.Solutions, c.Results = orEmptyList(c.Fields), orEmptyList(c.Solutions), orEmptyList(c.Results)
	b, err := json.Marshal(c)
	return string(b), err
}

// PracticeOrg returns the organisation an example belongs to.
func (db *DB) PracticeOrg(ctx context.Context, orgID string) (practice.OrgRef, error) {
	var o practice.OrgRef
	err := db.queryRow(ctx, `SELECT id, slug, name, kind, COALESCE(region_key, '') FROM organisations WHERE id = ?`, orgID).
		Scan(&o.ID, &o.Slug, &o.Name, &o.Kind, &o.RegionKey)
	if err != nil {
		return o, fmt.Errorf("store: organisation %s: %w", orgID, mapError(err))
	}
	return o, nil
}

// CreateExample stores a new example; the slug gets a number when taken.
func (db *DB) CreateExample(ctx context.Context, e practice.Example, audit account.AuditEntry) (practice.Example, error) {
	var out practice.Example
	content, err := contentJSON(e.Working)
	if err != nil {
		return out, fmt.Errorf("store: create example: %w", err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		slug, err := tx.uniqueSlug(ctx, "practice_examples", e.Slug)
		if err != nil {
			return fmt.Errorf("store: example slug: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO practice_examples (id, slug, org_id, region_key, size_band, urbanisation, state, title, fields,
			content, editor_id, authors, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, slug, e.Org.ID, e.Org.RegionKey, string(e.Band), int(e.Urbanisation), string(e.State), e.Working.Title,
			joinKeys(e.Working.Fields), content, nullable(e.Editor), joinKeys(e.Authors), nullable(e.CreatedBy), tx.now, tx.now); err != nil {
			return fmt.Errorf("store: create example: %w", err)
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = scanExample(tx.queryRow(ctx, `SELECT `+exampleColumns+exampleFrom+` WHERE e.id = ?`, e.ID))
		return err
	})
	return out, err
}

// Example returns an example by slug.
func (db *DB) Example(ctx context.Context, slug string) (practice.Example, error) {
	e, err := scanExample(db.queryRow(ctx, `SELECT `+exampleColumns+exampleFrom+` WHERE e.slug = ?`, slug))
	if err != nil {
		return e, fmt.Errorf("store: example %s: %w", slug, err)
	}
	return e, nil
}

// likeKey returns the patterns that find key in a ",a,b," list, and its
// children for a parent field ("mobility" finds "mobility.parking").
func likeKey(key string) (string, string) {
	return "%," + escapeLike(key) + ",%", "%," + escapeLike(key) + ".%"
}

// Examples returns a page of examples, newest published first.
func (db *DB) Examples(ctx context.Context, q practice.Query) (practice.Page, error) {
	// What the reader may see: published examples, and the working ones
	// of their organisations (all for curators).
	own := "FALSE"
	var ownArgs []any
	switch {
	case q.All:
		own = "TRUE"
	case len(q.OrgIDs) > 0:
		in, args := inList(q.OrgIDs)
		own, ownArgs = "e.org_id IN "+in, args
	}
	conds := []string{"(e.published IS NOT NULL OR " + own + ")"}
	args := append([]any{}, ownArgs...)
	if q.Field != "" {
		p1, p2 := likeKey(q.Field)
		conds = append(conds, `(e.pub_fields LIKE ? ESCAPE '\' OR e.pub_fields LIKE ? ESCAPE '\'
			OR (`+own+`) AND (e.fields LIKE ? ESCAPE '\' OR e.fields LIKE ? ESCAPE '\'))`)
		args = append(args, p1, p2)
		args = append(args, ownArgs...)
		args = append(args, p1, p2)
	}
	if q.Solution != "" {
		conds = append(conds, `e.pub_solutions LIKE ? ESCAPE '\'`)
		args = append(args, "%,"+escapeLike(q.Solution)+",%")
	}
	if q.Band != "" {
		conds = append(conds, "e.size_band = ?")
		args = append(args, string(q.Band))
	}
	if q.Urbanisation != nil {
		conds = append(conds, "e.urbanisation = ?")
		args = append(args, int(*q.Urbanisation))
	}
	switch q.State {
	case "":
	case practice.Published:
		conds = append(conds, "e.published IS NOT NULL")
	default: // the working state, which only those who work on it see
		conds = append(conds, "e.state = ? AND ("+own+")")
		args = append(args, string(q.State))
		args = append(args, ownArgs...)
	}
	if q.RegionKey != "" {
		conds = append(conds, "e.region_key = ?")
		args = append(args, q.RegionKey)
	}
	if q.ExcludeRegion != "" {
		conds = append(conds, "e.region_key <> ?")
		args = append(args, q.ExcludeRegion)
	}
	if q.ExcludeID != "" {
		conds = append(conds, "e.id <> ?")
		args = append(args, q.ExcludeID)
	}
	where := " WHERE " + strings.Join(conds, " AND ")
	var p practice.Page
	if err := db.queryRow(ctx, `SELECT COUNT(*)`+exampleFrom+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: count examples: %w", mapError(err))
	}
	list, err := db.scanExamples(ctx, `SELECT `+exampleColumns+exampleFrom+where+`
		ORDER BY CASE WHEN e.published_at IS NULL THEN 1 ELSE 0 END, e.published_at DESC, e.updated_at DESC, e.id LIMIT ? OFFSET ?`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return p, fmt.Errorf("store: examples: %w", err)
	}
	p.Items = list
	if q.Offset+len(list) < p.Total && len(list) > 0 {
		p.Next = q.Offset + len(list)
	}
	return p, nil
}

// ExamplesInWork returns the examples whose working version is not the
// published one, submitted first.
func (db *DB) ExamplesInWork(ctx context.Context, limit int) ([]practice.Example, error) {
	list, err := db.scanExamples(ctx, `SELECT `+exampleColumns+exampleFrom+` WHERE e.state NOT IN ('published', 'archived')
		ORDER BY CASE WHEN e.state = 'submitted' THEN 0 ELSE 1 END, e.updated_at DESC, e.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: examples in work: %w", err)
	}
	return list, nil
}

// SaveExample writes the working version when lock and state still match.
func (db *DB) SaveExample(ctx context.Context, e practice.Example, from practice.State, audit account.AuditEntry) (practice.Example, error) {
	var out practice.Example
	content, err := contentJSON(e.Working)
	if err != nil {
		return out, fmt.Errorf("store: save example %s: %w", e.ID, err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE practice_examples SET state = ?, title = ?, fields = ?, content = ?, editor_id = ?, authors = ?,
			review_note = ?, size_band = ?, urbanisation = ?, lock_version = lock_version + 1, updated_at = ?
			WHERE id = ? AND lock_version = ? AND state = ?`,
			string(e.State), e.Working.Title, joinKeys(e.Working.Fields), content, nullable(e.Editor), joinKeys(e.Authors), e.ReviewNote,
			string(e.Band), int(e.Urbanisation), tx.now, e.ID, e.Lock, string(from))
		if err != nil {
			return fmt.Errorf("store: save example %s: %w", e.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "practice.error.conflict")
		}
		if err := tx.addAudit(ctx, audit); err != nil {
			return err
		}
		out, err = scanExample(tx.queryRow(ctx, `SELECT `+exampleColumns+exampleFrom+` WHERE e.id = ?`, e.ID))
		return err
	})
	return out, err
}

// PublishExample makes the working version the published one and puts
// it into the competence centre's search.
func (db *DB) PublishExample(ctx context.Context, e practice.Example, reviewerID string, audit account.AuditEntry) error {
	c := e.Working
	content, err := contentJSON(c)
	if err != nil {
		return fmt.Errorf("store: publish example %s: %w", e.ID, err)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE practice_examples SET state = ?, version = version + 1, published = ?, pub_title = ?, pub_fields = ?,
			pub_solutions = ?, published_at = ?, reviewer_id = ?, authors = ',', review_note = '', lock_version = lock_version + 1, updated_at = ?
			WHERE id = ? AND lock_version = ? AND state = ?`,
			string(practice.Published), content, c.Title, joinKeys(c.Fields), joinKeys(c.Solutions), tx.now, nullable(reviewerID), tx.now,
			e.ID, e.Lock, string(practice.Submitted))
		if err != nil {
			return fmt.Errorf("store: publish example %s: %w", e.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "practice.error.conflict")
		}
		d := ExampleCentreDoc(e.ID, e.Slug, c) // centre_docs_examples.go
		d.Date = tx.now
		if err := tx.putCentreDoc(ctx, d); err != nil {
			return fmt.Errorf("store: index example %s: %w", e.ID, err)
		}
		if err := tx.bumpPracticeVersion(ctx); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// ArchiveExample takes the example off the public pages and out of the search.
func (db *DB) ArchiveExample(ctx context.Context, e practice.Example, audit account.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE practice_examples SET state = ?, published = NULL, pub_title = '', pub_fields = ',', pub_solutions = ',',
			published_at = NULL, lock_version = lock_version + 1, updated_at = ? WHERE id = ? AND lock_version = ? AND state = ?`,
			string(practice.Archived), tx.now, e.ID, e.Lock, string(e.State))
		if err != nil {
			return fmt.Errorf("store: archive example %s: %w", e.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "practice.error.conflict")
		}
		if err := tx.deleteCentreDoc(ctx, centre.KindExample, e.ID); err != nil {
			return fmt.Errorf("store: unindex example %s: %w", e.ID, err)
		}
		if err := tx.bumpPracticeVersion(ctx); err != nil {
			return err
		}
		return tx.addAudit(ctx, audit)
	})
}

// PracticeSolutions returns those of slugs that are published solutions.
func (db *DB) PracticeSolutions(ctx context.Context, slugs []string) ([]practice.SolutionRef, error) {
	known, err := db.KnownSolutions(ctx, slugs)
	if err != nil {
		return nil, err
	}
	out := make([]practice.SolutionRef, 0, len(known))
	for _, k := range known {
		out = append(out, practice.SolutionRef{Slug: k.Slug, Name: k.Name})
	}
	return out, nil
}

func (tx *Tx) bumpPracticeVersion(ctx context.Context) error {
	_, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		practiceVersionKey, uuid.Must(uuid.NewV7()).String())
	if err != nil {
		return fmt.Errorf("store: practice version: %w", err)
	}
	return nil
}

// PracticeVersion names the state of the published examples: the value
// written by the last publication or archiving plus the number of
// published examples, which also changes when an organisation is
// deleted with its examples.
func (db *DB) PracticeVersion(ctx context.Context) (string, error) {
	var v string
	err := db.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, practiceVersionKey).Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		return "", fmt.Errorf("store: practice version: %w", mapError(err))
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM practice_examples WHERE published IS NOT NULL`).Scan(&n); err != nil {
		return "", fmt.Errorf("store: practice version: %w", mapError(err))
	}
	return v + "/" + strconv.Itoa(n), nil
}
