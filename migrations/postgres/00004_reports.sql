-- +goose Up
-- Who exported which records, when and with which filters. Exports that carry personal data
-- (petitioners' names, phones, addresses) are marked; the log is append-only.
CREATE TABLE export_audit (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    export      TEXT NOT NULL CHECK (export IN ('petitions', 'summary')),
    format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    personal    BOOLEAN NOT NULL,
    filters     TEXT NOT NULL DEFAULT '{}',
    remote_addr TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX export_audit_created_idx ON export_audit (created_at DESC, id DESC);
CREATE INDEX export_audit_user_idx ON export_audit (user_id, created_at DESC);

-- +goose StatementBegin
CREATE FUNCTION export_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'export_audit is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER export_audit_append_only BEFORE UPDATE OR DELETE ON export_audit
    FOR EACH ROW EXECUTE FUNCTION export_audit_append_only();

-- +goose Down
DROP TABLE export_audit;
DROP FUNCTION export_audit_append_only();
