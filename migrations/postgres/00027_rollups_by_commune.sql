-- +goose Up
-- The rollup cells of a report are read by commune and month, contiguously: as they were then by
-- the communes they were made in, as they are now by the communes hamlet_communes names for the
-- hamlets under the report's units. The primary key begins with them and holds every column,
-- so a period's cells are read from the index alone; the index by commune is no longer needed.
-- The cells stay as they are (rollupVersion unchanged).
ALTER TABLE petition_rollups DROP CONSTRAINT petition_rollups_pkey;
DROP INDEX petition_rollups_commune_idx;
ALTER TABLE petition_rollups ADD CONSTRAINT petition_rollups_pkey
    PRIMARY KEY (commune_id, month, hamlet_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule,
                 acceptance, extensions) INCLUDE (n);

-- +goose Down
ALTER TABLE petition_rollups DROP CONSTRAINT petition_rollups_pkey;
ALTER TABLE petition_rollups ADD CONSTRAINT petition_rollups_pkey
    PRIMARY KEY (hamlet_id, month, commune_id, topic_id, kind, channel, state, on_board, onsite,
                 answer_hours, on_time, close_hours, satisfaction, due_on, matter, due_rule,
                 acceptance, extensions) INCLUDE (n);
CREATE INDEX petition_rollups_commune_idx ON petition_rollups (commune_id, month);
