package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/blobs"
)

// attachmentsDir is where the embedded default keeps attachment files.
func attachmentsDir(cfg config) string { return filepath.Join(cfg.DataDir, "attachments") }

// wireAttachments gives the store its blob store (the S3-compatible bucket of
// PAPI_ATTACHMENTS_URL, or the attachments directory under PAPI_DATA_DIR), its upload limit and
// a directory on disk to hold uploads while they are checked.
func wireAttachments(ctx context.Context, cfg config, store *models.Store) error {
	if cfg.AttachmentsURL != "" {
		s3cfg, err := blobs.ParseS3URL(cfg.AttachmentsURL)
		if err != nil {
			return err
		}
		b, err := blobs.OpenS3(ctx, s3cfg)
		if err != nil {
			return err
		}
		store.Blobs = b
	} else {
		b, err := blobs.OpenDir(attachmentsDir(cfg))
		if err != nil {
			return err
		}
		store.Blobs = b
	}
	// Uploads are spooled next to the data, not in a /tmp that may live in memory.
	store.SpoolDir = filepath.Join(cfg.DataDir, "uploads")
	store.AttachmentMaxSize = cfg.UploadMaxFile
	return os.MkdirAll(store.SpoolDir, 0o750)
}

// backupCommand copies the embedded database and the attachment files it needs into a
// directory, consistently: the database is snapshot first, and the files copied are those the
// snapshot names, each checked against its digest on the way.
func backupCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", "", "directory to write the backup into (papi.db and attachments/); must not hold a papi.db yet")
	if err := parseFlags(fs, "backup --to DIR\n\nCopies the embedded database and its attachment files into DIR while papi may keep serving.", args, e); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: say where to: --to DIR")
	}
	if models.DialectOf(cfg.DatabaseURL) != models.SQLite {
		return fmt.Errorf("backup: %w", models.ErrNotEmbedded)
	}
	final := filepath.Join(*to, "papi.db")
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("backup: %s already holds a backup; choose a new directory", *to)
	}
	if err := os.MkdirAll(*to, 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := wireAttachments(ctx, cfg, store); err != nil {
		return err
	}
	partial := final + ".partial"
	os.Remove(partial)
	if err := store.SnapshotTo(ctx, partial); err != nil {
		return fmt.Errorf("backup: snapshot the database: %w", err)
	}
	files, size, err := copyLiveBlobs(ctx, cfg, store, partial, filepath.Join(*to, "attachments"), e)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// Only a complete backup is called papi.db.
	if err := os.Rename(partial, final); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "backup written to %s: papi.db and %d attachment files (%d bytes)\n", *to, files, size)
	return nil
}

// copyLiveBlobs copies the blobs the snapshot's attachments need into a directory store.
// With attachments in object storage, the bucket is backed up by its own means.
func copyLiveBlobs(ctx context.Context, cfg config, live *models.Store, snapshot, dir string, e env) (int, int64, error) {
	if cfg.AttachmentsURL != "" {
		fmt.Fprintln(e.stdout, "attachments live in object storage (PAPI_ATTACHMENTS_URL): back the bucket up with its own versioning or replication")
		return 0, 0, nil
	}
	snap, err := models.Open(ctx, snapshot)
	if err != nil {
		return 0, 0, err
	}
	sums, err := snap.LiveBlobs(ctx)
	snap.Close()
	if err != nil {
		return 0, 0, err
	}
	dst, err := blobs.OpenDir(dir)
	if err != nil {
		return 0, 0, err
	}
	var total int64
	for _, sum := range sums {
		rc, err := live.Blobs.Open(ctx, sum)
		if err != nil {
			return 0, 0, fmt.Errorf("attachment file %s: %w", sum, err)
		}
		b, err := dst.Put(ctx, rc)
		rc.Close()
		if err != nil {
			return 0, 0, fmt.Errorf("attachment file %s: %w", sum, err)
		}
		if b.SHA256 != sum {
			dst.Delete(ctx, b.SHA256)
			return 0, 0, fmt.Errorf("attachment file %s is damaged: its bytes hash to %s", sum, b.SHA256)
		}
		total += b.Size
	}
	return len(sums), total, nil
}
