package store

import (
	"context"
	"fmt"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/search"
)

// Facets of the search: solution_facets holds the facet values of every
// indexed solution (search.EntryFacets), written and removed with its
// search document.

// expiresFormat writes evidence expiry so that text order is time order.
const expiresFormat = "2006-01-02T15:04:05Z"

// fieldParents returns the parent key of every field of action.
func (tx *Tx) fieldParents(ctx context.Context) (func(key string) string, error) {
	rows, err := tx.query(ctx, `SELECT key, COALESCE(parent_key, '') FROM fields_of_action`)
	if err != nil {
		return nil, fmt.Errorf("store: field parents: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, p string
		if err := rows.Scan(&k, &p); err != nil {
			return nil, fmt.Errorf("store: field parents: %w", err)
		}
		m[k] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: field parents: %w", err)
	}
	return func(key string) string { return m[key] }, nil
}

// insertFacets writes the facet values of a solution's published entry.
func (tx *Tx) insertFacets(ctx context.Context, id string, e catalog.Entry, parent func(string) string) error {
	values := search.EntryFacets(e, parent)
	if len(values) == 0 {
		return nil
	}
	args := make([]any, 0, 4*len(values))
	for _, v := range values {
		exp := ""
		if v.Expires != nil {
			exp = v.Expires.UTC().Format(expiresFormat)
		}
		args = append(args, id, v.Facet, v.Value, exp)
	}
	if _, err := tx.exec(ctx, `INSERT INTO solution_facets (solution_id, facet, value, expires) VALUES `+placeholders(len(values), 4), args...); err != nil {
		return fmt.Errorf("store: facets of %s: %w", id, err)
	}
	return nil
}

// indexFacets replaces the facet values of a solution.
func (tx *Tx) indexFacets(ctx context.Context, id string, e catalog.Entry) error {
	parent, err := tx.fieldParents(ctx)
	if err != nil {
		return err
	}
	return tx.insertFacets(ctx, id, e, parent)
}

func (tx *Tx) unindexFacets(ctx context.Context, id string) error {
	if _, err := tx.exec(ctx, `DELETE FROM solution_facets WHERE solution_id = ?`, id); err != nil {
		return fmt.Errorf("store: unindex facets: %w", err)
	}
	return nil
}

func (tx *Tx) clearFacets(ctx context.Context) error {
	if _, err := tx.exec(ctx, `DELETE FROM solution_facets`); err != nil {
		return fmt.Errorf("store: clear facets: %w", err)
	}
	return nil
}
