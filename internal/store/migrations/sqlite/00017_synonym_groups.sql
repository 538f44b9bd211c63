-- +goose Up
-- Synonym groups get a stable id that is never reused (AUTOINCREMENT), so
-- that a curator's open edit form or an API client can never change a
-- group that has since been deleted and replaced; updated_at/updated_by
-- say who changed a group last (NULL: as shipped). The members stay in
-- search_synonyms, whose group_no is the group's id.
CREATE TABLE search_synonym_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    updated_at TIMESTAMP,
    updated_by TEXT
);
INSERT INTO search_synonym_groups (id) SELECT DISTINCT group_no FROM search_synonyms ORDER BY group_no;

-- +goose Down
DROP TABLE search_synonym_groups;
