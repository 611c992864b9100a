-- +goose Up
-- A counter that changes whenever the topics, the deadline rules or the working-day calendar
-- may change (see the PostgreSQL migration).
CREATE TABLE reference_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO reference_version (id, n) VALUES (1, 1);

-- +goose StatementBegin
CREATE TRIGGER reference_version_topics_insert AFTER INSERT ON topics
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_topics_update AFTER UPDATE ON topics
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_topics_delete AFTER DELETE ON topics
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_deadline_rules_insert AFTER INSERT ON deadline_rules
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_deadline_rules_update AFTER UPDATE ON deadline_rules
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_deadline_rules_delete AFTER DELETE ON deadline_rules
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_calendar_days_insert AFTER INSERT ON calendar_days
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_calendar_days_update AFTER UPDATE ON calendar_days
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reference_version_calendar_days_delete AFTER DELETE ON calendar_days
BEGIN
    UPDATE reference_version SET n = n + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER reference_version_calendar_days_delete;
DROP TRIGGER reference_version_calendar_days_update;
DROP TRIGGER reference_version_calendar_days_insert;
DROP TRIGGER reference_version_deadline_rules_delete;
DROP TRIGGER reference_version_deadline_rules_update;
DROP TRIGGER reference_version_deadline_rules_insert;
DROP TRIGGER reference_version_topics_delete;
DROP TRIGGER reference_version_topics_update;
DROP TRIGGER reference_version_topics_insert;
DROP TABLE reference_version;
