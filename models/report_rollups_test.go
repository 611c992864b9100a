package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// reportInputs are the summaries compared: every period kind, both bases.
func reportInputs() []models.SummaryInput {
	var out []models.SummaryInput
	periods := []models.PeriodInput{
		{Period: "q1", Year: "2026"}, {Period: "6m", Year: "2026"}, {Period: "9m", Year: "2025"}, {Period: "year", Year: "2025"},
		{Period: "year", Year: "2026"}, {Period: "custom", From: "2025-12-15", To: "2026-02-10"}, {Period: "custom", From: "2026-03-31", To: "2026-03-31"},
		// Whole months and days of months only partly covered, counted apart.
		{Period: "custom", From: "2026-01-05", To: "2026-01-20"}, {Period: "custom", From: "2025-11-01", To: "2026-01-31"},
		{Period: "custom", From: "2025-10-02", To: "2026-03-30"}, {Period: "custom", From: "2025-06-01", To: "2026-02-28"},
	}
	for m := 1; m <= 4; m++ {
		periods = append(periods, models.PeriodInput{Period: "month", Year: "2026", Month: fmt.Sprint(m)})
	}
	for _, p := range periods {
		for _, as := range []string{"now", "then"} {
			out = append(out, models.SummaryInput{Period: p, As: as, Sort: "-petitions"})
		}
	}
	return out
}

// summaryJSON is a summary without the moment it was made.
func summaryJSON(t *testing.T, sum any) string {
	t.Helper()
	switch x := sum.(type) {
	case *models.Summary:
		x.GeneratedAt = time.Time{}
	}
	raw, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// expectRollupsMatchPetitions compares every summary the actors may ask for, and the public
// summaries of the communes, counted from the rollups and from the petitions.
// expectSameInTransaction checks that a report read in a transaction (where PostgreSQL's cells
// are read through database/sql, not pgx) gives the same figures as one read outside it.
func expectSameInTransaction(t *testing.T, s *models.Store, actors []models.Actor) {
	t.Helper()
	ctx := context.Background()
	counted := 0
	for _, a := range actors {
		for _, in := range reportInputs() {
			outside, err := s.SummaryReport(ctx, a, in)
			if err != nil {
				t.Fatal(err)
			}
			var inside *models.Summary
			if err := s.WithTx(ctx, func(ctx context.Context) error {
				inside, err = s.SummaryReport(ctx, a, in)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			counted += outside.Figures.Petitions.Total
			if got, want := summaryJSON(t, inside), summaryJSON(t, outside); got != want {
				t.Fatalf("%+v by unit %d:\nin a transaction %s\noutside          %s", in.Period, a.UnitID, got, want)
			}
		}
	}
	if counted == 0 {
		t.Fatal("no report counted a petition")
	}
}

func expectRollupsMatchPetitions(t *testing.T, s *models.Store, stage string, actors []models.Actor, units []int64, communes []int64) {
	t.Helper()
	ctx := context.Background()
	compared := 0
	for _, a := range actors {
		for _, unit := range append([]int64{0}, units...) {
			for _, in := range reportInputs() {
				if unit != 0 {
					in.UnitID = fmt.Sprint(unit)
				}
				models.CountFromPetitions(s, false)
				fromRollups, errR := s.SummaryReport(ctx, a, in)
				models.CountFromPetitions(s, true)
				fromPetitions, errP := s.SummaryReport(ctx, a, in)
				models.CountFromPetitions(s, false)
				if errR != nil || errP != nil {
					var verr *models.ValidationError
					if errors.As(errR, &verr) && errors.As(errP, &verr) {
						continue // a unit the actor may not report on: refused alike
					}
					t.Fatalf("%s: %+v: %v / %v", stage, in, errR, errP)
				}
				if got, want := summaryJSON(t, fromRollups), summaryJSON(t, fromPetitions); got != want {
					t.Fatalf("%s: %s %+v by unit %d:\nrollups   %s\npetitions %s", stage, in.As, in.Period, a.UnitID, got, want)
				}
				compared++
			}
		}
	}
	for _, c := range communes {
		for _, as := range []string{"now", "then"} {
			models.CountFromPetitions(s, false)
			fromRollups, errR := s.PublicCommuneSummary(ctx, c, as)
			models.CountFromPetitions(s, true)
			fromPetitions, errP := s.PublicCommuneSummary(ctx, c, as)
			models.CountFromPetitions(s, false)
			if errors.Is(errR, models.ErrNotFound) && errors.Is(errP, models.ErrNotFound) {
				continue // an ended commune has no board
			}
			if errR != nil || errP != nil {
				t.Fatalf("%s: public %d: %v / %v", stage, c, errR, errP)
			}
			if got, want := summaryJSON(t, fromRollups), summaryJSON(t, fromPetitions); got != want {
				t.Fatalf("%s: public summary of %d as %s:\nrollups   %s\npetitions %s", stage, c, as, got, want)
			}
			compared++
		}
	}
	if compared < 100 {
		t.Fatalf("%s: only %d summaries compared", stage, compared)
	}
}

// randomHistory logs petitions at random moments between June 2025 and April 2026 and moves
// each along a random legal path, through the same calls the API makes.
func randomHistory(t *testing.T, s *models.Store, rw *dbtest.ReportData, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	w := rw.W
	type desk struct {
		commune *models.Unit
		hamlets []*models.Unit
		sec     models.Actor
		chair   models.Actor
	}
	desks := []desk{{w.CommuneA, []*models.Unit{w.HamletA1, w.HamletA2}, rw.SecA, rw.ChairA},
		{w.CommuneB, []*models.Unit{w.HamletB1, w.HamletB2}, rw.SecB, rw.ChairB}}
	topics := []string{"GT", "ANTT", "NS", "TL", "MT", "DIEN", "YTGD"}
	kinds := []string{"phan_anh", "kien_nghi", "khieu_nai", "to_cao"}
	channels := []string{"reception", "letter", "phone", "online"}
	sats := []string{"very_satisfied", "satisfied", "not_satisfied", "unknown", ""}
	start, end := dbtest.VN(t, "2025-06-01 07:00"), dbtest.VN(t, "2026-04-10 11:00")
	for i := 0; i < n; i++ {
		d := desks[rng.Intn(len(desks))]
		at := start.Add(time.Duration(rng.Int63n(int64(end.Sub(start)))))
		s.Now = func() time.Time { return at }
		in := models.PetitionInput{CommuneID: d.commune.ID, HamletID: d.hamlets[rng.Intn(len(d.hamlets))].ID,
			TopicCode: topics[rng.Intn(len(topics))], Kind: kinds[rng.Intn(len(kinds))], Channel: channels[rng.Intn(len(channels))],
			Content: fmt.Sprintf("Ý kiến ngẫu nhiên số %d của người dân trong ấp.", i), Private: rng.Intn(5) == 0}
		if rng.Intn(4) == 0 {
			in.OnsiteAnswer = "Đã giải thích tại chỗ."
		}
		p, err := s.CreatePetition(ctx, d.sec, in)
		if err != nil {
			t.Fatalf("create %+v: %v", in, err)
		}
		for step := 0; step < 8 && len(p.AllowedTransitions) > 0 && rng.Intn(6) > 0; step++ {
			at = at.Add(time.Duration(1+rng.Intn(24*20)) * time.Hour)
			if at.After(end) {
				break
			}
			if rng.Intn(5) == 0 && len(p.Correctable) > 0 {
				p = randomCorrection(t, s, d.chair, p, d.hamlets, topics, kinds, channels, rng)
			}
			if next, ok := acceptOrExtend(t, s, d.chair, p, rng); ok {
				p = next
				continue
			}
			to := p.AllowedTransitions[rng.Intn(len(p.AllowedTransitions))]
			tr := models.TransitionInput{To: string(to), Version: &p.Version, Note: "Ghi chú khi mở lại.",
				ResponsibleName: "Phòng chuyên môn", Answer: "Trả lời bằng văn bản.", Reason: "explained", Satisfaction: sats[rng.Intn(len(sats))]}
			if rng.Intn(3) == 0 {
				tr.DueOn = at.AddDate(0, 0, rng.Intn(40)-10).In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
			}
			next, err := s.TransitionPetition(ctx, d.chair, p.ID, tr)
			var verr *models.ValidationError
			if errors.As(err, &verr) || errors.Is(err, models.ErrForbidden) {
				continue // a move this random walk asked wrongly; the rules are tested elsewhere
			}
			if err != nil {
				t.Fatalf("move %s to %s: %v", p.Reference, to, err)
			}
			p = next
		}
	}
	s.Now = func() time.Time { return rw.Now }
}

// acceptOrExtend now and then accepts an open complaint or denunciation (thụ lý) or extends its
// deadline, as the law's figures count them.
func acceptOrExtend(t *testing.T, s *models.Store, chair models.Actor, p *models.Petition, rng *rand.Rand) (*models.Petition, bool) {
	t.Helper()
	if (p.Kind != models.KindComplaint && p.Kind != models.KindDenunciation) || p.State.Type() != models.TypeOpen || rng.Intn(3) > 0 {
		return nil, false
	}
	var next *models.Petition
	var err error
	if p.AcceptedAt == nil {
		next, err = s.AcceptPetition(context.Background(), chair, p.ID, models.Acceptance{Complexity: "particularly_complex", Version: &p.Version})
	} else {
		next, err = s.ExtendDeadline(context.Background(), chair, p.ID, models.Extension{Days: 1 + rng.Intn(30), Reason: "Vụ việc phức tạp.", Version: &p.Version})
	}
	var verr *models.ValidationError
	var cerr *models.ConflictError
	if errors.As(err, &verr) || errors.As(err, &cerr) || errors.Is(err, models.ErrForbidden) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("accept or extend %s: %v", p.Reference, err)
	}
	return next, true
}

// randomCorrection corrects some of a petition's hamlet, topic, kind and channel, as its
// commune's chair, and returns it as it is then (unchanged when the rules refuse the correction).
func randomCorrection(t *testing.T, s *models.Store, chair models.Actor, p *models.Petition, hamlets []*models.Unit,
	topics, kinds, channels []string, rng *rand.Rand) *models.Petition {
	t.Helper()
	ctx := context.Background()
	in := models.PetitionCorrection{Version: &p.Version, HamletID: &hamlets[rng.Intn(len(hamlets))].ID}
	if tp, err := s.TopicByCode(ctx, topics[rng.Intn(len(topics))]); err == nil && rng.Intn(2) == 0 {
		in.TopicID = &tp.ID
	}
	if rng.Intn(2) == 0 {
		in.Kind = &kinds[rng.Intn(len(kinds))]
	}
	if rng.Intn(2) == 0 {
		in.Channel = &channels[rng.Intn(len(channels))]
	}
	next, err := s.CorrectPetition(ctx, chair, p.ID, in)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return p // nothing to change, or a rule this walk did not mind; the rules are tested elsewhere
	}
	if err != nil {
		t.Fatalf("correct %s: %v", p.Reference, err)
	}
	return next
}

// rollupCells reads the rollups' cells that hold petitions, as text.
func rollupCells(t *testing.T, s *models.Store) map[string]int {
	t.Helper()
	rows, err := s.Gorm().Raw(`SELECT ` + models.RollupColumns + `, n FROM petition_rollups WHERE n <> 0`).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		key := ""
		for _, v := range vals[:len(vals)-1] {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			key += fmt.Sprint(v) + "|"
		}
		out[key] = atoi(t, fmt.Sprint(vals[len(vals)-1]))
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRollupsCountAsThePetitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		rw := dbtest.BuildReportData(t, s, w)
		actors := []models.Actor{rw.Admin, rw.District, rw.ChairA, rw.ChairB}
		units := []int64{w.District.ID, w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID}
		communes := []int64{w.CommuneA.ID, w.CommuneB.ID, w.OtherCommune.ID}
		s.Now = func() time.Time { return rw.Now }
		expectRollupsMatchPetitions(t, s, "hand-computed", actors, units, communes)

		seed := time.Now().UnixNano()
		t.Logf("random history seed %d", seed)
		randomHistory(t, s, rw, rand.New(rand.NewSource(seed)), 120)
		var accepted, extended int64
		s.Gorm().Raw("SELECT COUNT(*) FROM petitions WHERE accepted_at IS NOT NULL").Scan(&accepted)
		s.Gorm().Raw("SELECT COUNT(*) FROM petitions WHERE extensions > 0").Scan(&extended)
		if accepted == 0 || extended == 0 {
			t.Fatalf("the random history accepted %d petitions and extended %d: the law's cells go untested", accepted, extended)
		}
		expectRollupsMatchPetitions(t, s, fmt.Sprintf("random (seed %d)", seed), actors, units, communes)
		expectSameInTransaction(t, s, actors)

		// Kept in step by every write, the rollups hold what counting every petition again gives.
		ctx := context.Background()
		kept := rollupCells(t, s)
		// PostgreSQL sweeps only the empty cells its packs know of (report_packs.go).
		if _, err := s.PackRollups(ctx); err != nil {
			t.Fatal(err)
		}
		if swept, err := s.SweepRollups(ctx); err != nil || swept == 0 {
			t.Fatalf("sweep: %d %v", swept, err)
		}
		if err := s.RebuildRollups(ctx); err != nil {
			t.Fatal(err)
		}
		rebuilt := rollupCells(t, s)
		if len(kept) != len(rebuilt) {
			t.Fatalf("%d cells kept, %d rebuilt", len(kept), len(rebuilt))
		}
		for k, n := range rebuilt {
			if kept[k] != n {
				t.Fatalf("cell %s: kept %d, rebuilt %d", k, kept[k], n)
			}
		}

		// After A and B merge, "now" and "then" differ: the new commune holds both.
		merged := mergeReportCommunes(t, s, rw)
		units, communes = append(units, merged), append(communes, merged)
		expectRollupsMatchPetitions(t, s, "after the merge", actors[:2], units, communes)
		expectMergedLine(t, s, rw)
	})
}

// mergeReportCommunes merges communes A and B of the report data into a new commune (code
// 29999) and returns its ID.
func mergeReportCommunes(t *testing.T, s *models.Store, rw *dbtest.ReportData) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ApplyReorganization(ctx, rw.Admin, mergeAB(rw.W)); err != nil {
		t.Fatal(err)
	}
	all, err := s.Units(ctx, models.SystemActor(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range all {
		if u.Code != nil && *u.Code == "29999" {
			return u.ID
		}
	}
	t.Fatal("the merged commune is not among the units")
	return 0
}

// expectMergedLine checks that a report read before a merger does not outlive it: the
// province's league, as it is now, has the merged commune holding A's and B's petitions
// (the units under a report's paths and what they hold are kept between reports).
func expectMergedLine(t *testing.T, s *models.Store, rw *dbtest.ReportData) {
	t.Helper()
	sum, err := s.SummaryReport(context.Background(), rw.Admin, models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2026"}})
	if err != nil {
		t.Fatal(err)
	}
	var want int
	s.Gorm().Raw("SELECT COUNT(*) FROM petitions WHERE commune_id IN ? AND received_at >= ? AND received_at < ?",
		[]int64{rw.W.CommuneA.ID, rw.W.CommuneB.ID}, dbtest.VN(t, "2026-01-01 00:00"), dbtest.VN(t, "2027-01-01 00:00")).Scan(&want)
	found := false
	for _, line := range sum.Communes {
		switch {
		case line.Commune.ID == rw.W.CommuneA.ID || line.Commune.ID == rw.W.CommuneB.ID:
			t.Fatalf("the ended commune %s still has a line of its own", line.Commune.Name)
		case line.Commune.Code != nil && *line.Commune.Code == "29999":
			found = true
			if line.Figures.Petitions.Total != want || want == 0 {
				t.Fatalf("the merged commune counts %d petitions, A and B received %d", line.Figures.Petitions.Total, want)
			}
		}
	}
	if !found {
		t.Fatal("the merged commune has no line")
	}
}
