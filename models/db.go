// Package models is the domain of PAPI Dialogue: its records, its rules and its queries.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/papi-dialogue/papi/migrations"
)

// Dialect names the database engine behind a Store.
type Dialect string

// The supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the gateway to the database; every query and rule of the domain goes through it.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	// Now is the clock; tests replace it to move time.
	Now func() time.Time
	// BcryptCost is the work factor of password hashes; tests lower it.
	BcryptCost int
	// Blobs keeps the files of attachments; nil until the process wires one.
	Blobs BlobStore
	// AttachmentMaxSize caps one attached file, in bytes (0: DefaultAttachmentMaxSize).
	AttachmentMaxSize int64
	// SpoolDir holds uploads while they are checked ("" is the system's temporary directory).
	SpoolDir string
	// PublicURL is where residents reach the app, for the links messages carry.
	PublicURL string
	// countFromPetitions makes reports count the petitions themselves instead of the rollups
	// (tests compare the two).
	countFromPetitions bool
	// scopeCache keeps units and what they hold while the units do not change (unit_scope.go).
	scopeCache *scopeCache
	// refCache keeps the topics, the dialogue rules and the calendar while they do not change
	// (reference.go).
	refCache *scopeCache
	// fixed keeps the text of the statements that never change shape (fixed_statements.go).
	fixed *fixedStatements
	// masks keeps what masking made of the public petitions read last (public_memo.go).
	masks *maskMemo
}

// stringAgg is the dialect's aggregate joining texts with a separator: string_agg(x, ',') on
// PostgreSQL, group_concat(x, ',') on SQLite.
func (d Dialect) stringAgg() string {
	if d == Postgres {
		return "string_agg"
	}
	return "group_concat"
}

// DialectOf tells which dialect a database URL selects: a postgres:// URL selects PostgreSQL,
// anything else is a path to an SQLite file.
func DialectOf(url string) Dialect {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// SQLiteDSN returns the connection string for an embedded SQLite file with the settings we rely on:
// foreign keys, WAL, a busy timeout, and write transactions that take the write lock when they
// begin (BEGIN IMMEDIATE): one that read before writing would otherwise fail with SQLITE_BUSY
// instead of waiting its turn when another writer got there first. Times are written in SQLite's
// own format, the driver's default. (The driver stops reading options at _time_format, so naming
// that format here would silently drop _txlock.)
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// postgresConns is how many connections to PostgreSQL the pool opens at most, and keeps.
const postgresConns = 20

// Open connects to the database named by url (a postgres:// URL or an SQLite file path).
func Open(ctx context.Context, url string) (*Store, error) {
	cfg := &gorm.Config{
		Logger:                                   logger.Default.LogMode(logger.Silent),
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
		DisableForeignKeyConstraintWhenMigrating: true,
		TranslateError:                           false,
	}
	var (
		db      *gorm.DB
		err     error
		dialect = DialectOf(url)
	)
	switch dialect {
	case Postgres:
		db, err = gorm.Open(postgres.Open(url), cfg)
		if err == nil {
			db.ClauseBuilders["LIMIT"] = literalLimit
		}
	default:
		if dir := filepath.Dir(url); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
		db, err = gorm.Open(sqlite.Open(SQLiteDSN(url)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if err := watchFailures(db); err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		// One writer at a time is all SQLite allows; a small pool avoids lock contention.
		sqlDB.SetMaxOpenConns(4)
	} else {
		// The pool keeps every connection it opens until five quiet minutes: with fewer idle
		// places than connections it closed the surplus as each burst eased and opened them again
		// at the next, and a new PostgreSQL backend loads its catalog and plans every statement
		// anew (a petition's detail at 32 clients cost PostgreSQL twice what the statements do).
		sqlDB.SetMaxOpenConns(postgresConns)
		sqlDB.SetMaxIdleConns(postgresConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return &Store{db: db, dialect: dialect, Now: func() time.Time { return time.Now().UTC() }, BcryptCost: DefaultBcryptCost,
		PublicURL: "http://localhost:8080", scopeCache: &scopeCache{}, refCache: &scopeCache{}, fixed: &fixedStatements{}, masks: &maskMemo{}}, nil
}

// literalLimit writes a statement's LIMIT and OFFSET as numbers instead of parameters, on
// PostgreSQL. pgx prepares each statement once per connection, and PostgreSQL keeps one generic
// plan of it only when that plan costs no more than the plans it makes for the values given;
// with the LIMIT a parameter it assumes a tenth of the rows are wanted, never finds that, and
// plans every list again on every request. Planning cost more than running: Open311's newest 50
// take 2.5 ms to plan and 0.3 ms to run. A number from the code is safe to write as text.
func literalLimit(c clause.Clause, b clause.Builder) {
	l, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	limited := l.Limit != nil && *l.Limit >= 0
	if limited {
		b.WriteString("LIMIT " + strconv.Itoa(*l.Limit))
	}
	if l.Offset > 0 {
		if limited {
			b.WriteByte(' ')
		}
		b.WriteString("OFFSET " + strconv.Itoa(l.Offset))
	}
}

// Close releases the database connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Dialect returns the database engine behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// SQL returns the underlying database handle, for health checks and metrics.
func (s *Store) SQL() (*sql.DB, error) { return s.db.DB() }

// Gorm returns the GORM handle; tests and the seeder use it for bulk work.
func (s *Store) Gorm() *gorm.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Migrate applies every pending migration of the store's dialect and returns how many it applied.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return 0, err
	}
	sub, err := fs.Sub(migrations.FS, string(s.dialect))
	if err != nil {
		return 0, err
	}
	var opts []goose.ProviderOption
	gooseDialect := goose.DialectSQLite3
	if s.dialect == Postgres {
		gooseDialect = goose.DialectPostgres
		// Several papi processes may start at once against one database.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return 0, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	provider, err := goose.NewProvider(gooseDialect, sqlDB, sub, opts...)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	results, err := provider.Up(ctx)
	if err != nil {
		return len(results), fmt.Errorf("migrate: %w", err)
	}
	// The report rollups are filled from the petitions by the code that defines them.
	if _, err := s.ensureRollups(ctx); err != nil {
		return len(results), fmt.Errorf("migrate: report rollups: %w", err)
	}
	return len(results), nil
}

type txKey struct{}

// WithTx runs fn in one database transaction: every write fn makes lands, or none does.
// Nested calls join the outer transaction.
func (s *Store) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := txOf(ctx); ok {
		return fn(ctx)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// txOf returns the transaction ctx carries, if any.
func txOf(ctx context.Context) (*gorm.DB, bool) {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	return tx, ok
}

// conn returns the transaction carried by ctx, or the plain connection.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := txOf(ctx); ok {
		return tx
	}
	return s.db.WithContext(ctx)
}

// now returns the store's clock in UTC.
func (s *Store) now() time.Time { return s.Now().UTC() }

// notFound maps GORM's missing record to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
