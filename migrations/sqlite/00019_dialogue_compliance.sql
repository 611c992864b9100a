-- +goose Up
-- The law's rules for the dialogues themselves join the deadline rules, as data an admin keeps
-- with their legal basis: the notice published some days before (counts_from 'starts'), the
-- results published within some days after it was held ('held'), a least number a calendar
-- year ('year'), and the share of voters whose request calls for one ('voters'). measure says
-- what the number counts: days, dialogues or a percent.
-- SQLite changes a CHECK by rebuilding the table.
CREATE TABLE deadline_rules_new (
    code                TEXT PRIMARY KEY,
    kind                TEXT NOT NULL DEFAULT '',
    channel             TEXT NOT NULL DEFAULT '',
    step                TEXT NOT NULL CHECK (step IN ('accept', 'resolve', 'other', 'dialogue')),
    counts_from         TEXT NOT NULL CHECK (counts_from IN ('received', 'accepted', 'assigned', 'set', 'starts', 'held', 'year', 'voters')),
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
    updated_at          DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Admins edit the rules; an edit sends back the version it saw.
    measure             TEXT NOT NULL DEFAULT 'days' CHECK (measure IN ('days', 'count', 'percent')),
    version             INTEGER NOT NULL DEFAULT 1
);
INSERT INTO deadline_rules_new (code, kind, channel, step, counts_from, days, working, complex_days, remote_days, remote_complex_days,
    max_extensions, extension_days, name_vi, name_en, legal_basis, updated_at)
SELECT code, kind, channel, step, counts_from, days, working, complex_days, remote_days, remote_complex_days,
    max_extensions, extension_days, name_vi, name_en, legal_basis, updated_at FROM deadline_rules;
DROP TABLE deadline_rules;
ALTER TABLE deadline_rules_new RENAME TO deadline_rules;
INSERT INTO deadline_rules (code, step, counts_from, measure, days, working, name_vi, name_en, legal_basis) VALUES
('dialogue_notice', 'dialogue', 'starts', 'days', 7, FALSE,
 'Thông báo thời gian, địa điểm, các ấp, nội dung đối thoại chậm nhất 7 ngày trước buổi đối thoại',
 'Notice (time, place, hamlets, agenda) published at least 7 days before the dialogue', 'Luật Tổ chức chính quyền địa phương 2025, Điều 43'),
('dialogue_results', 'dialogue', 'held', 'days', 10, FALSE,
 'Công khai kết quả đối thoại trong 10 ngày kể từ ngày tổ chức, niêm yết tại trụ sở xã và gửi các ấp',
 'Results published within 10 days after the dialogue, posted at the commune and sent to the hamlets', 'Luật Tổ chức chính quyền địa phương 2025, Điều 43'),
('dialogue_yearly', 'dialogue', 'year', 'count', 1, FALSE,
 'Mỗi xã tổ chức ít nhất 1 buổi đối thoại trong năm',
 'Each commune holds at least 1 dialogue a calendar year', 'Luật Tổ chức chính quyền địa phương 2025, Điều 43'),
('dialogue_voter_request', 'dialogue', 'voters', 'percent', 10, FALSE,
 'Tổ chức đối thoại khi có từ 10% cử tri trở lên yêu cầu',
 'A dialogue is held when at least 10% of voters ask for it', 'Luật Tổ chức chính quyền địa phương 2025, Điều 43');

-- Every edit of a rule, append-only: who, when, the rule before and after.
CREATE TABLE deadline_rule_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_code   TEXT NOT NULL REFERENCES deadline_rules(code),
    actor_id    BIGINT REFERENCES users(id),
    kind        TEXT NOT NULL,
    from_value  TEXT,
    to_value    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX deadline_rule_events_rule_idx ON deadline_rule_events (rule_code, id);
-- +goose StatementBegin
CREATE TRIGGER deadline_rule_events_no_update BEFORE UPDATE ON deadline_rule_events
BEGIN
    SELECT RAISE(ABORT, 'deadline_rule_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deadline_rule_events_no_delete BEFORE DELETE ON deadline_rule_events
BEGIN
    SELECT RAISE(ABORT, 'deadline_rule_events is append-only');
END;
-- +goose StatementEnd

-- A dialogue's notice and results are published acts with their time: the notice shows on the
-- public board from then; the results (a summary, with the answers given and the follow-ups of
-- the petitions raised there) are late when published after the dialogue_results limit.
ALTER TABLE dialogues ADD COLUMN notice_published_at DATETIME;
ALTER TABLE dialogues ADD COLUMN results_published_at DATETIME;
ALTER TABLE dialogues ADD COLUMN results_summary TEXT;
-- A dialogue voters asked for: the day of the request, how many voters signed it out of how
-- many in the area it covers, and what they asked.
ALTER TABLE dialogues ADD COLUMN voter_requested_on TEXT CHECK (voter_requested_on IS NULL OR voter_requested_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE dialogues ADD COLUMN voter_request_signatures INTEGER CHECK (voter_request_signatures IS NULL OR voter_request_signatures > 0);
ALTER TABLE dialogues ADD COLUMN voter_request_voters INTEGER CHECK (voter_request_voters IS NULL OR voter_request_voters > 0);
ALTER TABLE dialogues ADD COLUMN voter_request_note TEXT NOT NULL DEFAULT '';
CREATE INDEX dialogues_notice_idx ON dialogues (commune_id, starts_at) WHERE notice_published_at IS NOT NULL;

-- +goose Down
DROP INDEX dialogues_notice_idx;
ALTER TABLE dialogues DROP COLUMN voter_request_note;
ALTER TABLE dialogues DROP COLUMN voter_request_voters;
ALTER TABLE dialogues DROP COLUMN voter_request_signatures;
ALTER TABLE dialogues DROP COLUMN voter_requested_on;
ALTER TABLE dialogues DROP COLUMN results_summary;
ALTER TABLE dialogues DROP COLUMN results_published_at;
ALTER TABLE dialogues DROP COLUMN notice_published_at;
DROP TABLE deadline_rule_events;
DELETE FROM deadline_rules WHERE step = 'dialogue';
