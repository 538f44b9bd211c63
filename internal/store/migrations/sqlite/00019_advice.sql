-- +goose Up
-- Advice requests of public bodies to the competence centre (package
-- advice): the request, its thread of messages with attachments, and the
-- operators' routing rules. Times are UTC.
CREATE TABLE advice_requests (
    id          TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,  -- with seq the readable number B-<year>-<seq>
    seq         INTEGER NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    asked_by    TEXT REFERENCES users (id) ON DELETE SET NULL, -- NULL: the account was deleted
    topic       TEXT NOT NULL,
    field_key   TEXT NOT NULL DEFAULT '', -- field of action, '' for none
    urgency     TEXT NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
    state       TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'in_progress', 'waiting', 'answered', 'closed')),
    assignee_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    due_at      TIMESTAMP NOT NULL, -- response target from the urgency
    closed_at   TIMESTAMP,
    UNIQUE (year, seq)
);
CREATE INDEX advice_requests_org ON advice_requests (org_id, created_at);
CREATE INDEX advice_requests_queue ON advice_requests (state, due_at);

-- The thread. Internal notes are for advisors only.
CREATE TABLE advice_messages (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES advice_requests (id) ON DELETE CASCADE,
    author_id  TEXT REFERENCES users (id) ON DELETE SET NULL, -- NULL: "deleted account"
    body       TEXT NOT NULL, -- Markdown, rendered sanitised
    internal   BOOLEAN NOT NULL DEFAULT FALSE,
    by_centre  BOOLEAN NOT NULL DEFAULT FALSE, -- written by the competence centre
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX advice_messages_request ON advice_messages (request_id, created_at);
CREATE INDEX advice_messages_author ON advice_messages (author_id);

-- Files attached to a message; the type is sniffed from the content.
CREATE TABLE advice_attachments (
    id         TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES advice_messages (id) ON DELETE CASCADE,
    request_id TEXT NOT NULL REFERENCES advice_requests (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL,
    data       BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX advice_attachments_message ON advice_attachments (message_id);

-- Routing rules: state key and/or top-level field of action → advisor.
-- Both empty is the default rule. The most specific rule wins.
CREATE TABLE advice_rules (
    id         TEXT PRIMARY KEY,
    state_key  TEXT NOT NULL DEFAULT '',
    field_key  TEXT NOT NULL DEFAULT '',
    advisor_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (state_key, field_key)
);

-- +goose Down
DROP TABLE advice_rules;
DROP TABLE advice_attachments;
DROP TABLE advice_messages;
DROP TABLE advice_requests;
