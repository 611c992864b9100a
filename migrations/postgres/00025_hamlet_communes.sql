-- +goose Up
-- Every commune a hamlet has belonged to, or had a petition made in: the lookup that lets a
-- list of "the petitions of the hamlets under this unit" (a merged or split commune's records
-- follow their hamlets) select by commune instead, through the petitions' (commune_id, …)
-- indexes, and stop after a page. Derived data, kept by the triggers below whatever writes the
-- units or the petitions (acts, imports, edits, the seed).
CREATE TABLE hamlet_communes (
    hamlet_id  BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
    commune_id BIGINT NOT NULL REFERENCES units(id) ON DELETE CASCADE,
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
CREATE FUNCTION hamlet_communes_from_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level = 'hamlet' AND NEW.parent_id IS NOT NULL THEN
        INSERT INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.id, NEW.parent_id)
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER hamlet_communes_from_unit AFTER INSERT OR UPDATE OF parent_id ON units
    FOR EACH ROW EXECUTE FUNCTION hamlet_communes_from_unit();

-- +goose StatementBegin
CREATE FUNCTION hamlet_communes_from_petition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hamlet_communes (hamlet_id, commune_id) VALUES (NEW.hamlet_id, NEW.commune_id)
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER hamlet_communes_from_petition AFTER INSERT OR UPDATE OF hamlet_id, commune_id ON petitions
    FOR EACH ROW EXECUTE FUNCTION hamlet_communes_from_petition();

-- +goose Down
DROP TRIGGER hamlet_communes_from_petition ON petitions;
DROP FUNCTION hamlet_communes_from_petition();
DROP TRIGGER hamlet_communes_from_unit ON units;
DROP FUNCTION hamlet_communes_from_unit();
DROP TABLE hamlet_communes;
