-- +goose Up
-- The warning window before a deadline: a petition whose due date is this many working days
-- away or less is "due soon" and shows in the chair's and the assignee's lists before it is late.
-- Kept with the rules so that admins adjust it as data.
INSERT INTO deadline_rules (code, kind, channel, step, counts_from, days, working, name_vi, name_en, legal_basis)
VALUES ('due_soon', '', '', 'other', 'set', 3, TRUE, 'Cảnh báo sắp đến hạn: 3 ngày làm việc trước hạn',
        'Due soon: 3 working days before the due date', '');

-- +goose Down
DELETE FROM deadline_rules WHERE code = 'due_soon';
