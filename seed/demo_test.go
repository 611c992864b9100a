package seed_test

import (
	"context"
	"fmt"
	"testing"

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
		for _, commune := range []string{"Tân Thới", "Tân Phú"} {
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
