package models_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// referenceVersion reads the counter the topics', deadline rules' and calendar's triggers bump.
func referenceVersion(t *testing.T, s *models.Store) int64 {
	t.Helper()
	return versionIn(t, s, "reference_version")
}

// A process keeps the topics, the dialogue rules and the calendar between reports; a change
// made by another process on the same database shows in the next report, with nothing timed.
func TestReportsFollowReferenceChanges(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(string(d), func(t *testing.T) {
			a, b := twoStores(t, d)
			pw := newPetitionWorld(t, a)
			ctx := context.Background()
			pw.log(t, nil)
			in := models.SummaryInput{UnitID: fmt.Sprint(pw.w.CommuneA.ID)}
			summary := func() *models.Summary {
				t.Helper()
				sum, err := a.SummaryReport(ctx, pw.district, in)
				if err != nil {
					t.Fatal(err)
				}
				if len(sum.Figures.Petitions.ByTopic) != 1 {
					t.Fatalf("topics counted: %+v, want the one logged", sum.Figures.Petitions.ByTopic)
				}
				return sum
			}
			first := summary()
			if again := summary(); again.Figures.Petitions.ByTopic[0].Name != first.Figures.Petitions.ByTopic[0].Name ||
				again.Law.Dialogues.Required != first.Law.Dialogues.Required {
				t.Fatalf("the same report twice differs: %+v, then %+v", first.Figures.Petitions.ByTopic, again.Figures.Petitions.ByTopic)
			}

			v := referenceVersion(t, b)
			name := "Nước sạch và vệ sinh môi trường"
			topic := first.Figures.Petitions.ByTopic[0].TopicID
			if _, err := b.UpdateTopic(ctx, pw.admin, topic, models.TopicPatch{NameVI: &name}); err != nil {
				t.Fatal(err)
			}
			if got := summary().Figures.Petitions.ByTopic[0].Name; got != name {
				t.Fatalf("after another process renamed the topic the report names %q, want %q", got, name)
			}
			series, err := a.SeriesReport(ctx, pw.district, models.SeriesInput{UnitID: in.UnitID})
			if err != nil {
				t.Fatal(err)
			}
			named := 0
			for _, m := range series.Months {
				for _, tc := range m.Figures.Petitions.ByTopic {
					if tc.Name != name {
						t.Fatalf("after the rename the series names %q, want %q", tc.Name, name)
					}
					named++
				}
			}
			if named != 1 {
				t.Fatalf("the series counted the topic in %d months, want 1", named)
			}

			required := first.Law.Dialogues.Required + 3
			rule, err := b.DeadlineRule(ctx, models.RuleDialogueYearly)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.UpdateDeadlineRule(ctx, pw.admin, models.RuleDialogueYearly,
				models.DeadlineRuleEdit{Days: &required, Note: "Nghị quyết mới của tỉnh", Version: &rule.Version}); err != nil {
				t.Fatal(err)
			}
			if got := summary().Law.Dialogues.Required; got != required {
				t.Fatalf("after another process changed the yearly rule the report requires %d, want %d", got, required)
			}

			working := true
			if _, err := b.SetCalendarDay(ctx, pw.admin, "2026-12-06", models.CalendarDecision{Working: &working,
				Note: "Làm bù", LegalBasis: "Thông báo 01/TB"}); err != nil {
				t.Fatal(err)
			}
			if err := b.DeleteCalendarDay(ctx, pw.admin, "2026-12-06"); err != nil {
				t.Fatal(err)
			}
			// Each transaction of the three changes bumped the counter, and the calendar's twice.
			if got := referenceVersion(t, a); got < v+4 {
				t.Fatalf("reference version %d after four changes from %d", got, v)
			}
		})
	}
}
