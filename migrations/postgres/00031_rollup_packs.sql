-- +goose Up
-- Rollup packs: the cells of one commune and month written as one value (models/report_packs.go),
-- so a province's report reads some hundred rows instead of a row per cell. A pack holds the
-- cells as a snapshot of the database saw them (rollup_pack_state.snap); a report reads the
-- packs and, beside them, the cells changed since that snapshot, which replace the packed ones
-- of the same key. Every write of a cell records its transaction (changed), so those are found
-- by the index on it; serve folds them into the packs every few seconds.
ALTER TABLE petition_rollups ADD COLUMN changed XID8 NOT NULL DEFAULT '0';
ALTER TABLE petition_rollups ALTER COLUMN changed SET DEFAULT pg_current_xact_id();
CREATE INDEX petition_rollups_changed_idx ON petition_rollups (changed);

-- +goose StatementBegin
CREATE FUNCTION petition_rollups_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed := pg_current_xact_id();
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER petition_rollups_changed BEFORE UPDATE ON petition_rollups
    FOR EACH ROW EXECUTE FUNCTION petition_rollups_changed();

CREATE TABLE rollup_packs (
    commune_id BIGINT NOT NULL,
    month      TEXT NOT NULL,
    cells      BYTEA NOT NULL,
    PRIMARY KEY (commune_id, month)
);
-- The snapshot the packs hold; none while there are no packs, and reports read the cells.
CREATE TABLE rollup_pack_state (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    snap PG_SNAPSHOT,
    -- How the packs are written (models.packVersion): packs of another are made again.
    version INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE rollup_pack_state;
DROP TABLE rollup_packs;
DROP TRIGGER petition_rollups_changed ON petition_rollups;
DROP FUNCTION petition_rollups_changed();
DROP INDEX petition_rollups_changed_idx;
ALTER TABLE petition_rollups DROP COLUMN changed;
