-- +goose Up
-- The commune's officers a petition can be handed to (công chức: địa chính, tư pháp – hộ tịch,
-- văn hóa – xã hội, công an xã...): a named function the commune keeps, held by one of its
-- users or by nobody in the system yet.
CREATE TABLE assignees (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id INTEGER NOT NULL REFERENCES units(id),
    name       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users(id),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX assignees_commune_name_key ON assignees (commune_id, name);
CREATE INDEX assignees_user_id_idx ON assignees (user_id) WHERE user_id IS NOT NULL;

-- Who handles a petition inside its commune, beside the responsible unit and name.
ALTER TABLE petitions ADD COLUMN assignee_id INTEGER REFERENCES assignees(id);
CREATE INDEX petitions_assignee_id_idx ON petitions (assignee_id) WHERE assignee_id IS NOT NULL;

-- +goose Down
DROP INDEX petitions_assignee_id_idx;
ALTER TABLE petitions DROP COLUMN assignee_id;
DROP TABLE assignees;
