-- +goose Up
-- A rollup cell's kind, channel, state, satisfaction, acceptance, on-site answer, answer on
-- time, matter and extensions are one integer, facts (models/report_rollups.go, cellFacts): a
-- province's report reads thousands of cells, and PostgreSQL sends, and papi decodes, one
-- integer for a fraction of what nine columns (six of them text) cost. The columns a report
-- filters or ranges on (commune, month, hamlet, topic, on the public board) stay their own.
-- papi fills the table again when it migrates (rollupVersion 3).
DROP TABLE petition_rollups;
CREATE TABLE petition_rollups (
    hamlet_id    INTEGER NOT NULL,
    month        TEXT NOT NULL,
    commune_id   INTEGER NOT NULL,
    topic_id     INTEGER NOT NULL,
    on_board     BOOLEAN NOT NULL,
    facts        INTEGER NOT NULL,
    answer_hours INTEGER NOT NULL,
    close_hours  INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    due_rule     TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (commune_id, month, hamlet_id, topic_id, on_board, facts, answer_hours,
                 close_hours, due_on, due_rule)
) WITHOUT ROWID;
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';

-- +goose Down
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
    PRIMARY KEY (commune_id, month, hamlet_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule,
                 acceptance, extensions)
) WITHOUT ROWID;
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
DELETE FROM rollup_state WHERE name = 'petitions';
