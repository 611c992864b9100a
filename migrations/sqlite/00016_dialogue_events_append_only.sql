-- +goose Up
-- A dialogue's history is append-only, like a petition's: the database refuses to change it.
-- +goose StatementBegin
CREATE TRIGGER dialogue_events_no_update BEFORE UPDATE ON dialogue_events
BEGIN
    SELECT RAISE(ABORT, 'dialogue_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER dialogue_events_no_delete BEFORE DELETE ON dialogue_events
BEGIN
    SELECT RAISE(ABORT, 'dialogue_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER dialogue_events_no_delete;
DROP TRIGGER dialogue_events_no_update;
