package models

import (
	"errors"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Date is a calendar day in Vietnam (calendar.Date), named here because petitions, reports
// and the public board carry it.
type Date = calendar.Date

// The messages of a day or time field that does not parse.
var (
	msgBadDate       = Msg("Ngày phải có dạng YYYY-MM-DD.", "The date must look like YYYY-MM-DD.")
	msgBadInstant    = Msg("Thời gian không hợp lệ (dạng 2026-03-15T08:00:00+07:00).", "Not a valid time (like 2026-03-15T08:00:00+07:00).")
	msgBadBound      = Msg("Ngày hoặc thời gian không hợp lệ (dạng 2026-03-15).", "Not a valid date or time (like 2026-03-15).")
	msgDateOutOfSpan = Msg("Ngày hoặc thời gian nằm ngoài khoảng cho phép (năm 2000 đến 2100).", "The date or time is out of range (years 2000 to 2100).")
)

// today is the current calendar day in Asia/Ho_Chi_Minh by the store's clock.
func (s *Store) today() Date { return calendar.DateOf(s.now()) }

// calendarError names the field of a day or time the calendar refused, with the message of
// its form, or of the range when it parsed but lies outside the product's years.
func calendarError(v *ValidationError, field string, err error, format Message) {
	if errors.Is(err, calendar.ErrRange) {
		v.Add(field, msgDateOutOfSpan)
		return
	}
	v.Add(field, format)
}

// dateField reads a day field (YYYY-MM-DD); false when it is not one, with the field named in v.
func dateField(v *ValidationError, field, s string) (Date, bool) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		calendarError(v, field, err, msgBadDate)
		return "", false
	}
	return d, true
}

// requiredDateField is dateField for a day that must be given.
func requiredDateField(v *ValidationError, field, s string) (Date, bool) {
	if isBlank(s) {
		v.Add(field, msgRequired)
		return "", false
	}
	return dateField(v, field, s)
}

// boundField reads an optional end of a time range (a day or a time, see calendar.ParseBound);
// nil when it is empty or bad, with a bad one named in v.
func boundField(v *ValidationError, field, s string, upper bool, format Message) *time.Time {
	if isBlank(s) {
		return nil
	}
	t, err := calendar.ParseBound(s, upper)
	if err != nil {
		calendarError(v, field, err, format)
		return nil
	}
	return &t
}

// whenField reads a required time field, such as when a dialogue starts. Besides the calendar's
// years, it may lie at most five years past the store's clock: nobody plans a dialogue further
// ahead, and a typo in the year is caught.
func (s *Store) whenField(v *ValidationError, field, in string) (time.Time, bool) {
	if isBlank(in) {
		v.Add(field, msgRequired)
		return time.Time{}, false
	}
	t, err := calendar.ParseInstant(in)
	if err != nil {
		calendarError(v, field, err, msgBadInstant)
		return time.Time{}, false
	}
	if t.After(s.now().AddDate(5, 0, 0)) {
		v.Add(field, Msg("Thời gian nằm ngoài khoảng cho phép.", "The time is out of range."))
		return time.Time{}, false
	}
	return t, true
}

// isBlank tells whether a field was left empty (spaces count as empty).
func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
