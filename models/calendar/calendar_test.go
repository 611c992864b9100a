package calendar

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestInstantsReadAsVietnamTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-15T08:00:00+07:00":   "2026-03-15T01:00:00Z",
		"2026-03-15T01:00:00Z":        "2026-03-15T01:00:00Z",
		"2026-03-15T08:00":            "2026-03-15T01:00:00Z",
		"2026-03-15 08:00:30":         "2026-03-15T01:00:30Z",
		"  2026-03-15T08:00  ":        "2026-03-15T01:00:00Z",
		"2026-03-15T08:00:00.9+07:00": "2026-03-15T01:00:00Z",
	} {
		got, err := ParseInstant(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("ParseInstant(%q) = %v %v, want %s", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"": ErrFormat, "15/03/2026": ErrFormat, "2026-13-01T08:00": ErrFormat, "tomorrow": ErrFormat,
		"2026-03-15": ErrFormat, "1999-12-31T23:59:59+07:00": ErrRange, "2101-01-01T00:00": ErrRange,
		// 31 December 2100, 23:30 in Vietnam is 16:30 UTC: still in range by Vietnam's calendar.
		"2100-12-31T16:30:00Z": nil,
		// 1 January 2000 at 01:00 in Vietnam is still 1999 in UTC: in range.
		"1999-12-31T18:00:00Z": nil,
	} {
		if _, err := ParseInstant(in); !errors.Is(err, want) {
			t.Errorf("ParseInstant(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestDatesAreOneRule(t *testing.T) {
	for in, want := range map[string]Date{"2026-03-15": "2026-03-15", " 2000-01-01\t": "2000-01-01", "2100-12-31": "2100-12-31"} {
		if got, err := ParseDate(in); err != nil || got != want {
			t.Errorf("ParseDate(%q) = %q %v", in, got, err)
		}
	}
	for in, want := range map[string]error{
		"": ErrFormat, "2026-02-30": ErrFormat, "15/03/2026": ErrFormat, "2026-03-15T08:00": ErrFormat,
		"1999-12-31": ErrRange, "2101-01-01": ErrRange, "0202-03-15": ErrRange,
	} {
		if _, err := ParseDate(in); !errors.Is(err, want) {
			t.Errorf("ParseDate(%q) = %v, want %v", in, err, want)
		}
	}
}

func TestBoundsTakeWholeDays(t *testing.T) {
	cases := []struct {
		in    string
		upper bool
		want  string
		err   error
	}{
		{"2026-03-15", false, "2026-03-14T17:00:00Z", nil},
		{"2026-03-15", true, "2026-03-15T17:00:00Z", nil},
		{" 2026-12-31 ", true, "2026-12-31T17:00:00Z", nil},
		{"2026-03-15T08:00", true, "2026-03-15T01:00:00Z", nil},
		{"2026-03-15T08:00:00+07:00", false, "2026-03-15T01:00:00Z", nil},
		{"1999-01-01", false, "", ErrRange},
		{"15/03/2026", false, "", ErrFormat},
	}
	for _, c := range cases {
		got, err := ParseBound(c.in, c.upper)
		if !errors.Is(err, c.err) || (err == nil && got.Format(time.RFC3339) != c.want) {
			t.Errorf("ParseBound(%q, %v) = %v %v, want %s %v", c.in, c.upper, got, err, c.want, c.err)
		}
	}
}

func TestDaysCountInVietnam(t *testing.T) {
	// 23:30 UTC on 31 December is already 1 January in Vietnam.
	if got := DateOf(time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC)); got != "2026-01-01" {
		t.Errorf("DateOf: %s", got)
	}
	if got := DateOf(time.Date(2025, 12, 31, 16, 59, 59, 0, time.UTC)); got != "2025-12-31" {
		t.Errorf("DateOf: %s", got)
	}
	d := Date("2025-12-31")
	if d.AddDays(1) != "2026-01-01" || d.AddDays(-365) != "2024-12-31" || Date("2024-02-28").AddDays(1) != "2024-02-29" {
		t.Error("AddDays")
	}
	if d.Start().Format(time.RFC3339) != "2025-12-30T17:00:00Z" || d.End().Format(time.RFC3339) != "2025-12-31T17:00:00Z" {
		t.Errorf("Start/End: %v %v", d.Start(), d.End())
	}
	if DaysBetween("2025-12-30", "2026-01-02") != 3 || DaysBetween("2026-01-02", "2025-12-30") != -3 || DaysBetween("x", "2026-01-01") != 0 {
		t.Error("DaysBetween")
	}
	if DateFor(2026, 13, 1) != "2027-01-01" || DateFor(2026, 3, 0) != "2026-02-28" {
		t.Error("DateFor rolls over")
	}
	if d.Weekday() != time.Wednesday || d.Format("02/01/2006") != "31/12/2025" || !d.Valid() || Date("2026-02-30").Valid() {
		t.Error("Weekday/Format/Valid")
	}
	r := Days("2026-01-01", "2026-03-31")
	if r.First() != "2026-01-01" || r.Last() != "2026-03-31" || !r.Contains(Date("2026-03-31").Start()) || r.Contains(r.End) {
		t.Errorf("Range: %v", r)
	}
}

func TestDatesScanFromBothDatabases(t *testing.T) {
	var d Date
	for _, v := range []any{time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), "2026-03-15", []byte("2026-03-15T00:00:00Z")} {
		if err := d.Scan(v); err != nil || d != "2026-03-15" {
			t.Errorf("Scan(%v) = %q %v", v, d, err)
		}
	}
	if err := d.Scan(42); err == nil {
		t.Error("Scan(42) accepted")
	}
	if v, _ := Date("2026-03-15").Value(); v != "2026-03-15" {
		t.Errorf("Value: %v", v)
	}
}

// TestDateArithmeticAgreesWithPackageTime holds the hand-read days (Date.civil, writeDate, DateFor) to
// what time.ParseInLocation and time.Format answer, on real and impossible days alike.
func TestDateArithmeticAgreesWithPackageTime(t *testing.T) {
	refTime := func(d Date) time.Time {
		tm, err := time.ParseInLocation(time.DateOnly, string(d), Zone)
		if err != nil {
			return time.Time{}
		}
		return tm
	}
	rng := rand.New(rand.NewPCG(17, 2026))
	days := []Date{"", "2026-1-01", "2026-01-1 ", "2026/01/01", "+026-01-01", "2026-00-10", "2026-13-01", "2026-01-00",
		"2026-01-32", "2024-02-29", "2025-02-29", "2000-02-29", "2100-02-29", "1900-02-29", "0000-01-01", "9999-12-31", "2026-0x-01"}
	for i := 0; i < 20000; i++ {
		days = append(days, Date(fmt.Sprintf("%04d-%02d-%02d", 1990+rng.IntN(130), rng.IntN(14), rng.IntN(33))))
	}
	for _, d := range days {
		want := refTime(d)
		if got := d.time(); !got.Equal(want) {
			t.Fatalf("%q.time() = %v, want %v", d, got, want)
		}
		n := rng.IntN(1500) - 750
		wantAdd := d
		if !want.IsZero() {
			wantAdd = Date(want.AddDate(0, 0, n).Format(time.DateOnly))
		}
		if got := d.AddDays(n); got != wantAdd {
			t.Fatalf("%q.AddDays(%d) = %q, want %q", d, n, got, wantAdd)
		}
	}
	for i := 0; i < 20000; i++ {
		at := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(130 * 365 * 24 * time.Hour))))
		if got, want := DateOf(at), Date(at.In(Zone).Format(time.DateOnly)); got != want {
			t.Fatalf("DateOf(%v) = %q, want %q", at, got, want)
		}
	}
	for i := 0; i < 20000; i++ {
		y, m, d := 1990+rng.IntN(130), time.Month(rng.IntN(15)), rng.IntN(110)-40
		if got, want := DateFor(y, m, d), Date(time.Date(y, m, d, 12, 0, 0, 0, Zone).Format(time.DateOnly)); got != want {
			t.Fatalf("DateFor(%d, %d, %d) = %q, want %q", y, m, d, got, want)
		}
	}
	if got := DateOf(time.Date(10000, 1, 1, 12, 0, 0, 0, Zone)); got != Date(time.Date(10000, 1, 1, 12, 0, 0, 0, Zone).Format(time.DateOnly)) {
		t.Errorf("DateOf past year 9999 = %q", got)
	}
}
