-- +goose Up
-- Facets of the catalogue search (internal/search/facets.go): one row per
-- facet value of a published, not archived solution, written with its
-- search document. Evidence has the time it expires as RFC 3339 UTC text
-- ('' for never), so both dialects compare it the same way.
CREATE TABLE solution_facets (
    solution_id TEXT NOT NULL REFERENCES solutions (id),
    facet       TEXT NOT NULL,
    value       TEXT NOT NULL,
    expires     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (solution_id, facet, value)
);
CREATE INDEX solution_facets_value ON solution_facets (facet, value, solution_id);

-- +goose Down
DROP TABLE solution_facets;
