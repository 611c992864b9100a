-- +goose Up

-- The last reference number handed out per commune and year; the upsert that bumps it locks the
-- row, so concurrent inserts of one commune queue here and never share a number.
CREATE TABLE petition_counters (
    commune_id INTEGER NOT NULL REFERENCES units(id),
    year       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, year)
);

CREATE TABLE petitions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    reference           TEXT NOT NULL,
    commune_id          INTEGER NOT NULL REFERENCES units(id),
    hamlet_id           INTEGER NOT NULL REFERENCES units(id),
    dialogue_id         INTEGER REFERENCES dialogues(id),
    channel             TEXT NOT NULL CHECK (channel IN ('dialogue', 'reception', 'letter', 'phone', 'online')),
    kind                TEXT NOT NULL CHECK (kind IN ('phan_anh', 'kien_nghi', 'khieu_nai', 'to_cao')),
    topic_id            INTEGER NOT NULL REFERENCES topics(id),
    content             TEXT NOT NULL,
    petitioner_name     TEXT NOT NULL DEFAULT '',
    petitioner_phone    TEXT NOT NULL DEFAULT '',
    petitioner_address  TEXT NOT NULL DEFAULT '',
    anonymous           BOOLEAN NOT NULL DEFAULT FALSE,
    onsite_answer       TEXT NOT NULL DEFAULT '',
    received_at         DATETIME NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('received', 'assigned', 'in_progress', 'referred', 'answered', 'resolved', 'closed', 'reopened')),
    -- The type of the state (DESIGN.md §4), kept with it so counts and the overdue index need no list of states.
    state_type          TEXT NOT NULL CHECK (state_type = CASE state WHEN 'resolved' THEN 'fixed' WHEN 'closed' THEN 'closed' ELSE 'open' END),
    responsible_unit_id INTEGER REFERENCES units(id),
    responsible_name    TEXT NOT NULL DEFAULT '',
    -- A calendar date as YYYY-MM-DD text: compares and sorts like PostgreSQL's DATE.
    due_on              TEXT CHECK (due_on IS NULL OR due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    answer_draft        TEXT NOT NULL DEFAULT '',
    answer              TEXT NOT NULL DEFAULT '',
    answered_at         DATETIME,
    answered_by         INTEGER REFERENCES users(id),
    resolved_at         DATETIME,
    closed_at           DATETIME,
    close_reason        TEXT CHECK (close_reason IN ('explained', 'duplicate', 'not_competent', 'withdrawn')),
    duplicate_of        INTEGER REFERENCES petitions(id),
    satisfaction        TEXT CHECK (satisfaction IN ('very_satisfied', 'satisfied', 'not_satisfied', 'unknown')),
    private             BOOLEAN NOT NULL DEFAULT FALSE,
    -- models.Fold of reference, content and answers: what `q` searches.
    search_text         TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX petitions_reference_key ON petitions (reference);
CREATE INDEX petitions_commune_received_idx ON petitions (commune_id, received_at DESC, id DESC);
CREATE INDEX petitions_received_idx ON petitions (received_at DESC, id DESC);
CREATE INDEX petitions_hamlet_received_idx ON petitions (hamlet_id, received_at DESC, id DESC);
CREATE INDEX petitions_dialogue_idx ON petitions (dialogue_id, id) WHERE dialogue_id IS NOT NULL;
CREATE INDEX petitions_topic_idx ON petitions (topic_id);
CREATE INDEX petitions_open_due_idx ON petitions (commune_id, due_on, id) WHERE state_type = 'open';
CREATE INDEX petitions_duplicate_of_idx ON petitions (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- Append-only history of a petition: every change of state, assignment, due date, answer, and notes.
CREATE TABLE petition_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    actor_id    INTEGER REFERENCES users(id),
    kind        TEXT NOT NULL,
    from_value  TEXT,
    to_value    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX petition_events_petition_idx ON petition_events (petition_id, id);

-- +goose StatementBegin
CREATE TRIGGER petition_events_no_update BEFORE UPDATE ON petition_events
BEGIN
    SELECT RAISE(ABORT, 'petition_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER petition_events_no_delete BEFORE DELETE ON petition_events
BEGIN
    SELECT RAISE(ABORT, 'petition_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE petition_events;
DROP TABLE petitions;
DROP TABLE petition_counters;
