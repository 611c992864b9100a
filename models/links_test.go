package models_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func link(t *testing.T, pw *petitionWorld, a models.Actor, p *models.Petition, mainID int64) (*models.Petition, error) {
	t.Helper()
	cur, err := pw.s.Petition(context.Background(), models.SystemActor(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return pw.s.LinkPetition(context.Background(), a, p.ID, models.PetitionLink{MainID: &mainID, Version: &cur.Version})
}

func TestOneMatterManyVoices(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 5, 4, 3, 0, 0, 0, time.UTC) }
		pw := newPetitionWorld(t, s)
		road := func(hamlet *models.Unit) *models.Petition {
			return pw.log(t, func(in *models.PetitionInput) {
				in.HamletID, in.TopicCode, in.Content = hamlet.ID, "GT", "Đường liên ấp Tân Hòa – Tân Bình xuống cấp, ổ gà nhiều."
			})
		}
		main, second, third := road(pw.w.HamletA1), road(pw.w.HamletA2), road(pw.w.HamletA1)
		other := pw.log(t, nil)
		foreign, err := s.CreatePetition(ctx, pw.chairB, models.PetitionInput{CommuneID: pw.w.CommuneB.ID, HamletID: pw.w.HamletB1.ID,
			Channel: "reception", Kind: "phan_anh", TopicCode: "GT", Content: "Đường liên ấp Phú Hữu xuống cấp."})
		if err != nil {
			t.Fatal(err)
		}
		closed := pw.reach(t, models.StateClosed)

		// Who may link, and what may be linked: every refusal changes nothing.
		if _, err := link(t, pw, pw.inspect, second, main.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector links: %v", err)
		}
		for name, target := range map[string]int64{"itself": second.ID, "another commune's": foreign.ID, "a closed": closed.ID, "an unknown": 1 << 40} {
			if _, err := link(t, pw, pw.secretary, second, target); fieldsOf(err)["main_id"].EN == "" {
				t.Fatalf("link to %s petition: %v", name, err)
			}
		}
		if _, err := link(t, pw, pw.secretary, closed, main.ID); conflictReason(err) != "petition_not_open" {
			t.Fatalf("link a closed petition: %v", err)
		}
		if _, err := s.LinkPetition(ctx, pw.secretary, second.ID, models.PetitionLink{MainID: &main.ID}); fieldsOf(err)["version"].VI == "" {
			t.Fatalf("link without version: %v", err)
		}
		stale := second.Version + 1
		if _, err := s.LinkPetition(ctx, pw.secretary, second.ID, models.PetitionLink{MainID: &main.ID, Version: &stale}); conflictReason(err) != "stale_version" {
			t.Fatalf("stale link: %v", err)
		}
		if got, _ := s.Petition(ctx, pw.chair, second.ID); got.MainID != nil || got.Version != second.Version {
			t.Fatalf("refused links changed the petition: %+v", got)
		}
		linked, err := link(t, pw, pw.secretary, second, main.ID)
		if err != nil || linked.MainID == nil || *linked.MainID != main.ID {
			t.Fatalf("link: %+v %v", linked, err)
		}
		if _, err := link(t, pw, pw.chair, third, main.ID); err != nil {
			t.Fatal(err)
		}
		// No chains, no cycles.
		if _, err := link(t, pw, pw.chair, other, second.ID); fieldsOf(err)["main_id"].VI == "" {
			t.Fatalf("link to a linked petition: %v", err)
		}
		if _, err := link(t, pw, pw.chair, main, other.ID); conflictReason(err) != "petition_is_main" {
			t.Fatalf("link a main petition: %v", err)
		}
		if _, err := link(t, pw, pw.chair, second, other.ID); conflictReason(err) != "petition_linked" {
			t.Fatalf("link a linked petition again: %v", err)
		}
		// A linked petition follows its main: it is not answered or closed on its own.
		if got, _ := s.Petition(ctx, pw.chair, second.ID); fmt.Sprint(got.AllowedTransitions) != "[assigned referred]" {
			t.Fatalf("linked petition's moves: %v", got.AllowedTransitions)
		}
		links, err := s.Links(ctx, pw.inspect, main.ID)
		if err != nil || links.Main != nil || len(links.Linked) != 2 || links.Linked[0].ID != second.ID {
			t.Fatalf("links of the main: %+v %v", links, err)
		}
		if links, _ := s.Links(ctx, pw.inspect, third.ID); links.Main == nil || links.Main.ID != main.ID || len(links.Linked) != 0 {
			t.Fatalf("links of a linked one: %+v", links)
		}

		// One answer, published once, answers them all; they close with it.
		answer := "UBND xã đã đưa đoạn đường vào kế hoạch sửa chữa quý III."
		pw.mustMove(t, pw.chair, main, models.TransitionInput{To: "answered", Answer: answer})
		late := road(pw.w.HamletA2)
		if got, err := link(t, pw, pw.secretary, late, main.ID); err != nil || got.State != models.StateAnswered || got.Answer != answer {
			t.Fatalf("linked after the answer: %+v %v", got, err)
		}
		pw.mustMove(t, pw.chair, main, models.TransitionInput{To: "closed", Reason: "explained", Satisfaction: "satisfied"})
		for _, p := range []*models.Petition{second, third, late} {
			got, _ := s.Petition(ctx, pw.chair, p.ID)
			if got.State != models.StateClosed || got.Answer != answer || got.AnsweredAt == nil || got.CloseReason == nil || *got.CloseReason != models.ReasonExplained {
				t.Fatalf("follower %s: %+v", p.Reference, got)
			}
			events, _ := s.PetitionEvents(ctx, pw.chair, p.ID)
			var trail []string
			for _, e := range events {
				if e.Kind != models.EventCreated {
					trail = append(trail, e.Kind+":"+deref(e.ToValue))
				}
			}
			if want := "[linked:" + main.Reference + " transition:answered transition:closed]"; fmt.Sprint(trail) != want {
				t.Fatalf("history of %s: %v, want %s", p.Reference, trail, want)
			}
		}
		if got, _ := s.Petition(ctx, pw.chair, other.ID); got.State != models.StateReceived {
			t.Fatalf("an unlinked petition moved: %s", got.State)
		}
		// A true duplicate still closes as one.
		dup := road(pw.w.HamletA2)
		pw.mustMove(t, pw.chair, dup, models.TransitionInput{To: "closed", Reason: "duplicate", DuplicateOf: &other.ID})

		// Reports count petitions raised and distinct matters: the road once, the water once.
		sum, err := s.SummaryReport(ctx, pw.chair, models.SummaryInput{UnitID: strconv.FormatInt(pw.w.CommuneA.ID, 10), Period: models.PeriodInput{Period: "year", Year: "2026"}})
		if err != nil {
			t.Fatal(err)
		}
		if f := sum.Figures.Petitions; f.Total != 7 || f.Matters != 3 {
			t.Fatalf("petitions %d, matters %d; want 7 and 3 (road, water, the closed one)", f.Total, f.Matters)
		}
		// The public board shows the matter once, with how many times it was raised.
		board, _, err := s.PublicPetitions(ctx, pw.w.CommuneA.ID, models.PublicFilter{Page: models.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, b := range board {
			seen[b.Reference] = b.TimesRaised
		}
		if seen[main.Reference] != 4 || len(seen) != 4 {
			t.Fatalf("board: %v", seen)
		}
		if one, err := s.PublicPetition(ctx, third.Reference); err != nil || one.MainReference == nil || *one.MainReference != main.Reference || one.Answer == nil {
			t.Fatalf("a linked petition on the board: %+v %v", one, err)
		}
	})
}

func TestUnlinkPetition(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		main, p := pw.log(t, nil), pw.log(t, nil)
		if _, err := s.UnlinkPetition(ctx, pw.secretary, p.ID, models.PetitionLink{Version: &p.Version}); conflictReason(err) != "petition_not_linked" {
			t.Fatalf("unlink an unlinked petition: %v", err)
		}
		linked, err := link(t, pw, pw.secretary, p, main.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UnlinkPetition(ctx, pw.inspect, p.ID, models.PetitionLink{Version: &linked.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector unlinks: %v", err)
		}
		out, err := s.UnlinkPetition(ctx, pw.chair, p.ID, models.PetitionLink{Version: &linked.Version, Note: "Khác nội dung"})
		if err != nil || out.MainID != nil || len(out.AllowedTransitions) != 4 {
			t.Fatalf("unlink: %+v %v", out, err)
		}
		events, _ := s.PetitionEvents(ctx, pw.chair, main.ID)
		if last := events[len(events)-1]; last.Kind != models.EventUnlinked || deref(last.FromValue) != p.Reference || last.ActorName != "chair.a" {
			t.Fatalf("main's history: %+v", last)
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
