package models_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// The hot reads' rows are read from PostgreSQL's binary format by papi itself: every value of
// every kind it reads (integers, texts, booleans, times, days, NULLs into pointers, the named
// texts of a petition) comes out as pgx reads it, and a value pgx refuses is refused too.
func TestRowsReadAsPgxReadsThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		if s.Dialect() != models.Postgres {
			t.Skip("SQLite's rows come through database/sql")
		}
		ctx := context.Background()
		dest := func() []any {
			return []any{new(int64), new(*int64), new(int), new(int), new(string), new(*string), new(bool),
				new(time.Time), new(*time.Time), new(models.Date), new(*models.Date),
				new(models.PetitionState), new(*models.CloseReason), new(models.Role), new(string), new(int64),
				new(models.DialogueStatus), new(*int)}
		}
		// Random rows, a third of the nullable values NULL, times and days from 1890 to 3010
		// (beyond the years read by papi itself at both ends), texts with Vietnamese letters.
		random := `SELECT (random() * 9e18 - 4.5e18)::bigint,
			CASE WHEN random() < 0.33 THEN NULL ELSE (random() * 1e12)::bigint END,
			(random() * 4e9 - 2e9)::int, (random() * 60000 - 30000)::smallint,
			repeat('Đường ấp ' || i, (random() * 20)::int),
			CASE WHEN random() < 0.33 THEN NULL ELSE md5(i::text) || ' nước sạch' END,
			random() < 0.5,
			timestamptz '1890-01-01 00:00:00+00' + random() * interval '1120 years',
			CASE WHEN random() < 0.33 THEN NULL ELSE timestamptz '2020-01-01' + random() * interval '10 years' END,
			date '1890-01-01' + (random() * 409000)::int,
			CASE WHEN random() < 0.33 THEN NULL ELSE date '2020-01-01' + (random() * 4000)::int END,
			(ARRAY['received','assigned','answered','closed'])[1 + (random() * 3)::int],
			CASE WHEN random() < 0.33 THEN NULL ELSE 'duplicate' END,
			'commune_chair', ''::varchar, i::int8,
			(ARRAY['planned','held','closed','cancelled'])[1 + (random() * 3)::int],
			CASE WHEN random() < 0.33 THEN NULL ELSE (random() * 4e9 - 2e9)::int END
			FROM generate_series(1, 3000) AS i`
		// What papi leaves to pgx: infinities, NULLs into values, a type it does not read.
		edges := []string{
			`SELECT 1::bigint, NULL::bigint, 1, 1, 'a', NULL, true, 'infinity'::timestamptz, NULL, date '2026-12-03', NULL, 'received', NULL, 'admin', '', 1::int8, 'held', NULL::int`,
			`SELECT 1::bigint, NULL::bigint, 1, 1, 'a', NULL, true, now(), '-infinity'::timestamptz, date '2026-12-03', NULL, 'received', NULL, 'admin', '', 1::int8, 'planned', 5`,
			`SELECT 1::bigint, NULL::bigint, 1, 1, 'a', NULL, true, now(), NULL, 'infinity'::date, 'infinity'::date, 'received', NULL, 'admin', '', 1::int8, NULL::text, NULL::int`,
			`SELECT NULL::bigint, NULL::bigint, NULL::int, 1, NULL::text, NULL, NULL::bool, NULL::timestamptz, NULL, NULL::date, NULL, NULL::text, NULL, 'admin', '', 1::int8, 'closed', 7::int2`,
			`SELECT 1::bigint, 2::bigint, 1, 1, 'a', 'b', true, timestamp '2026-12-03 08:00', timestamp '2026-12-03 09:00', date '2026-12-03', date '0001-01-01', 'received', 'duplicate', 'admin', 'x'::name, 1.5::numeric::int8, 'held', 9e18::bigint`,
			`SELECT 1::bigint, 2::bigint, 1, 1, 'a', 'b', true, now(), now(), date '9999-12-31', date '2026-12-03', 'received', 'duplicate', gen_random_uuid()::text, 'x'::char(3), 7::int2, 'held'::name, 3::int8`,
		}
		rows := 0
		for _, text := range append([]string{"SELECT setseed(0.17)", random}, edges...) {
			if text == "SELECT setseed(0.17)" {
				if err := s.Gorm().Exec(text).Error; err != nil {
					t.Fatal(err)
				}
				continue
			}
			err := models.ReadRowsBothWays(ctx, s, text, dest, func(fast, slow []any, fastErr, slowErr error) {
				rows++
				if (fastErr == nil) != (slowErr == nil) {
					t.Fatalf("read by papi: %v; by pgx: %v (%s)", fastErr, slowErr, text[:40])
				}
				if fastErr == nil && !reflect.DeepEqual(fast, slow) {
					for i := range fast {
						if !reflect.DeepEqual(fast[i], slow[i]) {
							t.Errorf("column %d: papi read %s, pgx %s", i+1, shown(fast[i]), shown(slow[i]))
						}
					}
					t.FailNow()
				}
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if rows != 3000+len(edges) {
			t.Fatalf("%d rows read", rows)
		}
	})
}

// shown writes the value a destination points to, through its pointers.
func shown(d any) string {
	v := reflect.ValueOf(d)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return fmt.Sprintf("%v", v)
}
