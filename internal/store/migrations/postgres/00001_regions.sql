-- +goose Up
CREATE TABLE states (
    key        TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    seat       TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE districts (
    key          TEXT PRIMARY KEY,
    state_key    TEXT NOT NULL REFERENCES states (key),
    name         TEXT NOT NULL,
    seat         TEXT NOT NULL DEFAULT '',
    type         INTEGER NOT NULL,
    dissolved_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX districts_state ON districts (state_key);

CREATE TABLE associations (
    district_key TEXT NOT NULL, -- 5 digits; no Kreis record exists for 07000 and 13000
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    seat         TEXT NOT NULL DEFAULT '',
    type         INTEGER NOT NULL,
    dissolved_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (district_key, code)
);

CREATE TABLE municipalities (
    ags                TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    name_sort          TEXT COLLATE "C" NOT NULL,
    name_search        TEXT NOT NULL,
    type               INTEGER NOT NULL,
    state_key          TEXT NOT NULL REFERENCES states (key),
    -- NULL for the few gemeindefreie Gebiete that belong to no Kreis
    district_key       TEXT REFERENCES districts (key),
    association_code   TEXT NOT NULL,
    area_ha            BIGINT NOT NULL,
    population         BIGINT NOT NULL,
    population_male    BIGINT NOT NULL,
    postcode           TEXT NOT NULL DEFAULT '',
    multiple_postcodes BOOLEAN NOT NULL DEFAULT FALSE,
    lat                DOUBLE PRECISION,
    lon                DOUBLE PRECISION,
    urbanisation       INTEGER NOT NULL DEFAULT 0,
    extra_source       TEXT NOT NULL DEFAULT '',
    register_date      TIMESTAMPTZ NOT NULL,
    dissolved_at       TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX municipalities_state ON municipalities (state_key, name_sort);
CREATE INDEX municipalities_district ON municipalities (district_key, name_sort);
CREATE INDEX municipalities_name ON municipalities (name_sort, ags);
CREATE INDEX municipalities_population ON municipalities (population DESC, ags);

CREATE TABLE register_imports (
    id            TEXT PRIMARY KEY,
    imported_at   TIMESTAMPTZ NOT NULL,
    register_date TIMESTAMPTZ NOT NULL,
    source        TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    added         INTEGER NOT NULL,
    changed       INTEGER NOT NULL,
    dissolved     INTEGER NOT NULL,
    unchanged     INTEGER NOT NULL,
    details       TEXT NOT NULL
);

CREATE TABLE accessibility_feedback (
    id         TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    lang       TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    page       TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE accessibility_feedback;
DROP TABLE register_imports;
DROP TABLE municipalities;
DROP TABLE associations;
DROP TABLE districts;
DROP TABLE states;
