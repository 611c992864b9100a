-- +goose Up
-- A counter that changes whenever what a unit holds may change: the units (an act, an import,
-- an edit) or the communes a hamlet has been in (hamlet_communes). Processes keep what a unit's
-- scope resolves to (the communes of hamletsUnderSQL) and the units themselves while the counter
-- reads the same; it is bumped by the triggers below in the transaction making the change, once
-- per transaction, so a reader sees the new counter exactly when it sees the change.
CREATE TABLE unit_scope_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO unit_scope_version (id, n) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION unit_scope_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: a seed or an import writing thousands of units would otherwise
    -- update the one row thousands of times.
    IF current_setting('papi.unit_scope_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE unit_scope_version SET n = n + 1 WHERE id = 1;
        PERFORM set_config('papi.unit_scope_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER unit_scope_version_units AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION unit_scope_version_bump();
-- Row triggers: an insert that added nothing (a petition in a known hamlet and commune) fires none.
CREATE TRIGGER unit_scope_version_hamlet_communes AFTER INSERT OR DELETE ON hamlet_communes
    FOR EACH ROW EXECUTE FUNCTION unit_scope_version_bump();

-- The late petitions of a commune by due date (lateSQL): a province's overdue lists sort the
-- keys of its late petitions from this index alone, then read the page's rows.
CREATE INDEX petitions_late_idx ON petitions (commune_id, due_on, id)
    WHERE state_type = 'open' AND state <> 'answered' AND due_on IS NOT NULL;

-- +goose Down
DROP INDEX petitions_late_idx;
DROP TRIGGER unit_scope_version_hamlet_communes ON hamlet_communes;
DROP TRIGGER unit_scope_version_units ON units;
DROP FUNCTION unit_scope_version_bump();
DROP TABLE unit_scope_version;
