-- +goose Up
-- Regional contacts ("Ihre Ansprechperson"): advisors named on the pages
-- of the municipalities of their states or districts. Deleting the
-- account deletes the contact.
CREATE TABLE contacts (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    role_title   TEXT NOT NULL,
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '', -- public address, may differ from the login
    fields       TEXT NOT NULL DEFAULT '[]', -- JSON list of fields of action
    topics       TEXT NOT NULL DEFAULT '',
    availability TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);

-- The regions of a contact: a whole state (district_key '') or one
-- district of it.
CREATE TABLE contact_regions (
    user_id      TEXT NOT NULL REFERENCES contacts (user_id) ON DELETE CASCADE,
    state_key    TEXT NOT NULL,
    district_key TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, state_key, district_key)
);
CREATE INDEX contact_regions_state ON contact_regions (state_key, district_key);
CREATE INDEX contact_regions_district ON contact_regions (district_key);

-- The in-app notification centre: one row per notification of a user.
-- Mail follows the user's choice per kind: at once (mailed_at), in the
-- daily digest (digest_pending until digested_at) or not at all.
CREATE TABLE notifications (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL, -- e.g. catalog.review
    action         TEXT NOT NULL DEFAULT '', -- what happened, e.g. published
    title          TEXT NOT NULL, -- the object's name
    link           TEXT NOT NULL, -- a path on the platform
    created_at     TIMESTAMP NOT NULL,
    read_at        TIMESTAMP,
    mailed_at      TIMESTAMP,
    digest_pending BOOLEAN NOT NULL DEFAULT FALSE,
    digested_at    TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_digest ON notifications (digest_pending, user_id);

-- Mail choices per user and kind; without a row the kind's default holds.
CREATE TABLE notification_prefs (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL,
    mail    TEXT NOT NULL CHECK (mail IN ('immediate', 'digest', 'off')),
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_prefs;
DROP TABLE notifications;
DROP TABLE contact_regions;
DROP TABLE contacts;
