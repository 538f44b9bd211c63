-- +goose Up
-- Needs ("Bedarfe") of municipalities, districts and states, and the
-- other public bodies that joined them (pooled demand).
CREATE TABLE needs (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    org_id       TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    problem      TEXT NOT NULL DEFAULT '', -- Markdown
    field        TEXT NOT NULL,            -- key of a field of action
    requirements TEXT NOT NULL DEFAULT '[]', -- JSON list of {text, kind, weight, attribute}
    delivery     TEXT NOT NULL DEFAULT '[]', -- JSON list of preferred delivery models
    hosting      TEXT NOT NULL DEFAULT 'any' CHECK (hosting IN ('any', 'de', 'eu')),
    evidence     TEXT NOT NULL DEFAULT '[]', -- JSON list of required evidence kinds
    budget_min   BIGINT CHECK (budget_min >= 0), -- whole euros
    budget_max   BIGINT CHECK (budget_max >= 0),
    starts_on    TEXT, -- YYYY-MM-DD
    ends_on      TEXT,
    inhabitants  BIGINT NOT NULL DEFAULT 0,
    users        BIGINT NOT NULL DEFAULT 0,
    visibility   TEXT NOT NULL CHECK (visibility IN ('public', 'providers', 'draft')),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL, -- user id, no foreign key: kept when the account is deleted
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CHECK (budget_min IS NULL OR budget_max IS NULL OR budget_min <= budget_max),
    CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
);
CREATE INDEX needs_org ON needs (org_id);
CREATE INDEX needs_field ON needs (field, id);

-- One row per organisation that needs it too.
CREATE TABLE need_joins (
    need_id    TEXT NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    org_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL, -- who joined; no foreign key: kept when the account is deleted
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (need_id, org_id)
);
CREATE INDEX need_joins_org ON need_joins (org_id);

-- +goose Down
DROP TABLE need_joins;
DROP TABLE needs;
