-- +goose Up
-- Verified municipal use of catalogue solutions ("Wer nutzt das?"). A
-- municipality organisation declares that it uses a published solution,
-- once per solution; withdrawing keeps the row (withdrawn_at) so that a
-- later declaration takes it up again. Whether a declaration counts as
-- verified is decided when it is read: the organisation is verified and
-- the declaring user is still one of its members.
CREATE TABLE solution_usages (
    id                 TEXT PRIMARY KEY,
    solution_id        TEXT NOT NULL REFERENCES solutions (id),
    org_id             TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    since              TIMESTAMP NOT NULL, -- first day of the month of first use
    delivery_model     TEXT NOT NULL CHECK (delivery_model IN ('saas', 'managed', 'on_premises')),
    status             TEXT NOT NULL CHECK (status IN ('in_use', 'piloting', 'stopped')),
    stop_reason        TEXT NOT NULL DEFAULT '', -- required when stopped
    version            INTEGER NOT NULL,         -- the solution's version in use
    contactable        BOOLEAN NOT NULL DEFAULT FALSE, -- peers may send contact requests
    declared_by        TEXT NOT NULL, -- user id, no foreign key: kept when the account is deleted (it then no longer counts)
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    withdrawn_at       TIMESTAMP,
    followup6_sent_at  TIMESTAMP, -- the follow-up review mails, sent once each
    followup12_sent_at TIMESTAMP,
    UNIQUE (solution_id, org_id)
);
CREATE INDEX solution_usages_org ON solution_usages (org_id);
CREATE INDEX solution_usages_followup ON solution_usages (created_at, id) WHERE withdrawn_at IS NULL AND followup12_sent_at IS NULL;

-- Experience reports, one per declaration (editable), with the provider's
-- answer; curators hide reports that were flagged.
CREATE TABLE usage_reports (
    id              TEXT PRIMARY KEY,
    usage_id        TEXT NOT NULL UNIQUE REFERENCES solution_usages (id) ON DELETE CASCADE,
    body            TEXT NOT NULL,
    usability       INTEGER NOT NULL CHECK (usability BETWEEN 1 AND 5),
    support         INTEGER NOT NULL CHECK (support BETWEEN 1 AND 5),
    integration     INTEGER NOT NULL CHECK (integration BETWEEN 1 AND 5),
    value_for_money INTEGER NOT NULL CHECK (value_for_money BETWEEN 1 AND 5),
    choose_again    BOOLEAN NOT NULL,
    written_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    answer          TEXT NOT NULL DEFAULT '',
    answered_by     TEXT NOT NULL DEFAULT '',
    answered_at     TIMESTAMP,
    hidden_at       TIMESTAMP,
    hidden_by       TEXT NOT NULL DEFAULT '',
    hidden_reason   TEXT NOT NULL DEFAULT ''
);

-- Flags for moderation; a user has at most one open flag per report.
CREATE TABLE usage_report_flags (
    id          TEXT PRIMARY KEY,
    report_id   TEXT NOT NULL REFERENCES usage_reports (id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by TEXT NOT NULL DEFAULT '',
    resolution  TEXT NOT NULL DEFAULT '' CHECK (resolution IN ('', 'hidden', 'dismissed'))
);
CREATE UNIQUE INDEX usage_report_flags_open ON usage_report_flags (report_id, user_id) WHERE resolved_at IS NULL;
CREATE INDEX usage_report_flags_queue ON usage_report_flags (created_at) WHERE resolved_at IS NULL;

-- Contact requests relayed by mail to the declaring organisation's
-- admins; kept for the monthly caps and the audit.
CREATE TABLE usage_contacts (
    id               TEXT PRIMARY KEY,
    usage_id         TEXT NOT NULL REFERENCES solution_usages (id) ON DELETE CASCADE,
    requester_id     TEXT NOT NULL,
    requester_org_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    message          TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX usage_contacts_requester ON usage_contacts (requester_id, created_at);
CREATE INDEX usage_contacts_usage ON usage_contacts (usage_id, created_at);

-- +goose Down
DROP TABLE usage_contacts;
DROP TABLE usage_report_flags;
DROP TABLE usage_reports;
DROP TABLE solution_usages;
