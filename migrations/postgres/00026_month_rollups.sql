-- +goose Up
-- The due date a complaint or denunciation had when it was accepted (thụ lý), stored with the
-- acceptance: the law's figures judge the acceptance against it without reading the history.
ALTER TABLE petitions ADD COLUMN accept_due_on DATE;
UPDATE petitions p SET accept_due_on = CAST(a.due AS DATE)
FROM (SELECT petition_id, MIN(from_value) AS due FROM petition_events
      WHERE kind = 'accepted' AND from_value <> '' GROUP BY petition_id) a
WHERE a.petition_id = p.id AND p.accepted_at IS NOT NULL;

-- Rollup cells by Vietnam month of receipt instead of day, with the law's facts (the rule of
-- the due date, how the acceptance went, the extensions) so the law's figures read them too.
-- papi fills the table again when it migrates (rollupVersion in models/report_rollups.go).
DROP TABLE petition_rollups;
CREATE TABLE petition_rollups (
    hamlet_id    BIGINT NOT NULL,
    month        TEXT NOT NULL,
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
    due_rule     TEXT NOT NULL,
    acceptance   TEXT NOT NULL,
    extensions   INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule,
                 acceptance, extensions) INCLUDE (n)
);
-- Units as they are now read by hamlet (the primary key), as they were then by commune.
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, month);
-- Cells every petition has left hold 0 until swept.
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';

-- +goose Down
DROP TABLE petition_rollups;
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
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, day);
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';
ALTER TABLE petitions DROP COLUMN accept_due_on;
