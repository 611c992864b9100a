-- +goose Up
-- Trigram indexes make the diacritic-insensitive search (a LIKE over folded text) use an index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The last reference number handed out per commune and year; the upsert that bumps it locks the
-- row, so concurrent inserts of one commune queue here and never share a number.
CREATE TABLE petition_counters (
    commune_id BIGINT NOT NULL REFERENCES units(id),
    year       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (commune_id, year)
);

CREATE TABLE petitions (
    id                  BIGSERIAL PRIMARY KEY,
    reference           TEXT NOT NULL,
    commune_id          BIGINT NOT NULL REFERENCES units(id),
    hamlet_id           BIGINT NOT NULL REFERENCES units(id),
    dialogue_id         BIGINT REFERENCES dialogues(id),
    channel             TEXT NOT NULL CHECK (channel IN ('dialogue', 'reception', 'letter', 'phone', 'online')),
    kind                TEXT NOT NULL CHECK (kind IN ('phan_anh', 'kien_nghi', 'khieu_nai', 'to_cao')),
    topic_id            BIGINT NOT NULL REFERENCES topics(id),
    content             TEXT NOT NULL,
    petitioner_name     TEXT NOT NULL DEFAULT '',
    petitioner_phone    TEXT NOT NULL DEFAULT '',
    petitioner_address  TEXT NOT NULL DEFAULT '',
    anonymous           BOOLEAN NOT NULL DEFAULT FALSE,
    onsite_answer       TEXT NOT NULL DEFAULT '',
    received_at         TIMESTAMPTZ NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('received', 'assigned', 'in_progress', 'referred', 'answered', 'resolved', 'closed', 'reopened')),
    -- The type of the state (DESIGN.md §4), kept with it so counts and the overdue index need no list of states.
    state_type          TEXT NOT NULL CHECK (state_type = CASE state WHEN 'resolved' THEN 'fixed' WHEN 'closed' THEN 'closed' ELSE 'open' END),
    responsible_unit_id BIGINT REFERENCES units(id),
    responsible_name    TEXT NOT NULL DEFAULT '',
    due_on              DATE,
    answer_draft        TEXT NOT NULL DEFAULT '',
    answer              TEXT NOT NULL DEFAULT '',
    answered_at         TIMESTAMPTZ,
    answered_by         BIGINT REFERENCES users(id),
    resolved_at         TIMESTAMPTZ,
    closed_at           TIMESTAMPTZ,
    close_reason        TEXT CHECK (close_reason IN ('explained', 'duplicate', 'not_competent', 'withdrawn')),
    duplicate_of        BIGINT REFERENCES petitions(id),
    satisfaction        TEXT CHECK (satisfaction IN ('very_satisfied', 'satisfied', 'not_satisfied', 'unknown')),
    private             BOOLEAN NOT NULL DEFAULT FALSE,
    -- models.Fold of reference, content and answers: what `q` searches.
    search_text         TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_by          BIGINT NOT NULL REFERENCES users(id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX petitions_reference_key ON petitions (reference);
CREATE INDEX petitions_commune_received_idx ON petitions (commune_id, received_at DESC, id DESC);
CREATE INDEX petitions_received_idx ON petitions (received_at DESC, id DESC);
CREATE INDEX petitions_hamlet_received_idx ON petitions (hamlet_id, received_at DESC, id DESC);
CREATE INDEX petitions_dialogue_idx ON petitions (dialogue_id, id) WHERE dialogue_id IS NOT NULL;
CREATE INDEX petitions_topic_idx ON petitions (topic_id);
CREATE INDEX petitions_open_due_idx ON petitions (commune_id, due_on, id) WHERE state_type = 'open';
CREATE INDEX petitions_duplicate_of_idx ON petitions (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX petitions_search_trgm_idx ON petitions USING GIN (search_text gin_trgm_ops);

-- Append-only history of a petition: every change of state, assignment, due date, answer, and notes.
CREATE TABLE petition_events (
    id          BIGSERIAL PRIMARY KEY,
    petition_id BIGINT NOT NULL REFERENCES petitions(id),
    actor_id    BIGINT REFERENCES users(id),
    kind        TEXT NOT NULL,
    from_value  TEXT,
    to_value    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX petition_events_petition_idx ON petition_events (petition_id, id);

-- +goose StatementBegin
CREATE FUNCTION petition_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'petition_events is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER petition_events_append_only BEFORE UPDATE OR DELETE ON petition_events
    FOR EACH ROW EXECUTE FUNCTION petition_events_append_only();

-- +goose Down
DROP TABLE petition_events;
DROP FUNCTION petition_events_append_only();
DROP TABLE petitions;
DROP TABLE petition_counters;
