package models

import "testing"

// A day goes into a statement as a literal only in the form the calendar makes; anything else
// stays a parameter.
func TestDayLiteralKeepsToDates(t *testing.T) {
	for _, c := range []struct {
		day  Date
		want string
	}{
		{"2026-12-03", "'2026-12-03'"},
		{"2026-1-03", "?"},
		{"2026-12-3x", "?"},
		{"26-12-2026", "?"},
		{"2026-12-0'", "?"},
		{"' OR 1=1 -", "?"},
		{"", "?"},
	} {
		got, args := dayLiteral(c.day)
		if got != c.want || (got == "?") != (len(args) == 1) {
			t.Errorf("dayLiteral(%q) = %q, %v; want %q", c.day, got, args, c.want)
		}
	}
}
