package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestWhoMayMoveADialogue(t *testing.T) {
	cases := []struct {
		role                    models.Role
		planned, held           string
		editPlanned, attendHeld bool
	}{
		{models.RoleAdmin, "[held postponed cancelled]", "[closed]", true, true},
		{models.RoleCommuneChair, "[held postponed cancelled]", "[closed]", true, true},
		{models.RoleSecretary, "[held]", "[]", true, true},
		{models.RoleDistrictOfficial, "[]", "[]", false, false},
		{models.RoleInspector, "[]", "[]", false, false},
	}
	for _, c := range cases {
		a := models.Actor{Role: c.role}
		if got := fmt.Sprint(a.AllowedTransitions(models.DialoguePlanned)); got != c.planned {
			t.Errorf("%s on planned: %s, want %s", c.role, got, c.planned)
		}
		if got := fmt.Sprint(a.AllowedTransitions(models.DialogueHeld)); got != c.held {
			t.Errorf("%s on held: %s, want %s", c.role, got, c.held)
		}
		for _, st := range []models.DialogueStatus{models.DialogueClosed, models.DialogueCancelled} {
			if n := len(a.AllowedTransitions(st)); n != 0 || a.CanEditDialogue(st) || a.CanRecordAttendance(st) {
				t.Errorf("%s may touch a %s dialogue", c.role, st)
			}
		}
		if a.CanEditDialogue(models.DialoguePlanned) != c.editPlanned || a.CanEditDialogue(models.DialogueHeld) {
			t.Errorf("%s edit rules", c.role)
		}
		if a.CanRecordAttendance(models.DialogueHeld) != c.attendHeld || a.CanRecordAttendance(models.DialoguePlanned) {
			t.Errorf("%s attendance rules", c.role)
		}
	}
}

func TestTimesPrintInVietnamTime(t *testing.T) {
	at := time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC) // 06:30 on 6 March in Vietnam
	if got := models.VietnameseTime(at); got != "06 giờ 30 phút, ngày 06 tháng 3 năm 2026" {
		t.Errorf("VietnameseTime: %s", got)
	}
}

func TestADialogueOnPaperGoesThroughItsWholeLife(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		sec, chair := w.Actor(t, s, w.SecretaryA), w.Actor(t, s, w.ChairA)
		start := "2026-01-10T08:00:00+07:00"
		d, err := s.CreateDialogue(ctx, sec, models.DialogueInput{CommuneID: w.CommuneA.ID,
			HamletIDs: []int64{w.HamletA1.ID, w.HamletA2.ID, w.HamletA1.ID}, Title: "Đối thoại đầu năm", StartsAt: start})
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Hamlets) != 2 || d.ChairUserID == nil || *d.ChairUserID != w.ChairA.ID {
			t.Fatalf("created %+v", d)
		}
		if _, err := s.TransitionDialogue(ctx, sec, d.ID, models.DialogueTransition{To: models.TransitionClose, Minutes: "x"}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a secretary closes: %v", err)
		}
		if _, err := s.TransitionDialogue(ctx, sec, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
			t.Fatal(err)
		}
		n := func(v int) *int { return &v }
		a, replayed, err := s.RecordAttendance(ctx, sec, d.ID, "k", models.AttendanceInput{Residents: n(30), Businesses: n(2), Officials: n(5), Women: n(14)})
		if err != nil || replayed || a.Total != 37 || a.Source != models.AttendanceFromCounts {
			t.Fatalf("attendance %+v %v %v", a, replayed, err)
		}
		if _, replayed, _ = s.RecordAttendance(ctx, sec, d.ID, "k", models.AttendanceInput{Residents: n(30), Businesses: n(2), Officials: n(5), Women: n(14)}); !replayed {
			t.Fatal("the same key twice writes twice")
		}
		var reused *models.ValidationError
		if _, _, err = s.RecordAttendance(ctx, sec, d.ID, "k", models.AttendanceInput{Residents: n(1)}); !errors.As(err, &reused) || reused.Fields["Idempotency-Key"].VI == "" {
			t.Fatalf("the same key with other counts: %v", err)
		}
		d, err = s.TransitionDialogue(ctx, chair, d.ID, models.DialogueTransition{To: models.TransitionClose, Minutes: "Nhân dân thống nhất."})
		if err != nil || d.Status != models.DialogueClosed || d.Attendance.Total != 37 {
			t.Fatalf("closed %+v %v", d, err)
		}
		var conflict *models.ConflictError
		title := "Sửa"
		if _, err := s.UpdateDialogue(ctx, chair, d.ID, models.DialoguePatch{Title: &title, Version: &d.Version}); !errors.As(err, &conflict) || conflict.Reason != "dialogue_closed" {
			t.Fatalf("edit of a closed dialogue: %v", err)
		}
		events, _, err := s.DialogueEvents(ctx, chair, d.ID, models.Page{})
		if err != nil || len(events) != 4 {
			t.Fatalf("events %d %v", len(events), err)
		}
		if _, err := s.Dialogue(ctx, w.Actor(t, s, w.SecretaryB), d.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another commune sees it: %v", err)
		}
	})
}

func TestPostponingKeepsTheDialoguePlannedWithItsHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		chair := w.Actor(t, s, w.ChairA)
		end := "2027-05-01T11:00:00+07:00"
		d, err := s.CreateDialogue(ctx, chair, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA1.ID},
			Title: "Đối thoại giữa năm", StartsAt: "2027-05-01T08:00:00+07:00", EndsAt: &end})
		if err != nil {
			t.Fatal(err)
		}
		for i, when := range []string{"2027-05-08T08:00:00+07:00", "2027-05-15T14:00:00+07:00"} {
			d, err = s.TransitionDialogue(ctx, chair, d.ID, models.DialogueTransition{To: models.TransitionPostpone, NewStartsAt: when, Reason: "Mưa lớn"})
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != models.DialoguePlanned || d.PostponedCount != i+1 || d.EndsAt.Sub(d.StartsAt) != 3*time.Hour {
				t.Fatalf("postponed %+v", d)
			}
		}
		events, _, _ := s.DialogueEvents(ctx, chair, d.ID, models.Page{})
		last := events[len(events)-1]
		if len(events) != 3 || *last.ToStatus != models.TransitionPostpone || last.Note != "Mưa lớn" {
			t.Fatalf("history %+v", events)
		}
		// The old slot is free again, the new one is taken.
		_, err = s.CreateDialogue(ctx, chair, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA1.ID},
			Title: "Đối thoại bổ sung", StartsAt: "2027-05-01T08:00:00+07:00"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateDialogue(ctx, chair, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA2.ID},
			Title: "Cùng chủ trì", StartsAt: "2027-05-15T15:00:00+07:00"})
		var conflict *models.ConflictError
		if !errors.As(err, &conflict) || conflict.Reason != "dialogue_overlap" {
			t.Fatalf("same chair, same time: %v", err)
		}
	})
}

func TestMinutesOverdueIsComputedFromTheClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		chair := w.Actor(t, s, w.ChairA)
		d, err := s.CreateDialogue(ctx, chair, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA1.ID},
			Title: "Đối thoại tháng Mười", StartsAt: "2026-10-05T08:00:00+07:00"})
		if err != nil {
			t.Fatal(err)
		}
		held := time.Date(2026, 10, 5, 4, 0, 0, 0, time.UTC)
		s.Now = func() time.Time { return held }
		if _, err := s.TransitionDialogue(ctx, chair, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			after time.Duration
			want  int
		}{{71 * time.Hour, 0}, {73 * time.Hour, 1}} {
			s.Now = func() time.Time { return held.Add(c.after) }
			items, _, err := s.Dialogues(ctx, w.Actor(t, s, w.DistrictOfficial), models.DialogueFilter{MinutesOverdue: "true"})
			if err != nil || len(items) != c.want {
				t.Fatalf("after %s: %d overdue, %v", c.after, len(items), err)
			}
			if c.want == 1 && !items[0].MinutesOverdue {
				t.Fatal("the record does not say it is overdue")
			}
		}
	})
}
