package calendar

import (
	"strings"
	"testing"
)

func TestHolidaysOfAYear(t *testing.T) {
	var got []string
	for _, h := range Holidays(2026) {
		got = append(got, string(h.Date))
	}
	// Tết 2026 is Tuesday 17 February: Monday 16 (the last day of the lunar year) to Friday 20.
	// Giỗ Tổ is Sunday 26 April, made up on Monday 27 (Tuesday 28 is a working day, 30 April a
	// Thursday). 1 September 2026 is a Tuesday, next to Quốc khánh on Wednesday.
	want := "2026-01-01 2026-02-16 2026-02-17 2026-02-18 2026-02-19 2026-02-20 2026-04-26 2026-04-27 " +
		"2026-04-30 2026-05-01 2026-09-01 2026-09-02"
	if strings.Join(got, " ") != want {
		t.Errorf("2026 holidays:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	// 2024: Tết on Saturday 10 February, its 1st and 2nd days made up on Wednesday 14 and
	// Thursday 15; 1 September is a Sunday, so the day next to Quốc khánh is Tuesday 3.
	var days []string
	for _, h := range Holidays(2024) {
		days = append(days, string(h.Date))
	}
	for _, d := range []string{"2024-02-09", "2024-02-14", "2024-02-15", "2024-09-03", "2024-04-18"} {
		if !strings.Contains(strings.Join(days, " "), d) {
			t.Errorf("2024 holidays %v lack %s", days, d)
		}
	}
	if Holidays(1999) != nil || Holidays(2101) != nil {
		t.Error("holidays outside the product's years")
	}
}

func TestWorkingDaysCrossWeekendsTetAndTheNewYear(t *testing.T) {
	w := NewWorkdays(nil)
	cases := []struct {
		from Date
		n    int
		want Date
	}{
		{"2026-02-13", 1, "2026-02-23"},  // Friday before Tết 2026 to the Monday after it
		{"2026-02-12", 5, "2026-02-26"},  // 13, 23, 24, 25, 26
		{"2025-12-31", 1, "2026-01-02"},  // across 1 January
		{"2025-12-30", 10, "2026-01-14"}, // 31, 2, 5–9, 12, 13, 14
		{"2026-03-06", 1, "2026-03-09"},  // a Friday to the Monday
		{"2026-03-09", 0, "2026-03-09"},
	}
	for _, c := range cases {
		if got := w.AddWorkingDays(c.from, c.n); got != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	if n := w.WorkingDaysBetween("2026-02-13", "2026-02-23"); n != 1 {
		t.Errorf("working days across Tết: %d", n)
	}
	// The Government swaps Friday 2 January 2026 off for Saturday 10 January (làm bù).
	swapped := NewWorkdays([]Override{{Date: "2026-01-02", Working: false}, {Date: "2026-01-10", Working: true}})
	if got := swapped.AddWorkingDays("2025-12-31", 1); got != "2026-01-05" {
		t.Errorf("with the day off: %s", got)
	}
	if got := swapped.AddWorkingDays("2026-01-09", 1); got != "2026-01-10" {
		t.Errorf("the swapped Saturday is a working day: %s", got)
	}
	// Calendar days end on a working day (Civil Code 2015, art. 148(5)).
	if got := w.AddDays("2026-02-06", 10); got != "2026-02-23" {
		t.Errorf("30 days ending in Tết: %s", got)
	}
	if got := w.AddDays("2026-03-02", 5); got != "2026-03-09" {
		t.Errorf("ending on a Saturday: %s", got)
	}
	if got := w.AddDays("2026-03-02", 3); got != "2026-03-05" {
		t.Errorf("ending on a Thursday: %s", got)
	}
}
