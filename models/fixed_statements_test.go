package models_test

import (
	"context"
	"slices"
	"testing"

	"gorm.io/gorm"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// A statement written once runs again with other values, in a transaction as outside one; one
// whose values come in another order than its placeholders take them is refused, not kept.
func TestFixedStatementsTakeTheirValuesInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		ctx := context.Background()
		hamlets := func(parent int64, level string) func(*gorm.DB) *gorm.DB {
			return func(q *gorm.DB) *gorm.DB {
				return q.Table("units").Select("id").Where("parent_id = ? AND level = ?", parent, level).Order("id")
			}
		}
		want := func(parent int64) []int64 {
			var ids []int64
			if err := s.Gorm().Table("units").Where("parent_id = ? AND level = ?", parent, "hamlet").Order("id").Pluck("id", &ids).Error; err != nil {
				t.Fatal(err)
			}
			if len(ids) == 0 {
				t.Fatalf("unit %d has no hamlets", parent)
			}
			return ids
		}
		if _, err := models.FindFixedIDs(ctx, s, "hamlets", []any{"hamlet", w.CommuneA.ID}, hamlets(w.CommuneA.ID, "hamlet")); err == nil {
			t.Fatal("values in another order than the statement's were taken")
		}
		for _, commune := range []int64{w.CommuneA.ID, w.CommuneB.ID, w.CommuneA.ID} {
			got, err := models.FindFixedIDs(ctx, s, "hamlets", []any{commune, "hamlet"}, hamlets(commune, "hamlet"))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want(commune)) {
				t.Fatalf("commune %d: %v, want %v", commune, got, want(commune))
			}
		}
		err := s.WithTx(ctx, func(ctx context.Context) error {
			got, err := models.FindFixedIDs(ctx, s, "hamlets", []any{w.CommuneB.ID, "hamlet"}, hamlets(w.CommuneB.ID, "hamlet"))
			if err == nil && !slices.Equal(got, want(w.CommuneB.ID)) {
				t.Errorf("in a transaction: %v, want %v", got, want(w.CommuneB.ID))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
