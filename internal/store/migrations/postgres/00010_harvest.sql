-- +goose Up
-- Git repositories that providers register for a solution: a periodic
-- job re-reads their publiccode.yml and proposes changes for review.
-- Unreachable ones are retried with growing pauses (next_attempt_at).
CREATE TABLE solution_repositories (
    id              TEXT PRIMARY KEY,
    solution_id     TEXT NOT NULL REFERENCES solutions (id),
    url             TEXT NOT NULL,
    added_by        TEXT NOT NULL DEFAULT '',
    added_at        TIMESTAMPTZ NOT NULL,
    last_checked_at TIMESTAMPTZ,
    last_commit     TEXT NOT NULL DEFAULT '', -- the commit last read successfully
    last_error      TEXT NOT NULL DEFAULT '', -- why the last attempt failed (JSON message), '' after a success
    failures        INTEGER NOT NULL DEFAULT 0, -- consecutive failed attempts
    next_attempt_at TIMESTAMPTZ NOT NULL,
    UNIQUE (solution_id, url)
);
CREATE INDEX solution_repositories_due ON solution_repositories (next_attempt_at);

-- Changes read from a registered repository, waiting for the provider's
-- decision. At most one proposal per solution is open; a newer one
-- supersedes it.
CREATE TABLE solution_proposals (
    id             TEXT PRIMARY KEY,
    solution_id    TEXT NOT NULL REFERENCES solutions (id),
    repository_id  TEXT REFERENCES solution_repositories (id) ON DELETE SET NULL,
    repository_url TEXT NOT NULL, -- kept when the repository is removed
    commit_hash    TEXT NOT NULL,
    entry          TEXT NOT NULL, -- the proposed entry as JSON (catalog.Entry)
    notes          TEXT NOT NULL DEFAULT '[]', -- what the file holds that the entry does not (JSON)
    state          TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'dismissed', 'superseded')),
    created_at     TIMESTAMPTZ NOT NULL,
    decided_by     TEXT NOT NULL DEFAULT '',
    decided_at     TIMESTAMPTZ
);
CREATE UNIQUE INDEX solution_proposals_open ON solution_proposals (solution_id) WHERE state = 'open';
CREATE INDEX solution_proposals_solution ON solution_proposals (solution_id, created_at);

-- +goose Down
DROP TABLE solution_proposals;
DROP TABLE solution_repositories;
