-- +goose Up
-- Market explorations ("Markterkundungen") of public bodies: the frozen
-- candidate list (snapshot, with its SHA-256), the criteria, the
-- questionnaire (RFI) with its deadline and providers, the scores and the
-- outcome; the providers' answers; and the hash of every report issued.
CREATE TABLE explorations (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('need', 'search')),
    need_id         TEXT REFERENCES needs (id) ON DELETE SET NULL,
    query           TEXT NOT NULL DEFAULT '', -- the search, as /loesungen query
    snapshot        TEXT NOT NULL,            -- canonical JSON, hashed byte for byte
    snapshot_sha256 TEXT NOT NULL,
    snapshot_at     TIMESTAMPTZ NOT NULL,
    criteria        TEXT NOT NULL DEFAULT '[]', -- JSON list of {name, weight, exclusion}
    questions       TEXT NOT NULL DEFAULT '[]', -- JSON list of {text, type}
    providers       TEXT NOT NULL DEFAULT '[]', -- JSON list of organisation ids asked
    deadline        TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    scores          TEXT NOT NULL DEFAULT '[]', -- JSON list of candidate scores
    state           TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'closed')),
    outcome         TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'awarded', 'cancelled', 'no_offer')),
    awarded_to      TEXT NOT NULL DEFAULT '', -- solution id of the candidate awarded
    outcome_reason  TEXT NOT NULL DEFAULT '',
    closed_at       TIMESTAMPTZ,
    closed_by       TEXT NOT NULL DEFAULT '',
    lock_version    INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL, -- user id, no foreign key: kept when the account is deleted
    created_label   TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX explorations_org ON explorations (org_id, id);

-- One answer per provider organisation asked; editable until the deadline.
CREATE TABLE exploration_answers (
    exploration_id TEXT NOT NULL REFERENCES explorations (id) ON DELETE CASCADE,
    org_id         TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    answers        TEXT NOT NULL DEFAULT '[]', -- JSON list of strings, one per question
    submitted_by   TEXT NOT NULL,
    submitted_at   TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (exploration_id, org_id)
);
CREATE INDEX exploration_answers_org ON exploration_answers (org_id);

-- The SHA-256 of every report file issued, for verify-report.
CREATE TABLE exploration_reports (
    id             TEXT PRIMARY KEY,
    sha256         TEXT NOT NULL,
    exploration_id TEXT NOT NULL REFERENCES explorations (id) ON DELETE CASCADE,
    format         TEXT NOT NULL CHECK (format IN ('json', 'pdf', 'xlsx')),
    issued_at      TIMESTAMPTZ NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_label   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exploration_reports_exploration ON exploration_reports (exploration_id);
CREATE INDEX exploration_reports_sha256 ON exploration_reports (sha256);

-- +goose Down
DROP TABLE exploration_reports;
DROP TABLE exploration_answers;
DROP TABLE explorations;
