-- +goose Up
-- The change log of the search (internal/search/memory.go): every write
-- that changes what the search finds or counts (publishing, archiving,
-- verified use, verification of a municipality, its members) records the
-- solution in the same transaction; '' stands for all. Each instance
-- keeps its in-memory index current by reading the log from the last
-- number it has seen. Writers lock the table (store/search_changes.go), so
-- numbers are committed in their order and a reader never skips one that
-- a slower transaction commits later.
CREATE TABLE search_changes (
    seq         BIGSERIAL PRIMARY KEY,
    solution_id TEXT NOT NULL
);
INSERT INTO search_changes (solution_id) VALUES ('');

-- +goose Down
DROP TABLE search_changes;
