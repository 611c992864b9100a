package models

import (
	"context"

	"gorm.io/gorm"
)

// FindFixedIDs runs a fixed statement that reads ids (findFixed).
func FindFixedIDs(ctx context.Context, s *Store, name string, vars []any, build func(*gorm.DB) *gorm.DB) ([]int64, error) {
	rows, err := findFixed(ctx, s, name, vars, build, func(id *int64, into []any) []any { return append(into, id) })
	return rows, err
}
