-- +goose Up
-- Solutions of the catalogue. Every version of an entry is kept: the
-- published one stays visible while a newer one is edited or reviewed.
CREATE TABLE solutions (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations (id),
    slug              TEXT NOT NULL UNIQUE,
    name_key          TEXT NOT NULL DEFAULT '', -- folded name of the published version, for search and order
    published_version INTEGER,      -- NULL until a curator publishes one
    working_version   INTEGER,      -- the version being edited or reviewed; NULL when none
    archived_at       TIMESTAMP,
    archived_reason   TEXT NOT NULL DEFAULT '',
    lock_version      INTEGER NOT NULL DEFAULT 0, -- optimistic locking: raised by every write
    imported_from     TEXT NOT NULL DEFAULT '', -- source of a publiccode.yml import (demo data), '' for entries written here
    created_by        TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX solutions_org ON solutions (org_id);
CREATE INDEX solutions_published ON solutions (name_key, id) WHERE published_version IS NOT NULL AND archived_at IS NULL;
CREATE INDEX solutions_imported ON solutions (imported_from);

CREATE TABLE solution_versions (
    solution_id  TEXT NOT NULL REFERENCES solutions (id),
    number       INTEGER NOT NULL,
    entry        TEXT NOT NULL, -- the entry as JSON (catalog.Entry)
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'published', 'superseded')),
    comment      TEXT NOT NULL DEFAULT '', -- the curator's comment on a change request
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   TIMESTAMP,
    PRIMARY KEY (solution_id, number)
);
CREATE INDEX solution_versions_queue ON solution_versions (state, submitted_at);

-- The fields of action of each published version, for filtering.
CREATE TABLE solution_fields (
    solution_id TEXT NOT NULL REFERENCES solutions (id),
    field_key   TEXT NOT NULL,
    PRIMARY KEY (solution_id, field_key)
);
CREATE INDEX solution_fields_field ON solution_fields (field_key);

-- +goose Down
DROP TABLE solution_fields;
DROP TABLE solution_versions;
DROP TABLE solutions;
