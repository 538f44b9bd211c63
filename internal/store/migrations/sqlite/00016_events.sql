-- +goose Up
-- Trainings and information events with registration and a waiting list.
-- Times are UTC; pages enter and show them in Europe/Berlin.
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '', -- Markdown
    kind         TEXT NOT NULL CHECK (kind IN ('training', 'information')),
    format       TEXT NOT NULL CHECK (format IN ('online', 'onsite', 'hybrid')),
    address      TEXT NOT NULL DEFAULT '',
    online_url   TEXT NOT NULL DEFAULT '', -- for confirmed attendees only
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    deadline_at  TIMESTAMP NOT NULL, -- end of registration, not after the start
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    org_id       TEXT REFERENCES organisations (id) ON DELETE SET NULL, -- the organiser
    fields       TEXT NOT NULL DEFAULT '[]', -- JSON list of fields of action
    materials    TEXT NOT NULL DEFAULT '[]', -- JSON list of {label, url}
    state        TEXT NOT NULL CHECK (state IN ('draft', 'published', 'cancelled')),
    lock_version INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL, -- user id, no foreign key: kept when the account is deleted
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);
CREATE INDEX events_start ON events (starts_at, id);
CREATE INDEX events_end ON events (ends_at, id);

-- One registration per user and event; cancelling keeps the row so that
-- registering again takes it up with a new place in the queue (seq).
CREATE TABLE event_registrations (
    id             TEXT PRIMARY KEY,
    event_id       TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation   TEXT NOT NULL DEFAULT '',
    access_needs   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    seq            INTEGER NOT NULL, -- order of (re-)registration within the event: the waiting list's order
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    cancelled_at   TIMESTAMP,
    reminded_at    TIMESTAMP,
    promoted_at    TIMESTAMP,
    notice_pending BOOLEAN NOT NULL DEFAULT FALSE, -- moved up without a mail yet (the sweep sends it)
    UNIQUE (event_id, user_id),
    UNIQUE (event_id, seq)
);
CREATE INDEX event_registrations_user ON event_registrations (user_id);
CREATE INDEX event_registrations_status ON event_registrations (event_id, status, seq);

-- Feedback after an event from those who had a place: a rating from 1 to
-- 5 and a comment, once per person. The organisers see it without names.
CREATE TABLE event_feedback (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX event_feedback_user ON event_feedback (user_id);

-- +goose Down
DROP TABLE event_feedback;
DROP TABLE event_registrations;
DROP TABLE events;
