package store

// The SQLite part of similar solutions (similar.go): terms are looked up
// in the name and short columns of search_fts. Terms consist of letters
// and digits only (search.Terms), so quoting them is all the escaping an
// FTS5 query needs.

// matchTermSQLite selects one row per solution with term in name or
// short text.
func matchTermSQLite(term string) (string, any) {
	return `SELECT d.solution_id AS id FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid WHERE search_fts MATCH ?`,
		`{name short} : "` + term + `"`
}

// nameShortTermsSQLite selects (solution_id, name, short) of the indexed
// text of solutions d; a WHERE clause on d follows.
const nameShortTermsSQLite = `SELECT d.solution_id, x.name, x.short FROM search_docs d JOIN search_fts x ON x.rowid = d.doc`
