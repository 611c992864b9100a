-- +goose Up
-- Rollup packs (see the PostgreSQL migration). SQLite's reports read the cells, which a single
-- writer keeps few: the tables stay empty here and changed 0, kept for the two schemas to match.
ALTER TABLE petition_rollups ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE rollup_packs (
    commune_id INTEGER NOT NULL,
    month      TEXT NOT NULL,
    cells      BLOB NOT NULL,
    PRIMARY KEY (commune_id, month)
);
CREATE TABLE rollup_pack_state (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    snap TEXT,
    -- How the packs are written (models.packVersion): packs of another are made again.
    version INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE rollup_pack_state;
DROP TABLE rollup_packs;
ALTER TABLE petition_rollups DROP COLUMN changed;
