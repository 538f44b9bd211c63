-- +goose Up
-- Offers of providers on needs, their attachments, the clarifying
-- questions of a need, and the providers a need concerns (notified by the
-- match sweep, or responded with an offer or a question).
CREATE TABLE offers (
    id           TEXT PRIMARY KEY,
    need_id      TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    org_id       TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    body         TEXT NOT NULL, -- Markdown
    delivery     TEXT NOT NULL,
    price_cents  BIGINT NOT NULL CHECK (price_cents >= 0), -- euro cents, net
    price_basis  TEXT NOT NULL CHECK (price_basis IN ('once', 'month', 'year', 'inhabitant_year')),
    valid_until  TEXT NOT NULL, -- YYYY-MM-DD
    solutions    TEXT NOT NULL DEFAULT '[]', -- JSON list of {id, slug, name}
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'withdrawn', 'shortlisted', 'declined')),
    reason       TEXT NOT NULL DEFAULT '', -- the owners' reason for their decision
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL, -- user id, no foreign key: kept when the account is deleted
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ,
    UNIQUE (need_id, org_id)
);
CREATE INDEX offers_org ON offers (org_id);

CREATE TABLE offer_attachments (
    id         TEXT PRIMARY KEY,
    offer_id   TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    data       BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX offer_attachments_offer ON offer_attachments (offer_id);

-- Clarifying questions: statements of the owners (org_id NULL) and
-- questions of providers (org_id the asking provider, never shown to
-- other providers), with the owners' answer.
CREATE TABLE need_questions (
    id          TEXT PRIMARY KEY,
    need_id     TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    org_id      TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    author_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    answered_by TEXT NOT NULL DEFAULT '',
    answered_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX need_questions_need ON need_questions (need_id, created_at);

-- The providers a need concerns: "match" rows are written by the match
-- sweep (notified_at set once their members were notified); "offer" and
-- "question" when a provider responded.
CREATE TABLE need_providers (
    need_id     TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    via         TEXT NOT NULL CHECK (via IN ('match', 'offer', 'question')),
    notified_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (need_id, org_id)
);

-- One row per need the match sweep has handled: the sweep that inserts
-- it owns the need's notifications.
CREATE TABLE need_match_runs (
    need_id    TEXT PRIMARY KEY REFERENCES needs (id) ON DELETE CASCADE,
    providers  INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE need_match_runs;
DROP TABLE need_providers;
DROP TABLE need_questions;
DROP TABLE offer_attachments;
DROP TABLE offers;
