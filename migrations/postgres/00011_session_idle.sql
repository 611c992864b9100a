-- +goose Up
-- Sessions also end after a while without use, not only at their absolute expiry: a browser
-- left signed in on a shared commune-office computer should not stay open all day.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
UPDATE sessions SET last_seen_at = created_at;

-- +goose Down
ALTER TABLE sessions DROP COLUMN last_seen_at;
