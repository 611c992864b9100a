package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// CalendarDay is a day of the working-day calendar that is not an ordinary Monday-to-Friday
// working day or weekend: a public holiday or the day that makes up for one (source "law"), or
// a day an admin recorded from a Government decision (source "decision"): a day off, or a
// weekend working day.
type CalendarDay struct {
	Date       Date   `json:"date"`
	Working    bool   `json:"working"`
	Source     string `json:"source"`
	Name       string `json:"name"`
	NameEN     string `json:"name_en"`
	Note       string `json:"note"`
	LegalBasis string `json:"legal_basis"`
}

// The sources of a calendar day.
const (
	CalendarFromLaw      = "law"
	CalendarFromDecision = "decision"
)

// calendarDayRow is a stored decision.
type calendarDayRow struct {
	Day        Date
	Working    bool
	Note       string
	LegalBasis string
	UpdatedBy  *int64
	UpdatedAt  time.Time
}

func (calendarDayRow) TableName() string { return "calendar_days" }

// Workdays returns the working-day calendar with the decisions admins recorded.
func (s *Store) Workdays(ctx context.Context) (*calendar.Workdays, error) {
	var rows []calendarDayRow
	if err := s.conn(ctx).Select("day, working").Find(&rows).Error; err != nil {
		return nil, err
	}
	overrides := make([]calendar.Override, len(rows))
	for i, r := range rows {
		overrides[i] = calendar.Override{Date: r.Day, Working: r.Working}
	}
	return calendar.NewWorkdays(overrides), nil
}

// CalendarYear lists the days of a year (default: the current one in Vietnam) that differ from
// an ordinary week: the Labor Code's holidays and their compensatory days, and the recorded
// decisions, which take precedence, in date order.
func (s *Store) CalendarYear(ctx context.Context, yearText string) ([]CalendarDay, error) {
	year := calendar.DateOf(s.now()).Year()
	if !isBlank(yearText) {
		y, err := strconv.Atoi(strings.TrimSpace(yearText))
		if err != nil || y < calendar.MinYear || y > calendar.MaxYear {
			return nil, FieldError("year", Msg(fmt.Sprintf("Năm phải từ %d đến %d.", calendar.MinYear, calendar.MaxYear),
				fmt.Sprintf("The year must be between %d and %d.", calendar.MinYear, calendar.MaxYear)))
		}
		year = y
	}
	var rows []calendarDayRow
	err := s.conn(ctx).Where("day >= ? AND day <= ?", calendar.DateFor(year, 1, 1), calendar.DateFor(year, 12, 31)).
		Order("day").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	decided := map[Date]bool{}
	var out []CalendarDay
	for _, r := range rows {
		decided[r.Day] = true
		out = append(out, CalendarDay{Date: r.Day, Working: r.Working, Source: CalendarFromDecision, Note: r.Note, LegalBasis: r.LegalBasis})
	}
	for _, h := range calendar.Holidays(year) {
		if !decided[h.Date] {
			out = append(out, CalendarDay{Date: h.Date, Source: CalendarFromLaw, Name: h.Name, NameEN: h.NameEN,
				LegalBasis: calendar.LaborCode2019Holidays})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// CalendarDecision is a Government (or provincial) decision about one day: whether offices work
// that day, why, and the document that says so.
type CalendarDecision struct {
	Working    *bool  `json:"working"`
	Note       string `json:"note"`
	LegalBasis string `json:"legal_basis"`
}

// SetCalendarDay records a decision about a day, replacing any earlier one. Admins keep the
// calendar, which every commune's working-day deadlines read.
func (s *Store) SetCalendarDay(ctx context.Context, actor Actor, day string, in CalendarDecision) (*CalendarDay, error) {
	if !actor.Can(PermCalendarManage) {
		return nil, ErrForbidden
	}
	v := &ValidationError{}
	d, _ := dateField(v, "date", day)
	if in.Working == nil {
		v.Add("working", msgRequired)
	}
	note, basis := strings.TrimSpace(in.Note), strings.TrimSpace(in.LegalBasis)
	if runeLen(note) > 500 {
		v.Add("note", Msg("Ghi chú dài tối đa 500 ký tự.", "The note is at most 500 characters."))
	}
	switch n := runeLen(basis); {
	case n == 0:
		v.Add("legal_basis", Msg("Ghi văn bản quyết định ngày này (ví dụ Thông báo số …/TB-BNV).", "Name the decision that sets this day."))
	case n > 300:
		v.Add("legal_basis", Msg("Căn cứ dài tối đa 300 ký tự.", "The legal basis is at most 300 characters."))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	err := s.conn(ctx).Exec(`INSERT INTO calendar_days (day, working, note, legal_basis, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (day) DO UPDATE SET working = excluded.working, note = excluded.note, legal_basis = excluded.legal_basis,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		d, *in.Working, note, basis, by, s.now()).Error
	if err != nil {
		return nil, failed(err, "set calendar day %s", d)
	}
	return &CalendarDay{Date: d, Working: *in.Working, Source: CalendarFromDecision, Note: note, LegalBasis: basis}, nil
}

// DeleteCalendarDay removes the decision about a day; the day is as the law sets it again.
func (s *Store) DeleteCalendarDay(ctx context.Context, actor Actor, day string) error {
	if !actor.Can(PermCalendarManage) {
		return ErrForbidden
	}
	v := &ValidationError{}
	d, _ := dateField(v, "date", day)
	if err := v.Err(); err != nil {
		return err
	}
	res := s.conn(ctx).Where("day = ?", d).Delete(&calendarDayRow{})
	if res.Error != nil {
		return failed(res.Error, "delete calendar day %s", d)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
