// Package dbtest gives tests a fresh, migrated database of each dialect and a small commune world.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver for the admin connection
	"golang.org/x/crypto/bcrypt"

	"github.com/papi-dialogue/papi/models"
)

// EnvURL names the PostgreSQL server the tests may create databases on.
const EnvURL = "PAPI_TEST_DATABASE_URL"

// templates are migrated once per test binary and copied for every test.
type templates struct {
	mu       sync.Mutex
	dir      string
	sqlite   string
	pgName   string
	pgFailed error
}

var shared templates

// Main runs the tests of a package and removes the template databases afterwards, then runs
// the package's own cleanups (what its tests left outside the test directories).
// Call it from TestMain.
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	shared.cleanup()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

func (tp *templates) cleanup() {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if tp.dir != "" {
		os.RemoveAll(tp.dir)
	}
	if tp.pgName != "" {
		dropDatabase(tp.pgName)
	}
}

// Dialects returns the dialects under test: SQLite always, PostgreSQL when PAPI_TEST_DATABASE_URL
// is set. In CI (CI=true) PostgreSQL is required.
func Dialects(t testing.TB) []models.Dialect {
	if os.Getenv(EnvURL) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; CI must test PostgreSQL", EnvURL)
		}
		return []models.Dialect{models.SQLite}
	}
	return []models.Dialect{models.SQLite, models.Postgres}
}

// Each runs fn once per dialect under test, each time on a fresh database. The test runs in
// parallel with the package's other parallel tests: it owns its databases, and most of its time
// is spent waiting on them. A test that changes state the package shares (a tuning variable)
// uses EachSerial instead.
func Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	t.Parallel()
	EachSerial(t, fn)
}

// EachSerial is Each for a test that must not overlap another: it runs alone.
func EachSerial(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated store of dialect d, removed when the test ends.
func Open(t testing.TB, d models.Dialect) *models.Store {
	t.Helper()
	url := NewDatabase(t, d)
	s, err := models.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	s.BcryptCost = bcrypt.MinCost
	t.Cleanup(func() { s.Close() })
	return s
}

// NewDatabase creates a fresh migrated database of dialect d and returns its URL;
// it is dropped when the test ends.
func NewDatabase(t testing.TB, d models.Dialect) string {
	t.Helper()
	if d == models.Postgres {
		return newPostgres(t)
	}
	return newSQLite(t)
}

// NewEmptyDatabase returns the URL of a database of dialect d with nothing in it, not even the
// schema, as an installation starts; it is dropped when the test ends.
func NewEmptyDatabase(t testing.TB, d models.Dialect) string {
	t.Helper()
	if d != models.Postgres {
		return filepath.Join(t.TempDir(), "data", "papi.db")
	}
	admin, err := adminDB()
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := "papi_empty_" + suffix()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create empty database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return withDatabase(name)
}

// dropDatabase removes a test database, closing its connections first.
func dropDatabase(name string) {
	admin, err := adminDB()
	if err != nil {
		return
	}
	defer admin.Close()
	admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

func suffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newSQLite(t testing.TB) string {
	shared.mu.Lock()
	if shared.sqlite == "" {
		dir, err := os.MkdirTemp("", "papi-test-")
		if err != nil {
			shared.mu.Unlock()
			t.Fatal(err)
		}
		shared.dir = dir
		path := filepath.Join(dir, "template.db")
		if err := migrate(path); err != nil {
			shared.mu.Unlock()
			t.Fatalf("migrate sqlite template: %v", err)
		}
		shared.sqlite = path
	}
	tpl := shared.sqlite
	shared.mu.Unlock()

	path := filepath.Join(t.TempDir(), "papi.db")
	if err := copyFile(tpl, path); err != nil {
		t.Fatal(err)
	}
	return path
}

func migrate(url string) error {
	s, err := models.Open(context.Background(), url)
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.Migrate(context.Background())
	return err
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ensured remembers whether the database named in PAPI_TEST_DATABASE_URL exists, or why not.
var ensured struct {
	once sync.Once
	err  error
}

// adminDB connects to the database named in PAPI_TEST_DATABASE_URL, the one the tests create
// their own databases from; it creates that database first when the server lacks it.
func adminDB() (*sql.DB, error) {
	ensured.once.Do(func() { ensured.err = EnsureDatabase(context.Background(), os.Getenv(EnvURL)) })
	if ensured.err != nil {
		return nil, ensured.err
	}
	return sql.Open("pgx", os.Getenv(EnvURL))
}

// EnsureDatabase creates the database that rawURL names when the server does not have it yet,
// connecting to the "postgres" maintenance database to do so; a fresh server has only that one.
func EnsureDatabase(ctx context.Context, rawURL string) error {
	db, err := sql.Open("pgx", rawURL)
	if err != nil {
		return err
	}
	err = db.PingContext(ctx)
	db.Close()
	var pgErr *pgconn.PgError
	if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // 3D000: no such database
		return err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	maint, err := sql.Open("pgx", u.String())
	if err != nil {
		return err
	}
	defer maint.Close()
	_, err = maint.ExecContext(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // 42P04: it exists
		return nil // another test binary made it first
	}
	if err != nil {
		return fmt.Errorf("create database %q: %w", name, err)
	}
	return nil
}

// withDatabase returns the server URL with its database name replaced.
func withDatabase(name string) string {
	u, err := url.Parse(os.Getenv(EnvURL))
	if err != nil {
		return ""
	}
	u.Path = "/" + name
	return u.String()
}

func newPostgres(t testing.TB) string {
	admin, err := adminDB()
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	shared.mu.Lock()
	if shared.pgName == "" && shared.pgFailed == nil {
		name := "papi_tpl_" + suffix()
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			shared.pgFailed = fmt.Errorf("create template database: %w", err)
		} else if err := migrate(withDatabase(name)); err != nil {
			shared.pgFailed = fmt.Errorf("migrate template database: %w", err)
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		} else {
			shared.pgName = name
		}
	}
	tpl, failed := shared.pgName, shared.pgFailed
	shared.mu.Unlock()
	if failed != nil {
		t.Fatal(failed)
	}

	name := "papi_t_" + suffix()
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tpl); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return withDatabase(name)
}
