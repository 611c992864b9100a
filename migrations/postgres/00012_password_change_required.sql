-- +goose Up
-- Set at sign-in for a user whose password falls short of the password rules (at least 10
-- characters, not the username, not a common one), chosen before the rules existed; choosing a
-- new password clears it. The web app reads it from /auth/me and asks for a new password.
ALTER TABLE users ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN password_change_required;
