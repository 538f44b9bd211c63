package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/search"
)

// The PostgreSQL search index: a tsvector with weights A–D beside the
// analysed fields in search_docs, with a GIN index. Vectors and queries
// are written as tsvector/tsquery literals from terms of letters and
// digits only (see search.Terms), quoted, so no text is parsed by a
// configuration and no query syntax ever comes from the user.

func (tx *Tx) insertSearchDocPostgres(ctx context.Context, id string, d search.Doc) error {
	if _, err := tx.exec(ctx, `INSERT INTO search_docs (solution_id, name, short, fields, description, doc) VALUES (?, ?, ?, ?, ?, CAST(? AS tsvector))`,
		id, d.Name, d.Short, d.Fields, d.Description, tsvector(d)); err != nil {
		return fmt.Errorf("search doc: %w", err)
	}
	return nil
}

func (tx *Tx) unindexPostgres(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `DELETE FROM search_docs WHERE solution_id = ?`, id); err != nil {
		return fmt.Errorf("store: unindex solution: %w", err)
	}
	return nil
}

func (tx *Tx) clearSearchPostgres(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM search_docs`); err != nil {
		return fmt.Errorf("store: clear search: %w", err)
	}
	return nil
}

// maxPosition is the largest position a tsvector keeps.
const maxPosition = 16383

// tsvector writes the fields as a tsvector literal: terms with their
// positions and the weight of their field; a gap between the fields keeps
// phrases inside one field, as in FTS5's columns.
func tsvector(d search.Doc) string {
	type lexeme struct {
		positions []string
	}
	order := []string{}
	lex := map[string]*lexeme{}
	pos := 0
	for i, text := range []string{d.Name, d.Short, d.Fields, d.Description} {
		weight := string("ABCD"[i])
		for _, t := range strings.Fields(text) {
			pos = min(pos+1, maxPosition)
			l, ok := lex[t]
			if !ok {
				l = &lexeme{}
				lex[t] = l
				order = append(order, t)
			}
			if len(l.positions) < 256 { // PostgreSQL keeps at most 256 per lexeme
				l.positions = append(l.positions, strconv.Itoa(pos)+weight)
			}
		}
		pos++ // gap
	}
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("'" + t + "':" + strings.Join(lex[t].positions, ","))
	}
	return b.String()
}

// tsAlt writes one alternative: a prefix ('park':*), a term ('park') or
// a phrase ('park' <-> 'platz').
func tsAlt(a search.Alt) string {
	if len(a.Stems) == 1 {
		if a.Prefix {
			return "'" + a.Stems[0] + "':*"
		}
		return "'" + a.Stems[0] + "'"
	}
	parts := make([]string, len(a.Stems))
	for i, s := range a.Stems {
		parts[i] = "'" + s + "'"
	}
	return "(" + strings.Join(parts, " <-> ") + ")"
}

func tsAny(alts []search.Alt) string {
	parts := make([]string, len(alts))
	for i, a := range alts {
		parts[i] = tsAlt(a)
	}
	return "(" + strings.Join(parts, " | ") + ")"
}
