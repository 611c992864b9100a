package main

import (
	"context"
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
