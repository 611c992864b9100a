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
// and v a value it reads as pgx would (a text in either format, which are the same bytes, the
// rest in binary); it reports whether it did. A NULL is read only into a pointer (nil), as pgx
// errs on a NULL for anything else.
func readValue(f *pgconn.FieldDescription, v []byte, d any) bool {
	oid := f.DataTypeOID
	if f.Format != pgtype.BinaryFormatCode {
		oid = textOnly(oid)
	}
	switch d := d.(type) {
	case *string:
		return readText(oid, v, d)
	case **string:
		return readNullable(oid, v, d, readText)
	case *int64:
		return readInt(oid, v, d)
	case **int64:
		return readNullable(oid, v, d, readInt)
	case *int:
		return readInt(oid, v, d)
	case *bool:
		return readBool(oid, v, d)
	case *time.Time:
		return readTime(oid, v, d)
	case **time.Time:
		return readNullable(oid, v, d, readTime)
	case *Date:
		return readDate(oid, v, d)
	case **Date:
		return readNullable(oid, v, d, readDate)
	case *PetitionState:
		return readText(oid, v, d)
	case *StateType:
		return readText(oid, v, d)
	case *PetitionKind:
		return readText(oid, v, d)
	case *Channel:
		return readText(oid, v, d)
	case *Complexity:
		return readText(oid, v, d)
	case *Role:
		return readText(oid, v, d)
	case **CloseReason:
		return readNullable(oid, v, d, readText)
	case **Satisfaction:
		return readNullable(oid, v, d, readText)
	}
	return false
}

// textOnly is oid for a text type, whose values in text format are read as in binary; zero for
// any other, which papi reads in binary only.
func textOnly(oid uint32) uint32 {
	if oid == pgtype.TextOID || oid == pgtype.VarcharOID {
		return oid
	}
	return 0
}

// readNullable reads v into a new T for *d, or sets *d to nil for a NULL.
func readNullable[T any](oid uint32, v []byte, d **T, read func(uint32, []byte, *T) bool) bool {
	if v == nil {
		*d = nil
		return true
	}
	x := new(T)
	if !read(oid, v, x) {
		return false
	}
	*d = x
	return true
}

func readText[S ~string](oid uint32, v []byte, d *S) bool {
	if v == nil || (oid != pgtype.TextOID && oid != pgtype.VarcharOID) {
		return false
	}
	*d = S(v)
	return true
}

func readInt[I int | int64](oid uint32, v []byte, d *I) bool {
	switch {
	case v == nil:
		return false
	case oid == pgtype.Int8OID && len(v) == 8:
		*d = I(int64(binary.BigEndian.Uint64(v)))
	case oid == pgtype.Int4OID && len(v) == 4:
		*d = I(int32(binary.BigEndian.Uint32(v)))
	case oid == pgtype.Int2OID && len(v) == 2:
		*d = I(int16(binary.BigEndian.Uint16(v)))
	default:
		return false
	}
	return true
}

func readBool(oid uint32, v []byte, d *bool) bool {
	if oid != pgtype.BoolOID || len(v) != 1 {
		return false
	}
	*d = v[0] == 1
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

func readTime(oid uint32, v []byte, d *time.Time) bool {
	if oid != pgtype.TimestamptzOID || len(v) != 8 {
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

func readDate(oid uint32, v []byte, d *Date) bool {
	if oid != pgtype.DateOID || len(v) != 4 {
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
