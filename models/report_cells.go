package models

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
)

// eachRollupRow runs a query of rollupColumns and n (and, when packed, whether the row is a
// pack and its cells: eachPackedRollupRow) and calls each with every row in r. On
// PostgreSQL outside a transaction it reads the rows through pgx itself, in its binary
// format, with each distinct text read once: database/sql would make a string and an
// interface of every column of the thousands of cells of a province and convert them again by
// reflection in Scan, which cost more than the rest of the report. In a transaction (only
// database/sql holds it) and on SQLite it scans through database/sql.
func (s *Store) eachRollupRow(ctx context.Context, packed bool, q string, args []any, each func(r *rollupRowScan) error) error {
	conn := s.conn(ctx)
	var r rollupRowScan
	dest := r.dest(packed)
	if db, ok := pgxPool(conn); ok {
		err := s.eachPgxRollupRow(ctx, db, q, args, &r, dest, each)
		noteUnavailable(ctx, err)
		return err
	}
	rows, err := conn.Raw(q, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := each(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachPgxRollupRow is eachRollupRow on a pgx connection of the pool. GORM still writes the
// statement: its placeholders and the lists of IN ? are the same as on the other path.
func (s *Store) eachPgxRollupRow(ctx context.Context, db *sql.DB, q string, args []any, r *rollupRowScan, dest []any, each func(r *rollupRowScan) error) error {
	stmt := s.db.Session(&gorm.Session{NewDB: true, Context: ctx}).Raw(q, args...).Statement
	return withPgxOf(ctx, db, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, stmt.SQL.String(), stmt.Vars...)
		if err != nil {
			return err
		}
		defer rows.Close()
		texts := &rowTexts{last: make([]string, len(dest)), seen: map[string]string{}}
		for rows.Next() {
			if err := decodeRow(dest, rows.FieldDescriptions(), rows.RawValues(), texts); err != nil {
				return err
			}
			if err := each(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// rowTexts are the texts read so far, so each distinct one is made once: a province's cells
// share a few dozen months, kinds, states and due dates, and a row mostly repeats the last.
type rowTexts struct {
	last []string // by column
	seen map[string]string
}

// text is v as a string, made only the first time it is read.
func (t *rowTexts) text(i int, v []byte) string {
	if t.last[i] == string(v) {
		return t.last[i]
	}
	s, ok := t.seen[string(v)]
	if !ok {
		s = string(v)
		t.seen[s] = s
	}
	t.last[i] = s
	return s
}

// decodeRow puts one row's raw values into dest (int64, bool, string and []byte pointers; a
// []byte is the row's own, valid until the next row is read).
func decodeRow(dest []any, fields []pgconn.FieldDescription, raw [][]byte, texts *rowTexts) error {
	if len(raw) != len(dest) || len(fields) != len(dest) {
		return fmt.Errorf("rollups: %d columns, want %d", len(raw), len(dest))
	}
	for i, v := range raw {
		if v == nil {
			return fmt.Errorf("rollups: column %s is null", fields[i].Name)
		}
		var err error
		switch d := dest[i].(type) {
		case *int64:
			*d, err = pgInt(fields[i], v)
		case *bool:
			*d, err = pgBool(fields[i], v)
		case *string:
			if f := fields[i]; f.Format != pgtype.TextFormatCode && f.DataTypeOID != pgtype.TextOID && f.DataTypeOID != pgtype.VarcharOID {
				return fmt.Errorf("rollups: column %s of type %d read as text", f.Name, f.DataTypeOID)
			}
			*d = texts.text(i, v)
		case *[]byte:
			*d, err = pgBytes(fields[i], v)
		}
		if err != nil {
			return fmt.Errorf("rollups: column %s: %w", fields[i].Name, err)
		}
	}
	return nil
}

// pgInt reads a smallint, integer or bigint in either of PostgreSQL's formats.
func pgInt(f pgconn.FieldDescription, v []byte) (int64, error) {
	if f.Format == pgtype.TextFormatCode {
		return strconv.ParseInt(string(v), 10, 64)
	}
	switch len(v) {
	case 2:
		return int64(int16(binary.BigEndian.Uint16(v))), nil
	case 4:
		return int64(int32(binary.BigEndian.Uint32(v))), nil
	case 8:
		return int64(binary.BigEndian.Uint64(v)), nil
	}
	return 0, fmt.Errorf("%d bytes for an integer of type %d", len(v), f.DataTypeOID)
}

// pgBytes reads a bytea in either of PostgreSQL's formats.
func pgBytes(f pgconn.FieldDescription, v []byte) ([]byte, error) {
	if f.Format != pgtype.TextFormatCode {
		return v, nil
	}
	if !bytes.HasPrefix(v, []byte(`\x`)) {
		return nil, fmt.Errorf("%d bytes for a bytea", len(v))
	}
	out := make([]byte, hex.DecodedLen(len(v)-2))
	_, err := hex.Decode(out, v[2:])
	return out, err
}

// pgBool reads a boolean in either of PostgreSQL's formats.
func pgBool(f pgconn.FieldDescription, v []byte) (bool, error) {
	if len(v) != 1 {
		return false, fmt.Errorf("%d bytes for a boolean", len(v))
	}
	if f.Format == pgtype.TextFormatCode {
		return v[0] == 't', nil
	}
	return v[0] == 1, nil
}
