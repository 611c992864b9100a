-- +goose Up
-- The rollup cells of a report are read by commune and month (see the PostgreSQL migration): the
-- primary key begins with them, and the index by commune is no longer needed.
CREATE TABLE petition_rollups_new (
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
INSERT INTO petition_rollups_new (hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite, answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule, acceptance, extensions, n)
    SELECT hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite, answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule, acceptance, extensions, n FROM petition_rollups;
DROP TABLE petition_rollups;
ALTER TABLE petition_rollups_new RENAME TO petition_rollups;
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;

-- +goose Down
CREATE TABLE petition_rollups_new (
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
INSERT INTO petition_rollups_new (hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite, answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule, acceptance, extensions, n)
    SELECT hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite, answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule, acceptance, extensions, n FROM petition_rollups;
DROP TABLE petition_rollups;
ALTER TABLE petition_rollups_new RENAME TO petition_rollups;
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, month);
CREATE INDEX petition_rollups_empty_idx ON petition_rollups (hamlet_id) WHERE n = 0;
