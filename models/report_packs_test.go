package models_test

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// packCounts is how many packs there are and how many cells were written since their snapshot.
func packCounts(t *testing.T, s *models.Store) (packs, changed int64) {
	t.Helper()
	if err := s.Gorm().Raw("SELECT COUNT(*) FROM rollup_packs").Scan(&packs).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Gorm().Raw(`SELECT COUNT(*) FROM petition_rollups r, rollup_pack_state p
		WHERE NOT pg_visible_in_snapshot(r.changed, p.snap)`).Scan(&changed).Error; err != nil {
		t.Fatal(err)
	}
	return packs, changed
}

// correctPacked corrects petitions of commune A received before the packing, each moving out
// of a packed cell (whose changed cell must then replace it), and returns how many it corrected.
func correctPacked(t *testing.T, s *models.Store, rw *dbtest.ReportData, rng *rand.Rand) int {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	if err := s.Gorm().Raw("SELECT id FROM petitions WHERE commune_id = ? ORDER BY id LIMIT 40", rw.W.CommuneA.ID).Scan(&ids).Error; err != nil {
		t.Fatal(err)
	}
	corrected := 0
	for _, id := range ids {
		p, err := s.Petition(ctx, rw.ChairA, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Correctable) == 0 {
			continue
		}
		next := randomCorrection(t, s, rw.ChairA, p, []*models.Unit{rw.W.HamletA1, rw.W.HamletA2},
			[]string{"GT", "ANTT", "NS", "TL", "MT"}, []string{"phan_anh", "kien_nghi"}, []string{"letter", "phone"}, rng)
		if next.Version != p.Version {
			corrected++
		}
	}
	return corrected
}

// packedReportData builds the hand-computed report data on PostgreSQL, with the store's clock
// at its day; it skips the test on SQLite, which has no packs.
func packedReportData(t *testing.T, s *models.Store) *dbtest.ReportData {
	t.Helper()
	if s.Dialect() != models.Postgres {
		t.Skip("rollup packs are PostgreSQL's")
	}
	rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
	s.Now = func() time.Time { return rw.Now }
	return rw
}

// pack packs the rollups and checks that it packed something.
func pack(t *testing.T, s *models.Store) int {
	t.Helper()
	n, err := s.PackRollups(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("packing: %d communes, %v", n, err)
	}
	return n
}

// Reports read through the packs count what the petitions count: packed alone, with cells
// written since the packing beside the packs, after an incremental packing, a sweep, a rebuild
// and a merger of communes.
func TestRollupPacksCountAsThePetitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if s.Dialect() != models.Postgres {
			if n, err := s.PackRollups(ctx); n != 0 || err != nil {
				t.Fatalf("SQLite packed %d communes: %v", n, err)
			}
			t.Skip("rollup packs are PostgreSQL's")
		}
		w := dbtest.NewWorld(t, s)
		rw := dbtest.BuildReportData(t, s, w)
		actors := []models.Actor{rw.Admin, rw.District, rw.ChairA, rw.ChairB}
		units := []int64{w.District.ID, w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID}
		communes := []int64{w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID}
		s.Now = func() time.Time { return rw.Now }
		seed := time.Now().UnixNano()
		t.Logf("random history seed %d", seed)
		rng := rand.New(rand.NewSource(seed))
		randomHistory(t, s, rw, rng, 60)

		all := pack(t, s)
		if packs, changed := packCounts(t, s); packs == 0 || changed != 0 {
			t.Fatalf("after packing: %d packs, %d cells changed since", packs, changed)
		}
		expectRollupsMatchPetitions(t, s, fmt.Sprintf("packed (seed %d)", seed), actors, units, communes)

		randomHistory(t, s, rw, rng, 60)
		if corrected := correctPacked(t, s, rw, rng); corrected == 0 {
			t.Fatal("no packed petition was corrected")
		}
		if _, changed := packCounts(t, s); changed == 0 {
			t.Fatal("the petitions' writes changed no cell since the packing")
		}
		expectRollupsMatchPetitions(t, s, fmt.Sprintf("packed, then written (seed %d)", seed), actors, units, communes)
		expectSameInTransaction(t, s, actors)

		if n := pack(t, s); n > all {
			t.Fatalf("the second packing packed %d communes, more than the %d there are", n, all)
		}
		if n, err := s.PackRollups(ctx); n != 0 || err != nil {
			t.Fatalf("packing with nothing written since: %d communes, %v", n, err)
		}
		if swept, err := s.SweepRollups(ctx); err != nil || swept == 0 {
			t.Fatalf("sweep: %d %v", swept, err)
		}
		expectRollupsMatchPetitions(t, s, "packed again and swept", actors, units, communes)

		// The packs are what the reports read: without them the petitions they hold go uncounted.
		in := models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2026"}}
		before, err := s.SummaryReport(ctx, rw.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Gorm().Exec("UPDATE rollup_packs SET cells = '\\x0102'::bytea").Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.SummaryReport(ctx, rw.Admin, in); err == nil {
			t.Fatal("a report read damaged packs without an error")
		}
		if err := s.Gorm().Exec("DELETE FROM rollup_packs").Error; err != nil {
			t.Fatal(err)
		}
		if after, err := s.SummaryReport(ctx, rw.Admin, in); err != nil || after.Figures.Petitions.Total >= before.Figures.Petitions.Total {
			t.Fatalf("without packs the year counts %v petitions (%v), with them %d", after, err, before.Figures.Petitions.Total)
		}

		// A rebuild drops the packs: reports read the cells until they are packed again.
		if err := s.RebuildRollups(ctx); err != nil {
			t.Fatal(err)
		}
		expectRollupsMatchPetitions(t, s, "rebuilt, not packed", actors, units, communes)
		pack(t, s)
		if swept, err := s.SweepRollups(ctx); err != nil || swept != 0 {
			t.Fatalf("sweep after a rebuild: %d %v", swept, err)
		}

		merged := mergeReportCommunes(t, s, rw)
		units, communes = append(units, merged), append(communes, merged)
		// A merger moves units, not cells: there is nothing to pack, and the packs count the
		// merged commune's line as the cells do.
		if n, err := s.PackRollups(ctx); n != 0 || err != nil {
			t.Fatalf("packing after the merge: %d communes, %v", n, err)
		}
		expectRollupsMatchPetitions(t, s, "packed, after the merge", actors[:2], units, communes)
		expectMergedLine(t, s, rw)
	})
}

// A cell emptied after the packing stays until the packs know it is gone: the sweep leaves it,
// or the packed cell would count again.
func TestSweepKeepsCellsThePacksStillHold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		rw := packedReportData(t, s)
		if swept, err := s.SweepRollups(ctx); err != nil || swept != 0 {
			t.Fatalf("sweep before any packing: %d %v", swept, err)
		}
		pack(t, s)
		if _, err := s.SweepRollups(ctx); err != nil {
			t.Fatal(err)
		}
		in := models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2026"}}
		before, err := s.SummaryReport(ctx, rw.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		// Every petition moves out of its cell: each cell it leaves holds 0, unpacked.
		if err := s.Gorm().Exec("UPDATE petition_rollups SET n = 0 WHERE n <> 0").Error; err != nil {
			t.Fatal(err)
		}
		if swept, err := s.SweepRollups(ctx); err != nil || swept != 0 {
			t.Fatalf("swept %d cells the packs still hold (%v)", swept, err)
		}
		empty, err := s.SummaryReport(ctx, rw.Admin, in)
		if err != nil || empty.Figures.Petitions.Total != 0 || before.Figures.Petitions.Total == 0 {
			t.Fatalf("with every cell emptied the year counts %v (%v); before, %d", empty, err, before.Figures.Petitions.Total)
		}
		pack(t, s)
		if swept, err := s.SweepRollups(ctx); err != nil || swept == 0 {
			t.Fatalf("after packing, the sweep deleted %d cells (%v)", swept, err)
		}
		if after, err := s.SummaryReport(ctx, rw.Admin, in); err != nil || after.Figures.Petitions.Total != 0 {
			t.Fatalf("after the sweep the year counts %v (%v)", after, err)
		}
	})
}

// Packs restored from a dump of another database hold its transaction numbers: reports leave
// them aside, and the next packings forget them and pack every commune again.
func TestPacksFromAnotherDatabaseAreForgotten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		rw := packedReportData(t, s)
		w := rw.W
		actors := []models.Actor{rw.Admin, rw.ChairA}
		units := []int64{w.CommuneA.ID}
		pack(t, s)
		// As a dump of a database further on in its transactions would restore them.
		for _, q := range []string{
			"ALTER TABLE petition_rollups DISABLE TRIGGER petition_rollups_changed",
			"UPDATE petition_rollups SET changed = '90000000000'",
			"ALTER TABLE petition_rollups ENABLE TRIGGER petition_rollups_changed",
			"UPDATE rollup_pack_state SET snap = '90000000001:90000000001:'",
			"UPDATE rollup_packs SET cells = '\\x0102'::bytea",
		} {
			if err := s.Gorm().Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		expectRollupsMatchPetitions(t, s, "foreign packs", actors, units, nil)
		if n, err := s.PackRollups(ctx); n != 0 || err != nil {
			t.Fatalf("the packing that forgets foreign packs packed %d communes: %v", n, err)
		}
		if packs, _ := packCounts(t, s); packs != 0 {
			t.Fatalf("%d foreign packs kept", packs)
		}
		pack(t, s)
		if packs, changed := packCounts(t, s); packs == 0 || changed != 0 {
			t.Fatalf("packed again: %d packs, %d cells changed since", packs, changed)
		}
		expectRollupsMatchPetitions(t, s, "packed again", actors, units, nil)

		// Packs written another way (another packVersion) are read as none, and made again.
		for _, q := range []string{"UPDATE rollup_pack_state SET version = version + 1", "UPDATE rollup_packs SET cells = '\\x0102'::bytea"} {
			if err := s.Gorm().Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		expectRollupsMatchPetitions(t, s, "packs of another version", actors, units, nil)
		var communes int64
		s.Gorm().Raw("SELECT COUNT(DISTINCT commune_id) FROM petition_rollups").Scan(&communes)
		if n := pack(t, s); int64(n) != communes {
			t.Fatalf("packs of another version: %d of %d communes packed again", n, communes)
		}
		expectRollupsMatchPetitions(t, s, "packed again in this version", actors, units, nil)
	})
}

// Packing while petitions are written loses nothing: each packing's packs and snapshot agree,
// and the cells written meanwhile are read beside them.
func TestPackingWhileWriting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		rw := packedReportData(t, s)
		w := rw.W
		actors := []models.Actor{rw.Admin, rw.ChairA, rw.ChairB}
		units := []int64{w.CommuneA.ID, w.CommuneB.ID}
		stop, done := make(chan struct{}), make(chan int)
		go func() {
			packings := 0
			for {
				select {
				case <-stop:
					done <- packings
					return
				default:
				}
				if _, err := s.PackRollups(ctx); err != nil {
					t.Errorf("packing while writing: %v", err)
				}
				packings++
			}
		}()
		seed := time.Now().UnixNano()
		rng := rand.New(rand.NewSource(seed))
		randomHistory(t, s, rw, rng, 40)
		correctPacked(t, s, rw, rng)
		close(stop)
		if packings := <-done; packings < 2 {
			t.Fatalf("only %d packings ran beside the writes", packings)
		}
		expectRollupsMatchPetitions(t, s, fmt.Sprintf("packed while writing (seed %d)", seed), actors, units, nil)
		if _, err := s.PackRollups(ctx); err != nil {
			t.Fatal(err)
		}
		if _, changed := packCounts(t, s); changed != 0 {
			t.Fatalf("%d cells changed since the last packing, with nothing written", changed)
		}
		expectRollupsMatchPetitions(t, s, fmt.Sprintf("packed after writing (seed %d)", seed), actors, units, nil)
	})
}
