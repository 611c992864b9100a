-- +goose Up
-- A resident's consent to hear about their petition: the channel and the contact they gave at
-- intake, and the token of the opt-out link their messages carry.
ALTER TABLE petitions ADD COLUMN contact_consent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE petitions ADD COLUMN contact_channel TEXT NOT NULL DEFAULT '' CHECK (contact_channel IN ('', 'sms', 'email', 'zalo'));
ALTER TABLE petitions ADD COLUMN contact_address TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN opt_out_token TEXT;
ALTER TABLE petitions ADD COLUMN opted_out_at TIMESTAMPTZ;
CREATE UNIQUE INDEX petitions_opt_out_token_key ON petitions (opt_out_token) WHERE opt_out_token IS NOT NULL;

-- Where officials are told of assignments and sent their digest.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- An admin's own wording of a message, per event and channel; without a row the built-in
-- Vietnamese text of models/notifications.go applies.
CREATE TABLE notification_templates (
    event            TEXT NOT NULL CHECK (event IN ('received', 'answered', 'closed', 'assigned', 'digest')),
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL,
    -- Zalo: the id of the template Zalo approved; the body's placeholders are its parameters.
    zalo_template_id TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    updated_by       BIGINT REFERENCES users(id),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event, channel)
);

-- The transactional outbox: a row is written in the transaction of the change that causes it,
-- and the sender loop delivers it. The key stays the same on every attempt, so a receiver can
-- drop the copy a crash mid-send may cause.
CREATE TABLE notifications (
    id              BIGSERIAL PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    event           TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    recipient       TEXT NOT NULL,
    petition_id     BIGINT REFERENCES petitions(id),
    user_id         BIGINT REFERENCES users(id),
    subject         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    template_id     TEXT NOT NULL DEFAULT '',
    params          TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unsent', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ
);
CREATE UNIQUE INDEX notifications_idempotency_key ON notifications (idempotency_key);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_status_idx ON notifications (status, id);
CREATE INDEX notifications_petition_idx ON notifications (petition_id) WHERE petition_id IS NOT NULL;

-- What an official sees in the app's notification list.
CREATE TABLE user_notifications (
    id          BIGSERIAL PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    event       TEXT NOT NULL,
    petition_id BIGINT REFERENCES petitions(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    read_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX user_notifications_user_idx ON user_notifications (user_id, id DESC);
CREATE INDEX user_notifications_unread_idx ON user_notifications (user_id) WHERE read_at IS NULL;


-- Tokens a channel renews by itself (Zalo's access and refresh tokens), shared by every process.
CREATE TABLE channel_tokens (
    channel       TEXT PRIMARY KEY,
    access_token  TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

-- The days whose digest was written, so several processes write it once.
CREATE TABLE notification_digests (
    day        DATE PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notification_digests;
DROP TABLE channel_tokens;
DROP TABLE user_notifications;
DROP TABLE notifications;
DROP TABLE notification_templates;
ALTER TABLE users DROP COLUMN email;
DROP INDEX petitions_opt_out_token_key;
ALTER TABLE petitions DROP COLUMN opted_out_at;
ALTER TABLE petitions DROP COLUMN opt_out_token;
ALTER TABLE petitions DROP COLUMN contact_address;
ALTER TABLE petitions DROP COLUMN contact_channel;
ALTER TABLE petitions DROP COLUMN contact_consent;
