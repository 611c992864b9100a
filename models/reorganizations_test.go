package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// rowCounts returns the number of rows of every application table.
func rowCounts(t *testing.T, s *models.Store) map[string]int64 {
	t.Helper()
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`
	if s.Dialect() == models.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`
	}
	if err := s.Gorm().Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, tb := range tables {
		var n int64
		if err := s.Gorm().Table(tb).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// diffCounts lists the tables whose row count changed, as "table:+n".
func diffCounts(before, after map[string]int64) string {
	var out []string
	for tb, n := range after {
		if d := n - before[tb]; d != 0 {
			out = append(out, fmt.Sprintf("%s:%+d", tb, d))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// mergeAB is the act merging the world's communes A and B into a new commune, effective 5 April 2026.
func mergeAB(w *dbtest.World) models.ReorganizationInput {
	code := "29999"
	return models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: "1663/NQ-UBTVQH15", LegalDate: "2026-03-16",
		EffectiveOn: "2026-04-05", UnitIDs: []int64{w.CommuneA.ID, w.CommuneB.ID},
		Into: &models.UnitTarget{Name: "Tân Thới", Code: &code, Kind: "xa", ParentID: &w.Province.ID}}
}

func TestMergeIsAtomicAndLosesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return dbtest.VN(t, "2026-04-01 09:00") }
		late, err := s.CreateDialogue(ctx, rw.ChairA, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA1.ID},
			Title: "Đối thoại quý II", StartsAt: "2026-04-20T08:00:00+07:00"})
		if err != nil {
			t.Fatal(err)
		}
		s.Now = func() time.Time { return rw.Now }

		// A bad act: every fault named, nothing written.
		before := rowCounts(t, s)
		bad := mergeAB(w)
		used := "28570"
		bad.LegalNumber, bad.EffectiveOn = "", "2026-01-01"
		bad.UnitIDs = append(bad.UnitIDs, w.CommuneA.ID, 999999)
		bad.Into.Code = &used
		_, err = s.ApplyReorganization(ctx, rw.Admin, bad)
		var verr *models.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("bad act: %v", err)
		}
		for _, f := range []string{"legal_number", "effective_on", "unit_ids[2]", "unit_ids[3]", "into.code"} {
			if _, ok := verr.Fields[f]; !ok {
				t.Errorf("fault %s not named: %v", f, verr.Fields)
			}
		}
		if d := diffCounts(before, rowCounts(t, s)); d != "" {
			t.Fatalf("a rejected act changed rows: %s", d)
		}
		// Not yet in force: refused.
		future := mergeAB(w)
		future.EffectiveOn = "2026-05-01"
		if _, err := s.ApplyReorganization(ctx, rw.Admin, future); !errors.As(err, &verr) || verr.Fields["effective_on"].VI == "" {
			t.Fatalf("future act: %v", err)
		}
		// Only admins record acts.
		if _, err := s.PreviewReorganization(ctx, rw.District, mergeAB(w)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("district official previews: %v", err)
		}

		pv, err := s.PreviewReorganization(ctx, rw.Admin, mergeAB(w))
		if err != nil {
			t.Fatal(err)
		}
		var rebind []string
		for _, u := range pv.UsersToRebind {
			rebind = append(rebind, u.Username)
		}
		// Open petitions of A and B: A3 A4 A5 A6 A7 A8 A11, B2 B3 B4; planned: A's postponed one,
		// the late one, and B's first-minutes-after-the-quarter one.
		if pv.OpenPetitions != 10 || pv.PlannedDialogues != 3 ||
			strings.Join(rebind, ",") != "chair.a,secretary.a,inspector.a,chair.b,secretary.b" {
			t.Fatalf("preview: open %d planned %d rebind %v", pv.OpenPetitions, pv.PlannedDialogues, rebind)
		}
		if d := diffCounts(before, rowCounts(t, s)); d != "" {
			t.Fatalf("a preview changed rows: %s", d)
		}

		act, err := s.ApplyReorganization(ctx, rw.Admin, mergeAB(w))
		if err != nil {
			t.Fatal(err)
		}
		// Nothing lost, nothing duplicated: one new unit, the act, its lineage, the four hamlets'
		// former parents (and their new commune in the hamlets' commune lookup), the planned
		// dialogue passed to the new commune, and A's reference counters (2025 and 2026) carried on
		// by the new Tân Thới.
		want := "dialogue_events:+1 hamlet_communes:+4 petition_counters:+2 reorganizations:+1 unit_lineage:+2 unit_names:+4 units:+1"
		if d := diffCounts(before, rowCounts(t, s)); d != want {
			t.Fatalf("applying changed %q, want %q", d, want)
		}
		if err := s.Gorm().Exec("UPDATE reorganizations SET note = 'x' WHERE id = ?", act.ID).Error; err == nil {
			t.Fatal("an act was updated")
		}
		if err := s.Gorm().Exec("DELETE FROM unit_lineage").Error; err == nil {
			t.Fatal("the lineage was deleted")
		}

		units, _ := s.Units(ctx, models.SystemActor(), false)
		var merged *models.Unit
		for i := range units {
			if units[i].Code != nil && *units[i].Code == "29999" {
				merged = &units[i]
			}
			if units[i].ID == w.CommuneA.ID || units[i].ID == w.CommuneB.ID {
				t.Fatalf("an ended commune is listed as live")
			}
		}
		if merged == nil || merged.ValidFrom == nil || *merged.ValidFrom != "2026-04-05" || merged.Slug == nil || *merged.Slug != "TANTHOI" {
			t.Fatalf("merged commune %+v", merged)
		}
		old, _ := s.Unit(ctx, models.SystemActor(), w.CommuneA.ID)
		if old.ValidTo == nil || *old.ValidTo != "2026-04-05" || old.Name != "Tân Thới" || *old.ParentID != w.District.ID {
			t.Fatalf("old commune %+v", old)
		}
		moved, _ := s.Dialogue(ctx, models.SystemActor(), late.ID)
		if moved.CommuneID != merged.ID {
			t.Fatalf("planned dialogue after the date stays in %d", moved.CommuneID)
		}

		// Users of the ended communes sign in to a clear refusal until rebound.
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "chair.a", Password: dbtest.Password}, time.Hour); !errors.Is(err, models.ErrUnitEnded) {
			t.Fatalf("login to an ended unit: %v", err)
		}
		waiting, err := s.UsersToRebind(ctx, rw.Admin)
		if err != nil || len(waiting) != 5 {
			t.Fatalf("users to rebind %v %v", waiting, err)
		}
		_, err = s.RebindUsers(ctx, rw.Admin, models.RebindInput{UnitID: w.CommuneA.ID, UserIDs: []int64{w.ChairA.ID}})
		if !errors.As(err, &verr) || verr.Fields["unit_id"].VI == "" {
			t.Fatalf("rebind to an ended unit: %v", err)
		}
		if _, err := s.RebindUsers(ctx, rw.Admin, models.RebindInput{UnitID: merged.ID,
			UserIDs: []int64{w.ChairA.ID, w.SecretaryA.ID, w.InspectorA.ID, w.ChairB.ID, w.SecretaryB.ID}}); err != nil {
			t.Fatal(err)
		}
		if waiting, _ := s.UsersToRebind(ctx, rw.Admin); len(waiting) != 0 {
			t.Fatalf("still waiting: %v", waiting)
		}
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "chair.b", Password: dbtest.Password}, time.Hour); err != nil {
			t.Fatal(err)
		}

		// The successor's chair sees and carries on both predecessors' petitions; old
		// references still work, on the public board too.
		u, _ := s.UserByUsername(ctx, "chair.b")
		chair, err := s.LoadActor(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := s.Petitions(ctx, chair, models.PetitionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 15 { // A1–A11 and B1–B4
			t.Fatalf("successor sees %d petitions", len(list))
		}
		a4, err := s.Petition(ctx, chair, rw.IDs["A4"])
		if err != nil || a4.Petitioner == nil {
			t.Fatalf("successor chair and A4: %v %+v", err, a4)
		}
		if _, err := s.TransitionPetition(ctx, chair, a4.ID, models.TransitionInput{To: "in_progress", Version: &a4.Version}); err != nil {
			t.Fatalf("successor carries on A4: %v", err)
		}
		if _, err := s.PublicPetition(ctx, rw.Refs["A1"]); err != nil {
			t.Fatalf("old reference on the public board: %v", err)
		}
		// New work happens in the new commune only.
		_, err = s.CreatePetition(ctx, chair, models.PetitionInput{CommuneID: w.CommuneA.ID, HamletID: w.HamletA1.ID,
			TopicCode: "GT", Kind: "phan_anh", Channel: "reception", Content: "Đường liên ấp bị hư hỏng nặng sau mùa mưa."})
		if !errors.As(err, &verr) {
			t.Fatalf("petition in an ended commune: %v", err)
		}
		p, err := s.CreatePetition(ctx, chair, models.PetitionInput{CommuneID: merged.ID, HamletID: w.HamletA1.ID,
			TopicCode: "GT", Kind: "phan_anh", Channel: "reception", Content: "Đường liên ấp bị hư hỏng nặng sau mùa mưa."})
		// The new Tân Thới goes on with the old one's numbering: A logged ten petitions in 2026.
		if err != nil || p.Reference != "TANTHOI-2026-0011" {
			t.Fatalf("petition in the new commune: %v %+v", err, p)
		}
		// The other district's chair still sees nothing of it.
		if _, err := s.Petition(ctx, rw.ChairOther, rw.IDs["A4"]); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("outsider: %v", err)
		}
	})
}

func TestSplitRenameMoveDissolve(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w, ctx := dbtest.NewWorld(t, s), context.Background()
		admin := w.Actor(t, s, w.Admin)
		var verr *models.ValidationError
		split := models.ReorganizationInput{Kind: models.ReorgSplit, LegalNumber: "1/NQ", LegalDate: "2025-06-16", EffectiveOn: "2025-07-01",
			UnitIDs: []int64{w.CommuneA.ID}, Parts: []models.SplitPart{
				{Into: models.UnitTarget{Name: "Tân Thới Đông"}, HamletIDs: []int64{w.HamletA1.ID}},
				{Into: models.UnitTarget{ID: &w.CommuneB.ID}, HamletIDs: []int64{w.HamletB1.ID}},
			}}
		_, err := s.ApplyReorganization(ctx, admin, split)
		if !errors.As(err, &verr) || verr.Fields["parts"].VI == "" || verr.Fields["parts[1].hamlet_ids"].VI == "" {
			t.Fatalf("a hamlet left without a commune, a foreign hamlet: %v", err)
		}
		split.Parts[1].HamletIDs = []int64{w.HamletA2.ID}
		if _, err := s.ApplyReorganization(ctx, admin, split); err != nil {
			t.Fatal(err)
		}
		a2, _ := s.Unit(ctx, admin, w.HamletA2.ID)
		if *a2.ParentID != w.CommuneB.ID {
			t.Fatalf("A2 went to %d", *a2.ParentID)
		}

		// A move may not make a cycle.
		move := models.ReorganizationInput{Kind: models.ReorgMove, LegalNumber: "2/NQ", LegalDate: "2025-06-16", EffectiveOn: "2025-07-01",
			UnitIDs: []int64{w.District.ID}, ParentID: &w.CommuneB.ID}
		if _, err := s.ApplyReorganization(ctx, admin, move); !errors.As(err, &verr) || verr.Fields["parent_id"].VI == "" {
			t.Fatalf("cycle: %v", err)
		}
		rename := models.ReorganizationInput{Kind: models.ReorgRename, LegalNumber: "3/NQ", LegalDate: "2025-06-16", EffectiveOn: "2025-07-01",
			UnitIDs: []int64{w.CommuneB.ID}, Name: "Phú Tân", UnitKind: "phuong"}
		if _, err := s.ApplyReorganization(ctx, admin, rename); err != nil {
			t.Fatal(err)
		}
		b, _ := s.Unit(ctx, admin, w.CommuneB.ID)
		if b.Name != "Phú Tân" || b.Kind != "phuong" || !b.Live() {
			t.Fatalf("renamed %+v", b)
		}

		dissolve := models.ReorganizationInput{Kind: models.ReorgDissolveDistrict, LegalNumber: "202/2025/QH15", LegalDate: "2025-06-12",
			EffectiveOn: "2025-07-01", UnitIDs: []int64{w.District.ID}}
		pv, err := s.PreviewReorganization(ctx, admin, dissolve)
		if err != nil || len(pv.UsersToRebind) != 1 || pv.UsersToRebind[0].Username != "district" {
			t.Fatalf("dissolve preview %+v %v", pv, err)
		}
		if _, err := s.ApplyReorganization(ctx, admin, dissolve); err != nil {
			t.Fatal(err)
		}
		b, _ = s.Unit(ctx, admin, w.CommuneB.ID)
		d, _ := s.Unit(ctx, admin, w.District.ID)
		if *b.ParentID != w.Province.ID || d.Live() {
			t.Fatalf("after dissolving: commune %+v district %+v", b, d)
		}
		// The act's units are history: no further act on them.
		if _, err := s.ApplyReorganization(ctx, admin, dissolve); !errors.As(err, &verr) || verr.Fields["unit_ids[0]"].VI == "" {
			t.Fatalf("dissolving twice: %v", err)
		}
		acts, _ := s.Reorganizations(ctx, admin)
		if len(acts) != 3 {
			t.Fatalf("%d acts", len(acts))
		}
	})
}

func TestMonitorBoundToASetSeesExactlyIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		mon, err := s.CreateUser(ctx, rw.Admin, models.UserInput{Username: "theodoi", Password: dbtest.Password, Role: models.RoleDistrictOfficial, UnitID: w.Province.ID})
		if err != nil {
			t.Fatal(err)
		}
		var verr *models.ValidationError
		if _, err := s.SetMonitorCommunes(ctx, rw.Admin, mon.ID, []int64{w.CommuneA.ID, w.FarCommune.ID}); !errors.As(err, &verr) || verr.Fields["commune_ids[1]"].VI == "" {
			t.Fatalf("a commune outside the user's unit: %v", err)
		}
		if _, err := s.SetMonitorCommunes(ctx, rw.Admin, mon.ID, []int64{w.CommuneA.ID, w.OtherCommune.ID}); err != nil {
			t.Fatal(err)
		}
		a, err := s.LoadActor(ctx, mon)
		if err != nil {
			t.Fatal(err)
		}
		// A request reads the set with the session, in the same order.
		_, _, token, err := s.Login(ctx, models.Credentials{Username: "theodoi", Password: dbtest.Password}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		signedIn, _, _, err := s.Authenticate(ctx, token, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Communes) != 2 || !slices.Equal(signedIn.Communes, a.Communes) {
			t.Fatalf("signed in, the monitor follows %v; loaded, %v", signedIn.Communes, a.Communes)
		}
		if _, err := s.Petition(ctx, a, rw.IDs["A1"]); err != nil {
			t.Fatalf("monitor and A1: %v", err)
		}
		if _, err := s.Petition(ctx, a, rw.IDs["O1"]); err != nil {
			t.Fatalf("monitor and O1: %v", err)
		}
		if _, err := s.Petition(ctx, a, rw.IDs["B1"]); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("monitor and B1 outside the set: %v", err)
		}
		if _, err := s.Unit(ctx, a, w.CommuneB.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("monitor and commune B: %v", err)
		}
		list, _, err := s.Petitions(ctx, a, models.PetitionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.CommuneID == w.CommuneB.ID {
				t.Fatalf("B's petition %s listed", p.Reference)
			}
		}
		if len(list) != 12 { // A1–A11 and O1
			t.Fatalf("monitor lists %d petitions", len(list))
		}
		ds, _, err := s.Dialogues(ctx, a, models.DialogueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.CommuneID == w.CommuneB.ID {
				t.Fatal("B's dialogue listed")
			}
		}
		// The monitor's reports cover the set: A and Other, not B.
		sum, err := s.SummaryReport(ctx, a, q1())
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Communes) != 2 {
			t.Fatalf("monitor's league %+v", sum.Communes)
		}
		if in := q1(); true {
			in.UnitID = fmt.Sprint(w.CommuneB.ID)
			if _, err := s.SummaryReport(ctx, a, in); !errors.As(err, &verr) {
				t.Fatalf("report on B: %v", err)
			}
		}
		// A merger hands the set on: the monitor follows the successor.
		if _, err := s.ApplyReorganization(ctx, rw.Admin, mergeAB(w)); err != nil {
			t.Fatal(err)
		}
		a, _ = s.LoadActor(ctx, mon)
		if _, err := s.Petition(ctx, a, rw.IDs["B1"]); err != nil {
			t.Fatalf("after the merger the monitor follows the successor: %v", err)
		}
	})
}

// After A and B merge, the merged commune's figures "as units are now" are exactly the
// hand-computed figures of A and B together, and "as they were then" each keeps its own.
func TestReportsNowEqualTheSumOfThen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		if _, err := s.ApplyReorganization(ctx, rw.Admin, mergeAB(w)); err != nil {
			t.Fatal(err)
		}
		units, _ := s.Units(ctx, rw.Admin, false)
		var merged int64
		for _, u := range units {
			if u.Code != nil && *u.Code == "29999" {
				merged = u.ID
			}
		}
		report := func(unit int64, as string) *models.Summary {
			t.Helper()
			in := q1()
			in.As = as
			if unit != 0 {
				in.UnitID = fmt.Sprint(unit)
			}
			sum, err := s.SummaryReport(ctx, rw.Admin, in)
			if err != nil {
				t.Fatal(err)
			}
			return sum
		}
		now := report(merged, "now")
		if now.Basis != models.BasisNow {
			t.Fatalf("basis %s", now.Basis)
		}
		expectFigures(t, "merged now", now.Figures, wantDistrict)
		expectFigures(t, "A then", report(w.CommuneA.ID, "then").Figures, wantA)
		expectFigures(t, "B then", report(w.CommuneB.ID, "then").Figures, wantB)
		if then := report(merged, "then"); then.Figures.Petitions.Total != 0 || then.Figures.Dialogues.Total != 0 {
			t.Fatalf("the merged commune made nothing before it existed: %+v", then.Figures)
		}
		// The public board follows the same choice: now the merged commune's board holds its
		// predecessors' public petitions, then it holds none of its own yet.
		board := func(commune int64, as string) map[string]bool {
			t.Helper()
			items, _, err := s.PublicPetitions(ctx, commune, models.PublicFilter{As: as, Page: models.Page{Limit: 200}})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, p := range items {
				out[p.Reference] = true
			}
			return out
		}
		boardNow, boardA, boardB := board(merged, "now"), board(w.CommuneA.ID, "now"), board(w.CommuneB.ID, "then")
		for ref := range boardA {
			boardB[ref] = true
		}
		if len(boardA) == 0 || fmt.Sprint(boardNow) != fmt.Sprint(boardB) || len(board(merged, "then")) != 0 {
			t.Fatalf("board now %v, A then %v, A and B then %v", boardNow, boardA, boardB)
		}
		if _, _, err := s.PublicPetitions(ctx, merged, models.PublicFilter{As: "later"}); err == nil {
			t.Fatal("the board took an unknown basis")
		}

		names := func(sum *models.Summary) string {
			var out []string
			for _, c := range sum.Communes {
				out = append(out, c.Commune.Name)
			}
			return strings.Join(out, ",")
		}
		prov := report(0, "now")
		expectFigures(t, "province now", prov.Figures, wantProvince)
		if names(prov) != "Tân Tây,Tân Thới" || prov.Communes[1].Commune.ID != merged {
			t.Fatalf("league now %s", names(prov))
		}
		expectFigures(t, "league now: merged", prov.Communes[1].Figures, wantDistrict)
		prov = report(0, "then")
		expectFigures(t, "province then", prov.Figures, wantProvince)
		if names(prov) != "Tân Phú,Tân Tây,Tân Thới" || prov.Communes[2].Commune.ID != w.CommuneA.ID {
			t.Fatalf("league then %s", names(prov))
		}
		expectFigures(t, "league then: A", prov.Communes[2].Figures, wantA)
		expectFigures(t, "league then: B", prov.Communes[0].Figures, wantB)

		// The minutes of A's February dialogue print the units as they were, after the province
		// is renamed and the district dissolved.
		for _, act := range []models.ReorganizationInput{
			{Kind: models.ReorgRename, LegalNumber: "202/2025/QH15", LegalDate: "2026-03-20", EffectiveOn: "2026-04-06",
				UnitIDs: []int64{w.Province.ID}, Name: "Đồng Tháp"},
			{Kind: models.ReorgDissolveDistrict, LegalNumber: "202/2025/QH15", LegalDate: "2026-03-20", EffectiveOn: "2026-04-06",
				UnitIDs: []int64{w.District.ID}},
		} {
			if _, err := s.ApplyReorganization(ctx, rw.Admin, act); err != nil {
				t.Fatal(err)
			}
		}
		closed, _, err := s.Dialogues(ctx, rw.Admin, models.DialogueFilter{CommuneID: fmt.Sprint(w.CommuneA.ID), Status: models.DialogueClosed})
		if err != nil || len(closed) != 1 {
			t.Fatalf("A's closed dialogues %v %v", closed, err)
		}
		m, err := s.DialogueMinutes(ctx, rw.Admin, closed[0].ID)
		if err != nil || m.Place != "xã Tân Thới, huyện Tân Phú Đông, tỉnh Tiền Giang" {
			t.Fatalf("minutes place %q %v", m.Place, err)
		}

		in := q1()
		in.As = "later"
		if _, err := s.SummaryReport(ctx, rw.Admin, in); err == nil {
			t.Fatal("an unknown basis was accepted")
		}
	})
}
