package store

// This file: the queries behind similar solutions and "Kommunen wie Ihre
// nutzen …" (search/similar.go, search/peers.go). Every query is bounded
// by an index and a LIMIT, so that the work per request does not grow
// with the catalogue: candidates come from solution_facets (facet, value)
// for fields of action, from the full-text index for rare words
// (similar_sqlite.go, similar_postgres.go), and from solution_usages
// (solution_id, org_id) and (org_id) for shared municipalities.

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/smartregions/smartregions/internal/apperr"
	"github.com/smartregions/smartregions/internal/catalog"
	"github.com/smartregions/smartregions/internal/org"
	"github.com/smartregions/smartregions/internal/search"
)

var _ search.SimilarityStore = (*DB)(nil)

// maxSourceOrgs bounds the municipalities of the source solution through
// which candidates are found and scored: a solution used by hundreds
// would otherwise make every candidate query read the whole use of all
// of them. SharedOrgs counts exactly, for the few solutions shown.
const maxSourceOrgs = 30

// countedUses selects (solution_id, org_id) of the declarations that
// count (useCurrent, useVerified of usage.go), with more conditions on u.
func countedUses(and string) string {
	return `SELECT u.solution_id AS solution_id, u.org_id AS org_id FROM solution_usages u JOIN organisations o ON o.id = u.org_id
		WHERE ` + useCurrent + ` AND ` + useVerified + and
}

// sourceOrgs selects (solution_id, org_id) of at most maxSourceOrgs
// municipalities that use the solution of the argument (by the rule of
// verified use).
var sourceOrgs = countedUses(` AND u.solution_id = ?`) + ` ORDER BY u.org_id LIMIT ` + strconv.Itoa(maxSourceOrgs)

// SharedOrgs counts per solution of ids the municipalities that use it
// and the solution solutionID (verified, current).
func (db *DB) SharedOrgs(ctx context.Context, solutionID string, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT c2.solution_id, COUNT(*) FROM (`+countedUses(` AND u.solution_id = ?`)+`) c1
		JOIN (`+countedUses(` AND u.solution_id IN `+placeholders(1, len(ids)))+`) c2 ON c2.org_id = c1.org_id GROUP BY c2.solution_id`,
		append([]any{solutionID}, anys(ids)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: shared municipalities of %s: %w", solutionID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id string
			n  int
		)
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("store: shared municipalities of %s: %w", solutionID, err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// SimilarSource returns the name, short text and fields of action of an
// indexed (published, not archived) solution.
func (db *DB) SimilarSource(ctx context.Context, solutionID string) (search.SimilarSource, error) {
	var src search.SimilarSource
	err := db.view(ctx, func(tx *Tx) error {
		var entry string
		err := tx.queryRow(ctx, `SELECT v.entry FROM solutions s JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version
			WHERE s.id = ? AND `+publishedCond+` AND EXISTS (SELECT 1 FROM search_docs d WHERE d.solution_id = s.id)`, solutionID).Scan(&entry)
		if err != nil {
			if isNotFound(mapError(err)) {
				return apperr.New(apperr.NotFound, "catalog.error.solution_not_found")
			}
			return err
		}
		var e struct{ Name, Short string }
		if err := json.Unmarshal([]byte(entry), &e); err != nil {
			return fmt.Errorf("entry: %w", err)
		}
		src.Name, src.Short = e.Name, e.Short
		rows, err := tx.query(ctx, `SELECT sf.value, COALESCE(f.parent_key, '') FROM solution_facets sf LEFT JOIN fields_of_action f ON f.key = sf.value
			WHERE sf.solution_id = ? AND sf.facet = 'field' ORDER BY sf.value`, solutionID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f search.FieldRef
			if err := rows.Scan(&f.Key, &f.Parent); err != nil {
				return err
			}
			src.Fields = append(src.Fields, f)
		}
		return rows.Err()
	})
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return src, err
		}
		return src, fmt.Errorf("store: similar source %s: %w", solutionID, err)
	}
	return src, nil
}

// TermDocs counts per term the indexed solutions with it in name or short
// text, at most upTo each, in one query.
func (db *DB) TermDocs(ctx context.Context, terms []string, upTo int) (map[string]int, error) {
	out := map[string]int{}
	if len(terms) == 0 {
		return out, nil
	}
	q, args := "", []any{}
	for i, t := range terms {
		if i > 0 {
			q += ` UNION ALL `
		}
		m, arg := db.matchTerm(t)
		q += `SELECT ` + strconv.Itoa(i) + ` AS i, COUNT(*) AS n FROM (` + m + ` LIMIT ?) t` + strconv.Itoa(i)
		args = append(args, arg, upTo)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: term docs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			return nil, fmt.Errorf("store: term docs: %w", err)
		}
		out[terms[i]] = n
	}
	return out, rows.Err()
}

// SimilarCandidates returns up to q.PerSignal candidates per signal with
// their fields, terms and shared municipalities.
func (db *DB) SimilarCandidates(ctx context.Context, q search.CandidateQuery) ([]search.Candidate, error) {
	var out []search.Candidate
	err := db.view(ctx, func(tx *Tx) error {
		var ids []string
		seen := map[string]bool{q.SolutionID: true}
		collect := func(query string, args ...any) error {
			rows, err := tx.query(ctx, query, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
			return rows.Err()
		}
		if len(q.Fields) > 0 {
			if err := collect(`SELECT sf.solution_id FROM solution_facets sf WHERE sf.facet = 'field' AND sf.value IN `+placeholders(1, len(q.Fields))+
				` AND sf.solution_id <> ? GROUP BY sf.solution_id ORDER BY COUNT(*) DESC, sf.solution_id LIMIT ?`,
				append(anys(q.Fields), q.SolutionID, q.PerSignal)...); err != nil {
				return fmt.Errorf("fields: %w", err)
			}
		}
		if len(q.Terms) > 0 {
			m, args := "", []any{}
			for i, t := range q.Terms {
				if i > 0 {
					m += ` UNION ALL `
				}
				mt, arg := db.matchTerm(t)
				m, args = m+mt, append(args, arg)
			}
			if err := collect(`SELECT m.id FROM (`+m+`) m WHERE m.id <> ? GROUP BY m.id ORDER BY COUNT(*) DESC, m.id LIMIT ?`,
				append(args, q.SolutionID, q.PerSignal)...); err != nil {
				return fmt.Errorf("terms: %w", err)
			}
		}
		if err := collect(`SELECT c2.solution_id FROM (`+sourceOrgs+`) c1
			JOIN (`+countedUses("")+`) c2 ON c2.org_id = c1.org_id WHERE c2.solution_id <> ?
			GROUP BY c2.solution_id ORDER BY COUNT(*) DESC, c2.solution_id LIMIT ?`, q.SolutionID, q.SolutionID, q.PerSignal); err != nil {
			return fmt.Errorf("municipalities: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		byID := map[string]*search.Candidate{}
		out = make([]search.Candidate, len(ids))
		for i, id := range ids {
			out[i].ID = id
			byID[id] = &out[i]
		}
		return tx.candidateSignals(ctx, q.SolutionID, ids, byID)
	})
	if err != nil {
		return nil, fmt.Errorf("store: similar candidates of %s: %w", q.SolutionID, err)
	}
	return out, nil
}

// candidateSignals fills in the fields, terms and shared municipalities
// of the candidates.
func (tx *Tx) candidateSignals(ctx context.Context, sourceID string, ids []string, byID map[string]*search.Candidate) error {
	in := placeholders(1, len(ids))
	rows, err := tx.query(ctx, `SELECT solution_id, value FROM solution_facets WHERE facet = 'field' AND solution_id IN `+in, anys(ids)...)
	if err != nil {
		return fmt.Errorf("fields: %w", err)
	}
	for rows.Next() {
		var id, key string
		if err := rows.Scan(&id, &key); err != nil {
			rows.Close()
			return fmt.Errorf("fields: %w", err)
		}
		byID[id].Fields = append(byID[id].Fields, key)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fields: %w", err)
	}
	rows, err = tx.query(ctx, tx.db.nameShortTerms()+` WHERE d.solution_id IN `+in, anys(ids)...)
	if err != nil {
		return fmt.Errorf("terms: %w", err)
	}
	for rows.Next() {
		var id, name, short string
		if err := rows.Scan(&id, &name, &short); err != nil {
			rows.Close()
			return fmt.Errorf("terms: %w", err)
		}
		c := byID[id]
		c.Terms = append(append(c.Terms, splitTerms(name)...), splitTerms(short)...)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("terms: %w", err)
	}
	// CROSS JOIN makes SQLite start from the few sampled municipalities
	// and look up their use of each candidate, rather than read all use
	// of the candidates (popular ones have hundreds of municipalities).
	rows, err = tx.query(ctx, `SELECT u.solution_id, COUNT(*) FROM (`+sourceOrgs+`) c1 CROSS JOIN solution_usages u
		JOIN organisations o ON o.id = u.org_id WHERE u.org_id = c1.org_id AND u.solution_id IN `+in+` AND `+useCurrent+` AND `+useVerified+`
		GROUP BY u.solution_id`, append([]any{sourceID}, anys(ids)...)...)
	if err != nil {
		return fmt.Errorf("municipalities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id string
			n  int
		)
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("municipalities: %w", err)
		}
		byID[id].SharedOrgs = n
	}
	return rows.Err()
}

// solutionColumns are the columns of a published solution read by
// scanPublished; s is the solution, po its provider, v its published
// version.
const solutionColumns = `s.id, s.slug, s.org_id, po.slug, po.name, po.kind, s.lock_version, s.created_at, s.imported_from`

const solutionJoins = ` JOIN organisations po ON po.id = s.org_id JOIN solution_versions v ON v.solution_id = s.id AND v.number = s.published_version`

// scanPublished scans solutionColumns, the extra columns and then
// versionColumns.
func scanPublished(sc interface{ Scan(...any) error }, extra ...any) (catalog.Solution, error) {
	var (
		sol  catalog.Solution
		kind string
		v    catalog.Version
	)
	dest := append([]any{&sol.ID, &sol.Slug, &sol.OrgID, &sol.OrgSlug, &sol.OrgName, &kind, &sol.Lock, &sol.Created, &sol.ImportedFrom}, extra...)
	if err := scanVersionInto(sc, &v, dest...); err != nil {
		return sol, err
	}
	sol.OrgKind, sol.Created, sol.Published = org.Kind(kind), sol.Created.UTC(), &v
	return sol, nil
}

// SimilarSolutions returns the published, not archived solutions of ids
// in the order of ids.
func (db *DB) SimilarSolutions(ctx context.Context, ids []string) ([]catalog.Solution, error) {
	out := []catalog.Solution{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT `+solutionColumns+`, `+versionColumns+` FROM solutions s`+solutionJoins+
		` WHERE s.id IN `+placeholders(1, len(ids))+` AND `+publishedCond, anys(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: similar solutions: %w", err)
	}
	defer rows.Close()
	byID := map[string]catalog.Solution{}
	for rows.Next() {
		sol, err := scanPublished(rows)
		if err != nil {
			return nil, fmt.Errorf("store: similar solutions: %w", err)
		}
		byID[sol.ID] = sol
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: similar solutions: %w", err)
	}
	for _, id := range ids {
		if sol, ok := byID[id]; ok {
			out = append(out, sol)
		}
	}
	return out, nil
}

// MunicipalityUseIDs returns the ids of all published, not archived
// solutions that the organisation of the municipality ags uses (verified,
// current), by name.
func (db *DB) MunicipalityUseIDs(ctx context.Context, ags string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT u.solution_id FROM solution_usages u JOIN organisations o ON o.id = u.org_id
		JOIN solutions s ON s.id = u.solution_id WHERE o.region_key = ? AND `+useCurrent+` AND `+useVerified+` AND `+publishedCond+`
		ORDER BY s.name_key, s.id`, ags)
	if err != nil {
		return nil, fmt.Errorf("store: uses of %s: %w", ags, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: uses of %s: %w", ags, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// PeerCounts returns the published, not archived solutions used by the
// municipalities of q's band (and state), with their number, most first.
// The municipalities are found first (by population and state), then their
// use is counted from solution_usages_counted_org alone.
func (db *DB) PeerCounts(ctx context.Context, q search.PeerQuery) ([]search.PeerCount, error) {
	lo, hi := q.Band.Range()
	where, args := `mu.population >= ?`, []any{lo}
	if hi > 0 {
		where, args = where+` AND mu.population < ?`, append(args, hi)
	}
	if q.StateKey != "" {
		where, args = where+` AND mu.state_key = ?`, append(args, q.StateKey)
	}
	// p stands in for organisations o, so that the rule of verified use
	// (useVerified) applies as it is written.
	rows, err := db.query(ctx, `WITH p AS (SELECT o.id AS id, o.verified_at AS verified_at FROM municipalities mu
			JOIN organisations o ON o.region_key = mu.ags WHERE `+where+` AND o.verified_at IS NOT NULL),
		c AS (SELECT u.solution_id AS id, COUNT(*) AS n FROM p o JOIN solution_usages u ON u.org_id = o.id
			WHERE `+useCurrent+` AND `+useVerified+` GROUP BY u.solution_id)
		SELECT c.id, s.name_key, c.n FROM c JOIN solutions s ON s.id = c.id WHERE `+publishedCond+`
		ORDER BY c.n DESC, s.name_key, c.id LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: peer counts: %w", err)
	}
	defer rows.Close()
	out := []search.PeerCount{}
	for rows.Next() {
		var p search.PeerCount
		if err := rows.Scan(&p.SolutionID, &p.NameKey, &p.Municipalities); err != nil {
			return nil, fmt.Errorf("store: peer counts: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// matchTerm returns a query of one row (a column id) per indexed solution
// with term in its name or short text, with its argument
// (similar_sqlite.go, similar_postgres.go).
func (db *DB) matchTerm(term string) (string, any) {
	if db.dialect == Postgres {
		return matchTermPostgres(term)
	}
	return matchTermSQLite(term)
}

// nameShortTerms selects (solution_id, name, short) of the indexed text
// of solutions d; a WHERE clause on d follows.
func (db *DB) nameShortTerms() string {
	if db.dialect == Postgres {
		return nameShortTermsPostgres
	}
	return nameShortTermsSQLite
}

// splitTerms splits indexed text into its terms.
func splitTerms(text string) []string { return strings.Fields(text) }
