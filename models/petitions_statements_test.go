package models_test

import (
	"context"
	"sync"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestPetitionTransitionStatements counts the statements of a create and of the petition
// transition path, the most frequent write: one read of the petition with what the rules need,
// the checks in memory, one update that returns the new row (with the history's insert, on
// PostgreSQL in the same statement), one upsert of the report rollups. docs/PERFORMANCE.md has
// the figures before and after.
func TestPetitionTransitionStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		c := dbtest.CountStatements(t, s)
		pg := s.Dialect() == models.Postgres
		// want is the count on PostgreSQL, and on SQLite, where the writes a PostgreSQL
		// statement does at once (writable WITH) go one by one.
		want := func(postgres, sqlite int) int {
			if pg {
				return postgres
			}
			return sqlite
		}
		var p *models.Petition
		// commune, hamlet, topic and the first deadline's rule with the calendar's decisions in
		// one read; then on PostgreSQL one statement for the counter, the insert, the event and
		// the rollups; on SQLite four
		if n := c.Count(func() { p = pw.log(t, nil) }); n != want(2, 5) {
			t.Errorf("a create took %d statements, want %d", n, want(2, 5))
		}
		// the idempotency key is read with the rest and recorded in the same last statement
		if n := c.Count(func() {
			if _, _, err := s.CreatePetitionOnce(ctx, pw.secretary, "count-1", models.PetitionInput{CommuneID: pw.w.CommuneA.ID,
				HamletID: pw.w.HamletA1.ID, Channel: "online", Kind: "kien_nghi", TopicCode: "MT", Content: "Đề nghị thu gom rác hai lần mỗi tuần."}); err != nil {
				t.Fatal(err)
			}
		}); n != want(2, 6) {
			t.Errorf("a create with a key took %d statements, want %d", n, want(2, 6))
		}
		steps := []struct {
			in   models.TransitionInput
			want int
		}{
			// the read of the petition with the unit it names, the topic's deadline rule and the
			// calendar's decisions; update (and event), the report rollups, (event); the
			// assignees' notification list, one insert returning them with their e-mail
			// addresses (none has one here)
			{models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.CommuneA.ID}, want(4, 5)},
			// read, update (and event), the report rollups (the petition's count moves to its
			// new cell), (event)
			{models.TransitionInput{To: "in_progress"}, want(3, 4)},
			{models.TransitionInput{To: "answered", Answer: "Đã lắp đặt đường ống."}, want(3, 4)},
			{models.TransitionInput{To: "resolved", Satisfaction: "satisfied"}, want(3, 4)},
		}
		version := p.Version
		for _, st := range steps {
			in := st.in
			in.Version = &version
			var moved *models.Petition
			var err error
			n := c.Count(func() { moved, err = s.TransitionPetition(ctx, pw.chair, p.ID, in) })
			if err != nil {
				t.Fatalf("%s: %v", in.To, err)
			}
			t.Logf("%s: %d statements", in.To, n)
			if n != st.want {
				t.Errorf("%s took %d statements, want %d", in.To, n, st.want)
			}
			version = moved.Version
		}
		n := c.Count(func() {
			if _, err := s.Petition(ctx, pw.chair, p.ID); err != nil {
				t.Fatal(err)
			}
		})
		if n != 1 {
			t.Errorf("reading a petition took %d statements, want 1", n)
		}
	})
}

// TestConcurrentMovesShareRollupCells moves petitions of one rollup cell to the same next cell
// at once: each move writes both cells, always in the same order, so none deadlocks (on
// PostgreSQL a deadlock fails one of them) and the counts add up.
func TestConcurrentMovesShareRollupCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ps := make([]*models.Petition, 12)
		for i := range ps {
			ps[i] = pw.log(t, nil)
		}
		var wg sync.WaitGroup
		for _, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v := p.Version
				if _, err := s.TransitionPetition(context.Background(), pw.chair, p.ID, models.TransitionInput{To: "assigned",
					Version: &v, ResponsibleUnitID: &pw.w.CommuneA.ID}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var n int64
		s.Gorm().Table("petition_rollups").Where(models.RollupStateCondition(models.StateAssigned)).Select("COALESCE(SUM(n), 0)").Scan(&n)
		if n != int64(len(ps)) {
			t.Fatalf("%d assigned in the rollups, want %d", n, len(ps))
		}
	})
}
