-- +goose Up
CREATE TABLE dialogues (
    id                  BIGSERIAL PRIMARY KEY,
    commune_id          BIGINT NOT NULL REFERENCES units(id),
    title               TEXT NOT NULL,
    starts_at           TIMESTAMPTZ NOT NULL,
    ends_at             TIMESTAMPTZ,
    venue               TEXT NOT NULL DEFAULT '',
    chair_user_id       BIGINT REFERENCES users(id),
    agenda              TEXT NOT NULL DEFAULT '[]',
    expected_attendance INTEGER,
    status              TEXT NOT NULL CHECK (status IN ('planned', 'held', 'closed', 'cancelled')),
    minutes             TEXT,
    cancel_reason       TEXT,
    -- How many times the dialogue was put off to a later date; each postponement is also an event.
    postponed_count     INTEGER NOT NULL DEFAULT 0,
    held_at             TIMESTAMPTZ,
    closed_at           TIMESTAMPTZ,
    created_by          BIGINT NOT NULL REFERENCES users(id),
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dialogues_commune_starts_idx ON dialogues (commune_id, starts_at DESC, id DESC);
CREATE INDEX dialogues_status_idx ON dialogues (status, held_at);
CREATE INDEX dialogues_chair_idx ON dialogues (chair_user_id, starts_at);

CREATE TABLE dialogue_hamlets (
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    hamlet_id   BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (dialogue_id, hamlet_id)
);
CREATE INDEX dialogue_hamlets_hamlet_idx ON dialogue_hamlets (hamlet_id);

-- One row per dialogue once attendance is recorded: counts by group, women a subset of the total.
CREATE TABLE dialogue_attendance (
    dialogue_id BIGINT PRIMARY KEY REFERENCES dialogues(id) ON DELETE CASCADE,
    residents   INTEGER NOT NULL DEFAULT 0 CHECK (residents >= 0),
    businesses  INTEGER NOT NULL DEFAULT 0 CHECK (businesses >= 0),
    officials   INTEGER NOT NULL DEFAULT 0 CHECK (officials >= 0),
    women       INTEGER NOT NULL DEFAULT 0 CHECK (women >= 0),
    recorded_by BIGINT NOT NULL REFERENCES users(id),
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The named register, when the secretary keeps one; the counts above derive from it.
CREATE TABLE dialogue_attendees (
    id          BIGSERIAL PRIMARY KEY,
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    attendee_group TEXT NOT NULL CHECK (attendee_group IN ('resident', 'business', 'official')),
    hamlet_id   BIGINT REFERENCES units(id),
    gender      TEXT NOT NULL DEFAULT 'unknown' CHECK (gender IN ('female', 'male', 'unknown'))
);
CREATE INDEX dialogue_attendees_dialogue_idx ON dialogue_attendees (dialogue_id);

-- Append-only history of a dialogue: creation, edits, transitions, attendance.
CREATE TABLE dialogue_events (
    id          BIGSERIAL PRIMARY KEY,
    dialogue_id BIGINT NOT NULL REFERENCES dialogues(id) ON DELETE CASCADE,
    actor_id    BIGINT REFERENCES users(id),
    kind        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dialogue_events_dialogue_idx ON dialogue_events (dialogue_id, id);

-- +goose Down
DROP TABLE dialogue_events;
DROP TABLE dialogue_attendees;
DROP TABLE dialogue_attendance;
DROP TABLE dialogue_hamlets;
DROP TABLE dialogues;
