package models_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// lawPath reads one figure of the law's figures by its JSON path.
func lawPath(t *testing.T, f *models.LawFigures) map[string]any {
	t.Helper()
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func dig(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v
}

// TestReportsByRule builds a quarter by hand in two communes of the district and reads its
// figures of the law's clocks on 10 April 2026, for the district and for each commune line.
//
//	A: complaint c1 received Mon 5 Jan (acceptance due 15 Jan), accepted 12 Jan, answered 20 Jan
//	   (resolution due 11 Feb): on time by kind and by rule; complaint c2, received the same day,
//	   accepted 20 Jan: late; denunciation d1 received Mon 2 Feb (due 11 Feb, seven working days),
//	   never accepted: overdue. Dialogue of 12 Feb: notice published 1 Feb (due 5 Feb), held,
//	   results 20 Feb (due 23 Feb): both on time. Dialogue of 25 Mar asked for by 150 of 1000
//	   voters, its notice never published: late.
//	B: denunciation d2 received 5 Jan, accepted complex 6 Jan (due 15 Jan), extended once. No
//	   dialogue in 2026: flagged.
func TestReportsByRule(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s, w := context.Background(), pw.s, pw.w
		secB, chairB := w.Actor(t, s, w.SecretaryB), w.Actor(t, s, w.ChairB)
		c1 := logAt(t, pw, "2026-01-05 09:00", "khieu_nai", "letter")
		c2 := logAt(t, pw, "2026-01-05 10:00", "khieu_nai", "letter")
		at(t, s, "2026-01-05 11:00")
		received := dbtest.VN(t, "2026-01-05 11:00")
		d2, err := s.CreatePetition(ctx, secB, models.PetitionInput{CommuneID: w.CommuneB.ID, HamletID: w.HamletB1.ID, Channel: "letter",
			Kind: "to_cao", TopicCode: "CB", Content: "Tố cáo cán bộ ấp nhận tiền của dân.", ReceivedAt: &received})
		if err != nil {
			t.Fatal(err)
		}
		accept := func(when string, a models.Actor, p *models.Petition, c string) *models.Petition {
			t.Helper()
			at(t, s, when)
			cur, _ := s.Petition(ctx, models.SystemActor(), p.ID)
			out, err := s.AcceptPetition(ctx, a, p.ID, models.Acceptance{Complexity: c, Version: &cur.Version})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		accept("2026-01-06 09:00", chairB, d2, "complex")
		cur, _ := s.Petition(ctx, models.SystemActor(), d2.ID)
		if _, err := s.ExtendDeadline(ctx, chairB, d2.ID, models.Extension{Days: 10, Reason: "Cần xác minh thêm", Version: &cur.Version}); err != nil {
			t.Fatal(err)
		}
		c1 = accept("2026-01-12 09:00", pw.chair, c1, "")
		accept("2026-01-20 09:00", pw.chair, c2, "")
		at(t, s, "2026-01-20 10:00")
		pw.mustMove(t, pw.chair, c1, models.TransitionInput{To: "answered", Answer: "Giữ nguyên quyết định, giải thích căn cứ."})
		logAt(t, pw, "2026-02-02 09:00", "to_cao", "letter")

		at(t, s, "2026-02-01 10:00")
		d := dialogueAt(t, pw, "2026-02-12T08:00:00+07:00", nil)
		d, err = s.PublishDialogueNotice(ctx, pw.chair, d.ID, models.Publication{Version: &d.Version})
		if err != nil {
			t.Fatal(err)
		}
		at(t, s, "2026-02-12 10:00")
		if d, err = s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
			t.Fatal(err)
		}
		at(t, s, "2026-02-20 10:00")
		if _, err = s.PublishDialogueResults(ctx, pw.chair, d.ID, models.Publication{Summary: "Đã trả lời các ý kiến tại chỗ.", Version: &d.Version}); err != nil {
			t.Fatal(err)
		}
		n := func(v int) *int { return &v }
		at(t, s, "2026-03-01 10:00")
		dialogueAt(t, pw, "2026-03-25T08:00:00+07:00", func(in *models.DialogueInput) {
			in.VoterRequest = &models.VoterRequestInput{RequestedOn: "2026-02-26", Signatures: n(150), Voters: n(1000)}
		})

		at(t, s, "2026-04-10 09:00")
		sum, err := s.SummaryReport(ctx, pw.district, models.SummaryInput{UnitID: "", Period: models.PeriodInput{Period: "q1", Year: "2026"}})
		if err != nil {
			t.Fatal(err)
		}
		law := lawPath(t, sum.Law)
		want := map[string]any{
			"on_time_by_kind.khieu_nai.on_time": 1.0, "on_time_by_kind.khieu_nai.answered": 1.0, "on_time_by_kind.khieu_nai.rate": 1.0,
			"on_time_by_kind.to_cao.answered": 0.0, "on_time_by_kind.to_cao.rate": nil,
			"on_time_by_rule.complaint_resolve.on_time": 1.0,
			"acceptance.accepted":                       3.0, "acceptance.on_time": 2.0, "acceptance.overdue": 1.0, "acceptance.rate": 0.5,
			"extensions.petitions": 1.0, "extensions.extensions": 1.0,
			"dialogues.notice_on_time": 1.0, "dialogues.notice_late": 1.0, "dialogues.notice_rate": 0.5,
			"dialogues.results_on_time": 1.0, "dialogues.results_late": 0.0, "dialogues.results_pending": 0.0, "dialogues.results_rate": 1.0,
			"dialogues.voter_requested": 1.0, "dialogues.voter_requested_owed": 1.0,
			"dialogues.year": 2026.0, "dialogues.year_over": false, "dialogues.required": 1.0, "dialogues.held_in_year": 1.0,
		}
		for path, v := range want {
			if got := dig(law, strings.Split(path, ".")...); got != v {
				t.Errorf("district %s = %v, want %v", path, got, v)
			}
		}
		if got := sum.Law.Dialogues.WithoutDialogue; len(got) != 1 || got[0].ID != w.CommuneB.ID {
			t.Errorf("without dialogue: %+v", got)
		}
		if len(sum.Law.OnTimeByRule) != 1 {
			t.Errorf("rules counted: %+v", sum.Law.OnTimeByRule)
		}
		lines := map[int64]*models.LawFigures{}
		for _, c := range sum.Communes {
			lines[c.Commune.ID] = c.Law
		}
		a, b := lines[w.CommuneA.ID], lines[w.CommuneB.ID]
		if a == nil || b == nil {
			t.Fatalf("league lines: %+v", sum.Communes)
		}
		if a.Acceptance.Accepted != 2 || a.Acceptance.OnTime != 1 || a.Acceptance.Overdue != 1 || a.Extensions.Extensions != 0 ||
			a.Dialogues.HeldInYear != 1 || len(a.Dialogues.WithoutDialogue) != 0 || a.Dialogues.NoticeLate != 1 {
			t.Errorf("commune A: %+v", a)
		}
		if b.Acceptance.Accepted != 1 || b.Acceptance.OnTime != 1 || b.Extensions.Petitions != 1 || b.Dialogues.HeldInYear != 0 ||
			len(b.Dialogues.WithoutDialogue) != 1 || b.Dialogues.NoticeRate != nil {
			t.Errorf("commune B: %+v", b)
		}
		// A commune's own report flags it when it held none; the year is over a year later.
		at(t, s, "2027-01-05 09:00")
		own, err := s.SummaryReport(ctx, chairB, models.SummaryInput{Period: models.PeriodInput{Period: "year", Year: "2026"}})
		if err != nil {
			t.Fatal(err)
		}
		if own.Law.Dialogues.HeldInYear != 0 || !own.Law.Dialogues.YearOver || len(own.Law.Dialogues.WithoutDialogue) != 1 {
			t.Errorf("commune B's year: %+v", own.Law.Dialogues)
		}
	})
}
