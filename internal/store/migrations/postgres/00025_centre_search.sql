-- +goose Up
-- Full-text search of the competence centre (package centre): published
-- knowledge articles, published practice examples and public events in one
-- index. The text is analysed in Go exactly like the catalogue's
-- (internal/search); vectors are written as tsvector literals.

-- One document per indexed source row. Title and summary are kept as
-- written, for the result list; fields is the list of field-of-action keys
-- as ",a,b," (one LIKE finds a key, as in knowledge_articles); vec holds
-- the analysed text by weight: title (A) > summary (B) > labels of the
-- fields of action (C) > body (D).
CREATE TABLE centre_docs (
    doc           BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('article', 'example', 'event')),
    source_id     TEXT NOT NULL,
    slug          TEXT NOT NULL,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL,
    fields        TEXT NOT NULL DEFAULT ',',
    dated_at      TIMESTAMPTZ NOT NULL,
    indexed_at    TIMESTAMPTZ NOT NULL,
    vec           TSVECTOR NOT NULL,
    UNIQUE (kind, source_id)
);
CREATE INDEX centre_docs_vec ON centre_docs USING GIN (vec);

-- The words of the centre's documents (folded, unstemmed), for the
-- correction of typos, like search_terms of the catalogue.
CREATE TABLE centre_terms (
    word TEXT PRIMARY KEY,
    head TEXT NOT NULL,
    tail TEXT NOT NULL,
    len  INTEGER NOT NULL
);
CREATE INDEX centre_terms_head ON centre_terms (head, len);
CREATE INDEX centre_terms_tail ON centre_terms (tail, len);

-- +goose Down
DROP TABLE centre_terms;
DROP TABLE centre_docs;
