package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// heldByHamlets is the definition of what a unit holds now, as the lists read it before they
// selected by commune: the petitions whose hamlet lies under the unit's path.
func heldByHamlets(t *testing.T, s *models.Store, path, extra string) []string {
	t.Helper()
	var refs []string
	err := s.Gorm().Raw(`SELECT p.reference FROM petitions p
		WHERE p.hamlet_id IN (SELECT id FROM units WHERE level = 'hamlet' AND path LIKE ?)`+extra+` ORDER BY p.reference`, path+"%").
		Scan(&refs).Error
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

// allPetitions lists every petition of f as actor, following the cursor.
func allPetitions(t *testing.T, s *models.Store, actor models.Actor, f models.PetitionFilter) []models.Petition {
	t.Helper()
	var out []models.Petition
	f.Page.Limit = 3 // several pages, so the keyset runs over the new condition too
	for {
		items, next, err := s.Petitions(context.Background(), actor, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		f.Page.Cursor = next
	}
}

// checkHeld compares, for every unit, what the lists, the overdue report and the public board
// give with the definition by hamlets.
func checkHeld(t *testing.T, s *models.Store, stage string) {
	t.Helper()
	ctx := context.Background()
	units, err := s.Units(ctx, models.SystemActor(), true)
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, u := range units {
		if u.Level == models.LevelHamlet {
			continue
		}
		want := heldByHamlets(t, s, u.Path, "")
		refs := func(ps []models.Petition) []string {
			out := []string{}
			for _, p := range ps {
				out = append(out, p.Reference)
			}
			slices.Sort(out)
			return out
		}
		actor := models.Actor{UserID: -1, Role: models.RoleDistrictOfficial, UnitID: u.ID, UnitPath: u.Path}
		got := refs(allPetitions(t, s, actor, models.PetitionFilter{}))
		if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s: %s %s (%d) sees %v, by hamlets %v", stage, u.Level, u.Name, u.ID, got, want)
		}
		if u.Live() {
			got = refs(allPetitions(t, s, models.SystemActor(), models.PetitionFilter{UnitID: fmt.Sprint(u.ID)}))
			if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("%s: unit_id=%d lists %v, by hamlets %v", stage, u.ID, got, want)
			}
			var late []string
			for _, p := range allPetitions(t, s, actor, models.PetitionFilter{Overdue: "true"}) {
				late = append(late, p.Reference)
			}
			overdue, _, err := s.OverduePetitions(ctx, actor, models.OverdueInput{Page: models.Page{Limit: 200}})
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, p := range overdue {
				listed = append(listed, p.Reference)
			}
			slices.Sort(late)
			slices.Sort(listed)
			if fmt.Sprint(late) != fmt.Sprint(listed) {
				t.Errorf("%s: %s %s overdue %v, late in its list %v", stage, u.Level, u.Name, listed, late)
			}
		}
		if u.Level == models.LevelCommune && u.Live() {
			want := heldByHamlets(t, s, u.Path, ` AND p.private = FALSE AND p.kind <> 'to_cao'
				AND NOT EXISTS (SELECT 1 FROM petitions pm WHERE pm.id = p.main_id AND pm.private = FALSE AND pm.kind <> 'to_cao')`)
			var got []string
			f := models.PublicFilter{Page: models.Page{Limit: 2}}
			for {
				items, next, err := s.PublicPetitions(ctx, u.ID, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range items {
					got = append(got, p.Reference)
				}
				if next == "" {
					break
				}
				f.Page.Cursor = next
			}
			slices.Sort(got)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: public board of %s %v, by hamlets %v", stage, u.Name, got, want)
			}
		}
		compared += len(want)
	}
	if compared == 0 {
		t.Fatalf("%s: nothing compared", stage)
	}
}

// The lists select what a unit holds by the communes its hamlets ever belonged to; this checks
// that they give exactly the petitions of the hamlets under the unit, for every unit, before
// and after a split (a commune's hamlets going to a new commune and to an existing one) and a
// merger of the commune that received a hamlet.
func TestHeldByCommunesEqualsHeldByHamlets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		checkHeld(t, s, "before")

		split := models.ReorganizationInput{Kind: models.ReorgSplit, LegalNumber: "1/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-05",
			UnitIDs: []int64{w.CommuneA.ID}, Parts: []models.SplitPart{
				{Into: models.UnitTarget{Name: "Tân Thới Đông"}, HamletIDs: []int64{w.HamletA1.ID}},
				{Into: models.UnitTarget{ID: &w.CommuneB.ID}, HamletIDs: []int64{w.HamletA2.ID}},
			}}
		if _, err := s.ApplyReorganization(ctx, rw.Admin, split); err != nil {
			t.Fatal(err)
		}
		in := models.PetitionInput{CommuneID: w.CommuneB.ID, HamletID: w.HamletA2.ID, TopicCode: "GT", Kind: "phan_anh",
			Channel: "reception", Content: "Cầu ấp bị sạt lở sau mùa mưa."}
		if _, err := s.CreatePetition(ctx, rw.Admin, in); err != nil {
			t.Fatal(err)
		}
		checkHeld(t, s, "after the split")

		code := "29998"
		merge := models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: "2/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-06",
			UnitIDs: []int64{w.CommuneB.ID, w.OtherCommune.ID},
			Into:    &models.UnitTarget{Name: "Phú Tân", Code: &code, Kind: "xa", ParentID: &w.Province.ID}}
		act, err := s.ApplyReorganization(ctx, rw.Admin, merge)
		if err != nil {
			t.Fatal(err)
		}
		var merged int64
		s.Gorm().Raw("SELECT successor_id FROM unit_lineage WHERE reorganization_id = ?", act.ID).Scan(&merged)
		in.CommuneID = merged
		if _, err := s.CreatePetition(ctx, rw.Admin, in); err != nil {
			t.Fatal(err)
		}
		checkHeld(t, s, "after the merger")
	})
}
