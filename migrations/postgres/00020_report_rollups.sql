-- +goose Up
-- The first published answer, stored once when it is given: reports read it instead of looking
-- for the earliest answer in each petition's history. A reopened petition answered again keeps it.
ALTER TABLE petitions ADD COLUMN first_answered_at TIMESTAMPTZ;
UPDATE petitions p SET first_answered_at = COALESCE(f.at, p.answered_at)
FROM (SELECT petition_id, MIN(created_at) AS at FROM petition_events
      WHERE kind = 'transition' AND to_value = 'answered' GROUP BY petition_id) f
WHERE f.petition_id = p.id AND p.answered_at IS NOT NULL;
UPDATE petitions SET first_answered_at = answered_at
WHERE answered_at IS NOT NULL AND first_answered_at IS NULL;

-- What the report figures need of the petitions, counted per commune, hamlet, Vietnam day of
-- receipt and every fact a figure reads (models/report_rollups.go says what each column holds).
-- Each petition write moves its count from its old cell to its new one in the same transaction;
-- papi fills the table from the petitions when it migrates (rollup_state holds the definition's
-- version), so a new definition rebuilds it.
CREATE TABLE petition_rollups (
    hamlet_id    BIGINT NOT NULL,
    day          TEXT NOT NULL,
    commune_id   BIGINT NOT NULL,
    topic_id     BIGINT NOT NULL,
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
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter) INCLUDE (n)
);
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
