-- +goose Up
-- Sign-in limits (docs/SECURITY.md): one counter per bucket (a client address; an account from
-- one address), taken before the password is checked so parallel guesses cannot outrun it.
-- window_start is in Unix seconds, compared alike in both dialects. The failures table it
-- replaces only ever held throttling state.
CREATE TABLE login_limits (
    bucket       TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts     INTEGER NOT NULL
);
CREATE INDEX login_limits_window_idx ON login_limits (window_start);
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username   TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX login_failures_username_idx ON login_failures (username, created_at);
DROP TABLE login_limits;
