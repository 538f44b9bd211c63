-- +goose Up
-- "Check before you fund" (Bestandsprüfung): a planned development, the
-- existing solutions and cooperation projects found for it, and the
-- author's statement per match. A finalised check is read-only: its
-- snapshot is the frozen JSON record, sha256 its hash.
CREATE TABLE fund_checks (
    id           TEXT PRIMARY KEY,
    author_id    TEXT NOT NULL, -- user id, no foreign key: the record outlives the account
    author_label TEXT NOT NULL,
    org_id       TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    org_name     TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    fields       TEXT NOT NULL DEFAULT '[]', -- JSON list of keys of fields of action
    delivery     TEXT NOT NULL DEFAULT '',   -- intended delivery/licence
    licence      TEXT NOT NULL DEFAULT '',
    budget       BIGINT CHECK (budget >= 0), -- whole euros
    programme    TEXT NOT NULL DEFAULT '',
    matches      TEXT NOT NULL DEFAULT '[]', -- JSON list of matches with verdict and statement
    state        TEXT NOT NULL CHECK (state IN ('draft', 'final')),
    reusable     INTEGER NOT NULL DEFAULT 0, -- 1: at least one match marked "could be reused"
    snapshot     TEXT NOT NULL DEFAULT '',
    sha256       TEXT NOT NULL DEFAULT '',
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    finalised_at TIMESTAMPTZ
);
CREATE INDEX fund_checks_author ON fund_checks (author_id, id);
CREATE INDEX fund_checks_org ON fund_checks (org_id, id);
CREATE INDEX fund_checks_final ON fund_checks (state, finalised_at);

-- The fields of action of each check, for the statistics.
CREATE TABLE fund_check_fields (
    check_id TEXT NOT NULL REFERENCES fund_checks (id) ON DELETE CASCADE,
    field    TEXT NOT NULL,
    PRIMARY KEY (check_id, field)
);

-- Decision aids ("open source or licence?") saved by their users: the
-- answers, the options and every cost assumption as one JSON document.
CREATE TABLE decision_aids (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    data         TEXT NOT NULL,
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX decision_aids_user ON decision_aids (user_id, id);

-- +goose Down
DROP TABLE decision_aids;
DROP TABLE fund_check_fields;
DROP TABLE fund_checks;
