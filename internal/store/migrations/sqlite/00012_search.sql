-- +goose Up
-- Full-text search of the catalogue (internal/search). The text is
-- analysed in Go (folded, stemmed), so both dialects index the same
-- terms; FTS5 only splits them at spaces.

-- One document per published, not archived solution; doc is the rowid of
-- its row in search_fts.
CREATE TABLE search_docs (
    doc         INTEGER PRIMARY KEY,
    solution_id TEXT NOT NULL UNIQUE REFERENCES solutions (id)
);

-- The analysed fields, by weight: name > short > fields of action and
-- standards > description.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    name, short, fields, description,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- The words of the index (folded, unstemmed), for the correction of
-- typos: candidates share the length ±1 and the first or last two letters.
CREATE TABLE search_terms (
    word TEXT PRIMARY KEY,
    head TEXT NOT NULL,
    tail TEXT NOT NULL,
    len  INTEGER NOT NULL
);
CREATE INDEX search_terms_head ON search_terms (head, len);
CREATE INDEX search_terms_tail ON search_terms (tail, len);

-- Synonym groups of municipal vocabulary, seeded from
-- internal/search/synonyms.txt; curators will edit them.
CREATE TABLE search_synonyms (
    group_no INTEGER NOT NULL,
    position INTEGER NOT NULL,
    word     TEXT NOT NULL,
    PRIMARY KEY (group_no, position)
);

-- +goose Down
DROP TABLE search_synonyms;
DROP TABLE search_terms;
DROP TABLE search_fts;
DROP TABLE search_docs;
