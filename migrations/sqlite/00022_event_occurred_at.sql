-- +goose Up
-- When a recorded step happened, when that differs from when it was typed (paper minutes typed
-- up days later): reports count time from it. created_at stays the typing time.
ALTER TABLE petition_events ADD COLUMN occurred_at DATETIME;
ALTER TABLE dialogue_events ADD COLUMN occurred_at DATETIME;

-- +goose Down
ALTER TABLE dialogue_events DROP COLUMN occurred_at;
ALTER TABLE petition_events DROP COLUMN occurred_at;
