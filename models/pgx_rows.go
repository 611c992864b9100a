package models

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// A list of fifty petitions is some 2,600 values. pgx scans each through a plan chosen by the
// destination's type: a pointer for a NULL is made by reflection, a named string type (a state,
// a kind) is converted by reflection, and the plans are chosen again for every statement. The
// hot reads' values are of a few kinds only, so scanRow reads those straight from PostgreSQL's
// own format and leaves any other to pgx, value by value: what it reads is what pgx would
// have read (TestRowsReadAsPgxReadsThem).

// scanRow puts one row's raw values into dest, in the columns' order.
func scanRow(m *pgtype.Map, fields []pgconn.FieldDescription, raw [][]byte, dest []any) error {
	if len(raw) != len(dest) || len(fields) != len(dest) {
		return fmt.Errorf("%d columns for %d destinations", len(raw), len(dest))
	}
	for i, d := range dest {
		f := &fields[i]
		if d == nil || readValue(f, raw[i], d) {
			continue
		}
		if err := m.Scan(f.DataTypeOID, f.Format, raw[i], d); err != nil {
			return fmt.Errorf("column %s: %w", f.Name, err)
		}
	}
	return nil
}

// readValue reads the value v of column f into d when d is one of the destinations it knows
// and v a value it reads as pgx would (texts, integers and booleans in either format, times
// and days in binary); it reports whether it did. A NULL is read only into a pointer (nil), as
// pgx errs on a NULL for anything else.
func readValue(f *pgconn.FieldDescription, v []byte, d any) bool {
	switch d := d.(type) {
	case *string:
		return readText(f, v, d)
	case **string:
		return readNullable(f, v, d, readText)
	case *int64:
		return readInt(f, v, d)
	case **int64:
		return readNullable(f, v, d, readInt)
	case *int:
		return readInt(f, v, d)
	case **int:
		return readNullable(f, v, d, readInt)
	case *bool:
		return readBool(f, v, d)
	case *time.Time:
		return readTime(f, v, d)
	case **time.Time:
		return readNullable(f, v, d, readTime)
	case *Date:
		return readDate(f, v, d)
	case **Date:
		return readNullable(f, v, d, readDate)
	case *PetitionState:
		return readText(f, v, d)
	case *StateType:
		return readText(f, v, d)
	case *PetitionKind:
		return readText(f, v, d)
	case *Channel:
		return readText(f, v, d)
	case *Complexity:
		return readText(f, v, d)
	case *Role:
		return readText(f, v, d)
	case *DialogueStatus:
		return readText(f, v, d)
	case **CloseReason:
		return readNullable(f, v, d, readText)
	case **Satisfaction:
		return readNullable(f, v, d, readText)
	}
	return false
}

// readNullable reads v into a new T for *d, or sets *d to nil for a NULL.
func readNullable[T any](f *pgconn.FieldDescription, v []byte, d **T, read func(*pgconn.FieldDescription, []byte, *T) bool) bool {
	if v == nil {
		*d = nil
		return true
	}
	x := new(T)
	if !read(f, v, x) {
		return false
	}
	*d = x
	return true
}

// readText reads a text or varchar, whose two formats are the same bytes.
func readText[S ~string](f *pgconn.FieldDescription, v []byte, d *S) bool {
	if v == nil || (f.DataTypeOID != pgtype.TextOID && f.DataTypeOID != pgtype.VarcharOID) {
		return false
	}
	*d = S(v)
	return true
}

// readInt reads a smallint, integer or bigint (pgInt).
func readInt[I int | int64](f *pgconn.FieldDescription, v []byte, d *I) bool {
	switch f.DataTypeOID {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID:
	default:
		return false
	}
	if v == nil {
		return false
	}
	n, err := pgInt(*f, v)
	if err != nil {
		return false
	}
	*d = I(n)
	return true
}

// readBool reads a boolean (pgBool).
func readBool(f *pgconn.FieldDescription, v []byte, d *bool) bool {
	if f.DataTypeOID != pgtype.BoolOID {
		return false
	}
	b, err := pgBool(*f, v)
	if err != nil {
		return false
	}
	*d = b
	return true
}

// PostgreSQL counts times in microseconds and days from 2000-01-01; pgx gives a time in the
// local zone (time.Unix) and a day as its date at midnight UTC.
const (
	unixToY2KSeconds = 946_684_800
	// Times and days read here lie within these years; pgx reads the rest (infinity, or a
	// range it refuses).
	readYearsFrom, readYearsTo = 1900, 3000
)

var (
	readTimesFrom = time.Date(readYearsFrom, 1, 1, 0, 0, 0, 0, time.UTC)
	readTimesTo   = time.Date(readYearsTo, 1, 1, 0, 0, 0, 0, time.UTC)
)

// readTime reads a timestamp with time zone in binary.
func readTime(f *pgconn.FieldDescription, v []byte, d *time.Time) bool {
	if f.DataTypeOID != pgtype.TimestamptzOID || f.Format != pgtype.BinaryFormatCode || len(v) != 8 {
		return false
	}
	us := int64(binary.BigEndian.Uint64(v))
	t := time.Unix(unixToY2KSeconds+us/1_000_000, us%1_000_000*1_000)
	if t.Before(readTimesFrom) || !t.Before(readTimesTo) {
		return false
	}
	*d = t
	return true
}

// readDate reads a date in binary.
func readDate(f *pgconn.FieldDescription, v []byte, d *Date) bool {
	if f.DataTypeOID != pgtype.DateOID || f.Format != pgtype.BinaryFormatCode || len(v) != 4 {
		return false
	}
	t := time.Date(2000, 1, 1+int(int32(binary.BigEndian.Uint32(v))), 0, 0, 0, 0, time.UTC)
	if t.Before(readTimesFrom) || !t.Before(readTimesTo) {
		return false
	}
	var b [len(time.DateOnly)]byte
	*d = Date(t.AppendFormat(b[:0], time.DateOnly))
	return true
}
