-- +goose Up
-- The fields of action (Handlungsfelder): a two-level taxonomy that
-- solutions are filed under, seeded from internal/catalog/fields.json on
-- first start and edited by operators.
CREATE TABLE fields_of_action (
    key        TEXT PRIMARY KEY, -- "mobility", "mobility.parking"
    parent_key TEXT REFERENCES fields_of_action (key),
    label_de   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fields_of_action_parent ON fields_of_action (parent_key, position);

-- +goose Down
DROP TABLE fields_of_action;
