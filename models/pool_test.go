package models_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// A burst that takes every connection of the pool leaves them all open for the next one: a
// closed connection means a new PostgreSQL backend, which loads its catalog and plans every
// statement again.
func TestPoolKeepsTheConnectionsOfABurst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if s.Dialect() != models.Postgres {
			t.Skip("SQLite's pool is four connections to one file")
		}
		db, err := s.Gorm().DB()
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		limit := db.Stats().MaxOpenConnections
		if limit < 10 {
			t.Fatalf("the pool opens at most %d connections", limit)
		}
		before := db.Stats()
		conns := make([]*sql.Conn, limit)
		for i := range conns {
			if conns[i], err = db.Conn(ctx); err != nil {
				t.Fatal(err)
			}
			if err := conns[i].PingContext(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range conns {
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
		}
		after := db.Stats()
		if closed := after.MaxIdleClosed - before.MaxIdleClosed; closed != 0 || after.Idle != limit {
			t.Fatalf("after a burst of %d: %d idle, %d closed for want of an idle place", limit, after.Idle, closed)
		}
	})
}
