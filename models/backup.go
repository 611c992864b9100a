package models

import (
	"context"
	"errors"
)

// ErrNotEmbedded means an operation works on the embedded SQLite database only.
var ErrNotEmbedded = errors.New("the embedded database only: back up PostgreSQL with pg_dump or its own tools")

// SnapshotTo writes a consistent copy of the embedded database to path, which must not exist:
// SQLite's VACUUM INTO reads the database in one transaction while papi keeps serving.
func (s *Store) SnapshotTo(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return ErrNotEmbedded
	}
	return s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}

// LiveBlobs lists the digests of the files and thumbnails that attachments not purged need,
// the removed ones included (they are kept for the audit).
func (s *Store) LiveBlobs(ctx context.Context) ([]string, error) {
	var out []string
	err := s.conn(ctx).Raw(`SELECT sha256 FROM attachments WHERE purged_at IS NULL
		UNION SELECT thumb_sha256 FROM attachments WHERE purged_at IS NULL AND thumb_sha256 IS NOT NULL
		ORDER BY 1`).Scan(&out).Error
	return out, err
}
