-- +goose Up
-- Intake from every channel: the petitioner's identification number (personal data: never on the
-- public board, Open311 or an export without the personal columns), and for a letter the number
-- and date of the incoming document as the commune's register gives them.
ALTER TABLE petitions ADD COLUMN petitioner_id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN incoming_number TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN incoming_date DATE;

-- +goose Down
ALTER TABLE petitions DROP COLUMN incoming_date;
ALTER TABLE petitions DROP COLUMN incoming_number;
ALTER TABLE petitions DROP COLUMN petitioner_id_number;
