package models

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// BulkInsert writes many rows into one table as fast as the dialect allows: COPY on PostgreSQL,
// multi-row INSERTs in one transaction on SQLite. It is the one door the loaders of large data
// sets (package seed) have past the domain's rules, so they must write rows those rules would
// accept. Rows carry their ids (from MaxID), so no round trip is needed to learn them; call
// FinishBulkInsert after the last batch.
func (s *Store) BulkInsert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if err := checkIdentifiers(append([]string{table}, columns...)...); err != nil {
		return err
	}
	if s.dialect == Postgres {
		return s.withPgx(ctx, func(c *pgx.Conn) error {
			if _, err := c.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", table, err)
			}
			return nil
		})
	}
	per := 30000 / len(columns)
	head := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return s.WithTx(ctx, func(ctx context.Context) error {
		for start := 0; start < len(rows); start += per {
			end := min(start+per, len(rows))
			var b strings.Builder
			b.WriteString(head)
			args := make([]any, 0, (end-start)*len(columns))
			for i := start; i < end; i++ {
				if i > start {
					b.WriteString(", ")
				}
				b.WriteString(one)
				args = append(args, rows[i]...)
			}
			if err := s.conn(ctx).Exec(b.String(), args...).Error; err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
		}
		return nil
	})
}

// identifierPattern is a table or column name a bulk load may name: they are written into SQL.
var identifierPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func checkIdentifiers(names ...string) error {
	for _, n := range names {
		if !identifierPattern.MatchString(n) {
			return fmt.Errorf("bulk insert: bad identifier %q", n)
		}
	}
	return nil
}

// MaxID returns the largest id in a table (0 when empty): a bulk load numbers its rows after it.
func (s *Store) MaxID(ctx context.Context, table string) (int64, error) {
	if err := checkIdentifiers(table); err != nil {
		return 0, err
	}
	var id int64
	err := s.conn(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM " + table).Scan(&id).Error
	return id, err
}

// FinishBulkInsert ends a bulk load of tables: PostgreSQL's id sequences move past the ids the
// load handed out, and the planner learns the new sizes. SQLite needs neither (its AUTOINCREMENT
// follows the largest id inserted).
func (s *Store) FinishBulkInsert(ctx context.Context, tables ...string) error {
	if s.dialect != Postgres || len(tables) == 0 {
		return nil
	}
	if err := checkIdentifiers(tables...); err != nil {
		return err
	}
	var withID []string
	if err := s.conn(ctx).Raw(`SELECT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name = 'id' AND table_name IN ?`, tables).Scan(&withID).Error; err != nil {
		return err
	}
	for _, t := range withID {
		err := s.conn(ctx).Exec(fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM %s), 1))", t, t)).Error
		if err != nil {
			return fmt.Errorf("move the id sequence of %s: %w", t, err)
		}
	}
	return s.conn(ctx).Exec("ANALYZE " + strings.Join(tables, ", ")).Error
}

// withPgx runs fn on a pgx connection of the pool (PostgreSQL only), for what database/sql
// cannot do or does slowly: COPY, rows read in the binary format.
func (s *Store) withPgx(ctx context.Context, fn func(c *pgx.Conn) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return withPgxOf(ctx, sqlDB, fn)
}

// withPgxOf runs fn on the pgx connection under one of the pool's connections.
func withPgxOf(ctx context.Context, sqlDB *sql.DB, fn func(c *pgx.Conn) error) error {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return fn(c.Conn())
	})
}
