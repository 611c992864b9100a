package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// rollupSweepEvery is how often serve deletes the report rollups' empty cells.
const rollupSweepEvery = 10 * time.Minute

// rollupPackEvery is how often serve folds the rollup cells written since into their packs
// (models.PackRollups): a report reads those cells one by one beside the packs, so they are
// kept to a few seconds' writes.
const rollupPackEvery = 5 * time.Second

// keepRollups packs the report rollups now and every rollupPackEvery, and deletes their empty
// cells (those every petition has moved out of) every rollupSweepEvery, until ctx ends;
// several processes doing so at once do no harm.
func keepRollups(ctx context.Context, store *models.Store, log *slog.Logger) {
	sweep := time.NewTicker(rollupSweepEvery)
	defer sweep.Stop()
	pack := time.NewTicker(rollupPackEvery)
	defer pack.Stop()
	packRollups(ctx, store, log)
	for {
		select {
		case <-ctx.Done():
			return
		case <-pack.C:
			packRollups(ctx, store, log)
		case <-sweep.C:
			if n, err := store.SweepRollups(ctx); err != nil {
				log.Warn("report rollups: sweep failed", "err", err)
			} else if n > 0 {
				log.Debug("report rollups: empty cells deleted", "cells", n)
			}
		}
	}
}

// packRollups packs the rollups once, saying what failed.
func packRollups(ctx context.Context, store *models.Store, log *slog.Logger) {
	start := time.Now()
	if n, err := store.PackRollups(ctx); err != nil && ctx.Err() == nil {
		log.Warn("report rollups: packing failed", "err", err)
	} else if n > 0 {
		log.Debug("report rollups: packed", "communes", n, "took", time.Since(start))
	}
}
