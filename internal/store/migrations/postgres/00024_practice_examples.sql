-- +goose Up
-- Practice examples ("Praxisbeispiele", package practice): a public body
-- documents a project; a curator reviews it before publication. The row
-- holds the working version (content, JSON) and the published one
-- (published, JSON; NULL when nothing is public), so that an edit after
-- publication is reviewed again while the published version stays
-- visible. Size band and urbanisation are read from the register when the
-- example is written. Lists of keys are stored as ",a,b," so that one
-- LIKE finds a key on both databases. Times are UTC.
CREATE TABLE practice_examples (
    id            TEXT PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    org_id        TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    region_key    TEXT NOT NULL DEFAULT '',  -- the organisation's AGS (or district/state key)
    size_band     TEXT NOT NULL DEFAULT '',  -- region.Band; '' when the population is unknown
    urbanisation  INTEGER NOT NULL DEFAULT 0, -- region.Urbanisation
    -- the working version
    state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'published', 'archived')),
    title         TEXT NOT NULL,
    fields        TEXT NOT NULL DEFAULT ',',
    content       TEXT NOT NULL,             -- practice.Content as JSON
    editor_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    authors       TEXT NOT NULL DEFAULT ',', -- who wrote the working version since the last publication (four-eyes)
    review_note   TEXT NOT NULL DEFAULT '',
    lock_version  INTEGER NOT NULL DEFAULT 1,
    -- the published version
    version       INTEGER NOT NULL DEFAULT 0, -- number of the last published version
    published     TEXT,                       -- practice.Content as JSON; NULL: not public
    pub_title     TEXT NOT NULL DEFAULT '',
    pub_fields    TEXT NOT NULL DEFAULT ',',
    pub_solutions TEXT NOT NULL DEFAULT ',',
    published_at  TIMESTAMPTZ,
    reviewer_id   TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_by    TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX practice_examples_org ON practice_examples (org_id);
CREATE INDEX practice_examples_region ON practice_examples (region_key);
CREATE INDEX practice_examples_peers ON practice_examples (size_band, urbanisation);
CREATE INDEX practice_examples_state ON practice_examples (state, updated_at);

-- +goose Down
DROP TABLE practice_examples;
