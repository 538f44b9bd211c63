-- +goose Up
-- Similar solutions and "Kommunen wie Ihre nutzen …" (store/similar.go)
-- count verified current use per organisation and per solution. These
-- indexes hold every column of that rule (usage.go: useCurrent and the
-- declaring user of useVerified), so the counts are read from the index
-- alone, without a lookup of each declaration's row.
CREATE INDEX solution_usages_counted_org ON solution_usages (org_id, solution_id, status, withdrawn_at, declared_by);
CREATE INDEX solution_usages_counted_solution ON solution_usages (solution_id, org_id, status, withdrawn_at, declared_by);

-- +goose Down
DROP INDEX solution_usages_counted_solution;
DROP INDEX solution_usages_counted_org;
