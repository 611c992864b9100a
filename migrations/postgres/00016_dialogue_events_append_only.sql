-- +goose Up
-- A dialogue's history is append-only, like a petition's: the database refuses to change it.
-- +goose StatementBegin
CREATE FUNCTION dialogue_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dialogue_events is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER dialogue_events_append_only BEFORE UPDATE OR DELETE ON dialogue_events
    FOR EACH ROW EXECUTE FUNCTION dialogue_events_append_only();

-- +goose Down
DROP TRIGGER dialogue_events_append_only ON dialogue_events;
DROP FUNCTION dialogue_events_append_only();
