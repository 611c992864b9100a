package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// dialogueAt plans a dialogue of commune A for a Vietnam time, as the secretary, at the
// store's clock.
func dialogueAt(t *testing.T, pw *petitionWorld, starts string, mod func(*models.DialogueInput)) *models.Dialogue {
	t.Helper()
	in := models.DialogueInput{CommuneID: pw.w.CommuneA.ID, HamletIDs: []int64{pw.w.HamletA1.ID}, Title: "Đối thoại ấp Tân Hòa",
		StartsAt: starts, Venue: "Nhà văn hóa ấp", Agenda: []string{"Nước sạch"}}
	if mod != nil {
		mod(&in)
	}
	d, err := pw.s.CreateDialogue(context.Background(), pw.secretary, in)
	if err != nil {
		t.Fatalf("create dialogue: %v", err)
	}
	return d
}

func (pw *petitionWorld) dialogue(t *testing.T, id int64) *models.Dialogue {
	t.Helper()
	d, err := pw.s.Dialogue(context.Background(), pw.chair, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDialogueNoticeAndResultsOnTheLawsClock publishes a dialogue's notice and results around
// Tết 2026 (16–20 February off) and a weekend, and checks each against its last day.
func TestDialogueNoticeAndResultsOnTheLawsClock(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s := context.Background(), pw.s
		at(t, s, "2026-02-01 10:00")
		d := dialogueAt(t, pw, "2026-02-12T08:00:00+07:00", nil)
		c := d.Compliance
		if d.ShortNotice || c.NoticeDueOn != "2026-02-05" || c.NoticeOnTime != nil || c.NoticeLate || c.ResultsDueOn != nil ||
			!strings.Contains(c.NoticeRule, "Luật Tổ chức chính quyền địa phương 2025") {
			t.Fatalf("planned: short %v, %+v", d.ShortNotice, c)
		}
		silent := dialogueAt(t, pw, "2026-02-13T08:00:00+07:00", func(in *models.DialogueInput) { in.HamletIDs = []int64{pw.w.HamletA2.ID} })
		if _, err := s.PublishDialogueNotice(ctx, pw.secretary, d.ID, models.Publication{Version: &d.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a secretary publishes: %v", err)
		}
		stale := d.Version + 1
		if _, err := s.PublishDialogueNotice(ctx, pw.chair, d.ID, models.Publication{Version: &stale}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		// Published on 6 February, a day after the notice was due.
		at(t, s, "2026-02-06 09:00")
		if pub, _, _ := s.PublicDialogues(ctx, pw.w.CommuneA.ID, "", models.Page{}); len(pub) != 0 {
			t.Fatalf("unpublished notices on the board: %+v", pub)
		}
		n, err := s.PublishDialogueNotice(ctx, pw.chair, d.ID, models.Publication{Version: &d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if n.NoticePublishedAt == nil || n.Compliance.NoticeOnTime == nil || *n.Compliance.NoticeOnTime || !n.Compliance.NoticeLate {
			t.Fatalf("late notice: %+v", n.Compliance)
		}
		if _, err := s.PublishDialogueNotice(ctx, pw.chair, d.ID, models.Publication{Version: &n.Version}); conflictReason(err) != "notice_published" {
			t.Fatalf("published twice: %v", err)
		}
		if _, err := s.PublishDialogueResults(ctx, pw.chair, d.ID, models.Publication{Summary: "Kết quả đối thoại.", Version: &n.Version}); conflictReason(err) != "results_not_publishable" {
			t.Fatalf("results of a planned dialogue: %v", err)
		}
		pub, _, err := s.PublicDialogues(ctx, pw.w.CommuneA.ID, "", models.Page{})
		if err != nil || len(pub) != 1 || pub[0].ID != d.ID || pub[0].Venue != "Nhà văn hóa ấp" || len(pub[0].Hamlets) != 1 {
			t.Fatalf("board: %+v %v", pub, err)
		}
		// The silent one's notice is due 6 February and is late from the 7th.
		at(t, s, "2026-02-07 09:00")
		if q := pw.dialogue(t, silent.ID).Compliance; !q.NoticeLate || q.NoticeOnTime == nil {
			t.Fatalf("unpublished notice past due: %+v", q)
		}
		// Held on 12 February: ten days end on Sunday 22, so Monday 23, Tết in between.
		at(t, s, "2026-02-12 10:00")
		held, err := s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionHold})
		if err != nil {
			t.Fatal(err)
		}
		if held.Compliance.ResultsDueOn == nil || *held.Compliance.ResultsDueOn != "2026-02-23" || held.Compliance.ResultsOnTime != nil {
			t.Fatalf("held: %+v", held.Compliance)
		}
		if _, err := s.PublishDialogueResults(ctx, pw.chair, d.ID, models.Publication{Summary: "ngắn", Version: &held.Version}); fieldsOf(err)["summary"].VI == "" {
			t.Fatalf("short summary: %v", err)
		}
		// Closed with its minutes first: publishing the results is a later act.
		k := 12
		if _, _, err := s.RecordAttendance(ctx, pw.secretary, d.ID, "", models.AttendanceInput{Residents: &k}); err != nil {
			t.Fatal(err)
		}
		held = pw.dialogue(t, d.ID)
		closed, err := s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionClose, Minutes: "Biên bản.", Version: &held.Version})
		if err != nil {
			t.Fatal(err)
		}
		at(t, s, "2026-02-23 16:00")
		r, err := s.PublishDialogueResults(ctx, pw.chair, d.ID, models.Publication{Summary: "Đã trả lời 3 ý kiến; 1 ý kiến giao địa chính xã.", Version: &closed.Version})
		if err != nil {
			t.Fatal(err)
		}
		if r.ResultsSummary == nil || r.Compliance.ResultsOnTime == nil || !*r.Compliance.ResultsOnTime || r.Compliance.ResultsLate {
			t.Fatalf("results on the last day: %+v", r.Compliance)
		}
		if _, err := s.PublishDialogueResults(ctx, pw.chair, d.ID, models.Publication{Summary: "Lần nữa, kết quả.", Version: &r.Version}); conflictReason(err) != "results_published" {
			t.Fatalf("results twice: %v", err)
		}
		events, _, err := s.DialogueEvents(ctx, pw.chair, d.ID, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := []string{}
		for _, e := range events {
			kinds = append(kinds, e.Kind)
			if e.Kind == models.EventDialogueResultsPublished && !strings.Contains(string(e.Data), `"results_on_time":true`) {
				t.Errorf("results event: %s", e.Data)
			}
			if e.Kind == models.EventDialogueNoticePublished && !strings.Contains(string(e.Data), `"notice_on_time":false`) {
				t.Errorf("notice event: %s", e.Data)
			}
		}
		if got := strings.Join(kinds, " "); !strings.Contains(got, "notice_published") || !strings.Contains(got, "results_published") {
			t.Fatalf("events: %s", got)
		}
	})
}

// TestDialogueResultsAcrossTheNewYear: ten days after 22 December end on 1 January, a holiday,
// so on Friday 2 January; a decision giving 2 January off moves it to Monday 5.
func TestDialogueResultsAcrossTheNewYear(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s := context.Background(), pw.s
		at(t, s, "2025-12-22 07:00")
		d := dialogueAt(t, pw, "2025-12-22T08:00:00+07:00", nil)
		if !d.ShortNotice {
			t.Fatal("planned the same day is short notice")
		}
		at(t, s, "2025-12-22 10:00")
		if _, err := s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
			t.Fatal(err)
		}
		at(t, s, "2026-01-02 23:59")
		if c := pw.dialogue(t, d.ID).Compliance; *c.ResultsDueOn != "2026-01-02" || c.ResultsOnTime != nil || c.ResultsLate {
			t.Fatalf("last day: %+v", c)
		}
		at(t, s, "2026-01-03 00:01")
		if c := pw.dialogue(t, d.ID).Compliance; !c.ResultsLate {
			t.Fatalf("past the last day: %+v", c)
		}
		off := false
		if _, err := s.SetCalendarDay(ctx, pw.admin, "2026-01-02", models.CalendarDecision{Working: &off, LegalBasis: "Thông báo nghỉ bù"}); err != nil {
			t.Fatal(err)
		}
		if c := pw.dialogue(t, d.ID).Compliance; *c.ResultsDueOn != "2026-01-05" || c.ResultsLate {
			t.Fatalf("with 2 January off: %+v", c)
		}
	})
}

// TestVoterRequestedDialogue records a dialogue voters asked for and whether their share
// reaches the law's 10%, counted without rounding.
func TestVoterRequestedDialogue(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s := context.Background(), pw.s
		at(t, s, "2026-03-01 10:00")
		n := func(v int) *int { return &v }
		_, err := s.CreateDialogue(ctx, pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID, HamletIDs: []int64{pw.w.HamletA1.ID},
			Title: "Đối thoại theo đề nghị", StartsAt: "2026-03-20T08:00:00+07:00",
			VoterRequest: &models.VoterRequestInput{RequestedOn: "2026-02-30", Signatures: n(120), Note: strings.Repeat("x", 1001)}})
		f := fieldsOf(err)
		for _, k := range []string{"voter_request.requested_on", "voter_request.voters", "voter_request.note"} {
			if f[k].VI == "" {
				t.Errorf("no error for %s: %v", k, err)
			}
		}
		_, err = s.CreateDialogue(ctx, pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID, HamletIDs: []int64{pw.w.HamletA1.ID},
			Title: "Đối thoại theo đề nghị", StartsAt: "2026-03-20T08:00:00+07:00",
			VoterRequest: &models.VoterRequestInput{RequestedOn: "2026-02-25", Signatures: n(1200), Voters: n(1000)}})
		if fieldsOf(err)["voter_request.signatures"].VI == "" {
			t.Fatalf("more signatures than voters: %v", err)
		}
		d := dialogueAt(t, pw, "2026-03-20T08:00:00+07:00", func(in *models.DialogueInput) {
			in.VoterRequest = &models.VoterRequestInput{RequestedOn: "2026-02-25", Signatures: n(100), Voters: n(1000), Note: "Đề nghị đối thoại về nước sạch"}
		})
		r := d.VoterRequest
		if r == nil || r.RequestedOn != "2026-02-25" || !r.MeetsThreshold || r.Share == nil || *r.Share != 0.1 || !strings.Contains(r.Rule, "10%") {
			t.Fatalf("request: %+v", r)
		}
		e, err := s.UpdateDialogue(ctx, pw.secretary, d.ID, models.DialoguePatch{Version: &d.Version,
			VoterRequest: &models.VoterRequestInput{RequestedOn: "2026-02-25", Signatures: n(99), Voters: n(1000)}})
		if err != nil {
			t.Fatal(err)
		}
		if e.VoterRequest.MeetsThreshold || e.VoterRequest.Note != "" {
			t.Fatalf("99 of 1000: %+v", e.VoterRequest)
		}
		cleared, err := s.UpdateDialogue(ctx, pw.secretary, d.ID, models.DialoguePatch{Version: &e.Version, VoterRequest: &models.VoterRequestInput{}})
		if err != nil || cleared.VoterRequest != nil {
			t.Fatalf("removed: %+v %v", cleared.VoterRequest, err)
		}
	})
}

// eachWorld runs f on a fresh petition world in each database.
func eachWorld(t *testing.T, f func(t *testing.T, pw *petitionWorld)) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) { f(t, newPetitionWorld(t, s)) })
}
