-- +goose Up
-- Which expiring evidence of a published solution its provider and the
-- curators have been warned about. A new expiry date is a new row, so a
-- renewed certificate is warned about again before it runs out.
CREATE TABLE evidence_warnings (
    solution_id TEXT NOT NULL REFERENCES solutions (id),
    kind        TEXT NOT NULL,
    expires_on  TEXT NOT NULL, -- the evidence's expiry date, YYYY-MM-DD
    warned_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (solution_id, kind, expires_on)
);

-- +goose Down
DROP TABLE evidence_warnings;
