package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestEveryListReadsDaysAlike checks that the lists which take days or times (petitions, the
// Open311 feed, dialogues) read the same input the same way: a bare day is a whole Vietnam day,
// spaces are trimmed, and a day outside the product's years is refused by name.
func TestEveryListReadsDaysAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		s.Now = func() time.Time { return dbtest.VN(t, "2026-03-20 09:00") }
		for _, at := range []string{"2026-03-14 23:59", "2026-03-15 00:00", "2026-03-15 23:59", "2026-03-16 00:00"} {
			when := dbtest.VN(t, at)
			pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt = &when })
		}
		// The Open311 feed reads its start_date and end_date through RangeBound.
		bounds := &models.ValidationError{}
		feed, err := s.SearchPublicPetitions(ctx, models.PublicSearch{
			From:   models.RangeBound(bounds, "start_date", " 2026-03-15", false, models.Msg("", "")),
			Before: models.RangeBound(bounds, "end_date", "2026-03-15 ", true, models.Msg("", ""))})
		if err != nil || bounds.Err() != nil || len(feed) != 2 {
			t.Fatalf("Open311 takes a bare day as the whole day: %d %v", len(feed), err)
		}
		list, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{From: "2026-03-15", To: " 2026-03-15 "})
		if err != nil || len(list) != 2 {
			t.Fatalf("petition list: %d %v", len(list), err)
		}
		for _, bad := range []error{
			func() error {
				v := &models.ValidationError{}
				models.RangeBound(v, "start_date", "1999-12-31", false, models.Msg("", ""))
				return v.Err()
			}(),
			func() error {
				_, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{From: "1999-12-31"})
				return err
			}(),
			func() error {
				_, _, err := s.Dialogues(ctx, pw.chair, models.DialogueFilter{From: "1999-12-31"})
				return err
			}(),
		} {
			var v *models.ValidationError
			if !errors.As(bad, &v) || len(v.Fields) != 1 {
				t.Fatalf("a day before 2000 is a field error: %v", bad)
			}
			for _, m := range v.Fields {
				if m.In("en") != "The date or time is out of range (years 2000 to 2100)." {
					t.Fatalf("message %q", m.In("en"))
				}
			}
		}
	})
}

// TestDialogueTimesFollowTheStoresClock checks that how far ahead a dialogue may be planned is
// measured from the store's clock, not the machine's.
func TestDialogueTimesFollowTheStoresClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		sec := w.Actor(t, s, w.SecretaryA)
		in := models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{w.HamletA1.ID}, Title: "Đối thoại",
			StartsAt: "2043-06-01T08:00"}
		s.Now = func() time.Time { return dbtest.VN(t, "2040-01-01 08:00") }
		if _, err := s.CreateDialogue(ctx, sec, in); err != nil {
			t.Fatalf("three years ahead of the store's clock: %v", err)
		}
		s.Now = func() time.Time { return dbtest.VN(t, "2026-01-01 08:00") }
		in.StartsAt = "2043-07-01T08:00"
		var v *models.ValidationError
		if _, err := s.CreateDialogue(ctx, sec, in); !errors.As(err, &v) || v.Fields["starts_at"].In("en") != "The time is out of range." {
			t.Fatalf("seventeen years ahead: %v", err)
		}
	})
}

// TestShortNoticeIsFlaggedAndExplained flags a dialogue planned less than seven days before its
// day, keeps why in its history, and leaves alone one planned in time or entered from paper.
func TestShortNoticeIsFlaggedAndExplained(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		w := dbtest.NewWorld(t, s)
		sec := w.Actor(t, s, w.SecretaryA)
		s.Now = func() time.Time { return dbtest.VN(t, "2026-03-10 08:00") }
		plan := func(starts, reason string, hamlet int64) *models.Dialogue {
			t.Helper()
			d, err := s.CreateDialogue(ctx, sec, models.DialogueInput{CommuneID: w.CommuneA.ID, HamletIDs: []int64{hamlet},
				Title: "Đối thoại", StartsAt: starts, NoticeReason: reason})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		short := plan("2026-03-16T08:00", "Mưa lũ, cần bàn gấp", w.HamletA1.ID)
		if !short.ShortNotice {
			t.Fatal("six days' notice is short")
		}
		events, _, err := s.DialogueEvents(ctx, sec, short.ID, models.Page{})
		if err != nil || !strings.Contains(string(events[0].Data), "Mưa lũ, cần bàn gấp") {
			t.Fatalf("the reason is kept: %v %v", events, err)
		}
		if d := plan("2026-03-17T08:00", "", w.HamletA2.ID); d.ShortNotice {
			t.Fatal("seven days' notice is enough")
		}
		if d := plan("2026-03-01T08:00", "", w.HamletA1.ID); d.ShortNotice {
			t.Fatal("a dialogue entered from paper")
		}
	})
}
