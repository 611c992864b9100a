-- +goose Up
-- Every commune a hamlet has belonged to, or had a petition made in: the lookup that lets a
-- list of "the petitions of the hamlets under this unit" (a merged or split commune's records
-- follow their hamlets) select by commune instead, through the petitions' (commune_id, …)
-- indexes, and stop after a page. Derived data, kept by the triggers below whatever writes the
-- units or the petitions (acts, imports, edits, the seed).
CREATE TABLE hamlet_communes (
    hamlet_id  INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    commune_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    PRIMARY KEY (hamlet_id, commune_id)
);
CREATE INDEX hamlet_communes_commune_idx ON hamlet_communes (commune_id, hamlet_id);

INSERT INTO hamlet_communes (hamlet_id, commune_id)
    SELECT id, parent_id FROM units WHERE level = 'hamlet' AND parent_id IS NOT NULL
    UNION
    SELECT n.unit_id, n.parent_id FROM unit_names n JOIN units h ON h.id = n.unit_id
        WHERE h.level = 'hamlet' AND n.parent_id IS NOT NULL
    UNION
    SELECT DISTINCT hamlet_id, commune_id FROM petitions;

-- +goose StatementBegin
CREATE TRIGGER hamlet_communes_unit_insert AFTER INSERT ON units
    WHEN NEW.level = 'hamlet' AND NEW.parent_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.id, NEW.parent_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hamlet_communes_unit_update AFTER UPDATE OF parent_id ON units
    WHEN NEW.level = 'hamlet' AND NEW.parent_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.id, NEW.parent_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hamlet_communes_petition_insert AFTER INSERT ON petitions
BEGIN
    INSERT OR IGNORE INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.hamlet_id, NEW.commune_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER hamlet_communes_petition_update AFTER UPDATE OF hamlet_id, commune_id ON petitions
BEGIN
    INSERT OR IGNORE INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.hamlet_id, NEW.commune_id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER hamlet_communes_petition_update;
DROP TRIGGER hamlet_communes_petition_insert;
DROP TRIGGER hamlet_communes_unit_update;
DROP TRIGGER hamlet_communes_unit_insert;
DROP TABLE hamlet_communes;
