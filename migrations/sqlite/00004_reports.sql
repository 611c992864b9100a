-- +goose Up
-- Who exported which records, when and with which filters. Exports that carry personal data
-- (petitioners' names, phones, addresses) are marked; the log is append-only.
CREATE TABLE export_audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    export      TEXT NOT NULL CHECK (export IN ('petitions', 'summary')),
    format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    personal    BOOLEAN NOT NULL,
    filters     TEXT NOT NULL DEFAULT '{}',
    remote_addr TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX export_audit_created_idx ON export_audit (created_at DESC, id DESC);
CREATE INDEX export_audit_user_idx ON export_audit (user_id, created_at DESC);

-- +goose StatementBegin
CREATE TRIGGER export_audit_no_update BEFORE UPDATE ON export_audit
BEGIN
    SELECT RAISE(ABORT, 'export_audit is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER export_audit_no_delete BEFORE DELETE ON export_audit
BEGIN
    SELECT RAISE(ABORT, 'export_audit is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE export_audit;
