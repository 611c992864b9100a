package models_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// publishAll puts on the board every dialogue of the actor's commune that can be: the notice of
// a planned one, the results of one that took place.
func publishAll(t *testing.T, s *models.Store, actor models.Actor) {
	t.Helper()
	ctx := context.Background()
	ds, _, err := s.Dialogues(ctx, actor, models.DialogueFilter{Page: models.Page{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		in := models.Publication{Summary: "Đã trả lời tại chỗ các ý kiến của bà con.", Version: &d.Version}
		switch d.Status {
		case models.DialoguePlanned:
			_, err = s.PublishDialogueNotice(ctx, actor, d.ID, in)
		case models.DialogueHeld, models.DialogueClosed:
			_, err = s.PublishDialogueResults(ctx, actor, d.ID, in)
		default:
			continue
		}
		if err != nil {
			t.Fatalf("publishing dialogue %d (%s): %v", d.ID, d.Status, err)
		}
	}
}

// After A and B merge, the merged commune's board lists "as units are now" the dialogues of A,
// of B and its own, and "as they were then" only its own; an ended commune lists its own either
// way.
func TestPublicDialoguesFollowTheBasis(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		rw := dbtest.BuildReportData(t, s, dbtest.NewWorld(t, s))
		w, ctx := rw.W, context.Background()
		s.Now = func() time.Time { return rw.Now }
		publishAll(t, s, rw.ChairA)
		publishAll(t, s, rw.ChairB)
		publishAll(t, s, rw.ChairOther)
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
		// The merged commune plans a dialogue of its own at a hamlet that was A's.
		own, err := s.CreateDialogue(ctx, rw.Admin, models.DialogueInput{CommuneID: merged, HamletIDs: []int64{w.HamletA1.ID},
			Title: "Đối thoại quý II", StartsAt: "2026-05-20T08:00:00+07:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishDialogueNotice(ctx, rw.Admin, own.ID, models.Publication{Version: &own.Version}); err != nil {
			t.Fatal(err)
		}

		board := func(commune int64, as string) map[int64]bool {
			t.Helper()
			out := map[int64]bool{}
			page := models.Page{Limit: 2}
			for {
				items, next, err := s.PublicDialogues(ctx, commune, as, page)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range items {
					if out[d.ID] {
						t.Fatalf("dialogue %d listed twice", d.ID)
					}
					out[d.ID] = true
				}
				if next == "" {
					return out
				}
				page.Cursor = next
			}
		}
		ids := func(m map[int64]bool) []int64 { return slices.Sorted(maps.Keys(m)) }
		aThen, bThen, mergedThen := board(w.CommuneA.ID, "then"), board(w.CommuneB.ID, "then"), board(merged, "then")
		if len(aThen) == 0 || len(bThen) == 0 || fmt.Sprint(ids(mergedThen)) != fmt.Sprint([]int64{own.ID}) {
			t.Fatalf("then: A %v, B %v, merged %v", ids(aThen), ids(bThen), ids(mergedThen))
		}
		want := map[int64]bool{}
		for _, m := range []map[int64]bool{aThen, bThen, mergedThen} {
			maps.Copy(want, m)
		}
		if got := board(merged, "now"); fmt.Sprint(ids(got)) != fmt.Sprint(ids(want)) {
			t.Fatalf("merged now %v, want A, B and its own then %v", ids(got), ids(want))
		}
		if got := board(merged, ""); fmt.Sprint(ids(got)) != fmt.Sprint(ids(want)) {
			t.Fatalf("merged by default %v, want now %v", ids(got), ids(want))
		}
		// An ended commune holds nothing now: its board lists its own either way.
		if got := board(w.CommuneA.ID, "now"); fmt.Sprint(ids(got)) != fmt.Sprint(ids(aThen)) {
			t.Fatalf("A now %v, then %v", ids(got), ids(aThen))
		}
		other := board(w.OtherCommune.ID, "now")
		if len(other) == 0 || fmt.Sprint(ids(other)) != fmt.Sprint(ids(board(w.OtherCommune.ID, "then"))) {
			t.Fatalf("the other commune's board changed with the basis: %v", ids(other))
		}
		for id := range other {
			if want[id] {
				t.Fatalf("dialogue %d of the other commune on the merged board", id)
			}
		}
		var verr *models.ValidationError
		if _, _, err := s.PublicDialogues(ctx, merged, "later", models.Page{}); !errors.As(err, &verr) || verr.Fields["as"].VI == "" {
			t.Fatalf("unknown basis: %v", err)
		}
	})
}
