-- +goose Up
-- Every mail the platform sends, kept for the operators' outbox page. Without
-- an SMTP server the mail only lands here (status 'stored'); with one, a River
-- job inserted in the same transaction delivers it.
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY, -- UUIDv7, also the Message-ID's local part
    created_at      TIMESTAMP NOT NULL,
    kind            TEXT NOT NULL DEFAULT '', -- e.g. account.confirm
    lang            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('stored', 'queued', 'retrying', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    last_attempt_at TIMESTAMP,
    sent_at         TIMESTAMP
);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at DESC, id DESC);

-- +goose Down
DROP TABLE mail_outbox;
