package models_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// A list reads its columns by hand; every item must be what the petition's own page gives, field
// for field, for every reader (the petitioner, the consent and the allowed moves included).
func TestListItemsEqualThePetition(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		s.Now = func() time.Time { return rw.Now }
		ctx := context.Background()
		compared := 0
		for _, actor := range []models.Actor{rw.Admin, rw.ChairA, rw.SecA, rw.District} {
			for _, f := range []models.PetitionFilter{{}, {Sort: "due_on"}, {Q: "a"}} {
				for _, item := range allPetitions(t, s, actor, f) {
					one, err := s.Petition(ctx, actor, item.ID)
					if err != nil {
						t.Fatal(err)
					}
					got, _ := json.Marshal(item)
					want, _ := json.Marshal(one)
					if string(got) != string(want) {
						t.Errorf("%s lists\n%s\nthe petition is\n%s", actor.Username, got, want)
					}
					compared++
				}
			}
		}
		if compared < 20 {
			t.Fatalf("only %d items compared", compared)
		}
	})
}
