-- +goose Up
-- Saved searches of the solution catalogue with a daily mail about new
-- matches (package alert). A search goes with its user's account.
CREATE TABLE saved_searches (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    query      TEXT NOT NULL, -- canonical URL query of /loesungen
    lang       TEXT NOT NULL DEFAULT 'de', -- the language the search was saved in
    paused     BOOLEAN NOT NULL DEFAULT FALSE, -- no mails while set (paused on the account page or unsubscribed)
    runs       INTEGER NOT NULL DEFAULT 0, -- raised by every run, so that concurrent sweeps record a run once
    created_at TIMESTAMPTZ NOT NULL,
    last_run   TIMESTAMPTZ, -- the last sweep that looked for new matches
    last_sent  TIMESTAMPTZ  -- the last mail that reported new matches
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, created_at);
CREATE INDEX saved_searches_due ON saved_searches (last_run) WHERE paused = FALSE;

-- Unsubscribe links: each mail gets a new random secret per search; only
-- its SHA-256 is stored, so that the links of older mails keep working and
-- a copy of the database cannot be used to unsubscribe anyone.
CREATE TABLE saved_search_tokens (
    token_hash TEXT PRIMARY KEY,
    search_id  TEXT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX saved_search_tokens_search ON saved_search_tokens (search_id);
CREATE INDEX saved_search_tokens_created ON saved_search_tokens (created_at);

-- +goose Down
DROP TABLE saved_search_tokens;
DROP TABLE saved_searches;
