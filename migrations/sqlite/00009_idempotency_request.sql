-- +goose Up
-- A retry key remembers a fingerprint of the request it was first used with, so that the same
-- key sent with another request is refused instead of answering with the first record. Keys
-- recorded before carry none and match any request.
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN request_hash;
