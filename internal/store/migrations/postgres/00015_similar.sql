-- +goose Up
-- Similar solutions and "Kommunen wie Ihre nutzen …" (store/similar.go)
-- count verified current use per organisation and per solution. These
-- indexes hold every column of that rule (usage.go: useCurrent and the
-- declaring user of useVerified), so the counts can be read by index-only
-- scans, without a lookup of each declaration's row.
CREATE INDEX solution_usages_counted_org ON solution_usages (org_id, solution_id) INCLUDE (status, withdrawn_at, declared_by);
CREATE INDEX solution_usages_counted_solution ON solution_usages (solution_id, org_id) INCLUDE (status, withdrawn_at, declared_by);

-- Similar solutions look for rare words of the name and short text
-- (store/similar_postgres.go). In search_docs.doc those are the lexemes of
-- weight A and B, but a weight restriction makes PostgreSQL recheck every
-- document that has the word anywhere (often in thousands of
-- descriptions); this index holds only the words of name and short text.
CREATE INDEX search_docs_name_short ON search_docs USING GIN (to_tsvector('simple', name || ' ' || short));

-- +goose Down
DROP INDEX search_docs_name_short;
DROP INDEX solution_usages_counted_solution;
DROP INDEX solution_usages_counted_org;
