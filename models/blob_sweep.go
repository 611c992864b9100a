package models

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/papi-dialogue/papi/models/blobs"
)

// SweepableBlobs is a blob store whose objects can be listed, which the orphan sweep needs;
// both stores in models/blobs are.
type SweepableBlobs interface {
	BlobStore
	// Walk calls fn for every committed blob and every temporary object of an unfinished upload.
	Walk(ctx context.Context, fn func(blobs.Object) error) error
	// RemoveTemporary removes the temporary object of an unfinished upload.
	RemoveTemporary(ctx context.Context, name string) error
}

// DefaultBlobGrace is how old a blob no attachment names must be before a sweep removes it: far
// longer than any upload takes between writing its file and recording it.
const DefaultBlobGrace = 24 * time.Hour

// BlobSweep reports what a sweep of the blob store found.
type BlobSweep struct {
	// Blobs counts the committed blobs looked at; Temporary the leftovers of unfinished uploads.
	Blobs, Temporary int
	// Orphans counts the blobs older than the grace period that no attachment needs.
	Orphans int
	// Removed counts the orphans and leftovers removed (on a dry run: that would be removed),
	// and RemovedBytes their size.
	Removed      int
	RemovedBytes int64
}

// SweepOrphanBlobs removes the files no attachment needs any more that are older than grace:
// a blob written by an upload whose database write failed (a crash, a lost connection), one
// left by a purge that stopped halfway, and temporary files of uploads that never finished.
// A blob an attachment still names (removed ones included: they are kept for the audit) is
// never removed, even when that attachment is being recorded while the sweep runs: each
// removal is decided under the same lock recording an attachment takes (see lockBlob).
func (s *Store) SweepOrphanBlobs(ctx context.Context, grace time.Duration, dryRun bool) (BlobSweep, error) {
	var out BlobSweep
	store, ok := s.Blobs.(SweepableBlobs)
	if !ok {
		return out, fmt.Errorf("the blob store %T cannot be listed", s.Blobs)
	}
	cutoff := s.now().Add(-grace)
	var candidates []blobs.Object
	err := store.Walk(ctx, func(o blobs.Object) error {
		if o.Temporary() {
			out.Temporary++
		} else {
			out.Blobs++
		}
		if o.ModTime.Before(cutoff) {
			candidates = append(candidates, o)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	// Listed after the walk, so an attachment recorded while we walked is in it.
	live, err := s.LiveBlobs(ctx)
	if err != nil {
		return out, err
	}
	needed := make(map[string]bool, len(live))
	for _, sum := range live {
		needed[sum] = true
	}
	for _, o := range candidates {
		if needed[o.SHA256] {
			continue
		}
		removed, err := s.sweepObject(ctx, store, o, dryRun)
		if err != nil {
			return out, err
		}
		if !o.Temporary() && removed {
			out.Orphans++
		}
		if removed {
			out.Removed++
			out.RemovedBytes += o.Size
		}
	}
	return out, nil
}

// sweepObject removes one leftover of an unfinished upload, or one blob once the database,
// asked again under the blob's lock, confirms that no attachment names it.
func (s *Store) sweepObject(ctx context.Context, store SweepableBlobs, o blobs.Object, dryRun bool) (bool, error) {
	if o.Temporary() {
		if dryRun {
			return true, nil
		}
		return true, store.RemoveTemporary(ctx, o.Name)
	}
	orphan := false
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.lockBlob(ctx, o.SHA256); err != nil {
			return err
		}
		var n int64
		if err := s.conn(ctx).Model(&Attachment{}).Where("purged_at IS NULL AND (sha256 = ? OR thumb_sha256 = ?)", o.SHA256, o.SHA256).
			Count(&n).Error; err != nil {
			return err
		}
		if orphan = n == 0; !orphan || dryRun {
			return nil
		}
		return store.Delete(ctx, o.SHA256)
	})
	return orphan, err
}

// blobLockClass keeps the blob locks apart from any other advisory lock on PostgreSQL.
const blobLockClass = 0x50415049 // "PAPI"

// lockBlob takes, until the transaction ends, the lock that orders recording an attachment
// against sweeping its blob: whichever comes second sees what the first did. On SQLite every
// writing transaction already holds the database's one write lock.
func (s *Store) lockBlob(ctx context.Context, sum string) error {
	if s.dialect != Postgres {
		return nil
	}
	b, err := hex.DecodeString(sum[:8])
	if err != nil || len(sum) != 64 {
		return fmt.Errorf("blob lock: bad digest %q", sum)
	}
	key := int32(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	return s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", blobLockClass, key).Error
}

// errBlobSwept means a blob an attachment was about to name was swept away just before.
var errBlobSwept = errors.New("blob swept while being attached")

// claimBlobs locks the blobs an attachment names and checks that they are still in the store,
// inside the transaction that records it: a sweep either ran before (and the blob is gone:
// errBlobSwept, the caller stores it again) or runs after and sees the attachment.
func (s *Store) claimBlobs(ctx context.Context, a *Attachment) error {
	for _, sum := range []*string{&a.SHA256, a.ThumbSHA256} {
		if sum == nil {
			continue
		}
		if err := s.lockBlob(ctx, *sum); err != nil {
			return err
		}
		rc, err := s.Blobs.Open(ctx, *sum)
		if errors.Is(err, blobs.ErrNotExist) {
			return errBlobSwept
		}
		if err != nil {
			return err
		}
		rc.Close()
	}
	return nil
}
