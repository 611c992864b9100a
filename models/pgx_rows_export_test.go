package models

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ReadRowsBothWays runs text on PostgreSQL and reads each of its rows twice, into new
// destinations each time: by scanRow, and by pgx's own Scan; each gets both and their errors.
func ReadRowsBothWays(ctx context.Context, s *Store, text string, dest func() []any, each func(fast, slow []any, fastErr, slowErr error)) error {
	db, err := s.SQL()
	if err != nil {
		return err
	}
	return withPgxOf(ctx, db, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, text)
		if err != nil {
			return err
		}
		defer rows.Close()
		refused := false // pgx ends the rows when it refuses a value
		for rows.Next() {
			fast, slow := dest(), dest()
			fastErr := scanRow(c.TypeMap(), rows.FieldDescriptions(), rows.RawValues(), fast)
			slowErr := rows.Scan(slow...)
			each(fast, slow, fastErr, slowErr)
			refused = refused || slowErr != nil
		}
		if refused {
			return nil
		}
		return rows.Err()
	})
}
