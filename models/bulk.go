package models

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// bulkInsert writes many rows into one table as fast as the dialect allows: COPY on PostgreSQL,
// multi-row INSERTs in one transaction on SQLite. It serves the synthetic data generator; rows
// carry their ids, so no round trip is needed to learn them.
func (s *Store) bulkInsert(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		sqlDB, err := s.db.DB()
		if err != nil {
			return err
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("bulk insert: unexpected driver connection %T", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			if err != nil {
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
