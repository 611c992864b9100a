package models_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// On PostgreSQL a statement's LIMIT and OFFSET are numbers in its text, not parameters, so that
// a prepared list can keep one plan; the rows are the same.
func TestLimitIsWrittenAsANumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		dbtest.NewWorld(t, s)
		dry := s.Gorm().Session(&gorm.Session{DryRun: true})
		var units []models.Unit
		stmt := dry.Order("id").Limit(3).Offset(2).Find(&units).Statement
		sql := stmt.SQL.String()
		if s.Dialect() == models.Postgres {
			if !strings.HasSuffix(sql, "LIMIT 3 OFFSET 2") || len(stmt.Vars) != 0 {
				t.Fatalf("rendered %q with %v, want LIMIT 3 OFFSET 2 and no parameters", sql, stmt.Vars)
			}
			if only := dry.Limit(5).Find(&units).Statement.SQL.String(); !strings.HasSuffix(only, "LIMIT 5") {
				t.Fatalf("rendered %q", only)
			}
		}
		var all, page []int64
		if err := s.Gorm().Model(&models.Unit{}).Order("id").Pluck("id", &all).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.Gorm().Model(&models.Unit{}).Order("id").Limit(3).Offset(2).Pluck("id", &page).Error; err != nil {
			t.Fatal(err)
		}
		if len(all) < 5 || len(page) != 3 || page[0] != all[2] || page[2] != all[4] {
			t.Fatalf("page %v of %v", page, all)
		}
	})
}
