package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/region"
	"github.com/smartregions/smartregions/internal/search"
)

// What the in-memory index of the search reads (internal/search/memory.go):
// the indexed solutions with their facet values, the pages of results,
// and phrases, which only the databases' indexes can find.

// indexedBatch is how many solutions SearchIndexed reads at a time.
const indexedBatch = 1000

// SearchIndexed calls fn for each indexed solution (all when ids is nil,
// else those of ids that are indexed), in batches.
func (db *DB) SearchIndexed(ctx context.Context, ids []string, fn func(search.IndexedDoc) error) error {
	const cols = `SELECT s.id, s.name_key, s.created_at, `
	if ids != nil {
		for len(ids) > 0 {
			n := min(indexedBatch, len(ids))
			batch := ids[:n]
			ids = ids[n:]
			docs, err := db.indexedDocs(ctx, cols+db.docColumns()+` FROM solutions s`+db.docJoin()+` WHERE `+publishedCond+
				` AND s.id IN `+placeholders(1, len(batch)), anys(batch)...)
			if err != nil {
				return err
			}
			if err := each(docs, fn); err != nil {
				return err
			}
		}
		return nil
	}
	after := ""
	for {
		docs, err := db.indexedDocs(ctx, cols+db.docColumns()+` FROM solutions s`+db.docJoin()+` WHERE `+publishedCond+
			` AND s.id > ? ORDER BY s.id LIMIT ?`, after, indexedBatch)
		if err != nil || len(docs) == 0 {
			return err
		}
		if err := each(docs, fn); err != nil {
			return err
		}
		after = docs[len(docs)-1].ID
	}
}

func each(docs []search.IndexedDoc, fn func(search.IndexedDoc) error) error {
	for _, d := range docs {
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// indexedDocs reads a batch of documents with their facet values and
// verified use, in one read transaction.
func (db *DB) indexedDocs(ctx context.Context, q string, args ...any) ([]search.IndexedDoc, error) {
	var docs []search.IndexedDoc
	err := db.view(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var d search.IndexedDoc
			if err := rows.Scan(&d.ID, &d.NameKey, &d.Created, &d.Doc.Name, &d.Doc.Short, &d.Doc.Fields, &d.Doc.Description); err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(docs) == 0 {
			return err
		}
		byID := make(map[string]*search.IndexedDoc, len(docs))
		ids := make([]any, len(docs))
		for i := range docs {
			byID[docs[i].ID], ids[i] = &docs[i], docs[i].ID
		}
		if err := tx.docFacets(ctx, byID, ids); err != nil {
			return err
		}
		return tx.docUse(ctx, byID, ids)
	})
	if err != nil {
		return nil, fmt.Errorf("store: indexed solutions: %w", err)
	}
	return docs, nil
}

// docFacets adds the facet values of the entries.
func (tx *Tx) docFacets(ctx context.Context, byID map[string]*search.IndexedDoc, ids []any) error {
	rows, err := tx.query(ctx, `SELECT solution_id, facet, value, expires FROM solution_facets WHERE solution_id IN `+placeholders(1, len(ids)), ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, exp string
			v       search.FacetValue
		)
		if err := rows.Scan(&id, &v.Facet, &v.Value, &exp); err != nil {
			return err
		}
		if exp != "" {
			t, err := time.Parse(expiresFormat, exp)
			if err != nil {
				return fmt.Errorf("evidence of %s expires %q: %w", id, exp, err)
			}
			v.Expires = &t
		}
		if d := byID[id]; d != nil {
			d.Facets = append(d.Facets, v)
		}
	}
	return rows.Err()
}

// docUse adds the size bands and states of the municipalities that use
// the solutions (current, verified use, as in usage.go) and their number.
func (tx *Tx) docUse(ctx context.Context, byID map[string]*search.IndexedDoc, ids []any) error {
	rows, err := tx.query(ctx, `SELECT u.solution_id, mu.population, mu.state_key FROM solution_usages u JOIN organisations o ON o.id = u.org_id
		JOIN municipalities mu ON mu.ags = o.region_key WHERE `+useCurrent+` AND `+useVerified+` AND u.solution_id IN `+placeholders(1, len(ids)), ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type seen struct{ id, facet, value string }
	done := map[seen]bool{}
	for rows.Next() {
		var (
			id, state string
			pop       int64
		)
		if err := rows.Scan(&id, &pop, &state); err != nil {
			return err
		}
		d := byID[id]
		if d == nil {
			continue
		}
		d.Used++
		band := string(region.BandOf(pop))
		if i := slices.IndexFunc(d.Groups, func(g search.UseGroup) bool { return g.Band == band && g.State == state }); i >= 0 {
			d.Groups[i].N++
		} else {
			d.Groups = append(d.Groups, search.UseGroup{Band: band, State: state, N: 1})
		}
		for _, v := range []search.FacetValue{{Facet: search.FacetSize, Value: band}, {Facet: search.FacetState, Value: state}} {
			if k := (seen{id, v.Facet, v.Value}); !done[k] {
				done[k] = true
				d.Facets = append(d.Facets, v)
			}
		}
	}
	return rows.Err()
}

// SearchLoad returns the published solutions with the ids, with their
// indexed text, in the order of ids.
func (db *DB) SearchLoad(ctx context.Context, ids []string) ([]search.Found, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := db.query(ctx, `SELECT s.id, s.slug, s.org_id, o.slug, o.name, o.kind, s.lock_version, s.created_at, s.imported_from, `+
		db.docColumns()+`, `+versionColumns+` FROM solutions s JOIN organisations o ON o.id = s.org_id
		JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version `+db.docJoin()+
		` WHERE s.archived_at IS NULL AND s.id IN `+placeholders(1, len(ids)), anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: search results: %w", err)
	}
	defer rows.Close()
	byID := make(map[string]search.Found, len(ids))
	for rows.Next() {
		var (
			f    search.Found
			kind string
			v    catalog.Version
		)
		sol := &f.Solution
		err := scanVersionInto(rows, &v, &sol.ID, &sol.Slug, &sol.OrgID, &sol.OrgSlug, &sol.OrgName, &kind, &sol.Lock, &sol.Created, &sol.ImportedFrom,
			&f.Doc.Name, &f.Doc.Short, &f.Doc.Fields, &f.Doc.Description)
		if err != nil {
			return nil, fmt.Errorf("store: search results: %w", err)
		}
		sol.OrgKind, sol.Created, sol.Published = org.Kind(kind), sol.Created.UTC(), &v
		byID[sol.ID] = f
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search results: %w", err)
	}
	out := make([]search.Found, 0, len(ids))
	for _, id := range ids {
		if f, ok := byID[id]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// SearchPhrase returns the ids of the indexed solutions with a phrase.
func (db *DB) SearchPhrase(ctx context.Context, a search.Alt) ([]string, error) {
	q, arg := db.matchAny([]search.Alt{a})
	rows, err := db.query(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("store: search phrase: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: search phrase: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// matchAny returns a query of the ids of the indexed solutions matching
// any of alts, with its one argument.
func (db *DB) matchAny(alts []search.Alt) (string, any) {
	if db.dialect == Postgres {
		return `SELECT solution_id FROM search_docs WHERE doc @@ CAST(? AS tsquery)`, tsAny(alts)
	}
	return `SELECT d.solution_id FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid WHERE search_fts MATCH ?`, ftsAny(alts)
}
