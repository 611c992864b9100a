package models_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// paperStory is one dialogue and what happened to its two petitions, played either live (the
// store's clock at each moment) or typed up weeks later from the paper minutes.
type paperStory struct {
	t                 *testing.T
	s                 *models.Store
	chair, sec        models.Actor
	commune, hamlet   *models.Unit
	live              bool
	typedAt           time.Time
	dialogueID        int64
	answered, pending *models.Petition
}

// at sets the clock to the moment (Vietnam time) live, or to the typing day otherwise, and
// returns what occurred_at to send: nil live, the moment typed up.
func (ps *paperStory) at(when string) *time.Time {
	moment := dbtest.VN(ps.t, when)
	if ps.live {
		ps.s.Now = func() time.Time { return moment }
		return nil
	}
	ps.s.Now = func() time.Time { return ps.typedAt }
	return &moment
}

func (ps *paperStory) occurred(when string) string {
	if at := ps.at(when); at != nil {
		return at.Format(time.RFC3339)
	}
	return ""
}

func (ps *paperStory) move(p *models.Petition, in models.TransitionInput) *models.Petition {
	ps.t.Helper()
	cur, err := ps.s.Petition(context.Background(), models.SystemActor(), p.ID)
	if err != nil {
		ps.t.Fatal(err)
	}
	in.Version = &cur.Version
	out, err := ps.s.TransitionPetition(context.Background(), ps.chair, p.ID, in)
	if err != nil {
		ps.t.Fatalf("%s → %s: %v", cur.State, in.To, err)
	}
	return out
}

func (ps *paperStory) dialogue(to, when, minutes string) {
	ps.t.Helper()
	tr := models.DialogueTransition{To: to, Minutes: minutes, OccurredAt: ps.occurred(when)}
	if _, err := ps.s.TransitionDialogue(context.Background(), ps.chair, ps.dialogueID, tr); err != nil {
		ps.t.Fatalf("dialogue → %s: %v", to, err)
	}
}

// play enters the story: a dialogue on 10 March 2026, one petition answered on the spot and
// closed two days later, one assigned, answered on 20 March and resolved on 25 March.
func (ps *paperStory) play() {
	t, ctx := ps.t, context.Background()
	ps.at("2026-02-20 08:00")
	d, err := ps.s.CreateDialogue(ctx, ps.sec, models.DialogueInput{CommuneID: ps.commune.ID, HamletIDs: []int64{ps.hamlet.ID},
		Title: "Đối thoại về giao thông " + ps.hamlet.Name, StartsAt: "2026-03-10T08:00:00+07:00", EndsAt: strp("2026-03-10T10:00:00+07:00"),
		Venue: "Nhà văn hóa ấp", AllowOverlap: true})
	if err != nil {
		t.Fatal(err)
	}
	ps.dialogueID = d.ID
	ps.at("2026-03-10 08:05")
	ps.dialogue(models.TransitionHold, "2026-03-10 08:05", "")
	ps.at("2026-03-10 09:00")
	raise := func(topic, onsite string) *models.Petition {
		p, err := ps.s.CreatePetition(ctx, ps.sec, models.PetitionInput{CommuneID: ps.commune.ID, HamletID: ps.hamlet.ID, DialogueID: &d.ID,
			Kind: "kien_nghi", TopicCode: topic, Content: "Kiến nghị của người dân về " + topic + " tại buổi đối thoại.", OnsiteAnswer: onsite})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ps.answered = raise("GT", "Xã sẽ lắp biển báo trong tuần.")
	ps.pending = raise("NS", "")
	residents, businesses, officials, women := 40, 3, 5, 18
	if _, _, err := ps.s.RecordAttendance(ctx, ps.sec, d.ID, "", models.AttendanceInput{Residents: &residents, Businesses: &businesses, Officials: &officials, Women: &women}); err != nil {
		t.Fatal(err)
	}
	ps.at("2026-03-10 09:10")
	ps.move(ps.answered, models.TransitionInput{To: "answered"}) // the on-site answer, published
	ps.move(ps.pending, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ cấp nước", OccurredAt: ps.at("2026-03-10 09:30")})
	ps.dialogue(models.TransitionClose, "2026-03-11 09:00", "Biên bản buổi đối thoại.")
	ps.move(ps.answered, models.TransitionInput{To: "closed", Reason: "explained", Satisfaction: "satisfied", OccurredAt: ps.at("2026-03-12 08:00")})
	ps.move(ps.pending, models.TransitionInput{To: "answered", Answer: "Đã khảo sát, lắp ống trong tháng 4.", OccurredAt: ps.at("2026-03-20 08:00")})
	ps.move(ps.pending, models.TransitionInput{To: "resolved", Satisfaction: "very_satisfied", OccurredAt: ps.at("2026-03-25 08:00")})
}

func TestPaperRecordsCountAsIfEnteredLive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		live := &paperStory{t: t, s: s, chair: pw.chair, sec: pw.secretary, commune: pw.w.CommuneA, hamlet: pw.w.HamletA1, live: true}
		live.play()
		secB := pw.w.Actor(t, s, pw.w.SecretaryB)
		typed := &paperStory{t: t, s: s, chair: pw.chairB, sec: secB, commune: pw.w.CommuneB, hamlet: pw.w.HamletB1,
			typedAt: dbtest.VN(t, "2026-04-02 14:00")}
		typed.play()

		s.Now = func() time.Time { return dbtest.VN(t, "2026-04-05 10:00") }
		figures := func(a models.Actor, commune *models.Unit) map[string]string {
			sum, err := s.SummaryReport(ctx, a, models.SummaryInput{UnitID: strconv.FormatInt(commune.ID, 10), Period: models.PeriodInput{Period: "q1", Year: "2026"}})
			if err != nil {
				t.Fatal(err)
			}
			return flatten(t, sum.Figures)
		}
		want, got := figures(pw.chair, pw.w.CommuneA), figures(pw.chairB, pw.w.CommuneB)
		if want["petitions.total"] != "2" || want["petitions.on_time.on_time"] != "2" || want["dialogues.closed"] != "1" {
			t.Fatalf("the live story's figures: %v", want)
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: typed up %s, live %s", k, got[k], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d figures typed up, %d live", len(got), len(want))
		}

		// The typed-up record says who typed it and when; the live one does not.
		d, err := s.Dialogue(ctx, pw.chairB, typed.dialogueID)
		if err != nil {
			t.Fatal(err)
		}
		if d.FromPaper == nil || d.FromPaper.By == nil || d.FromPaper.By.Username != "secretary.b" || !d.FromPaper.At.Equal(typed.typedAt) ||
			!d.HeldAt.Equal(dbtest.VN(t, "2026-03-10 08:05")) || !d.ClosedAt.Equal(dbtest.VN(t, "2026-03-11 09:00")) {
			t.Fatalf("typed-up dialogue: from paper %+v, held %v, closed %v", d.FromPaper, d.HeldAt, d.ClosedAt)
		}
		if d, _ := s.Dialogue(ctx, pw.chair, live.dialogueID); d.FromPaper != nil {
			t.Fatalf("the live dialogue is marked typed up: %+v", d.FromPaper)
		}
		p, _ := s.Petition(ctx, pw.chairB, typed.answered.ID)
		if !p.AnsweredAt.Equal(dbtest.VN(t, "2026-03-10 08:00")) {
			t.Fatalf("on-site answer typed up at %v, want the dialogue's time", p.AnsweredAt)
		}
		events, _ := s.PetitionEvents(ctx, pw.chairB, typed.pending.ID)
		last := events[len(events)-1]
		if last.OccurredAt == nil || !last.OccurredAt.Equal(dbtest.VN(t, "2026-03-25 08:00")) || !last.CreatedAt.Equal(typed.typedAt) || last.ActorName != "chair.b" {
			t.Fatalf("typed-up event: occurred %v, typed %v by %s", last.OccurredAt, last.CreatedAt, last.ActorName)
		}
	})
}

func TestPaperTimesAreChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		s.Now = func() time.Time { return dbtest.VN(t, "2026-04-02 14:00") }
		pw := newPetitionWorld(t, s)
		received := dbtest.VN(t, "2026-03-30 09:00")
		p := pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt = &received })
		for name, at := range map[string]time.Time{"future": dbtest.VN(t, "2026-04-03 09:00"), "before receipt": dbtest.VN(t, "2026-03-29 09:00")} {
			_, err := pw.move(t, pw.chair, p, models.TransitionInput{To: "closed", Reason: "withdrawn", OccurredAt: &at})
			if fieldsOf(err)["occurred_at"].EN == "" {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if got, _ := s.Petition(ctx, pw.chair, p.ID); got.Version != p.Version || got.State != models.StateReceived {
			t.Fatalf("refused moves changed the petition")
		}
		d, err := s.CreateDialogue(ctx, pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID, HamletIDs: []int64{pw.w.HamletA1.ID},
			Title: "Đối thoại ấp Tân Hòa", StartsAt: "2026-03-20T08:00:00+07:00", Venue: "Nhà văn hóa"})
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []string{"2026-03-19T08:00:00+07:00", "2026-05-01T08:00:00+07:00", "hôm qua"} {
			_, err := s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionHold, OccurredAt: at})
			if fieldsOf(err)["occurred_at"].VI == "" {
				t.Fatalf("held at %s: %v", at, err)
			}
		}
		if got, _ := s.Dialogue(ctx, pw.chair, d.ID); got.Status != models.DialoguePlanned || got.Version != d.Version {
			t.Fatalf("refused holds changed the dialogue: %s v%d", got.Status, got.Version)
		}
	})
}
