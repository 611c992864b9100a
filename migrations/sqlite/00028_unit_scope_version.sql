-- +goose Up
-- A counter that changes whenever what a unit holds may change (see the PostgreSQL migration).
CREATE TABLE unit_scope_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO unit_scope_version (id, n) VALUES (1, 1);

-- +goose StatementBegin
CREATE TRIGGER unit_scope_version_unit_insert AFTER INSERT ON units
BEGIN
    UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_scope_version_unit_update AFTER UPDATE ON units
BEGIN
    UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_scope_version_unit_delete AFTER DELETE ON units
BEGIN
    UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_scope_version_hamlet_commune_insert AFTER INSERT ON hamlet_communes
BEGIN
    UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_scope_version_hamlet_commune_delete AFTER DELETE ON hamlet_communes
BEGIN
    UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER unit_scope_version_hamlet_commune_delete;
DROP TRIGGER unit_scope_version_hamlet_commune_insert;
DROP TRIGGER unit_scope_version_unit_delete;
DROP TRIGGER unit_scope_version_unit_update;
DROP TRIGGER unit_scope_version_unit_insert;
DROP TABLE unit_scope_version;
