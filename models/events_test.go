package models_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/papi-dialogue/papi/migrations"
	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestBothEventLogsKeepTimesAlike checks the one helper behind both histories: the same
// precision (microseconds, what PostgreSQL keeps) on both databases, from the store's clock.
func TestBothEventLogsKeepTimesAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		at := time.Date(2026, 3, 15, 1, 2, 3, 456789123, time.UTC)
		s.Now = func() time.Time { return at }
		d, err := s.CreateDialogue(ctx, pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID,
			HamletIDs: []int64{pw.w.HamletA1.ID}, Title: "Đối thoại", StartsAt: "2026-03-20T08:00"})
		if err != nil {
			t.Fatal(err)
		}
		p := pw.log(t, nil)
		devents, _, err := s.DialogueEvents(ctx, pw.chair, d.ID, models.Page{})
		if err != nil || len(devents) != 1 {
			t.Fatalf("dialogue events: %v %v", devents, err)
		}
		pevents, err := s.PetitionEvents(ctx, pw.chair, p.ID)
		if err != nil || len(pevents) != 1 {
			t.Fatalf("petition events: %v %v", pevents, err)
		}
		want := at.Truncate(time.Microsecond)
		for _, got := range []time.Time{devents[0].CreatedAt, pevents[0].CreatedAt} {
			if !got.Equal(want) {
				t.Errorf("event time %s, want %s", got.UTC().Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
			}
		}
		if devents[0].ToStatus == nil || *devents[0].ToStatus != "planned" || *pevents[0].ToValue != "received" {
			t.Errorf("to: %v %v", devents[0].ToStatus, pevents[0].ToValue)
		}
	})
}

// TestEventColumnsMigrationKeepsTheHistory runs the migration that renamed the dialogue
// history's columns over a database holding events in the old ones.
func TestEventColumnsMigrationKeepsTheHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		d, err := s.CreateDialogue(ctx, w.Actor(t, s, w.SecretaryA), models.DialogueInput{CommuneID: w.CommuneA.ID,
			HamletIDs: []int64{w.HamletA1.ID}, Title: "Đối thoại", StartsAt: "2026-03-20T08:00"})
		if err != nil {
			t.Fatal(err)
		}
		migrateOver(t, s, "_event_columns.sql", func() {
			if err := s.Gorm().Exec(`INSERT INTO dialogue_events (dialogue_id, kind, from_status, to_status, note, data, created_at)
			VALUES (?, 'transition', 'planned', 'postponed', 'mưa bão', '{}', ?)`, d.ID, time.Now().UTC()).Error; err != nil {
				t.Fatal(err)
			}
		})
		events, _, err := s.DialogueEvents(ctx, models.SystemActor(), d.ID, models.Page{})
		if err != nil || len(events) != 2 {
			t.Fatalf("events %v %v", events, err)
		}
		if e := events[1]; e.FromStatus == nil || *e.FromStatus != "planned" || *e.ToStatus != "postponed" || e.Note != "mưa bão" {
			t.Fatalf("the old event after the migration: %+v", e)
		}
	})
}

// migrateOver rolls the store's database back to just before the migration whose file name
// ends with suffix, lets seed write rows as they were then, and migrates forward again.
func migrateOver(t *testing.T, s *models.Store, suffix string, seed func()) {
	t.Helper()
	ctx := context.Background()
	db, err := s.SQL()
	if err != nil {
		t.Fatal(err)
	}
	dialect, sub := goose.DialectSQLite3, string(models.SQLite)
	if s.Dialect() == models.Postgres {
		dialect, sub = goose.DialectPostgres, string(models.Postgres)
	}
	files, err := fs.Sub(migrations.FS, sub)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(files, "*"+suffix)
	if len(names) != 1 {
		t.Fatalf("migration files %v", names)
	}
	version, _ := strconv.ParseInt(strings.SplitN(names[0], "_", 2)[0], 10, 64)
	provider, err := goose.NewProvider(dialect, db, files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, version-1); err != nil {
		t.Fatal(err)
	}
	seed()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}
