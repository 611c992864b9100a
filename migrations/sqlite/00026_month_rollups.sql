-- +goose Up
-- The due date a complaint or denunciation had when it was accepted (see the PostgreSQL migration).
ALTER TABLE petitions ADD COLUMN accept_due_on TEXT CHECK (accept_due_on IS NULL OR accept_due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
UPDATE petitions SET accept_due_on = (
    SELECT MIN(e.from_value) FROM petition_events e
    WHERE e.petition_id = petitions.id AND e.kind = 'accepted' AND e.from_value <> '')
WHERE accepted_at IS NOT NULL;

-- Rollup cells by Vietnam month of receipt, with the law's facts (see the PostgreSQL migration).
DROP TABLE petition_rollups;
CREATE TABLE petition_rollups (
    hamlet_id    INTEGER NOT NULL,
    month        TEXT NOT NULL,
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
    due_rule     TEXT NOT NULL,
    acceptance   TEXT NOT NULL,
    extensions   INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule,
                 acceptance, extensions)
) WITHOUT ROWID;
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, month);
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';

-- +goose Down
DROP TABLE petition_rollups;
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
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, day);
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';
ALTER TABLE petitions DROP COLUMN accept_due_on;
