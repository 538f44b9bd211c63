-- +goose Up
-- Knowledge base of the competence centre (package knowledge): articles
-- (guides, checklists, templates) with a working version under review and
-- every published version kept. Lists of keys are stored as ",a,b," so
-- that one LIKE finds a key on both databases. Times are UTC; last_checked
-- is a calendar day YYYY-MM-DD.
CREATE TABLE knowledge_articles (
    id             TEXT PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    owner_id       TEXT REFERENCES users (id) ON DELETE SET NULL, -- NULL: "deleted account"
    -- the working version
    state          TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'changes_requested', 'published')),
    kind           TEXT NOT NULL CHECK (kind IN ('guide', 'checklist', 'template')),
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    fields         TEXT NOT NULL DEFAULT ',',
    solutions      TEXT NOT NULL DEFAULT ',',
    related        TEXT NOT NULL DEFAULT ',',
    editor_id      TEXT REFERENCES users (id) ON DELETE SET NULL, -- who last wrote the working version
    authors        TEXT NOT NULL DEFAULT ',', -- ids of everyone who wrote the working version since it was last published (four-eyes)
    review_note    TEXT NOT NULL DEFAULT '',   -- the curator's comment on "changes requested"
    lock_version   INTEGER NOT NULL DEFAULT 1, -- optimistic lock of the working version
    published      INTEGER NOT NULL DEFAULT 0, -- number of the current published version, 0 for none
    last_checked   TEXT NOT NULL,
    reminded_at    TIMESTAMP,                -- last "possibly outdated" mail to the owner
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX knowledge_articles_checked ON knowledge_articles (published, last_checked);

CREATE TABLE knowledge_versions (
    article_id   TEXT NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL,
    fields       TEXT NOT NULL,
    solutions    TEXT NOT NULL,
    related      TEXT NOT NULL,
    author_id    TEXT REFERENCES users (id) ON DELETE SET NULL,
    reviewer_id  TEXT REFERENCES users (id) ON DELETE SET NULL,
    comment      TEXT NOT NULL DEFAULT '',
    published_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Attachments of an article; the type is sniffed from the content.
CREATE TABLE knowledge_attachments (
    id          TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    mime_type   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    uploaded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX knowledge_attachments_article ON knowledge_attachments (article_id);

-- "Helpful?" votes, one per user and article; deleted with the account.
CREATE TABLE knowledge_ratings (
    article_id TEXT NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    helpful    BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
CREATE INDEX knowledge_ratings_user ON knowledge_ratings (user_id);

-- Correction suggestions of readers; deleted with the account.
CREATE TABLE knowledge_suggestions (
    id         TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES knowledge_articles (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('open', 'done', 'declined')),
    note       TEXT NOT NULL DEFAULT '',
    decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP
);
CREATE INDEX knowledge_suggestions_open ON knowledge_suggestions (state, created_at);
CREATE INDEX knowledge_suggestions_user ON knowledge_suggestions (user_id);

-- +goose Down
DROP TABLE knowledge_suggestions;
DROP TABLE knowledge_ratings;
DROP TABLE knowledge_attachments;
DROP TABLE knowledge_versions;
DROP TABLE knowledge_articles;
