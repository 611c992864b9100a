-- +goose Up
-- The deadlines the law sets, as data with their legal basis (admins adjust them). A rule sets
-- the due date of one step of a petition: accepting it (accept: reception, thụ lý) or
-- resolving it (resolve), counted in calendar days (ending on the next working day when the
-- last one is a day off, Civil Code 2015 art. 148) or in working days, from the day received
-- or the day accepted; longer for a complex case and in remote and difficult areas; with at
-- most max_extensions extensions of up to extension_days each.
CREATE TABLE deadline_rules (
    code                TEXT PRIMARY KEY,
    kind                TEXT NOT NULL DEFAULT '',
    channel             TEXT NOT NULL DEFAULT '',
    step                TEXT NOT NULL CHECK (step IN ('accept', 'resolve', 'other')),
    counts_from         TEXT NOT NULL CHECK (counts_from IN ('received', 'accepted', 'assigned', 'set')),
    days                INTEGER NOT NULL DEFAULT 0,
    working             BOOLEAN NOT NULL DEFAULT FALSE,
    complex_days        INTEGER NOT NULL DEFAULT 0,
    remote_days         INTEGER NOT NULL DEFAULT 0,
    remote_complex_days INTEGER NOT NULL DEFAULT 0,
    max_extensions      INTEGER NOT NULL DEFAULT 0,
    extension_days      INTEGER NOT NULL DEFAULT 0,
    name_vi             TEXT NOT NULL,
    name_en             TEXT NOT NULL,
    legal_basis         TEXT NOT NULL DEFAULT '',
    updated_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO deadline_rules (code, kind, channel, step, counts_from, days, working, complex_days, remote_days, remote_complex_days, max_extensions, extension_days, name_vi, name_en, legal_basis) VALUES
('reception', '', 'reception', 'accept', 'received', 10, TRUE, 0, 0, 0, 0, 0,
 '10 ngày làm việc kể từ ngày nhận đơn tại nơi tiếp công dân', '10 working days from receipt at the reception desk', 'Luật Tiếp công dân 2013, Điều 28'),
('complaint_accept', 'khieu_nai', '', 'accept', 'received', 10, FALSE, 0, 0, 0, 0, 0,
 'Thụ lý trong 10 ngày kể từ ngày nhận đơn khiếu nại', 'Accepted within 10 days of receipt', 'Luật Khiếu nại 2011, Điều 27'),
('complaint_resolve', 'khieu_nai', '', 'resolve', 'accepted', 30, FALSE, 45, 45, 60, 0, 0,
 '30 ngày kể từ ngày thụ lý (vụ việc phức tạp 45 ngày; vùng sâu, vùng xa 45 ngày, phức tạp 60 ngày)', '30 days from acceptance (complex: 45; remote and difficult areas: 45, complex 60)', 'Luật Khiếu nại 2011, Điều 28'),
('denunciation_accept', 'to_cao', '', 'accept', 'received', 7, TRUE, 0, 0, 0, 0, 0,
 'Thụ lý trong 7 ngày làm việc kể từ ngày nhận tố cáo', 'Accepted within 7 working days of receipt', 'Luật Tố cáo 2018, Điều 29'),
('denunciation_resolve', 'to_cao', '', 'resolve', 'accepted', 30, FALSE, 0, 0, 0, 2, 30,
 '30 ngày kể từ ngày thụ lý; gia hạn một lần (phức tạp) hoặc hai lần (đặc biệt phức tạp), mỗi lần không quá 30 ngày', '30 days from acceptance; extended once (complex) or twice (particularly complex), by up to 30 days each', 'Luật Tố cáo 2018, Điều 30'),
('topic', '', '', 'resolve', 'assigned', 0, FALSE, 0, 0, 0, 0, 0,
 'Thời hạn trả lời của lĩnh vực, kể từ ngày giao xử lý', 'The topic''s response time, from the day assigned', 'Thời hạn trả lời kiến nghị, phản ánh theo lĩnh vực (quản trị đặt)'),
('manual', '', '', 'other', 'set', 0, FALSE, 0, 0, 0, 0, 0,
 'Hạn do cán bộ đặt', 'Set by an official', ''),
('legacy', '', '', 'other', 'set', 0, FALSE, 0, 0, 0, 0, 0,
 'Hạn đã đặt trước khi áp dụng thời hạn theo luật', 'Set before the legal deadlines applied', '');

-- Each petition's due date keeps the rule that set it, with its words at the time; existing
-- due dates stay as they are and are marked as set before the rules.
-- due_rule names a deadline_rules code (checked by the store: a rule may be renamed, never removed).
ALTER TABLE petitions ADD COLUMN due_rule TEXT;
ALTER TABLE petitions ADD COLUMN due_rule_text TEXT NOT NULL DEFAULT '';
-- Acceptance (thụ lý) of a complaint or a denunciation, and how it was judged.
ALTER TABLE petitions ADD COLUMN accepted_at DATETIME;
ALTER TABLE petitions ADD COLUMN complexity TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE petitions ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
UPDATE petitions SET due_rule = 'legacy', due_rule_text = 'Hạn đã đặt trước khi áp dụng thời hạn theo luật' WHERE due_on IS NOT NULL;

-- A unit in a remote and difficult area (vùng sâu, vùng xa) gets the longer complaint limits.
ALTER TABLE units ADD COLUMN remote BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE units DROP COLUMN remote;
ALTER TABLE petitions DROP COLUMN extensions;
ALTER TABLE petitions DROP COLUMN complexity;
ALTER TABLE petitions DROP COLUMN accepted_at;
ALTER TABLE petitions DROP COLUMN due_rule_text;
ALTER TABLE petitions DROP COLUMN due_rule;
DROP TABLE deadline_rules;
