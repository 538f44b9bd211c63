-- +goose Up
-- Full-text search of the catalogue (internal/search). The text is
-- analysed in Go (folded, stemmed), so both dialects index the same
-- terms; the 'simple' configuration only splits them at spaces.

-- One document per published, not archived solution: the analysed
-- fields, by weight (name > short > fields of action and standards >
-- description), and their tsvector with weights A–D.
CREATE TABLE search_docs (
    solution_id TEXT PRIMARY KEY REFERENCES solutions (id),
    name        TEXT NOT NULL,
    short       TEXT NOT NULL,
    fields      TEXT NOT NULL,
    description TEXT NOT NULL,
    doc         TSVECTOR NOT NULL
);
CREATE INDEX search_docs_doc ON search_docs USING GIN (doc);

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
DROP TABLE search_docs;
