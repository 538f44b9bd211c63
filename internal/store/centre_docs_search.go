package store

// This file: the queries of the competence centre's search. Terms consist
// of letters, digits and marks only (search.Terms), quoted by ftsAlt /
// tsAlt, so no FTS5 or tsquery syntax ever comes from the user.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/search"
)

var _ centre.Store = (*DB)(nil)

// centreMatch returns the FROM and WHERE of the documents matching every
// group and no excluded alternative, with their arguments, and the
// expression ranking them (smaller is better).
func (db *DB) centreMatch(p centre.Plan) (from, where string, args []any, rank string) {
	if db.dialect == Postgres {
		parts := make([]string, 0, len(p.Groups)+1)
		for _, g := range p.Groups {
			parts = append(parts, tsAny(g.Alts)) // search_postgres.go
		}
		if len(p.Exclude) > 0 {
			parts = append(parts, "!"+tsAny(p.Exclude))
		}
		q := strings.Join(parts, " & ")
		// ts_rank's default weights: A 1.0, B 0.4, C 0.2, D 0.1.
		return ` FROM centre_docs d`, ` WHERE d.vec @@ CAST(? AS tsquery)`, []any{q}, `-ts_rank(d.vec, CAST(? AS tsquery))`
	}
	parts := make([]string, 0, len(p.Groups))
	for _, g := range p.Groups {
		parts = append(parts, ftsAny(g.Alts)) // search_sqlite.go
	}
	q := "(" + strings.Join(parts, " AND ") + ")"
	if len(p.Exclude) > 0 {
		q += " NOT " + ftsAny(p.Exclude)
	}
	return ` FROM centre_fts JOIN centre_docs d ON d.doc = centre_fts.rowid`, ` WHERE centre_fts MATCH ?`, []any{q},
		`bm25(centre_fts, 10.0, 4.0, 2.0, 1.0)`
}

// centreFieldCond limits hits to a field of action; a parent field finds
// its children too ("mobility" finds "mobility.parking").
func centreFieldCond(field string) (string, []any) {
	if field == "" {
		return "", nil
	}
	return ` AND (d.fields LIKE ? ESCAPE '\' OR d.fields LIKE ? ESCAPE '\')`,
		[]any{"%," + escapeLike(field) + ",%", "%," + escapeLike(field) + ".%"}
}

// CentreSearch returns a page of the documents matching the plan, best
// first, with the total and the counts per kind.
func (db *DB) CentreSearch(ctx context.Context, p centre.Plan) (centre.Found, error) {
	out := centre.Found{Items: []centre.Hit{}, Counts: map[string]int{}}
	if len(p.Groups) == 0 {
		return out, nil
	}
	from, where, args, rank := db.centreMatch(p)
	fieldCond, fieldArgs := centreFieldCond(p.Field)
	where += fieldCond
	args = append(args, fieldArgs...)

	rows, err := db.query(ctx, `SELECT d.kind, COUNT(*)`+from+where+` GROUP BY d.kind`, args...)
	if err != nil {
		return out, fmt.Errorf("store: centre search counts: %w", err)
	}
	for rows.Next() {
		var (
			kind string
			n    int
		)
		if err := rows.Scan(&kind, &n); err != nil {
			rows.Close()
			return out, fmt.Errorf("store: centre search counts: %w", err)
		}
		out.Counts[kind] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("store: centre search counts: %w", err)
	}
	for k, n := range out.Counts {
		if len(p.Kinds) == 0 || slices.Contains(p.Kinds, k) {
			out.Total += n
		}
	}
	if out.Total == 0 || p.Offset >= out.Total {
		return out, nil
	}

	if len(p.Kinds) > 0 {
		where += ` AND d.kind IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(p.Kinds)), ", ") + `)`
		for _, k := range p.Kinds {
			args = append(args, k)
		}
	}
	if db.dialect == Postgres {
		args = append(args, args[0]) // the tsquery once more for the rank
	}
	rows, err = db.query(ctx, `SELECT d.kind, d.slug, d.title, d.summary, d.link, d.fields, d.dated_at`+from+where+
		` ORDER BY `+rank+`, d.dated_at DESC, d.doc LIMIT ? OFFSET ?`, append(args, p.Limit, p.Offset)...)
	if err != nil {
		return out, fmt.Errorf("store: centre search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			h      centre.Hit
			fields string
		)
		if err := rows.Scan(&h.Kind, &h.Slug, &h.Title, &h.Summary, &h.Link, &fields, &h.Date); err != nil {
			return out, fmt.Errorf("store: centre search: %w", err)
		}
		h.Fields, h.Date = splitKeys(fields), h.Date.UTC()
		out.Items = append(out.Items, h)
	}
	return out, rows.Err()
}

// CentreMatches reports whether any document matches one of alts.
func (db *DB) CentreMatches(ctx context.Context, alts []search.Alt) (bool, error) {
	if len(alts) == 0 {
		return false, nil
	}
	q := `SELECT 1 FROM centre_fts WHERE centre_fts MATCH ? LIMIT 1`
	arg := ftsAny(alts)
	if db.dialect == Postgres {
		q, arg = `SELECT 1 FROM centre_docs WHERE vec @@ CAST(? AS tsquery) LIMIT 1`, tsAny(alts)
	}
	rows, err := db.query(ctx, q, arg)
	if err != nil {
		return false, fmt.Errorf("store: centre match: %w", err)
	}
	defer rows.Close()
	found := rows.Next()
	return found, rows.Err()
}

// CentreNear returns the words of the centre's documents that may be one
// edit away from word: length ±1, sharing the first or the last two
// letters.
func (db *DB) CentreNear(ctx context.Context, word string) ([]string, error) {
	head, tail := edges(word)
	n := utf8.RuneCountInString(word)
	rows, err := db.query(ctx, `SELECT word FROM centre_terms WHERE head = ? AND len BETWEEN ? AND ?
		UNION SELECT word FROM centre_terms WHERE tail = ? AND len BETWEEN ? AND ?`, head, n-1, n+1, tail, n-1, n+1)
	if err != nil {
		return nil, fmt.Errorf("store: centre near: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("store: centre near: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
