package models

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"gorm.io/gorm"
)

// fixedStatements keeps the text of the statements whose shape never changes, only their
// values: a session's lookup, a petition's record. GORM writes each once per store. Writing a
// statement cost papi more than PostgreSQL spends running these, and was two fifths of what a
// petition's detail allocated.
type fixedStatements struct {
	texts sync.Map // name → text
	// sent is told of each statement run, which GORM's callbacks do not see (NoteFixedStatements).
	sent atomic.Pointer[func()]
}

// NoteFixedStatements calls fn for each statement the store runs by its kept text, outside
// GORM's callbacks: with those callbacks, a count of every statement sent (models/dbtest).
func (s *Store) NoteFixedStatements(fn func()) { s.fixed.sent.Store(&fn) }

// findFixed is findInto for the statement called name: build writes it from a query, taking
// vars in their order, the first time only; later calls run the kept text with their vars.
func findFixed[T any](ctx context.Context, s *Store, name string, vars []any, build func(*gorm.DB) *gorm.DB, fields func(*T, []any) []any) ([]T, error) {
	text, kept, err := s.fixed.text(ctx, s.db, name, vars, build)
	if err != nil {
		return nil, err
	}
	if sent := s.fixed.sent.Load(); sent != nil && kept {
		(*sent)() // GORM's callbacks saw the statement when they wrote it
	}
	// The kept text runs on the pool or the transaction itself, with ctx: no GORM session is
	// made for it.
	q := s.db
	if tx, ok := txOf(ctx); ok {
		q = tx
	}
	if db, ok := pgxPool(q); ok {
		return queryThroughPgx(ctx, nil, db, text, vars, fields)
	}
	rows, err := q.Statement.ConnPool.QueryContext(ctx, text, vars...)
	noteUnavailable(ctx, err)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanInto(nil, rows, fields)
}

// text returns the statement called name and whether it was kept: build writes it the first
// time. A statement that takes other values than vars, or in another order, is refused: its
// text could not be kept.
func (f *fixedStatements) text(ctx context.Context, db *gorm.DB, name string, vars []any, build func(*gorm.DB) *gorm.DB) (string, bool, error) {
	if t, ok := f.texts.Load(name); ok {
		return t.(string), true, nil
	}
	text, takes, err := writeStatement(build(db.WithContext(ctx)))
	if err != nil {
		return "", false, err
	}
	if len(takes) != len(vars) || (len(vars) > 0 && !reflect.DeepEqual(takes, vars)) {
		return "", false, fmt.Errorf("statement %s takes %v, not %v", name, takes, vars)
	}
	f.texts.Store(name, text)
	return text, false, nil
}
