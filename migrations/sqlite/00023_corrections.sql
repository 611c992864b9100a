-- +goose Up
-- Corrections of a petition by commune staff (each one a "corrected" event with every changed
-- field before and after). corrected_at is when a correction after the answer's publication
-- changed what the public board shows, which the board then says ("đã chỉnh sửa ngày …");
-- petitioner_former keeps the petitioner's details a correction replaced, one per line, only so
-- that the board keeps masking them in the petition's text (personal data: never shown).
ALTER TABLE petitions ADD COLUMN corrected_at DATETIME;
ALTER TABLE petitions ADD COLUMN petitioner_former TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE petitions DROP COLUMN petitioner_former;
ALTER TABLE petitions DROP COLUMN corrected_at;
