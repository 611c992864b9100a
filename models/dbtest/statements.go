package dbtest

import (
	"testing"

	"gorm.io/gorm"

	"github.com/papi-dialogue/papi/models"
)

// StatementCounter counts the SQL statements a store sends, through GORM's callbacks: every
// query, insert, update, delete, row scan and raw statement papi sends goes through one (BEGIN
// and COMMIT do not, and are not counted).
type StatementCounter struct{ n int }

// CountStatements starts counting the statements s sends. Register it once per store.
func CountStatements(t testing.TB, s *models.Store) *StatementCounter {
	t.Helper()
	c := &StatementCounter{}
	cb := s.Gorm().Callback()
	inc := func(*gorm.DB) { c.n++ }
	for name, err := range map[string]error{
		"query":  cb.Query().After("gorm:query").Register("test:count_query", inc),
		"create": cb.Create().After("gorm:create").Register("test:count_create", inc),
		"update": cb.Update().After("gorm:update").Register("test:count_update", inc),
		"delete": cb.Delete().After("gorm:delete").Register("test:count_delete", inc),
		"row":    cb.Row().After("gorm:row").Register("test:count_row", inc),
		"raw":    cb.Raw().After("gorm:raw").Register("test:count_raw", inc),
	} {
		if err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	s.NoteFixedStatements(func() { inc(nil) })
	return c
}

// Count returns how many statements fn sent.
func (c *StatementCounter) Count(fn func()) int {
	before := c.n
	fn()
	return c.n - before
}
