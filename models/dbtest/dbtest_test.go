package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
)

// A fresh server has no database named after the test URL: the tests create it themselves.
func TestEnsureDatabaseCreatesAMissingDatabase(t *testing.T) {
	raw := os.Getenv(EnvURL)
	if raw == "" {
		t.Skip(EnvURL + " not set")
	}
	ctx := context.Background()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	name := "papi_missing_" + suffix()
	u.Path = "/" + name
	t.Cleanup(func() { dropDatabase(name) })
	for i := 0; i < 2; i++ { // the second call finds it and does nothing
		if err := EnsureDatabase(ctx, u.String()); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&got); err != nil || got != name {
		t.Fatalf("connected to %q, %v; want %q", got, err, name)
	}
	u.Host = "127.0.0.1:1" // nothing listens there: the error is the connection's, not swallowed
	if err := EnsureDatabase(ctx, u.String()); err == nil {
		t.Fatal("no error for an unreachable server")
	}
}
