package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// rollupSweepEvery is how often serve deletes the report rollups' empty cells.
const rollupSweepEvery = 10 * time.Minute

// sweepRollups deletes the report rollups' empty cells (those every petition has moved out of)
// now and then until ctx ends; several processes sweeping at once do no harm.
func sweepRollups(ctx context.Context, store *models.Store, log *slog.Logger) {
	t := time.NewTicker(rollupSweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := store.SweepRollups(ctx); err != nil {
				log.Warn("report rollups: sweep failed", "err", err)
			} else if n > 0 {
				log.Debug("report rollups: empty cells deleted", "cells", n)
			}
		}
	}
}
