package seed_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/seed"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestDemoPetitionsEveryStateIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if _, err := seed.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		var first int64
		s.Gorm().Table("petitions").Count(&first)
		if _, err := seed.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		var second, events int64
		s.Gorm().Table("petitions").Count(&second)
		if first == 0 || first != second {
			t.Fatalf("petitions %d then %d", first, second)
		}
		items, _, err := s.Petitions(ctx, models.SystemActor(), models.PetitionFilter{Page: models.Page{Limit: 200}})
		if err != nil {
			t.Fatal(err)
		}
		states, overdue := map[models.PetitionState]int{}, 0
		for _, p := range items {
			states[p.State]++
			if p.Overdue {
				overdue++
			}
		}
		for _, st := range models.PetitionStates() {
			if states[st] == 0 {
				t.Errorf("no demo petition in state %s", st)
			}
		}
		if overdue < 3 {
			t.Errorf("only %d overdue demo petitions", overdue)
		}
		s.Gorm().Table("petition_events").Count(&events)
		if events <= first {
			t.Errorf("only %d events", events)
		}
	})
}

func TestTheDemoHasDialoguesInEveryState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		demo, err := seed.LoadDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		for _, commune := range []string{"Tân Thới", "Tân Phú Đông"} {
			unit := demo.Units[commune]
			items, _, err := s.Dialogues(ctx, models.SystemActor(), models.DialogueFilter{CommuneID: fmt.Sprint(unit.ID)})
			if err != nil {
				t.Fatal(err)
			}
			states := map[models.DialogueStatus]int{}
			for _, d := range items {
				states[d.Status]++
				if d.Status == models.DialogueClosed && (d.Attendance == nil || d.Minutes == nil) {
					t.Errorf("%s: closed without attendance or minutes", d.Title)
				}
			}
			for _, st := range []models.DialogueStatus{models.DialoguePlanned, models.DialogueHeld, models.DialogueClosed, models.DialogueCancelled} {
				if states[st] == 0 {
					t.Errorf("%s has no %s dialogue: %v", commune, st, states)
				}
			}
		}
		overdue, _, err := s.Dialogues(ctx, models.SystemActor(), models.DialogueFilter{MinutesOverdue: "true"})
		if err != nil || len(overdue) != 1 {
			t.Fatalf("demo overdue %d %v", len(overdue), err)
		}
		m, err := s.DialogueMinutes(ctx, models.SystemActor(), overdue[0].ID)
		if err != nil || m.Secretary != "Lê Thị Hoa" || m.Chair != "Trần Minh Tâm" || m.Total != 46 || len(m.Petitions) != 1 {
			t.Fatalf("demo minutes %+v %v", m, err)
		}
	})
}

// The demo tells the Tân Thới story: the old commune's 2024 work under huyện Tân Phú Đông, tỉnh
// Tiền Giang; the reorganization of 1 July 2025; today's work in the new communes of tỉnh Đồng Tháp.
func TestTheDemoTellsTheReorganization(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		demo, err := seed.LoadDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := seed.LoadDemo(ctx, s); err != nil {
			t.Fatal(err)
		}
		sys := models.SystemActor()
		acts, _ := s.Reorganizations(ctx, sys)
		if len(acts) != 4 {
			t.Fatalf("%d acts, want 4 (two mergers, the district, the province)", len(acts))
		}
		province := demo.Units["Đồng Tháp"]
		if province == nil || *province.Code != "82" || demo.Units["Tân Thới"].ValidFrom == nil || *demo.Units["Tân Thới"].ValidFrom != "2025-07-01" {
			t.Fatalf("today's units %+v %+v", province, demo.Units["Tân Thới"])
		}
		// The 2024 minutes name the units as they were.
		old, _, err := s.Dialogues(ctx, sys, models.DialogueFilter{From: "2024-01-01", To: "2024-12-31"})
		if err != nil || len(old) != 2 {
			t.Fatalf("2024 dialogues %d %v", len(old), err)
		}
		m, err := s.DialogueMinutes(ctx, sys, old[0].ID)
		if err != nil || m.Place != "xã Tân Thới, huyện Tân Phú Đông, tỉnh Tiền Giang" {
			t.Fatalf("2024 minutes: %q %v", m.Place, err)
		}
		// Old references keep working, the public board included.
		if _, err := s.PublicPetition(ctx, "TANTHOI-2024-0001"); err != nil {
			t.Fatalf("old reference: %v", err)
		}
		// The new commune's chair sees the old Tân Phú's open bridge petition, overdue.
		chair, _ := s.UserByUsername(ctx, "chair.tanthoi")
		a, err := s.LoadActor(ctx, chair)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := s.Petitions(ctx, a, models.PetitionFilter{Q: "cầu khỉ"})
		if err != nil || len(list) != 1 || !list[0].Overdue {
			t.Fatalf("carried-over petition %+v %v", list, err)
		}
		// Who was bound to the old Tân Phú waits for rebinding and is told why at sign-in.
		waiting, _ := s.UsersToRebind(ctx, sys)
		if len(waiting) != 1 || waiting[0].Username != "secretary.tanphu" {
			t.Fatalf("waiting %+v", waiting)
		}
		if _, _, _, err := s.Login(ctx, models.Credentials{Username: "secretary.tanphu", Password: seed.DemoPassword}, time.Hour); err != models.ErrUnitEnded {
			t.Fatalf("sign-in of secretary.tanphu: %v", err)
		}
		// The provincial monitoring official follows both new communes.
		mon, _ := s.UserByUsername(ctx, "district")
		unit, _ := s.Unit(ctx, sys, mon.UnitID)
		if models.RoleLabel(mon.Role, unit).VI != "Cán bộ theo dõi" {
			t.Fatalf("monitor label %v", models.RoleLabel(mon.Role, unit))
		}
		ma, _ := s.LoadActor(ctx, mon)
		sum, err := s.SummaryReport(ctx, ma, models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2024"}})
		if err != nil || len(sum.Communes) != 2 || sum.Figures.Dialogues.Total != 2 {
			t.Fatalf("2024 as the units are now: %+v %v", sum, err)
		}
	})
}
