-- +goose Up
-- Logos and screenshots of solutions, checked and re-encoded on upload.
-- The pictures live in the database, not in a directory: one backup holds
-- everything, and every app instance serves every picture. A row never
-- changes (a new picture is a new row), so its address is cached for good.
-- Versions refer to media by id inside their entry (solution_versions.entry);
-- media that no version refers to are deleted after a day.
CREATE TABLE solution_media (
    id           TEXT PRIMARY KEY, -- UUIDv7
    solution_id  TEXT NOT NULL REFERENCES solutions (id),
    kind         TEXT NOT NULL CHECK (kind IN ('logo', 'screenshot')),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    bytes        BYTEA NOT NULL,
    sha256       TEXT NOT NULL, -- hex of bytes: the strong ETag
    alt          TEXT NOT NULL DEFAULT '', -- the uploader's alternative text of a screenshot: the default where an entry names it without one
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX solution_media_solution ON solution_media (solution_id, created_at);
CREATE INDEX solution_media_created ON solution_media (created_at);

-- +goose Down
DROP TABLE solution_media;
