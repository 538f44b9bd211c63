-- +goose Up
-- Organisations: municipalities, districts, states, federal bodies, IT
-- service providers, companies, associations and research institutes. A
-- municipality, district or state organisation is tied to its key in the
-- register (AGS, district key, state key); there is one per key.
CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL, -- folded name for search and sorting
    region_key  TEXT UNIQUE,   -- AGS (8), district (5) or state (2) key; NULL for other kinds
    website     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    verified_at TIMESTAMPTZ,     -- NULL: not verified, may prepare but not publish
    verified_by TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL DEFAULT '', -- user id; kept when the account is deleted
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX organisations_name ON organisations (name_key, id);

-- Official e-mail domains, maintained by curators: a confirmed address at
-- one of them verifies a claim to act for the organisation at once.
CREATE TABLE organisation_domains (
    org_id   TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    domain   TEXT NOT NULL,
    added_by TEXT NOT NULL DEFAULT '',
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, domain)
);
CREATE INDEX organisation_domains_domain ON organisation_domains (domain);

CREATE TABLE memberships (
    org_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('member', 'admin')),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Invitations by e-mail; the secret is only in the mail.
CREATE TABLE invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('member', 'admin')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    accepted_by TEXT NOT NULL DEFAULT '',
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX invitations_org ON invitations (org_id, created_at DESC);
CREATE INDEX invitations_email ON invitations (email);

-- Claims to act for an organisation, decided automatically (official
-- domain) or by a curator with a reason.
CREATE TABLE verification_requests (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email           TEXT NOT NULL, -- the requester's confirmed address at the time
    statement       TEXT NOT NULL DEFAULT '', -- the requester's explanation
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    automatic       BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMPTZ,
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX verification_requests_status ON verification_requests (status, created_at, id);
CREATE INDEX verification_requests_org ON verification_requests (org_id, created_at DESC);
CREATE UNIQUE INDEX verification_requests_pending ON verification_requests (org_id, user_id) WHERE status = 'pending';

-- +goose Down
DROP TABLE verification_requests;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE organisation_domains;
DROP TABLE organisations;
