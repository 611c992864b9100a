-- +goose Up
-- The law's rules for the dialogues themselves join the deadline rules, as data an admin keeps
-- with their legal basis: the notice published some days before (counts_from 'starts'), the
-- results published within some days after it was held ('held'), a least number a calendar
-- year ('year'), and the share of voters whose request calls for one ('voters'). measure says
-- what the number counts: days, dialogues or a percent.
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_step_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_step_check CHECK (step IN ('accept', 'resolve', 'other', 'dialogue'));
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_counts_from_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_counts_from_check
    CHECK (counts_from IN ('received', 'accepted', 'assigned', 'set', 'starts', 'held', 'year', 'voters'));
ALTER TABLE deadline_rules ADD COLUMN measure TEXT NOT NULL DEFAULT 'days' CHECK (measure IN ('days', 'count', 'percent'));
-- Admins edit the rules; an edit sends back the version it saw.
ALTER TABLE deadline_rules ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
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
    id          BIGSERIAL PRIMARY KEY,
    rule_code   TEXT NOT NULL REFERENCES deadline_rules(code),
    actor_id    BIGINT REFERENCES users(id),
    kind        TEXT NOT NULL,
    from_value  TEXT,
    to_value    TEXT,
    note        TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX deadline_rule_events_rule_idx ON deadline_rule_events (rule_code, id);
-- +goose StatementBegin
CREATE FUNCTION deadline_rule_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deadline_rule_events is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER deadline_rule_events_append_only BEFORE UPDATE OR DELETE ON deadline_rule_events
    FOR EACH ROW EXECUTE FUNCTION deadline_rule_events_append_only();

-- A dialogue's notice and results are published acts with their time: the notice shows on the
-- public board from then; the results (a summary, with the answers given and the follow-ups of
-- the petitions raised there) are late when published after the dialogue_results limit.
ALTER TABLE dialogues ADD COLUMN notice_published_at TIMESTAMPTZ;
ALTER TABLE dialogues ADD COLUMN results_published_at TIMESTAMPTZ;
ALTER TABLE dialogues ADD COLUMN results_summary TEXT;
-- A dialogue voters asked for: the day of the request, how many voters signed it out of how
-- many in the area it covers, and what they asked.
ALTER TABLE dialogues ADD COLUMN voter_requested_on DATE;
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
DROP TRIGGER deadline_rule_events_append_only ON deadline_rule_events;
DROP FUNCTION deadline_rule_events_append_only();
DROP TABLE deadline_rule_events;
DELETE FROM deadline_rules WHERE step = 'dialogue';
ALTER TABLE deadline_rules DROP COLUMN version;
ALTER TABLE deadline_rules DROP COLUMN measure;
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_counts_from_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_counts_from_check CHECK (counts_from IN ('received', 'accepted', 'assigned', 'set'));
ALTER TABLE deadline_rules DROP CONSTRAINT deadline_rules_step_check;
ALTER TABLE deadline_rules ADD CONSTRAINT deadline_rules_step_check CHECK (step IN ('accept', 'resolve', 'other'));
