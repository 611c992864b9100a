-- +goose Up

-- Photos and scanned documents attached to a petition or a dialogue. The bytes live in the blob
-- store under their SHA-256; removing an attachment only marks it, and the blob stays for the
-- audit until an admin purges it.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id   INTEGER REFERENCES petitions(id),
    dialogue_id   INTEGER REFERENCES dialogues(id),
    kind          TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (size >= 0),
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
    original_name TEXT NOT NULL DEFAULT '',
    width         INTEGER,
    height        INTEGER,
    thumb_sha256  TEXT,
    public        BOOLEAN NOT NULL DEFAULT FALSE,
    added_by      INTEGER NOT NULL REFERENCES users(id),
    added_at      DATETIME NOT NULL,
    removed_at    DATETIME,
    removed_by    INTEGER REFERENCES users(id),
    purged_at     DATETIME,
    CHECK ((petition_id IS NULL) <> (dialogue_id IS NULL)),
    CHECK (NOT public OR (kind = 'photo' AND petition_id IS NOT NULL AND removed_at IS NULL))
);
CREATE INDEX attachments_petition_idx ON attachments (petition_id, id) WHERE petition_id IS NOT NULL;
CREATE INDEX attachments_dialogue_idx ON attachments (dialogue_id, id) WHERE dialogue_id IS NOT NULL;
CREATE INDEX attachments_sha256_idx ON attachments (sha256);
CREATE INDEX attachments_thumb_idx ON attachments (thumb_sha256) WHERE thumb_sha256 IS NOT NULL;

-- +goose Down
DROP TABLE attachments;
