-- +goose Up
-- Petitions raising one matter (the same road from three hamlets) linked to one main petition:
-- the main's published answer answers them all, and they close with it.
ALTER TABLE petitions ADD COLUMN main_id BIGINT REFERENCES petitions(id);
CREATE INDEX petitions_main_id_idx ON petitions (main_id) WHERE main_id IS NOT NULL;

-- +goose Down
DROP INDEX petitions_main_id_idx;
ALTER TABLE petitions DROP COLUMN main_id;
