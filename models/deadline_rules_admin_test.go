package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// TestAdminsEditTheRules edits the rules as data: only admins, every bad field named, a stale
// version refused, each edit in the rule's history; new deadlines follow, stored ones stay.
func TestAdminsEditTheRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s := context.Background(), pw.s
		n := func(v int) *int { return &v }
		text := func(v string) *string { return &v }
		yes := true
		rule, err := s.DeadlineRule(ctx, models.RuleComplaintAccept)
		if err != nil || rule.Version != 1 || rule.Measure != "days" {
			t.Fatalf("rule: %+v %v", rule, err)
		}
		if _, err := s.UpdateDeadlineRule(ctx, pw.chair, rule.Code, models.DeadlineRuleEdit{Days: n(15), Version: &rule.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a chair edits: %v", err)
		}
		if _, err := s.UpdateDeadlineRule(ctx, pw.admin, "no_such_rule", models.DeadlineRuleEdit{Days: n(15), Version: n(1)}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown rule: %v", err)
		}
		bad := []struct {
			code   string
			edit   models.DeadlineRuleEdit
			fields []string
		}{
			{models.RuleComplaintResolve, models.DeadlineRuleEdit{Days: n(40), ComplexDays: n(20), LegalBasis: text(" "), NameEN: text("x")},
				[]string{"complex_days", "legal_basis", "name_en"}},
			{models.RuleComplaintAccept, models.DeadlineRuleEdit{Days: n(0)}, []string{"days"}},
			{models.RuleReception, models.DeadlineRuleEdit{MaxExtensions: n(1), ExtensionDays: n(10), RemoteDays: n(20)}, []string{"max_extensions", "remote_days"}},
			{models.RuleDenunciationResolve, models.DeadlineRuleEdit{MaxExtensions: n(2), ExtensionDays: n(0)}, []string{"extension_days"}},
			{models.RuleDialogueVoterRequest, models.DeadlineRuleEdit{Days: n(150), Working: &yes}, []string{"days", "working"}},
			{models.RuleTopic, models.DeadlineRuleEdit{Days: n(10)}, []string{"days"}},
			{models.RuleDialogueYearly, models.DeadlineRuleEdit{Days: n(13), Version: nil}, []string{"days", "version"}},
		}
		for _, b := range bad {
			if b.edit.Version == nil && b.code != models.RuleDialogueYearly {
				b.edit.Version = n(1)
			}
			_, err := s.UpdateDeadlineRule(ctx, pw.admin, b.code, b.edit)
			f := fieldsOf(err)
			for _, k := range b.fields {
				if f[k].VI == "" || f[k].EN == "" {
					t.Errorf("%s: no error for %s: %v", b.code, k, f)
				}
			}
			if len(f) != len(b.fields) {
				t.Errorf("%s: errors %v, want %v", b.code, f, b.fields)
			}
		}
		before := logAt(t, pw, "2026-03-02 09:00", "khieu_nai", "letter")
		if _, err := s.UpdateDeadlineRule(ctx, pw.admin, rule.Code, models.DeadlineRuleEdit{Days: n(15), Version: n(7)}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale version: %v", err)
		}
		edited, err := s.UpdateDeadlineRule(ctx, pw.admin, rule.Code, models.DeadlineRuleEdit{Days: n(15), Working: &yes,
			NameVI: text("Thụ lý trong 15 ngày làm việc"), Note: "Luật sửa đổi", Version: &rule.Version})
		if err != nil {
			t.Fatal(err)
		}
		if edited.Version != 2 || edited.Days != 15 || !edited.Working || edited.LegalBasis != rule.LegalBasis {
			t.Fatalf("edited: %+v", edited)
		}
		// Monday 2 March: fifteen working days end on Monday 23 March. The complaint received
		// before keeps its ten days (12 March) and its words.
		after := logAt(t, pw, "2026-03-02 09:00", "khieu_nai", "letter")
		if *after.DueOn != "2026-03-23" || !strings.Contains(after.DueRuleText, "15 ngày làm việc") {
			t.Fatalf("after the edit: %s %q", *after.DueOn, after.DueRuleText)
		}
		if kept, _ := s.Petition(ctx, pw.chair, before.ID); *kept.DueOn != "2026-03-12" || strings.Contains(kept.DueRuleText, "15") {
			t.Fatalf("before the edit: %s %q", *kept.DueOn, kept.DueRuleText)
		}
		events, err := s.DeadlineRuleEvents(ctx, pw.admin, rule.Code)
		if err != nil || len(events) != 1 || events[0].Note != "Luật sửa đổi" || events[0].Actor == nil ||
			!strings.Contains(string(events[0].Data), `"days":{"from":10,"to":15}`) {
			t.Fatalf("history: %+v %v", events, err)
		}
		if _, err := s.DeadlineRuleEvents(ctx, pw.district, rule.Code); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("an official reads the history: %v", err)
		}
		if err := s.Gorm().Exec("UPDATE deadline_rule_events SET note = 'x'").Error; err == nil {
			t.Fatal("the rule history was changed")
		}
		// The same edit again changes nothing and records nothing.
		same, err := s.UpdateDeadlineRule(ctx, pw.admin, rule.Code, models.DeadlineRuleEdit{Days: n(15), Version: &edited.Version})
		if err != nil || same.Version != 2 {
			t.Fatalf("no-op edit: %+v %v", same, err)
		}
	})
}

// TestNoticeRuleInWorkingDays: once the notice rule counts working days, its last day walks
// back over Tết 2026.
func TestNoticeRuleInWorkingDays(t *testing.T) {
	eachWorld(t, func(t *testing.T, pw *petitionWorld) {
		ctx, s := context.Background(), pw.s
		yes := true
		rule, err := s.DeadlineRule(ctx, models.RuleDialogueNotice)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateDeadlineRule(ctx, pw.admin, rule.Code, models.DeadlineRuleEdit{Working: &yes, Version: &rule.Version}); err != nil {
			t.Fatal(err)
		}
		at(t, s, "2026-02-01 10:00")
		d := dialogueAt(t, pw, "2026-02-24T08:00:00+07:00", nil)
		if d.Compliance.NoticeDueOn != "2026-02-06" {
			t.Fatalf("notice due: %s", d.Compliance.NoticeDueOn)
		}
	})
}
