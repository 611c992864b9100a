package models_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"golang.org/x/crypto/bcrypt"
)

// twoStores opens two stores on one fresh database, as two papi processes would.
func twoStores(t *testing.T, d models.Dialect) (*models.Store, *models.Store) {
	t.Helper()
	url := dbtest.NewDatabase(t, d)
	open := func() *models.Store {
		s, err := models.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		s.BcryptCost = bcrypt.MinCost
		t.Cleanup(func() { s.Close() })
		return s
	}
	return open(), open()
}

// listedRefs is what a unit's official sees in the petition list, sorted.
func listedRefs(t *testing.T, s *models.Store, u *models.Unit) []string {
	t.Helper()
	actor := models.Actor{UserID: -1, Role: models.RoleDistrictOfficial, UnitID: u.ID, UnitPath: u.Path}
	out := []string{}
	for _, p := range allPetitions(t, s, actor, models.PetitionFilter{}) {
		out = append(out, p.Reference)
	}
	slices.Sort(out)
	return out
}

// sameRefs fails unless got equals want.
func sameRefs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}

// A process keeps what units hold between requests; a reorganization applied by this process or
// by another one on the same database shows in the next list, with nothing timed.
func TestHeldScopeFollowsReorganizations(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			a, b := twoStores(t, d)
			ctx := context.Background()
			rw := dbtest.BuildReportData(t, a, dbtest.NewWorld(t, a))
			w := rw.W
			for _, s := range []*models.Store{a, b} {
				s.Now = func() time.Time { return rw.Now }
			}
			check := func(stage string, units ...*models.Unit) {
				t.Helper()
				for _, u := range units {
					want := heldByHamlets(t, a, u.Path, "")
					sameRefs(t, stage+": "+u.Name+" in this process", listedRefs(t, a, u), want)
					sameRefs(t, stage+": "+u.Name+" in another process", listedRefs(t, b, u), want)
				}
			}
			check("before", w.Province, w.District, w.OtherDistrict, w.CommuneA, w.CommuneB)
			// Asked twice: the second answer comes from the cache.
			check("before, again", w.Province, w.District, w.OtherDistrict, w.CommuneA, w.CommuneB)
			// The public board trusts the units a process keeps, checking their version in its
			// own statement: the other process's board of commune B shows hamlet A2's petition
			// once the split below moves the hamlet there, not before.
			var a2 string
			a.Gorm().Raw(`SELECT reference FROM petitions WHERE hamlet_id = ? AND private = FALSE AND kind <> 'to_cao'
				AND main_id IS NULL ORDER BY received_at DESC LIMIT 1`, w.HamletA2.ID).Scan(&a2)
			if a2 == "" || boardHas(t, b, w.CommuneB.ID, a2) || boardHas(t, b, w.CommuneB.ID, a2) {
				t.Fatalf("commune B's board before the split: public petition %q of hamlet A2", a2)
			}
			if len(heldByHamlets(t, a, w.CommuneB.Path, "")) == 0 {
				t.Fatal("commune B holds nothing: the test would prove nothing")
			}

			// This process splits commune A: hamlet A2 goes to commune B.
			split := models.ReorganizationInput{Kind: models.ReorgSplit, LegalNumber: "1/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-05",
				UnitIDs: []int64{w.CommuneA.ID}, Parts: []models.SplitPart{
					{Into: models.UnitTarget{Name: "Tân Thới Đông"}, HamletIDs: []int64{w.HamletA1.ID}},
					{Into: models.UnitTarget{ID: &w.CommuneB.ID}, HamletIDs: []int64{w.HamletA2.ID}},
				}}
			if _, err := a.ApplyReorganization(ctx, rw.Admin, split); err != nil {
				t.Fatal(err)
			}
			if !boardHas(t, b, w.CommuneB.ID, a2) {
				t.Errorf("the other process's board of commune B misses %s of hamlet A2 after the split", a2)
			}
			commB := reloadUnit(t, a, w.CommuneB.ID)
			check("after the split", w.Province, w.District, commB)
			districtBefore := heldByHamlets(t, a, w.District.Path, "")

			// The other process merges commune B into a commune of the other district.
			code := "29998"
			merge := models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: "2/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-06",
				UnitIDs: []int64{w.CommuneB.ID, w.OtherCommune.ID},
				Into:    &models.UnitTarget{Name: "Phú Tân", Code: &code, Kind: "xa", ParentID: &w.OtherDistrict.ID}}
			act, err := b.ApplyReorganization(ctx, rw.Admin, merge)
			if err != nil {
				t.Fatal(err)
			}
			var merged int64
			a.Gorm().Raw("SELECT successor_id FROM unit_lineage WHERE reorganization_id = ?", act.ID).Scan(&merged)
			check("after the merger", w.Province, w.District, w.OtherDistrict, reloadUnit(t, a, merged))
			if slices.Equal(heldByHamlets(t, a, w.District.Path, ""), districtBefore) {
				t.Error("the merger changed nothing the district holds: the test would prove nothing")
			}
		})
	}
}

// boardHas tells whether a commune's public board, every page of it, shows a reference.
func boardHas(t *testing.T, s *models.Store, communeID int64, ref string) bool {
	t.Helper()
	page := models.Page{}
	for {
		items, next, err := s.PublicPetitions(context.Background(), communeID, models.PublicFilter{Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(items, func(p models.PublicPetition) bool { return p.Reference == ref }) {
			return true
		}
		if next == "" {
			return false
		}
		page.Cursor = next
	}
}

// reloadUnit reads a unit as it is now.
func reloadUnit(t *testing.T, s *models.Store, id int64) *models.Unit {
	t.Helper()
	u, err := s.Unit(context.Background(), models.SystemActor(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// versionIn reads a version counter: unit_scope_version, bumped by the units' triggers, or
// reference_version, by the topics', deadline rules' and calendar's.
func versionIn(t *testing.T, s *models.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.Gorm().Raw("SELECT n FROM " + table + " WHERE id = 1").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// scopeVersion reads the counter the unit triggers bump.
func scopeVersion(t *testing.T, s *models.Store) int64 {
	t.Helper()
	return versionIn(t, s, "unit_scope_version")
}

// The counter moves with the units and with a new (hamlet, commune) pair, and stays put when a
// petition is made in a hamlet and commune already known, so creates never wait on it.
func TestUnitScopeVersionMoves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		ctx := context.Background()
		admin := w.Actor(t, s, w.Admin)
		v := scopeVersion(t, s)
		in := models.PetitionInput{CommuneID: w.CommuneA.ID, HamletID: w.HamletA1.ID, TopicCode: "GT", Kind: "phan_anh",
			Channel: "reception", Content: "Cầu ấp bị sạt lở sau mùa mưa."}
		p, err := s.CreatePetition(ctx, admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := scopeVersion(t, s); got != v {
			t.Errorf("a petition in a known hamlet and commune moved the version %d → %d", v, got)
		}
		// A petition filed under another commune than its hamlet's (as an import may have it).
		if err := s.Gorm().Exec("UPDATE petitions SET commune_id = ? WHERE id = ?", w.CommuneB.ID, p.ID).Error; err != nil {
			t.Fatal(err)
		}
		if got := scopeVersion(t, s); got <= v {
			t.Errorf("a new hamlet and commune left the version at %d", got)
		}
		want := heldByHamlets(t, s, w.CommuneB.Path, "")
		sameRefs(t, "commune B after the new pair", listedRefs(t, s, w.CommuneB), want)
		v = scopeVersion(t, s)
		if err := s.Gorm().Exec("UPDATE units SET name = name || ' mới' WHERE id = ?", w.HamletA1.ID).Error; err != nil {
			t.Fatal(err)
		}
		if got := scopeVersion(t, s); got <= v {
			t.Errorf("a unit edit left the version at %d", got)
		}
	})
}

// oldOrder is the ORDER BY of a list sort, as the lists read it in one query.
var oldOrder = map[string]string{
	"-received_at": "p.received_at DESC, p.id DESC",
	"received_at":  "p.received_at, p.id",
	"due_on":       "CASE WHEN p.due_on IS NULL THEN 1 ELSE 0 END, p.due_on, p.id",
}

// A merged commune's list, read commune by commune (or, past maxSplit communes, by the page's
// keys first), gives exactly the pages of the definition by hamlets, in the same order, through
// every cursor, for every sort.
func TestMergedCommunePagesEqualOneQuery(t *testing.T) {
	dbtest.EachSerial(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		code := "29997"
		merge := models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: "3/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-06",
			UnitIDs: []int64{w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID},
			Into:    &models.UnitTarget{Name: "Tân Phú Tây", Code: &code, Kind: "xa", ParentID: &w.District.ID}}
		act, err := s.ApplyReorganization(ctx, rw.Admin, merge)
		if err != nil {
			t.Fatal(err)
		}
		var mergedID int64
		s.Gorm().Raw("SELECT successor_id FROM unit_lineage WHERE reorganization_id = ?", act.ID).Scan(&mergedID)
		merged := reloadUnit(t, s, mergedID)
		// Petitions of the merged commune itself, alongside its predecessors'.
		for i := 0; i < 4; i++ {
			var hamlet int64
			s.Gorm().Raw("SELECT id FROM units WHERE parent_id = ? ORDER BY id LIMIT 1 OFFSET ?", mergedID, i%3).Scan(&hamlet)
			in := models.PetitionInput{CommuneID: mergedID, HamletID: hamlet, TopicCode: "GT", Kind: "phan_anh",
				Channel: "reception", Content: fmt.Sprintf("Đường liên ấp số %d xuống cấp.", i)}
			if _, err := s.CreatePetition(ctx, rw.Admin, in); err != nil {
				t.Fatal(err)
			}
		}
		official := models.Actor{UserID: -1, Role: models.RoleDistrictOfficial, UnitID: merged.ID, UnitPath: merged.Path}
		for _, split := range []int{16, 1} {
			restore := models.SetMaxSplit(split)
			comparePages(t, s, merged, official, "")
			restore()
		}
	})
}

// A search in a merged commune, read as one statement over its few communes or (past maxSplit
// communes) in the steps of a wide search, its newest rows holding a page or not, gives exactly
// the matches of the definition by hamlets, in the same order, through every cursor.
func TestMergedCommuneSearchEqualsOneQuery(t *testing.T) {
	dbtest.EachSerial(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		code := "29996"
		merge := models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: "4/NQ", LegalDate: "2026-03-16", EffectiveOn: "2026-04-06",
			UnitIDs: []int64{w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID},
			Into:    &models.UnitTarget{Name: "Tân Phú Đông", Code: &code, Kind: "xa", ParentID: &w.District.ID}}
		act, err := s.ApplyReorganization(ctx, rw.Admin, merge)
		if err != nil {
			t.Fatal(err)
		}
		var mergedID int64
		s.Gorm().Raw("SELECT successor_id FROM unit_lineage WHERE reorganization_id = ?", act.ID).Scan(&mergedID)
		merged := reloadUnit(t, s, mergedID)
		// Matches in the merged commune itself, then newer petitions without the words, so that
		// a small window holds no match.
		for i := 0; i < 10; i++ {
			var hamlet int64
			s.Gorm().Raw("SELECT id FROM units WHERE parent_id = ? ORDER BY id LIMIT 1 OFFSET ?", mergedID, i%3).Scan(&hamlet)
			content := fmt.Sprintf("Đường liên ấp số %d xuống cấp.", i)
			if i >= 6 {
				content = fmt.Sprintf("An ninh trật tự ban đêm, tổ %d.", i)
			}
			in := models.PetitionInput{CommuneID: mergedID, HamletID: hamlet, TopicCode: "GT", Kind: "phan_anh",
				Channel: "reception", Content: content}
			if _, err := s.CreatePetition(ctx, rw.Admin, in); err != nil {
				t.Fatal(err)
			}
		}
		official := models.Actor{UserID: -1, Role: models.RoleDistrictOfficial, UnitID: merged.ID, UnitPath: merged.Path}
		for _, split := range []int{16, 1} {
			for _, windows := range [][]int{nil, {2}} {
				restoreSplit := models.SetMaxSplit(split)
				restoreTuning := func() {}
				if windows != nil {
					restoreTuning = models.SetSearchTuning(windows, 3)
				}
				for _, q := range []string{"duong cap", "Đường", "zzzqqq"} {
					comparePages(t, s, merged, official, q)
				}
				restoreTuning()
				restoreSplit()
			}
		}
	})
}

// comparePages compares a merged commune's pages, as its official and by unit_id, with the
// definition by hamlets; q, when given, is searched for.
func comparePages(t *testing.T, s *models.Store, merged *models.Unit, official models.Actor, q string) {
	t.Helper()
	for _, sort := range models.PetitionSorts() {
		for _, state := range []string{"", "open"} {
			extra := ""
			if state != "" {
				extra = " AND p.state_type = '" + state + "'"
			}
			for _, word := range strings.Fields(models.Fold(q)) {
				extra += " AND p.search_text LIKE '%" + word + "%'"
			}
			var want []string
			if err := s.Gorm().Raw(`SELECT p.reference FROM petitions p
					WHERE p.hamlet_id IN (SELECT id FROM units WHERE level = 'hamlet' AND path LIKE ?)`+extra+`
					ORDER BY `+oldOrder[sort], merged.Path+"%").Scan(&want).Error; err != nil {
				t.Fatal(err)
			}
			if len(want) < 6 && q != "zzzqqq" { // the one search that finds nothing
				t.Fatalf("the merged commune holds %d petitions: too few pages to compare", len(want))
			}
			f := models.PetitionFilter{Sort: sort, StateType: state, Q: q}
			for _, c := range []struct {
				who   string
				actor models.Actor
				f     models.PetitionFilter
			}{{"its official", official, f}, {"unit_id", models.SystemActor(), withUnit(f, merged.ID)}} {
				var got []string
				for _, p := range allPetitions(t, s, c.actor, c.f) {
					got = append(got, p.Reference)
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s, sort %s, state %q:\n got %v\nwant %v", c.who, sort, state, got, want)
				}
			}
		}
	}
}

func withUnit(f models.PetitionFilter, id int64) models.PetitionFilter {
	f.UnitID = fmt.Sprint(id)
	return f
}
