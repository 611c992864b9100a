package models_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestDriverErrorsAreClassifiedByCode checks that constraint violations are told apart by the
// drivers' codes (SQLSTATE, SQLite's extended result codes), through any wrapping, and that an
// error merely quoting a driver's text is not taken for one.
func TestDriverErrorsAreClassifiedByCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		now := time.Now().UTC()
		dup := s.Gorm().Create(&models.User{Username: w.ChairA.Username, PasswordHash: "x", Role: models.RoleSecretary,
			UnitID: w.CommuneA.ID, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}).Error
		orphan := s.Gorm().Create(&models.User{Username: "orphan.user", PasswordHash: "x", Role: models.RoleSecretary,
			UnitID: 987654321, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}).Error
		if dup == nil || orphan == nil {
			t.Fatalf("the database accepted a duplicate (%v) or an orphan (%v)", dup, orphan)
		}
		wrapped := fmt.Errorf("create user: %w", dup)
		switch {
		case !models.IsUniqueViolation(dup) || !models.IsUniqueViolation(wrapped) || models.IsForeignKeyViolation(dup):
			t.Fatalf("unique violation not recognised: %v", dup)
		case !models.IsForeignKeyViolation(orphan) || models.IsUniqueViolation(orphan):
			t.Fatalf("foreign key violation not recognised: %v", orphan)
		case models.IsUniqueViolation(errors.New(dup.Error())) || models.IsForeignKeyViolation(errors.New(orphan.Error())):
			t.Fatal("an error quoting a driver's text is taken for a driver error")
		}
		// Through the store, the unique username is a field error, not a 500.
		_, err := s.CreateUser(context.Background(), models.SystemActor(), models.UserInput{Username: w.ChairA.Username,
			Password: "mật khẩu dài", Role: models.RoleSecretary, UnitID: w.CommuneA.ID})
		var v *models.ValidationError
		if !errors.As(err, &v) || v.Fields["username"].VI == "" {
			t.Fatalf("duplicate username: %v", err)
		}
	})
}

// TestStoreErrorsSayWhatWasBeingDone checks that a failure below the domain reaches the caller
// with what the store was doing, so that the logged 500 names the petition.
func TestStoreErrorsSayWhatWasBeingDone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		p := pw.log(t, nil)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := s.TransitionPetition(context.Background(), pw.chair, p.ID, models.TransitionInput{To: "assigned", Version: &p.Version})
		want := fmt.Sprintf("transition petition %d to assigned: ", p.ID)
		var v *models.ValidationError
		if err == nil || !strings.HasPrefix(err.Error(), want) || errors.As(err, &v) {
			t.Fatalf("got %v, want an error starting %q", err, want)
		}
	})
}

// TestBusySQLiteIsAnOutage checks that SQLite refusing a writer because another holds the lock
// (SQLITE_BUSY, once the busy timeout is spent) counts as the database being out of reach for
// now, as PostgreSQL's connection failures do, while a constraint violation does not.
func TestBusySQLiteIsAnOutage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	open := func(timeout string) *sql.DB {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout("+timeout+")")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	holder, waiter := open("5000"), open("0")
	ctx := context.Background()
	if _, err := holder.ExecContext(ctx, "CREATE TABLE t (k TEXT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO t VALUES ('a')"); err != nil {
		t.Fatal(err)
	}
	_, busy := waiter.ExecContext(ctx, "INSERT INTO t VALUES ('b')")
	if busy == nil || !models.IsUnavailable(fmt.Errorf("record: %w", busy)) {
		t.Fatalf("a busy database is not taken for an outage: %v", busy)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	_, dup := holder.ExecContext(ctx, "INSERT INTO t VALUES ('a')")
	if dup == nil || models.IsUnavailable(dup) || !models.IsUniqueViolation(dup) {
		t.Fatalf("a duplicate is taken for an outage: %v", dup)
	}
}
