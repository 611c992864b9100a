// Package calendar is PAPI Dialogue's one statement of time: the Vietnam zone, calendar days,
// instants typed by people, day ranges and their bounds. Every parser of a date or a time the
// product accepts lives here, under one rule: input is trimmed, a day is YYYY-MM-DD in
// Asia/Ho_Chi_Minh, a time is RFC 3339 or a Vietnam wall-clock time, and both fall in the years
// MinYear to MaxYear. What "now" is comes from the caller (the store's clock), never the wall clock.
package calendar

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh even on a machine without zone files
)

// Zone is Asia/Ho_Chi_Minh, where days begin and end for every record, list and report.
var Zone = loadZone()

func loadZone() *time.Location {
	if l, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return l
	}
	return time.FixedZone("ICT", 7*3600)
}

// MinYear and MaxYear bound every day and time the product accepts: the product's records and
// its holiday tables cover these years, and a typo like 0202 or 20266 is caught at the door.
const (
	MinYear = 2000
	MaxYear = 2100
)

// ErrFormat is the error of input that is not a day or time in an accepted form.
var ErrFormat = errors.New("calendar: not a date or time in an accepted form")

// ErrRange is the error of a day or time outside MinYear–MaxYear.
var ErrRange = fmt.Errorf("calendar: outside the years %d to %d", MinYear, MaxYear)

// Date is a calendar day in Vietnam, "2006-01-02". PostgreSQL keeps it as a DATE and SQLite as
// text of the same form, so comparisons and sorting agree on both, and so does Go's string order.
type Date string

// DateOf returns the calendar day of t in Asia/Ho_Chi_Minh.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Zone).Date()
	return writeDate(y, m, d)
}

// DateFor returns the day of a year, month and day; out-of-range months and days roll over as
// time.Date does (month 13 is January of the next year).
func DateFor(year int, month time.Month, day int) Date {
	// Civil arithmetic: time.Date normalizes noon UTC of the day without looking up a zone, to
	// the calendar day the same normalization gives in Vietnam.
	y, m, d := time.Date(year, month, day, 12, 0, 0, 0, time.UTC).Date()
	return writeDate(y, m, d)
}

// ParseDate reads a "2006-01-02" day.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), Zone)
	if err != nil {
		return "", ErrFormat
	}
	if !inRange(t) {
		return "", ErrRange
	}
	return Date(t.Format(time.DateOnly)), nil
}

// wallLayouts are the forms of a Vietnam wall-clock time without an offset, as a datetime-local
// field or a spreadsheet sends it.
var wallLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"}

// ParseInstant reads a time given as RFC 3339, or as a Vietnam wall-clock time without offset
// ("2026-03-15T08:00"), to the second, in UTC.
func ParseInstant(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339, s)
	for _, layout := range wallLayouts {
		if err == nil {
			break
		}
		t, err = time.ParseInLocation(layout, s, Zone)
	}
	if err != nil {
		return time.Time{}, ErrFormat
	}
	if !inRange(t) {
		return time.Time{}, ErrRange
	}
	return t.UTC().Truncate(time.Second), nil
}

// ParseBound reads one end of a range of times: a time as ParseInstant reads it, or a day, which
// stands for its first instant, or for the first instant of the next day when upper is set, so
// that "to=2026-03-15" takes in the whole of that day.
func ParseBound(s string, upper bool) (time.Time, error) {
	if d, err := ParseDate(s); err == nil {
		if upper {
			return d.End(), nil
		}
		return d.Start(), nil
	} else if errors.Is(err, ErrRange) {
		return time.Time{}, err
	}
	return ParseInstant(s)
}

func inRange(t time.Time) bool {
	y := t.In(Zone).Year()
	return y >= MinYear && y <= MaxYear
}

// time is the day's midnight in Vietnam; a Date that does not parse is the zero time.
func (d Date) time() time.Time {
	y, m, day, ok := d.civil()
	if !ok {
		return time.Time{}
	}
	return time.Date(y, m, day, 0, 0, 0, 0, Zone)
}

// civil reads the year, month and day of d, and whether d is a real day written "2006-01-02"
// (what time.Parse with time.DateOnly accepts). Reports judge a date for every dialogue and
// petition they count, and reading the ten bytes by hand costs a fraction of time.Parse
// (TestDateArithmeticAgreesWithPackageTime holds the two to the same answers).
func (d Date) civil() (int, time.Month, int, bool) {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || day < 1 || day > daysIn(time.Month(m), y) {
		return 0, 0, 0, false
	}
	return y, time.Month(m), day, true
}

// digits reads a number written in ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of a month of the Gregorian calendar.
func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// writeDate writes a year, month and day (in range) as a Date, as time.DateOnly formats them.
func writeDate(y int, m time.Month, d int) Date {
	if y < 0 || y > 9999 {
		return Date(time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return Date(b[:])
}

// Valid tells whether d is a day in the product's years.
func (d Date) Valid() bool {
	t := d.time()
	return !t.IsZero() && inRange(t)
}

// Start returns the first instant of the day in Asia/Ho_Chi_Minh, in UTC.
func (d Date) Start() time.Time { return d.time().UTC() }

// End returns the first instant of the next day, in UTC: the day is [Start, End).
func (d Date) End() time.Time { return d.AddDays(1).Start() }

// AddDays returns the day n days later (earlier when n is negative).
func (d Date) AddDays(n int) Date {
	y, m, day, ok := d.civil()
	if !ok {
		return d
	}
	return DateFor(y, m, day+n)
}

// Year returns the year of the day.
func (d Date) Year() int { return d.time().Year() }

// Month returns the month of the day.
func (d Date) Month() time.Month { return d.time().Month() }

// Day returns the day of the month.
func (d Date) Day() int { return d.time().Day() }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// Format writes the day with a time layout ("02/01/2006" as Vietnamese documents print it).
func (d Date) Format(layout string) string {
	t := d.time()
	if t.IsZero() {
		return string(d)
	}
	return t.Format(layout)
}

// DaysBetween counts the calendar days from one day to another (negative when to is earlier).
func DaysBetween(from, to Date) int {
	a, b := from.time(), to.time()
	if a.IsZero() || b.IsZero() {
		return 0
	}
	// Noon to noon: no daylight-saving hour can shorten a day (Vietnam has none since 1975,
	// but the zone's history is not ours to assume).
	a = time.Date(a.Year(), a.Month(), a.Day(), 12, 0, 0, 0, time.UTC)
	b = time.Date(b.Year(), b.Month(), b.Day(), 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Scan reads a DATE (PostgreSQL) or its text (SQLite).
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d = Date(x.Format(time.DateOnly))
	case string:
		*d = Date(firstN(x, 10))
	case []byte:
		*d = Date(firstN(string(x), 10))
	default:
		return fmt.Errorf("date: cannot scan %T", v)
	}
	return nil
}

// Value writes the day as "2006-01-02", which both databases read as that day.
func (d Date) Value() (driver.Value, error) { return string(d), nil }

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Range is a span of whole Vietnam days, [Start, End) in UTC.
type Range struct {
	Start, End time.Time
}

// Days returns the range from the first day to the last, both included.
func Days(first, last Date) Range { return Range{Start: first.Start(), End: last.End()} }

// Contains tells whether t falls in the range.
func (r Range) Contains(t time.Time) bool { return !t.Before(r.Start) && t.Before(r.End) }

// First returns the first day of the range.
func (r Range) First() Date { return DateOf(r.Start) }

// Last returns the last day of the range.
func (r Range) Last() Date { return DateOf(r.End.Add(-time.Nanosecond)) }
