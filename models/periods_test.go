package models

import (
	"errors"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	// 2026-03-31 18:30 UTC is already 1 April 01:30 in Vietnam: "now" is in April there.
	now := time.Date(2026, 3, 31, 18, 30, 0, 0, time.UTC)
	cases := []struct {
		name     string
		in       PeriodInput
		kind     PeriodKind
		from, to string
		start    string // UTC
		end      string // UTC
		label    string
	}{
		{"default is this year", PeriodInput{}, PeriodYear, "2026-01-01", "2026-12-31",
			"2025-12-31T17:00:00Z", "2026-12-31T17:00:00Z", "Năm 2026"},
		{"month defaults to this Vietnam month", PeriodInput{Period: "month"}, PeriodMonth, "2026-04-01", "2026-04-30",
			"2026-03-31T17:00:00Z", "2026-04-30T17:00:00Z", "Tháng 4 năm 2026"},
		{"february of a leap year", PeriodInput{Period: "month", Month: "2", Year: "2024"}, PeriodMonth, "2024-02-01", "2024-02-29",
			"2024-01-31T17:00:00Z", "2024-02-29T17:00:00Z", "Tháng 2 năm 2024"},
		{"december rolls into the next year", PeriodInput{Period: "month", Month: "12", Year: "2025"}, PeriodMonth, "2025-12-01", "2025-12-31",
			"2025-11-30T17:00:00Z", "2025-12-31T17:00:00Z", "Tháng 12 năm 2025"},
		{"first quarter", PeriodInput{Period: "Q1", Year: "2025"}, PeriodQ1, "2025-01-01", "2025-03-31",
			"2024-12-31T17:00:00Z", "2025-03-31T17:00:00Z", "Quý I năm 2025"},
		{"six months", PeriodInput{Period: "6m", Year: "2025"}, Period6M, "2025-01-01", "2025-06-30",
			"2024-12-31T17:00:00Z", "2025-06-30T17:00:00Z", "6 tháng đầu năm 2025"},
		{"nine months", PeriodInput{Period: "9m", Year: "2025"}, Period9M, "2025-01-01", "2025-09-30",
			"2024-12-31T17:00:00Z", "2025-09-30T17:00:00Z", "9 tháng năm 2025"},
		{"year", PeriodInput{Period: "year", Year: "2025"}, PeriodYear, "2025-01-01", "2025-12-31",
			"2024-12-31T17:00:00Z", "2025-12-31T17:00:00Z", "Năm 2025"},
		{"custom range includes its last day", PeriodInput{From: "2026-02-10", To: "2026-03-05"}, PeriodCustom, "2026-02-10", "2026-03-05",
			"2026-02-09T17:00:00Z", "2026-03-05T17:00:00Z", "Từ ngày 10/02/2026 đến ngày 05/03/2026"},
		{"custom of one day", PeriodInput{Period: "custom", From: "2026-02-10", To: "2026-02-10"}, PeriodCustom, "2026-02-10", "2026-02-10",
			"2026-02-09T17:00:00Z", "2026-02-10T17:00:00Z", "Từ ngày 10/02/2026 đến ngày 10/02/2026"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePeriod(c.in, now)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != c.kind || p.From != c.from || p.To != c.to || p.Label.VI != c.label {
				t.Fatalf("got %s %s..%s %q", p.Kind, p.From, p.To, p.Label.VI)
			}
			if got := p.Start.Format(time.RFC3339); got != c.start {
				t.Fatalf("start %s, want %s", got, c.start)
			}
			if got := p.End.Format(time.RFC3339); got != c.end {
				t.Fatalf("end %s, want %s", got, c.end)
			}
			if p.Label.EN == "" {
				t.Fatal("no English label")
			}
		})
	}
}

func TestPeriodBucketsInVietnam(t *testing.T) {
	p, err := ParsePeriod(PeriodInput{Period: "q1", Year: "2026"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Time
		want bool
	}{
		// 31 Dec 2025 23:59 in Vietnam belongs to 2025.
		{time.Date(2025, 12, 31, 16, 59, 59, 0, time.UTC), false},
		// 1 Jan 2026 00:00 in Vietnam is still 31 Dec in UTC, yet inside Q1.
		{time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 3, 31, 16, 59, 59, 0, time.UTC), true},
		// 1 Apr 2026 00:00 in Vietnam is 31 Mar in UTC, yet outside Q1.
		{time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC), false},
	} {
		if got := p.Contains(c.at); got != c.want {
			t.Errorf("Contains(%s) = %v, want %v", c.at, got, c.want)
		}
	}
}

func TestParsePeriodRejectsBadInput(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		in    PeriodInput
		field string
	}{
		{PeriodInput{Period: "week"}, "period"},
		{PeriodInput{Period: "month", Month: "13"}, "month"},
		{PeriodInput{Period: "month", Month: "x"}, "month"},
		{PeriodInput{Period: "q1", Month: "2"}, "month"},
		{PeriodInput{Period: "year", Year: "1999"}, "year"},
		{PeriodInput{Period: "year", Year: "2028"}, "year"},
		{PeriodInput{Period: "year", Year: "abc"}, "year"},
		{PeriodInput{Period: "custom", To: "2026-01-01"}, "from"},
		{PeriodInput{Period: "custom", From: "2026-01-01"}, "to"},
		{PeriodInput{From: "2026-02-30", To: "2026-03-01"}, "from"},
		{PeriodInput{From: "2026-03-02", To: "2026-03-01"}, "to"},
		{PeriodInput{From: "2001-01-01", To: "2026-03-01"}, "to"},
		{PeriodInput{From: "2026-01-01", To: "2026-03-01", Year: "2026"}, "period"},
	}
	for _, c := range cases {
		_, err := ParsePeriod(c.in, now)
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%+v: got %v, want a validation error", c.in, err)
			continue
		}
		if _, ok := verr.Fields[c.field]; !ok {
			t.Errorf("%+v: fields %v lack %q", c.in, verr.Fields, c.field)
		}
	}
}
