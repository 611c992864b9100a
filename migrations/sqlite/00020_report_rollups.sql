-- +goose Up
-- The first published answer, stored once when it is given (see the PostgreSQL migration).
ALTER TABLE petitions ADD COLUMN first_answered_at DATETIME;
UPDATE petitions SET first_answered_at = COALESCE(
    (SELECT MIN(e.created_at) FROM petition_events e
     WHERE e.petition_id = petitions.id AND e.kind = 'transition' AND e.to_value = 'answered'),
    answered_at)
WHERE answered_at IS NOT NULL;

-- What the report figures need of the petitions, counted per commune, hamlet, Vietnam day of
-- receipt and every fact a figure reads (models/report_rollups.go).
CREATE TABLE petition_rollups (
    hamlet_id    INTEGER NOT NULL,
    day          TEXT NOT NULL,
    commune_id   INTEGER NOT NULL,
    topic_id     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    state        TEXT NOT NULL,
    on_board     BOOLEAN NOT NULL,
    onsite       BOOLEAN NOT NULL,
    answer_hours INTEGER NOT NULL,
    on_time      BOOLEAN NOT NULL,
    close_hours  INTEGER NOT NULL,
    satisfaction TEXT NOT NULL,
    due_on       TEXT NOT NULL,
    matter       BOOLEAN NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (hamlet_id, day, commune_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter)
) WITHOUT ROWID;
-- Units as they are now read by hamlet (the primary key), as they were then by commune.
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, day);
-- Cells every petition has left hold 0 until swept.
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;

CREATE TABLE rollup_state (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

-- +goose Down
DROP TABLE rollup_state;
DROP TABLE petition_rollups;
ALTER TABLE petitions DROP COLUMN first_answered_at;
