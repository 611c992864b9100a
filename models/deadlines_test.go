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

// at sets the store's clock to a Vietnam time.
func at(t *testing.T, s *models.Store, when string) {
	t.Helper()
	now := dbtest.VN(t, when)
	s.Now = func() time.Time { return now }
}

func logAt(t *testing.T, pw *petitionWorld, when, kind, channel string) *models.Petition {
	t.Helper()
	at(t, pw.s, when)
	received := dbtest.VN(t, when)
	return pw.log(t, func(in *models.PetitionInput) {
		in.Kind, in.Channel, in.ReceivedAt = kind, channel, &received
	})
}

// TestDeadlinesTheLawSets computes every rule across Tết 2026 (16–20 February off), weekends, a
// swapped working day and 31 December / 1 January, in Asia/Ho_Chi_Minh, and stores each due date
// with the rule that set it.
func TestDeadlinesTheLawSets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		// At the reception desk on Thursday 12 February: ten working days, Tết not counted.
		p := logAt(t, pw, "2026-02-12 09:00", "kien_nghi", "reception")
		if p.DueOn == nil || *p.DueOn != "2026-03-05" || p.DueRule == nil || *p.DueRule != models.RuleReception ||
			!strings.Contains(p.DueRuleText, "Luật Tiếp công dân 2013") {
			t.Fatalf("reception: %v %v %q", p.DueOn, p.DueRule, p.DueRuleText)
		}
		// Answering it meets the reception rule: no deadline is left running.
		answered := pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Đã trả lời."})
		if answered.DueOn != nil || answered.DueRule != nil {
			t.Fatalf("reception met: %v %v", answered.DueOn, answered.DueRule)
		}
		// A complaint received at 23:30 on 31 December: ten days end on Saturday 10 January,
		// so on Monday 12.
		c := logAt(t, pw, "2025-12-31 23:30", "khieu_nai", "letter")
		if *c.DueOn != "2026-01-12" || *c.DueRule != models.RuleComplaintAccept {
			t.Fatalf("complaint acceptance: %s %s", *c.DueOn, *c.DueRule)
		}
		// The same, once the Government makes Saturday 10 January a working day.
		working := true
		if _, err := s.SetCalendarDay(ctx, pw.admin, "2026-01-10", models.CalendarDecision{Working: &working, LegalBasis: "Thông báo làm bù"}); err != nil {
			t.Fatal(err)
		}
		c2 := logAt(t, pw, "2025-12-31 23:30", "khieu_nai", "letter")
		if *c2.DueOn != "2026-01-10" {
			t.Fatalf("with the swapped Saturday: %s", *c2.DueOn)
		}
		// Accepted on Friday 6 February: thirty days end on Sunday 8 March, so Monday 9.
		at(t, s, "2026-02-06 10:00")
		acc, err := s.AcceptPetition(ctx, pw.chair, c.ID, models.Acceptance{Version: &c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if *acc.DueOn != "2026-03-09" || *acc.DueRule != models.RuleComplaintResolve || acc.AcceptedAt == nil ||
			!strings.Contains(acc.DueRuleText, "Luật Khiếu nại 2011") {
			t.Fatalf("complaint resolution: %s %s %q", *acc.DueOn, *acc.DueRule, acc.DueRuleText)
		}
		if _, err := s.AcceptPetition(ctx, pw.chair, c.ID, models.Acceptance{Version: &acc.Version}); !isConflict(err) {
			t.Fatalf("accepted twice: %v", err)
		}
		// Assigning an accepted complaint keeps the law's clock.
		assigned := pw.mustMove(t, pw.secretary, acc, models.TransitionInput{To: "assigned", ResponsibleName: "Địa chính xã"})
		if *assigned.DueOn != "2026-03-09" || *assigned.DueRule != models.RuleComplaintResolve {
			t.Fatalf("assigning restarted the law's clock: %s %s", *assigned.DueOn, *assigned.DueRule)
		}
		// In a remote commune a complex complaint has sixty days: from 6 February, 7 April.
		remote := true
		if _, err := s.UpdateUnit(ctx, pw.admin, pw.w.CommuneA.ID, models.UnitPatch{Remote: &remote}); err != nil {
			t.Fatal(err)
		}
		c3 := logAt(t, pw, "2026-02-02 08:00", "khieu_nai", "letter")
		at(t, s, "2026-02-06 10:00")
		acc3, err := s.AcceptPetition(ctx, pw.chair, c3.ID, models.Acceptance{Complexity: "complex", Version: &c3.Version})
		if err != nil || *acc3.DueOn != "2026-04-07" || acc3.Complexity != models.ComplexityComplex {
			t.Fatalf("remote and complex: %v %v", acc3, err)
		}
		// A secretary may not accept; a report has nothing to accept.
		c4 := logAt(t, pw, "2026-02-02 08:00", "khieu_nai", "letter")
		if _, err := s.AcceptPetition(ctx, pw.secretary, c4.ID, models.Acceptance{Version: &c4.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("secretary accepts: %v", err)
		}
		r := logAt(t, pw, "2026-02-02 08:00", "phan_anh", "phone")
		if r.DueOn != nil {
			t.Fatalf("a report by phone has no deadline before it is assigned: %v", *r.DueOn)
		}
		if _, err := s.AcceptPetition(ctx, pw.chair, r.ID, models.Acceptance{Version: &r.Version}); !isConflict(err) {
			t.Fatalf("accepting a report: %v", err)
		}
		// The topic's response days (NS: the topic's own), from the day assigned, in calendar
		// days ending on a working day: assigned on Friday 13 February 2026.
		at(t, s, "2026-02-13 08:00")
		ns := pw.mustMove(t, pw.secretary, r, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ tự quản"})
		w, err := s.Workdays(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ns.DueRule == nil || *ns.DueRule != models.RuleTopic || ns.DueOn == nil || !w.IsWorkingDay(*ns.DueOn) || *ns.DueOn <= "2026-02-13" {
			t.Fatalf("topic rule: %v %v", ns.DueOn, ns.DueRule)
		}
	})
}

func isConflict(err error) bool {
	var c *models.ConflictError
	return errors.As(err, &c)
}

// TestDenunciationExtensions allows one extension for a complex case, two for a particularly
// complex one, each of at most thirty days, each an event; never for a normal case.
func TestDenunciationExtensions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		d := logAt(t, pw, "2026-01-05 08:00", "to_cao", "letter")
		if *d.DueRule != models.RuleDenunciationAccept || *d.DueOn != "2026-01-14" { // seven working days
			t.Fatalf("denunciation acceptance: %s %s", *d.DueOn, *d.DueRule)
		}
		at(t, s, "2026-01-12 08:00")
		acc, err := s.AcceptPetition(ctx, pw.chair, d.ID, models.Acceptance{Complexity: "particularly_complex", Version: &d.Version})
		if err != nil || *acc.DueOn != "2026-02-11" {
			t.Fatalf("denunciation resolution: %v %v", acc, err)
		}
		extend := func(p *models.Petition, days int) (*models.Petition, error) {
			return s.ExtendDeadline(ctx, pw.chair, p.ID, models.Extension{Days: days, Reason: "Cần xác minh thêm", Version: &p.Version})
		}
		if _, err := extend(acc, 31); err == nil {
			t.Fatal("an extension of 31 days")
		}
		// 11 February + 30 days = 13 March (Friday).
		once, err := extend(acc, 30)
		if err != nil || *once.DueOn != "2026-03-13" || once.Extensions != 1 {
			t.Fatalf("first extension: %v %v", once, err)
		}
		twice, err := extend(once, 10)
		if err != nil || *twice.DueOn != "2026-03-23" || twice.Extensions != 2 {
			t.Fatalf("second extension: %v %v", twice, err)
		}
		if _, err := extend(twice, 5); !isConflict(err) {
			t.Fatalf("a third extension: %v", err)
		}
		events, err := s.PetitionEvents(ctx, pw.chair, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		if strings.Join(kinds, " ") != "created accepted deadline_extended deadline_extended" {
			t.Fatalf("events %v", kinds)
		}
		// A complaint is never extended: its longer limits come with acceptance.
		c := logAt(t, pw, "2026-01-05 08:00", "khieu_nai", "letter")
		at(t, s, "2026-01-06 08:00")
		accC, err := s.AcceptPetition(ctx, pw.chair, c.ID, models.Acceptance{Complexity: "complex", Version: &c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := extend(accC, 5); !isConflict(err) {
			t.Fatalf("complaint extended: %v", err)
		}
	})
}

// TestExistingDueDatesKeepTheirDays runs the migration that brought the rules over petitions
// made before it: each keeps its due date, marked as set before the rules.
func TestExistingDueDatesKeepTheirDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		p := logAt(t, pw, "2026-01-05 08:00", "phan_anh", "phone")
		q := logAt(t, pw, "2026-01-05 08:00", "phan_anh", "phone")
		migrateOver(t, s, "_deadline_rules.sql", func() {
			if err := s.Gorm().Exec("UPDATE petitions SET due_on = ? WHERE id = ?", "2026-01-31", p.ID).Error; err != nil {
				t.Fatal(err)
			}
		})
		got, err := s.Petition(ctx, pw.chair, p.ID)
		if err != nil || got.DueOn == nil || *got.DueOn != "2026-01-31" || got.DueRule == nil || *got.DueRule != models.RuleLegacy ||
			got.DueRuleText == "" || got.Complexity != models.ComplexityNormal {
			t.Fatalf("kept: %+v %v", got, err)
		}
		none, err := s.Petition(ctx, pw.chair, q.ID)
		if err != nil || none.DueOn != nil || none.DueRule != nil {
			t.Fatalf("no due date, no rule: %+v %v", none, err)
		}
	})
}
