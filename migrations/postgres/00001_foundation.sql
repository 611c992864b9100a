-- +goose Up
CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    parent_id   BIGINT REFERENCES units(id),
    level       TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune', 'hamlet')),
    name        TEXT NOT NULL,
    code        TEXT,
    slug        TEXT,
    path        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX units_code_key ON units (code) WHERE code IS NOT NULL;
CREATE UNIQUE INDEX units_slug_key ON units (slug) WHERE slug IS NOT NULL;
CREATE INDEX units_parent_id_idx ON units (parent_id);
CREATE INDEX units_path_idx ON units (path text_pattern_ops);

CREATE TABLE topics (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name_vi        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    response_days  INTEGER NOT NULL CHECK (response_days > 0),
    papi_dimension TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO topics (code, name_vi, name_en, response_days, papi_dimension) VALUES
    ('GT',   'Giao thông',            'Traffic and roads',          30, 'public_service_delivery'),
    ('ANTT', 'An ninh trật tự',       'Security and public order',  15, 'public_service_delivery'),
    ('NS',   'Nước sạch',             'Clean water',                30, 'public_service_delivery'),
    ('TL',   'Thủy lợi',              'Irrigation',                 30, 'public_service_delivery'),
    ('DD',   'Đất đai, quy hoạch',    'Land and planning',          45, 'transparency'),
    ('MT',   'Môi trường',            'Environment',                30, 'environmental_governance'),
    ('DIEN', 'Điện, chiếu sáng',      'Electricity and lighting',   15, 'public_service_delivery'),
    ('CSXH', 'Chính sách xã hội',     'Social policy',              30, 'vertical_accountability'),
    ('TTHC', 'Thủ tục hành chính',    'Administrative procedures',  15, 'administrative_procedures'),
    ('YTGD', 'Y tế, giáo dục',        'Health and education',       30, 'public_service_delivery'),
    ('NN',   'Nông nghiệp, kinh tế',  'Agriculture and economy',    30, 'participation'),
    ('CB',   'Cán bộ, tiêu cực',      'Officials and misconduct',   30, 'control_of_corruption'),
    ('VH',   'Văn hóa, xã hội',       'Culture and society',        30, 'participation'),
    ('KHAC', 'Khác',                  'Other',                      30, 'vertical_accountability');

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    full_name     TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'district_official', 'commune_chair', 'secretary', 'inspector')),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE INDEX users_unit_id_idx ON users (unit_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE login_failures (
    id         BIGSERIAL PRIMARY KEY,
    username   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, created_at);

CREATE TABLE idempotency_keys (
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idem_key    TEXT NOT NULL,
    scope       TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, idem_key)
);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE topics;
DROP TABLE units;
