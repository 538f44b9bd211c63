package store

// This file: the index of the competence centre's search (package
// centre). Writers of articles, practice examples and events call
// putCentreDoc / deleteCentreDoc in the transaction that publishes,
// changes or withdraws them; the queries are in centre_docs_search.go.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/smartregions/smartregions/internal/centre"
	"github.com/smartregions/smartregions/internal/search"
)

// CentreDoc is one document of the competence centre's search.
type CentreDoc struct {
	Kind    string    // "article", "example" or "event"
	ID      string    // the source row's id
	Slug    string    // the source's public slug
	Title   string    // the document's title
	Summary string    // shown in the result list
	Body    string    // further searched text (plain or Markdown)
	Link    string    // path, e.g. "/praxisbeispiele/<slug>"
	Fields  []string  // field-of-action keys
	Date    time.Time // published / start
}

// analysedCentreDoc is the analysed text of a document by weight.
type analysedCentreDoc struct{ title, summary, labels, body string }

func (tx *Tx) analyseCentreDoc(ctx context.Context, d CentreDoc) (analysedCentreDoc, []search.Word, error) {
	labels, err := tx.fieldLabels(ctx) // search.go
	if err != nil {
		return analysedCentreDoc{}, nil, err
	}
	var names []string
	for _, f := range d.Fields {
		names = append(names, labels(f)...)
	}
	join := func(text string) string { return strings.Join(search.Terms(text), " ") }
	a := analysedCentreDoc{title: join(d.Title), summary: join(d.Summary), labels: join(strings.Join(names, " ")), body: join(d.Body)}
	return a, search.Vocabulary(d.Title, d.Summary, d.Body), nil
}

// putCentreDoc inserts or replaces d in the competence centre's search
// index, inside the caller's transaction so the index never lags the data.
func (tx *Tx) putCentreDoc(ctx context.Context, d CentreDoc) error {
	if d.Kind != centre.KindArticle && d.Kind != centre.KindExample && d.Kind != centre.KindEvent {
		return fmt.Errorf("store: centre doc: unknown kind %q", d.Kind)
	}
	if err := tx.deleteCentreDoc(ctx, d.Kind, d.ID); err != nil {
		return err
	}
	a, words, err := tx.analyseCentreDoc(ctx, d)
	if err != nil {
		return err
	}
	cols := `INSERT INTO centre_docs (kind, source_id, slug, title, summary, link, fields, dated_at, indexed_at`
	args := []any{d.Kind, d.ID, d.Slug, d.Title, d.Summary, d.Link, joinKeys(d.Fields), d.Date.UTC(), tx.now}
	if tx.db.dialect == Postgres {
		vec := tsvector(search.Doc{Name: a.title, Short: a.summary, Fields: a.labels, Description: a.body}) // search_postgres.go
		if _, err := tx.exec(ctx, cols+`, vec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))`, append(args, vec)...); err != nil {
			return fmt.Errorf("store: centre doc %s/%s: %w", d.Kind, d.ID, err)
		}
	} else {
		var doc int64
		if err := tx.queryRow(ctx, cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING doc`, args...).Scan(&doc); err != nil {
			return fmt.Errorf("store: centre doc %s/%s: %w", d.Kind, d.ID, mapError(err))
		}
		if _, err := tx.exec(ctx, `INSERT INTO centre_fts (rowid, title, summary, labels, body) VALUES (?, ?, ?, ?, ?)`,
			doc, a.title, a.summary, a.labels, a.body); err != nil {
			return fmt.Errorf("store: centre text %s/%s: %w", d.Kind, d.ID, err)
		}
	}
	return tx.addCentreTerms(ctx, words)
}

// deleteCentreDoc removes a document from the competence centre's search
// index; removing one that is not indexed is no error.
func (tx *Tx) deleteCentreDoc(ctx context.Context, kind, id string) error {
	if tx.db.dialect != Postgres {
		if _, err := tx.exec(ctx, `DELETE FROM centre_fts WHERE rowid IN (SELECT doc FROM centre_docs WHERE kind = ? AND source_id = ?)`, kind, id); err != nil {
			return fmt.Errorf("store: unindex centre doc %s/%s: %w", kind, id, err)
		}
	}
	if _, err := tx.exec(ctx, `DELETE FROM centre_docs WHERE kind = ? AND source_id = ?`, kind, id); err != nil {
		return fmt.Errorf("store: unindex centre doc %s/%s: %w", kind, id, err)
	}
	return nil
}

// addCentreTerms adds words to the vocabulary of the centre's index for
// the correction of typos. As in the catalogue, words stay when their
// documents leave: a correction to such a word merely finds nothing.
func (tx *Tx) addCentreTerms(ctx context.Context, words []search.Word) error {
	const batch = 500
	for len(words) > 0 {
		n := min(batch, len(words))
		args := make([]any, 0, 4*n)
		for _, w := range words[:n] {
			head, tail := edges(w.Key)
			args = append(args, w.Key, head, tail, utf8.RuneCountInString(w.Key))
		}
		if _, err := tx.exec(ctx, `INSERT INTO centre_terms (word, head, tail, len) VALUES `+placeholders(n, 4)+
			` ON CONFLICT (word) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("store: centre terms: %w", err)
		}
		words = words[n:]
	}
	return nil
}

// indexArticle puts the published version of a knowledge article into the
// centre's index, or takes the article out when nothing is published.
func (tx *Tx) indexArticle(ctx context.Context, id string) error {
	var (
		d      = CentreDoc{Kind: centre.KindArticle, ID: id}
		fields string
	)
	err := tx.queryRow(ctx, `SELECT a.slug, v.title, v.summary, v.body, v.fields, v.published_at
		FROM knowledge_articles a JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published
		WHERE a.id = ? AND a.published > 0`, id).Scan(&d.Slug, &d.Title, &d.Summary, &d.Body, &fields, &d.Date)
	if errors.Is(err, sql.ErrNoRows) {
		return tx.deleteCentreDoc(ctx, centre.KindArticle, id)
	}
	if err != nil {
		return fmt.Errorf("store: index article %s: %w", id, mapError(err))
	}
	d.Fields, d.Link = splitKeys(fields), "/wissen/"+d.Slug
	return tx.putCentreDoc(ctx, d)
}

// indexEvent puts a published event into the centre's index, or takes it
// out when it is a draft or cancelled.
func (tx *Tx) indexEvent(ctx context.Context, id string) error {
	var (
		d                      = CentreDoc{Kind: centre.KindEvent, ID: id}
		desc, addr, fields, st string
	)
	err := tx.queryRow(ctx, `SELECT slug, title, summary, description, address, fields, state, starts_at FROM events WHERE id = ?`, id).
		Scan(&d.Slug, &d.Title, &d.Summary, &desc, &addr, &fields, &st, &d.Date)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && st != "published") {
		return tx.deleteCentreDoc(ctx, centre.KindEvent, id)
	}
	if err != nil {
		return fmt.Errorf("store: index event %s: %w", id, mapError(err))
	}
	if err := json.Unmarshal([]byte(fields), &d.Fields); err != nil {
		return fmt.Errorf("store: index event %s: fields: %w", id, err)
	}
	d.Body, d.Link = desc+"\n"+addr, "/veranstaltungen/"+d.Slug
	return tx.putCentreDoc(ctx, d)
}

// IndexCentre indexes the published articles, public events and
// published practice examples that are not yet in the centre's index (a
// database from before the index) and returns how many it added.
func (db *DB) IndexCentre(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		if db.dialect == Postgres {
			// Instances starting at once index one after the other; writers
			// of documents wait too (SQLite has only one writer anyway).
			if _, err := tx.exec(ctx, `LOCK TABLE centre_docs IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("store: index centre: %w", err)
			}
		}
		sources := []struct{ kind, missing string }{
			{centre.KindArticle, `SELECT id FROM knowledge_articles WHERE published > 0`},
			{centre.KindEvent, `SELECT id FROM events WHERE state = 'published'`},
			{centre.KindExample, centreExamplesQuery},
		}
		for _, src := range sources {
			ids, err := tx.strings(ctx, src.missing+` AND id NOT IN (SELECT source_id FROM centre_docs WHERE kind = ?) ORDER BY id`, src.kind)
			if err != nil {
				return fmt.Errorf("store: index centre %s: %w", src.kind, err)
			}
			for _, id := range ids {
				if err := tx.indexCentreSource(ctx, src.kind, id); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

func (tx *Tx) indexCentreSource(ctx context.Context, kind, id string) error {
	switch kind {
	case centre.KindArticle:
		return tx.indexArticle(ctx, id)
	case centre.KindEvent:
		return tx.indexEvent(ctx, id)
	}
	return tx.indexExample(ctx, id) // centre_docs_examples.go
}
