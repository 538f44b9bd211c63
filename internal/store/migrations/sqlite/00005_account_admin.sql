-- +goose Up
-- The operators' audit log filters by object, and a user's export and
-- deletion look up their entries as object and the mails to their address.
CREATE INDEX audit_log_object ON audit_log (object_id, at DESC);
CREATE INDEX mail_outbox_recipient ON mail_outbox (recipient);

-- +goose Down
DROP INDEX mail_outbox_recipient;
DROP INDEX audit_log_object;
