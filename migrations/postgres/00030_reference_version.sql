-- +goose Up
-- A counter that changes whenever the reference data every report reads may change: the
-- topics, the deadline rules and the working-day calendar. Processes keep them between requests
-- while it reads the same (models/reference.go); the triggers bump it in the transaction making
-- the change, once per transaction, so a reader sees the new counter exactly when it sees the
-- change. It is read in the same statement as unit_scope_version.
CREATE TABLE reference_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO reference_version (id, n) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION reference_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('papi.reference_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE reference_version SET n = n + 1 WHERE id = 1;
        PERFORM set_config('papi.reference_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reference_version_topics AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump();
CREATE TRIGGER reference_version_deadline_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deadline_rules
    FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump();
CREATE TRIGGER reference_version_calendar_days AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump();

-- +goose Down
DROP TRIGGER reference_version_calendar_days ON calendar_days;
DROP TRIGGER reference_version_deadline_rules ON deadline_rules;
DROP TRIGGER reference_version_topics ON topics;
DROP FUNCTION reference_version_bump();
DROP TABLE reference_version;
