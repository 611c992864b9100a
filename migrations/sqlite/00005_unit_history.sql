-- +goose Up
-- Units as they really are since the 2025 reform: a kind (xã, phường, đặc khu, thôn, ấp...),
-- a validity period, and a history of reorganizations. A unit ended by a merger or a split keeps
-- its row, its code, its name and its parent as they were; its path moves under its successor, so
-- whoever holds the successor holds the predecessor's records too (DESIGN.md §3).
ALTER TABLE units ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN valid_from DATE;
-- valid_to is the effective date of the act that ended the unit: it was valid before that day.
ALTER TABLE units ADD COLUMN valid_to DATE;
UPDATE units SET kind = CASE level WHEN 'province' THEN 'tinh' WHEN 'district' THEN 'huyen'
    WHEN 'commune' THEN 'xa' ELSE 'ap' END;
CREATE INDEX units_live_level_idx ON units (level, path) WHERE valid_to IS NULL;

-- One recorded reorganization: merge, split, rename, move or dissolve a district, with its legal
-- basis. Append-only: a mistaken act is corrected by another act.
CREATE TABLE reorganizations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move', 'dissolve_district')),
    legal_number TEXT NOT NULL,
    legal_date   DATE NOT NULL,
    effective_on DATE NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    -- The act as it was submitted, and what applying it changed (the preview), as JSON.
    spec         TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '{}',
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX reorganizations_effective_idx ON reorganizations (effective_on, id);
-- +goose StatementBegin
CREATE TRIGGER reorganizations_no_update BEFORE UPDATE ON reorganizations
BEGIN
    SELECT RAISE(ABORT, 'reorganizations is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reorganizations_no_delete BEFORE DELETE ON reorganizations
BEGIN
    SELECT RAISE(ABORT, 'reorganizations is append-only');
END;
-- +goose StatementEnd

-- Predecessor → successor, from the effective date of the act that linked them.
CREATE TABLE unit_lineage (
    predecessor_id    INTEGER NOT NULL REFERENCES units(id),
    successor_id      INTEGER NOT NULL REFERENCES units(id),
    reorganization_id INTEGER NOT NULL REFERENCES reorganizations(id),
    effective_on      DATE NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX unit_lineage_successor_idx ON unit_lineage (successor_id);
-- +goose StatementBegin
CREATE TRIGGER unit_lineage_no_update BEFORE UPDATE ON unit_lineage
BEGIN
    SELECT RAISE(ABORT, 'unit_lineage is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_lineage_no_delete BEFORE DELETE ON unit_lineage
BEGIN
    SELECT RAISE(ABORT, 'unit_lineage is append-only');
END;
-- +goose StatementEnd

-- The name, kind and parent a live unit had before a rename or a move: what records made
-- before valid_to print.
CREATE TABLE unit_names (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    parent_id         INTEGER REFERENCES units(id),
    valid_to          DATE NOT NULL,
    reorganization_id INTEGER NOT NULL REFERENCES reorganizations(id)
);
CREATE INDEX unit_names_unit_idx ON unit_names (unit_id, valid_to);
-- +goose StatementBegin
CREATE TRIGGER unit_names_no_update BEFORE UPDATE ON unit_names
BEGIN
    SELECT RAISE(ABORT, 'unit_names is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER unit_names_no_delete BEFORE DELETE ON unit_names
BEGIN
    SELECT RAISE(ABORT, 'unit_names is append-only');
END;
-- +goose StatementEnd

-- The communes a monitoring official follows when bound to an explicit set ("phụ trách địa bàn").
CREATE TABLE monitor_communes (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    commune_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, commune_id)
);

-- +goose Down
DROP TABLE monitor_communes;
DROP TABLE unit_names;
DROP TABLE unit_lineage;
DROP TABLE reorganizations;
DROP INDEX units_live_level_idx;
ALTER TABLE units DROP COLUMN valid_to;
ALTER TABLE units DROP COLUMN valid_from;
ALTER TABLE units DROP COLUMN kind;
