package models_test

import (
	"context"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// columns returns table → sorted column names of the application tables.
func columns(t *testing.T, s *models.Store) map[string][]string {
	t.Helper()
	type col struct{ Table, Column string }
	var cols []col
	var err error
	if s.Dialect() == models.Postgres {
		err = s.Gorm().Raw(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
			WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`).Scan(&cols).Error
	} else {
		err = s.Gorm().Raw(`SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`).Scan(&cols).Error
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, c := range cols {
		out[c.Table] = append(out[c.Table], c.Column)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func TestDialectsHaveTheSameSchema(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" && os.Getenv("CI") != "true" {
		t.Skip("PAPI_TEST_DATABASE_URL not set")
	}
	lite := columns(t, dbtest.Open(t, models.SQLite))
	pg := columns(t, dbtest.Open(t, models.Postgres))
	if len(lite) < 5 {
		t.Fatalf("sqlite has only %d tables", len(lite))
	}
	if !reflect.DeepEqual(lite, pg) {
		for table, c := range lite {
			if !reflect.DeepEqual(c, pg[table]) {
				t.Errorf("table %s: sqlite %v, postgres %v", table, c, pg[table])
			}
		}
		for table := range pg {
			if _, ok := lite[table]; !ok {
				t.Errorf("table %s only in postgres", table)
			}
		}
	}
}

func TestMigrateTwiceIsANoop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		n, err := s.Migrate(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v", n, err)
		}
	})
}
