package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// blobsCommand runs `papi blobs sweep`: it removes attachment files that no attachment needs
// (left by an upload whose database write failed) once they are older than the grace period.
func blobsCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	if len(args) == 0 || args[0] != "sweep" {
		return fmt.Errorf("usage: papi blobs sweep [--older-than 24h] [--dry-run]")
	}
	fs := flag.NewFlagSet("blobs sweep", flag.ContinueOnError)
	grace := fs.Duration("older-than", models.DefaultBlobGrace, "only files at least this old are removed (at least 1h)")
	dry := fs.Bool("dry-run", false, "report what would be removed, remove nothing")
	if err := parseFlags(fs, "blobs sweep [--older-than 24h] [--dry-run]\n\nRemoves attachment files no attachment needs (left by an upload whose database write\nfailed, or by a purge that stopped halfway) and leftovers of unfinished uploads.", args[1:], e); err != nil {
		return err
	}
	if *grace < time.Hour {
		return fmt.Errorf("blobs sweep: --older-than %s is too short: an upload may still be on its way; use 1h or more", *grace)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := wireAttachments(ctx, cfg, store); err != nil {
		return err
	}
	r, err := store.SweepOrphanBlobs(ctx, *grace, *dry)
	if err != nil {
		return fmt.Errorf("blobs sweep: %w", err)
	}
	verb := "removed"
	if *dry {
		verb = "would remove"
	}
	fmt.Fprintf(e.stdout, "%d files and %d leftovers of unfinished uploads looked at; %d orphaned files older than %s; %s %d (%d bytes)\n",
		r.Blobs, r.Temporary, r.Orphans, shortDuration(*grace), verb, r.Removed, r.RemovedBytes)
	return nil
}

// startBlobSweeper sweeps orphaned attachment files every cfg.BlobSweepEvery while serve runs,
// the first time a few minutes after the start. Several processes may sweep at once: removing
// a file twice does no harm, and none removes a file an attachment needs.
func startBlobSweeper(ctx context.Context, cfg config, store *models.Store, log *slog.Logger) {
	if cfg.BlobSweepEvery <= 0 {
		return
	}
	go func() {
		wait := min(5*time.Minute, cfg.BlobSweepEvery)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = cfg.BlobSweepEvery
			r, err := store.SweepOrphanBlobs(ctx, models.DefaultBlobGrace, false)
			if err != nil {
				log.Error("sweeping orphaned attachment files", "error", err)
				continue
			}
			if r.Removed > 0 {
				log.Info("orphaned attachment files removed", "files", r.Removed, "bytes", r.RemovedBytes)
			}
		}
	}()
}
