package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/region"
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

// usedFacets are the size bands and states of the municipalities that
// use a solution (current, verified use, as in usage.go), as rows
// (solution_id, facet, value, expires) like those of solution_facets.
var usedFacets = func() string {
	band := `CASE`
	for _, b := range region.Bands {
		if _, hi := b.Range(); hi > 0 {
			band += fmt.Sprintf(` WHEN mu.population < %d THEN '%s'`, hi, b)
		} else {
			band += fmt.Sprintf(` ELSE '%s'`, b)
		}
	}
	band += ` END`
	from := ` FROM solution_usages u JOIN organisations o ON o.id = u.org_id JOIN municipalities mu ON mu.ags = o.region_key
		WHERE ` + useCurrent + ` AND ` + useVerified
	return `(SELECT u.solution_id AS solution_id, 'size' AS facet, ` + band + ` AS value, '' AS expires` + from +
		` UNION SELECT u.solution_id, 'state', mu.state_key, ''` + from + `)`
}()

// facetSource returns the rows of a facet's values.
func facetSource(facet string) string {
	if search.UsedFacet(facet) {
		return usedFacets
	}
	return `solution_facets`
}

// validCond limits evidence rows sf to those not expired at the argument.
const validCond = `(sf.facet <> 'evidence' OR sf.expires = '' OR sf.expires > ?)`

// facetConds returns the conditions (each starting with AND) of the
// selected facet values except those of skip, over the solution s.
func facetConds(p search.Plan, skip string) (string, []any) {
	var (
		b    strings.Builder
		args []any
	)
	now := p.Now.UTC().Format(expiresFormat)
	for _, facet := range search.FacetNames {
		values := p.Filters[facet]
		if facet == skip || len(values) == 0 {
			continue
		}
		b.WriteString(` AND EXISTS (SELECT 1 FROM ` + facetSource(facet) + ` sf WHERE sf.solution_id = s.id AND sf.facet = ? AND sf.value IN ` +
			placeholders(1, len(values)) + ` AND ` + validCond + `)`)
		args = append(args, facet)
		for _, v := range values {
			args = append(args, v)
		}
		args = append(args, now)
	}
	return b.String(), args
}

// sortedHits returns hits with the score of the sort order: relevance and
// name keep the score of the search; "used" scores by the verified
// current users (more first), "newest" by the time of creation (ordered
// descending, see SearchSolutions).
func (db *DB) sortedHits(hits string, sort string) string {
	switch sort {
	case search.SortUsed:
		return `SELECT h0.id AS id, h0.name_key AS name_key, -(SELECT COUNT(*) FROM solution_usages u JOIN organisations o ON o.id = u.org_id
			WHERE u.solution_id = h0.id AND ` + useCurrent + ` AND ` + useVerified + `) AS score FROM (` + hits + `) h0`
	case search.SortNewest:
		return `SELECT h0.id AS id, h0.name_key AS name_key, s0.created_at AS score FROM (` + hits + `) h0 JOIN solutions s0 ON s0.id = h0.id`
	}
	return hits
}

// SearchFacets counts the values of every facet over the solutions that
// match the plan with the selections of all other facets.
func (db *DB) SearchFacets(ctx context.Context, p search.Plan) (search.Facets, error) {
	out := search.Facets{}
	now := p.Now.UTC().Format(expiresFormat)
	if p.Now.IsZero() {
		now = time.Now().UTC().Format(expiresFormat)
	}
	err := db.view(ctx, func(tx *Tx) error {
		for _, facet := range search.FacetNames {
			hits, args := db.searchHits(p)
			if p.Field != "" {
				hits += ` AND EXISTS (SELECT 1 FROM solution_fields f WHERE f.solution_id = s.id AND (f.field_key = ? OR f.field_key LIKE ? ESCAPE '\'))`
				args = append(args, p.Field, escapeLike(p.Field)+".%")
			}
			conds, cargs := facetConds(p, facet)
			hits += conds
			args = append(args, cargs...)
			rows, err := tx.query(ctx, `WITH h AS (`+hits+`) SELECT sf.value, COUNT(*) FROM `+facetSource(facet)+` sf JOIN h ON h.id = sf.solution_id
				WHERE sf.facet = ? AND `+validCond+` GROUP BY sf.value ORDER BY COUNT(*) DESC, sf.value`, append(args, facet, now)...)
			if err != nil {
				return fmt.Errorf("%s: %w", facet, err)
			}
			counts := []search.FacetCount{}
			for rows.Next() {
				var c search.FacetCount
				if err := rows.Scan(&c.Value, &c.Count); err != nil {
					rows.Close()
					return fmt.Errorf("%s: %w", facet, err)
				}
				counts = append(counts, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("%s: %w", facet, err)
			}
			out[facet] = counts
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: search facets: %w", err)
	}
	return out, nil
}
