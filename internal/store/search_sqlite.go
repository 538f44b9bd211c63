package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/smartregions/smartregions/internal/search"
)

// The SQLite search index: an FTS5 table of the analysed fields, its
// rowid mapped to the solution by search_docs. Terms consist of letters
// and digits only (see search.Terms), so quoting them in "…" makes any
// query safe: FTS5 syntax never comes from the user.

func (tx *Tx) insertSearchDocSQLite(ctx context.Context, id string, d search.Doc) error {
	var doc int64
	if err := tx.queryRow(ctx, `INSERT INTO search_docs (solution_id) VALUES (?) RETURNING doc`, id).Scan(&doc); err != nil {
		return fmt.Errorf("search doc: %w", mapError(err))
	}
	if _, err := tx.exec(ctx, `INSERT INTO search_fts (rowid, name, short, fields, description) VALUES (?, ?, ?, ?, ?)`,
		doc, d.Name, d.Short, d.Fields, d.Description); err != nil {
		return fmt.Errorf("search text: %w", err)
	}
	return nil
}

func (tx *Tx) unindexSQLite(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `DELETE FROM search_fts WHERE rowid IN (SELECT doc FROM search_docs WHERE solution_id = ?)`, id); err != nil {
		return fmt.Errorf("store: unindex solution: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM search_docs WHERE solution_id = ?`, id); err != nil {
		return fmt.Errorf("store: unindex solution: %w", err)
	}
	return nil
}

func (tx *Tx) clearSearchSQLite(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM search_fts`); err != nil {
		return fmt.Errorf("store: clear search: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM search_docs`); err != nil {
		return fmt.Errorf("store: clear search: %w", err)
	}
	return nil
}

// ftsAlt writes one alternative: a prefix ("park"*), a term ("park") or
// a phrase ("park platz").
func ftsAlt(a search.Alt) string {
	s := `"` + strings.Join(a.Stems, " ") + `"`
	if a.Prefix && len(a.Stems) == 1 {
		s += "*"
	}
	return s
}

func ftsAny(alts []search.Alt) string {
	parts := make([]string, len(alts))
	for i, a := range alts {
		parts[i] = ftsAlt(a)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}
