package models_test

import (
	"strconv"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// BenchmarkPetitionListMerged lists the petitions a commune merged from several holds, as an
// admin of its province sees them with unit_id set to it: its predecessors' records follow
// their hamlets, so the list reads several communes.
func BenchmarkPetitionListMerged(b *testing.B) {
	w := openBench(b)
	var merged int64
	// The live commune whose hamlets have been in the most communes, the lowest id among equals.
	if err := w.s.Gorm().Raw(`SELECT c.id FROM units c JOIN units h ON h.parent_id = c.id
		JOIN hamlet_communes hc ON hc.hamlet_id = h.id
		WHERE c.level = 'commune' AND c.valid_to IS NULL
		GROUP BY c.id ORDER BY COUNT(DISTINCT hc.commune_id) DESC, c.id LIMIT 1`).Scan(&merged).Error; err != nil || merged == 0 {
		b.Fatalf("no merged commune: %v", err)
	}
	admin := models.SystemActor()
	for _, c := range []struct {
		name  string
		f     models.PetitionFilter
		pages int
	}{
		{"first page", models.PetitionFilter{}, 1},
		{"five pages", models.PetitionFilter{}, 5},
		{"open, by due date", models.PetitionFilter{StateType: "open", Sort: "due_on"}, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			c.f.UnitID = strconv.FormatInt(merged, 10)
			for i := 0; i < b.N; i++ {
				listPages(b, w, admin, c.f, c.pages)
			}
		})
	}
}
