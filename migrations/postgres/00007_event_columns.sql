-- +goose Up
-- Both event logs name their columns alike (from_value, to_value, as petition_events does), so
-- one helper appends to either. Renaming keeps every recorded event.
ALTER TABLE dialogue_events RENAME COLUMN from_status TO from_value;
ALTER TABLE dialogue_events RENAME COLUMN to_status TO to_value;

-- +goose Down
ALTER TABLE dialogue_events RENAME COLUMN to_value TO to_status;
ALTER TABLE dialogue_events RENAME COLUMN from_value TO from_status;
