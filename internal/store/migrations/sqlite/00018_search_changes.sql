-- +goose Up
-- The change log of the search (internal/search/memory.go): every write
-- that changes what the search finds or counts (publishing, archiving,
-- verified use, verification of a municipality, its members) records the
-- solution in the same transaction; '' stands for all. Each instance
-- keeps its in-memory index current by reading the log from the last
-- number it has seen. AUTOINCREMENT: numbers are never reused, so a
-- cleared log still moves forward.
CREATE TABLE search_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    solution_id TEXT NOT NULL
);
INSERT INTO search_changes (solution_id) VALUES ('');

-- +goose Down
DROP TABLE search_changes;
