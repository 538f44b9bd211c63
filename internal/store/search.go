package store

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

var _ search.Store = (*DB)(nil)

// The index itself differs by dialect (search_sqlite.go: FTS5,
// search_postgres.go: tsvector); vocabulary and synonyms are plain tables.

func (tx *Tx) insertSearchDoc(ctx context.Context, id string, d search.Doc) error {
	if tx.db.dialect == Postgres {
		return tx.insertSearchDocPostgres(ctx, id, d)
	}
	return tx.insertSearchDocSQLite(ctx, id, d)
}

// unindexSolution takes a solution out of the search index (and records
// the change: indexing anew starts here too).
func (tx *Tx) unindexSolution(ctx context.Context, id string) error {
	if err := tx.searchChanged(ctx, id); err != nil { // search_changes.go
		return err
	}
	if err := tx.unindexFacets(ctx, id); err != nil { // facets.go
		return err
	}
	if tx.db.dialect == Postgres {
		return tx.unindexPostgres(ctx, id)
	}
	return tx.unindexSQLite(ctx, id)
}

func (tx *Tx) clearSearch(ctx context.Context) error {
	if err := tx.searchChanged(ctx, ""); err != nil {
		return err
	}
	if err := tx.clearFacets(ctx); err != nil { // facets.go
		return err
	}
	if tx.db.dialect == Postgres {
		return tx.clearSearchPostgres(ctx)
	}
	return tx.clearSearchSQLite(ctx)
}

// docColumns and docJoin read the analysed text of a hit's solution s.
func (db *DB) docColumns() string {
	if db.dialect == Postgres {
		return `dd.name, dd.short, dd.fields, dd.description`
	}
	return `x.name, x.short, x.fields, x.description`
}

func (db *DB) docJoin() string {
	if db.dialect == Postgres {
		return ` JOIN search_docs dd ON dd.solution_id = s.id`
	}
	return ` JOIN search_docs dd ON dd.solution_id = s.id JOIN search_fts x ON x.rowid = dd.doc`
}

// fieldLabels returns a function giving the labels (German and English)
// of a field of action and of its parent, as they are indexed.
func (tx *Tx) fieldLabels(ctx context.Context) (func(key string) []string, error) {
	rows, err := tx.query(ctx, `SELECT key, COALESCE(parent_key, ''), label_de, label_en FROM fields_of_action`)
	if err != nil {
		return nil, fmt.Errorf("store: search labels: %w", err)
	}
	defer rows.Close()
	type field struct{ parent, de, en string }
	m := map[string]field{}
	for rows.Next() {
		var key string
		var f field
		if err := rows.Scan(&key, &f.parent, &f.de, &f.en); err != nil {
			return nil, fmt.Errorf("store: search labels: %w", err)
		}
		m[key] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search labels: %w", err)
	}
	return func(key string) []string {
		f, ok := m[key]
		if !ok {
			return nil
		}
		out := []string{f.de, f.en}
		if p, ok := m[f.parent]; ok {
			out = append(out, p.de, p.en)
		}
		return out
	}, nil
}

// indexSolution puts the published entry of a solution into the search
// index, replacing what was there; an archived solution is taken out.
func (tx *Tx) indexSolution(ctx context.Context, id string, e catalog.Entry) error {
	labels, err := tx.fieldLabels(ctx)
	if err != nil {
		return err
	}
	return tx.indexWith(ctx, id, e, labels)
}

func (tx *Tx) indexWith(ctx context.Context, id string, e catalog.Entry, labels func(string) []string) error {
	var archived int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM solutions WHERE id = ? AND archived_at IS NOT NULL`, id).Scan(&archived); err != nil {
		return fmt.Errorf("store: index solution: %w", mapError(err))
	}
	if err := tx.unindexSolution(ctx, id); err != nil {
		return err
	}
	if archived > 0 {
		return nil
	}
	if err := tx.insertSearchDoc(ctx, id, search.NewDoc(e, labels)); err != nil {
		return fmt.Errorf("store: index solution: %w", err)
	}
	if err := tx.indexFacets(ctx, id, e); err != nil {
		return err
	}
	return tx.addSearchTerms(ctx, search.DocVocabulary(e, labels))
}

// addSearchTerms adds words to the vocabulary of the index. Words stay
// when their solutions leave the index (ReindexSolutions clears them): a
// correction to such a word merely finds nothing.
func (tx *Tx) addSearchTerms(ctx context.Context, words []search.Word) error {
	const batch = 500
	for len(words) > 0 {
		n := min(batch, len(words))
		args := make([]any, 0, 4*n)
		for _, w := range words[:n] {
			head, tail := edges(w.Key)
			args = append(args, w.Key, head, tail, utf8.RuneCountInString(w.Key))
		}
		if _, err := tx.exec(ctx, `INSERT INTO search_terms (word, head, tail, len) VALUES `+placeholders(n, 4)+
			` ON CONFLICT (word) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("store: search terms: %w", err)
		}
		words = words[n:]
	}
	return nil
}

// edges returns the first and the last two letters of a word.
func edges(w string) (string, string) {
	r := []rune(w)
	if len(r) < 2 {
		return w, w
	}
	return string(r[:2]), string(r[len(r)-2:])
}

// ReindexSolutions rebuilds the search index of all published, not
// archived solutions in one transaction and returns how many it indexed.
func (db *DB) ReindexSolutions(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.clearSearch(ctx); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_terms`); err != nil {
			return fmt.Errorf("store: clear search terms: %w", err)
		}
		labels, err := tx.fieldLabels(ctx)
		if err != nil {
			return err
		}
		parents, err := tx.fieldParents(ctx) // facets.go
		if err != nil {
			return err
		}
		// In batches, so that memory stays bounded at any catalogue size.
		type doc struct{ id, entry string }
		after := ""
		for {
			var docs []doc
			rows, err := tx.query(ctx, `SELECT s.id, v.entry FROM solutions s JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
				WHERE s.archived_at IS NULL AND s.id > ? ORDER BY s.id LIMIT 500`, after)
			if err != nil {
				return fmt.Errorf("store: reindex: %w", err)
			}
			for rows.Next() {
				var d doc
				if err := rows.Scan(&d.id, &d.entry); err != nil {
					rows.Close()
					return fmt.Errorf("store: reindex: %w", err)
				}
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("store: reindex: %w", err)
			}
			if len(docs) == 0 {
				return nil
			}
			for _, d := range docs {
				var e catalog.Entry
				if err := json.Unmarshal([]byte(d.entry), &e); err != nil {
					return fmt.Errorf("store: reindex %s: %w", d.id, err)
				}
				if err := tx.insertSearchDoc(ctx, d.id, search.NewDoc(e, labels)); err != nil {
					return fmt.Errorf("store: reindex %s: %w", d.id, err)
				}
				if err := tx.insertFacets(ctx, d.id, e, parents); err != nil {
					return err
				}
				if err := tx.addSearchTerms(ctx, search.DocVocabulary(e, labels)); err != nil {
					return err
				}
				n++
			}
			after = docs[len(docs)-1].id
		}
	})
	return n, err
}

// SearchIndexMissing reports whether published solutions exist but none
// is in the search index (a database from before the index).
func (db *DB) SearchIndexMissing(ctx context.Context) (bool, error) {
	var docs, published int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM search_docs`).Scan(&docs); err != nil {
		return false, fmt.Errorf("store: search index: %w", mapError(err))
	}
	if docs > 0 {
		return false, nil
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM solutions WHERE published_version IS NOT NULL AND archived_at IS NULL`).Scan(&published); err != nil {
		return false, fmt.Errorf("store: search index: %w", mapError(err))
	}
	return published > 0, nil
}

// SearchSynonyms returns the synonym groups in their order.
func (db *DB) SearchSynonyms(ctx context.Context) ([][]string, error) {
	rows, err := db.query(ctx, `SELECT group_no, word FROM search_synonyms ORDER BY group_no, position`)
	if err != nil {
		return nil, fmt.Errorf("store: synonyms: %w", err)
	}
	defer rows.Close()
	var (
		out  [][]string
		last = -1
	)
	for rows.Next() {
		var (
			no   int
			word string
		)
		if err := rows.Scan(&no, &word); err != nil {
			return nil, fmt.Errorf("store: synonyms: %w", err)
		}
		if no != last || len(out) == 0 {
			out, last = append(out, nil), no
		}
		out[len(out)-1] = append(out[len(out)-1], word)
	}
	return out, rows.Err()
}

// SeedSynonyms stores the groups unless synonyms exist; it reports
// whether it stored them.
func (db *DB) SeedSynonyms(ctx context.Context, groups [][]string) (bool, error) {
	seeded := false
	err := db.inTx(ctx, func(tx *Tx) error {
		// Instances starting at once seed one after the other (synonyms.go).
		if err := tx.lockSynonyms(ctx); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM search_synonyms`).Scan(&n); err != nil || n > 0 {
			return err
		}
		if err := tx.insertShippedSynonyms(ctx, groups); err != nil { // synonyms.go
			return fmt.Errorf("store: seed synonyms: %w", err)
		}
		seeded = true
		return nil
	})
	return seeded, err
}

// SearchNear returns the vocabulary words that may be one edit away from
// word: length ±1, sharing the first or the last two letters (one edit
// in a word of five or more letters leaves one of them intact).
func (db *DB) SearchNear(ctx context.Context, word string) ([]string, error) {
	head, tail := edges(word)
	n := utf8.RuneCountInString(word)
	rows, err := db.query(ctx, `SELECT word FROM search_terms WHERE head = ? AND len BETWEEN ? AND ?
		UNION SELECT word FROM search_terms WHERE tail = ? AND len BETWEEN ? AND ?`, head, n-1, n+1, tail, n-1, n+1)
	if err != nil {
		return nil, fmt.Errorf("store: search near: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, fmt.Errorf("store: search near: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// publishedCond limits hits to published, not archived solutions.
const publishedCond = `s.published_version IS NOT NULL AND s.archived_at IS NULL`
