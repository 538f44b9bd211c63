package store

// The PostgreSQL part of similar solutions (similar.go): terms are looked
// up in the analysed name and short text of search_docs, by the GIN index
// search_docs_name_short (migration 00015); the 'simple' configuration
// only splits the already analysed text at spaces. Terms consist of
// letters and digits only (search.Terms), so quoting them is all the
// escaping a tsquery literal needs.

// matchTermPostgres selects one row per solution with term in name or
// short text.
func matchTermPostgres(term string) (string, any) {
	return `SELECT d.solution_id AS id FROM search_docs d WHERE to_tsvector('simple', d.name || ' ' || d.short) @@ CAST(? AS tsquery)`, `'` + term + `'`
}

// nameShortTermsPostgres selects (solution_id, name, short) of the
// indexed text of solutions d; a WHERE clause on d follows.
const nameShortTermsPostgres = `SELECT d.solution_id, d.name, d.short FROM search_docs d`
