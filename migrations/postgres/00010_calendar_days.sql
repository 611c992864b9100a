-- +goose Up
-- Days the Government (or the province) decides differently from the default working-day
-- calendar of models/calendar (Monday to Friday less the Labor Code's holidays): a day off
-- (working = false) or a weekend working day (working = true, ngày làm bù), with the decision
-- that set it. Deadlines counted in working days read this table.
CREATE TABLE calendar_days (
    day         DATE PRIMARY KEY,
    working     BOOLEAN NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    updated_by  BIGINT REFERENCES users(id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE calendar_days;
