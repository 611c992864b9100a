package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"

	sqlitedriver "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	sqlite3 "modernc.org/sqlite/lib"
)

// The SQLSTATE codes of PostgreSQL the store acts on.
const (
	pgUniqueViolation     = "23505"
	pgForeignKeyViolation = "23503"
)

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// sqliteCode returns the extended result code of an SQLite error, or 0.
func sqliteCode(err error) int {
	var se *sqlitedriver.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isUniqueViolation tells whether err comes from a unique constraint, in either dialect.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return pgCode(err) == pgUniqueViolation
}

// isForeignKeyViolation tells whether err comes from a foreign key constraint, in either dialect.
func isForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY || pgCode(err) == pgForeignKeyViolation
}

// failed wraps err with what the store was doing ("transition petition 42"), so a logged
// failure says where it came from; errors.Is and errors.As still see through it. nil stays nil.
func failed(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// ErrUnavailable means the database could not be reached or refused work for a while (shut
// down, restarting, too busy): the same request may well succeed in a few seconds.
var ErrUnavailable = errors.New("database unavailable")

// IsUnavailable tells whether err means the database is out of reach for now, rather than a
// fault of the request or of the code: connection failures, PostgreSQL's connection exception
// and shutdown codes, SQLite's busy, locked and I/O codes.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var (
		connect *pgconn.ConnectError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, ErrUnavailable), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.As(err, &connect), errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	}
	switch code := pgCode(err); {
	case strings.HasPrefix(code, "08"), code == "57P01", code == "57P02", code == "57P03", code == "53300":
		return true
	}
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return true
	}
	return false
}

type watchKey struct{}

// databaseWatch remembers the first failure of the database during one piece of work.
type databaseWatch struct {
	mu  sync.Mutex
	err error
}

// WatchDatabase returns a context under which the store remembers whether the database failed
// for want of being reachable, whatever the code then made of that failure: a lookup that
// failed is easily taken for a record that does not exist, and a request answered with
// "unknown commune" while the database was restarting would blame the user for an outage.
func WatchDatabase(ctx context.Context) context.Context {
	return context.WithValue(ctx, watchKey{}, &databaseWatch{})
}

// DatabaseFailure returns the first unavailability of the database seen under ctx (see
// WatchDatabase), or nil.
func DatabaseFailure(ctx context.Context) error {
	w, ok := ctx.Value(watchKey{}).(*databaseWatch)
	if !ok {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// noteFailure is a GORM callback: it records an unavailability in the watch of the statement's
// context, if any.
func noteFailure(db *gorm.DB) {
	if db.Statement != nil && db.Statement.Context != nil {
		noteUnavailable(db.Statement.Context, db.Error)
	}
}

// noteUnavailable records err in the watch of ctx, if any, when it is an unavailability: for
// the statements run past GORM.
func noteUnavailable(ctx context.Context, err error) {
	if err == nil || !IsUnavailable(err) {
		return
	}
	if w, ok := ctx.Value(watchKey{}).(*databaseWatch); ok {
		w.mu.Lock()
		if w.err == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
}

// watchFailures registers noteFailure after every kind of statement GORM runs.
func watchFailures(db *gorm.DB) error {
	cb := db.Callback()
	for name, register := range map[string]func(string, func(*gorm.DB)) error{
		"gorm:create": cb.Create().After("gorm:create").Register,
		"gorm:query":  cb.Query().After("gorm:query").Register,
		"gorm:update": cb.Update().After("gorm:update").Register,
		"gorm:delete": cb.Delete().After("gorm:delete").Register,
		"gorm:row":    cb.Row().After("gorm:row").Register,
		"gorm:raw":    cb.Raw().After("gorm:raw").Register,
	} {
		if err := register("papi:watch_failures", noteFailure); err != nil {
			return fmt.Errorf("register the failure watch after %s: %w", name, err)
		}
	}
	return nil
}
