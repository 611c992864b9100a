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

-- The late petitions of a commune by due date (lateSQL): a province's overdue lists sort the
-- keys of its late petitions from this index alone, then read the page's rows.
CREATE INDEX petitions_late_idx ON petitions (commune_id, due_on, id)
    WHERE state_type = 'open' AND state <> 'answered' AND due_on IS NOT NULL;

-- +goose Down
DROP INDEX petitions_late_idx;
DROP TRIGGER unit_scope_version_hamlet_commune_delete;
DROP TRIGGER unit_scope_version_hamlet_commune_insert;
DROP TRIGGER unit_scope_version_unit_delete;
DROP TRIGGER unit_scope_version_unit_update;
DROP TRIGGER unit_scope_version_unit_insert;
DROP TABLE unit_scope_version;
