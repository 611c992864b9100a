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
CREATE INDEX units_live_level_idx ON units (level, path text_pattern_ops) WHERE valid_to IS NULL;

-- One recorded reorganization: merge, split, rename, move or dissolve a district, with its legal
-- basis. Append-only: a mistaken act is corrected by another act.
CREATE TABLE reorganizations (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('merge', 'split', 'rename', 'move', 'dissolve_district')),
    legal_number TEXT NOT NULL,
    legal_date   DATE NOT NULL,
    effective_on DATE NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    -- The act as it was submitted, and what applying it changed (the preview), as JSON.
    spec         TEXT NOT NULL,
    outcome      TEXT NOT NULL DEFAULT '{}',
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reorganizations_effective_idx ON reorganizations (effective_on, id);

-- +goose StatementBegin
CREATE FUNCTION reorganizations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER reorganizations_append_only BEFORE UPDATE OR DELETE ON reorganizations
    FOR EACH ROW EXECUTE FUNCTION reorganizations_append_only();

-- Predecessor → successor, from the effective date of the act that linked them.
CREATE TABLE unit_lineage (
    predecessor_id    BIGINT NOT NULL REFERENCES units(id),
    successor_id      BIGINT NOT NULL REFERENCES units(id),
    reorganization_id BIGINT NOT NULL REFERENCES reorganizations(id),
    effective_on      DATE NOT NULL,
    PRIMARY KEY (predecessor_id, successor_id)
);
CREATE INDEX unit_lineage_successor_idx ON unit_lineage (successor_id);
CREATE TRIGGER unit_lineage_append_only BEFORE UPDATE OR DELETE ON unit_lineage
    FOR EACH ROW EXECUTE FUNCTION reorganizations_append_only();

-- The name, kind and parent a live unit had before a rename or a move: what records made
-- before valid_to print.
CREATE TABLE unit_names (
    id                BIGSERIAL PRIMARY KEY,
    unit_id           BIGINT NOT NULL REFERENCES units(id),
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    parent_id         BIGINT REFERENCES units(id),
    valid_to          DATE NOT NULL,
    reorganization_id BIGINT NOT NULL REFERENCES reorganizations(id)
);
CREATE INDEX unit_names_unit_idx ON unit_names (unit_id, valid_to);
CREATE TRIGGER unit_names_append_only BEFORE UPDATE OR DELETE ON unit_names
    FOR EACH ROW EXECUTE FUNCTION reorganizations_append_only();

-- The communes a monitoring official follows when bound to an explicit set ("phụ trách địa bàn").
CREATE TABLE monitor_communes (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    commune_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (user_id, commune_id)
);

-- +goose Down
DROP TABLE monitor_communes;
DROP TABLE unit_names;
DROP TABLE unit_lineage;
DROP TABLE reorganizations;
DROP FUNCTION reorganizations_append_only();
DROP INDEX units_live_level_idx;
ALTER TABLE units DROP COLUMN valid_to;
ALTER TABLE units DROP COLUMN valid_from;
ALTER TABLE units DROP COLUMN kind;
