-- +goose Up
-- An official's mobile number (84 and nine digits, as SMS gateways take it) and whether they
-- also want assignments and the daily digest by SMS; e-mail goes whenever an address is given.
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN sms_notices BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN sms_notices;
ALTER TABLE users DROP COLUMN phone;
