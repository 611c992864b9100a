package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// PeriodKind names a reporting period of the Vietnamese reporting calendar, or a custom range.
type PeriodKind string

// The reporting periods. Quarterly, half-year and nine-month reports all count from 1 January,
// as Vietnamese administrative reports do ("6 tháng đầu năm", "9 tháng").
const (
	PeriodMonth  PeriodKind = "month"
	PeriodQ1     PeriodKind = "q1"
	Period6M     PeriodKind = "6m"
	Period9M     PeriodKind = "9m"
	PeriodYear   PeriodKind = "year"
	PeriodCustom PeriodKind = "custom"
)

// maxCustomPeriod caps a custom range, so one request cannot ask to aggregate decades.
const maxCustomPeriod = 10 * 366 * 24 * time.Hour

// PeriodInput is a reporting period as a client names it: every field as sent, so that parsing
// can answer each bad one by name.
type PeriodInput struct {
	Period string
	Year   string
	Month  string
	From   string
	To     string
}

// Period is a span of Vietnam calendar days to report on: [Start, End) in UTC, bucketed in
// Asia/Ho_Chi_Minh.
type Period struct {
	Kind  PeriodKind `json:"kind"`
	Year  int        `json:"year,omitempty"`
	Month int        `json:"month,omitempty"`
	// From and To are the first and last days of the period, inclusive, in Vietnam.
	From string `json:"from"`
	To   string `json:"to"`
	// Label names the period as a report title does, in Vietnamese and English.
	Label Message   `json:"label"`
	Start time.Time `json:"-"`
	End   time.Time `json:"-"`
}

// Contains tells whether t falls in the period.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// ParsePeriod reads a reporting period. With no period and no dates it is the current year;
// from/to without a period make a custom range; year defaults to the current one in Vietnam.
func ParsePeriod(in PeriodInput, now time.Time) (Period, error) {
	v := &ValidationError{}
	kind := PeriodKind(strings.ToLower(strings.TrimSpace(in.Period)))
	if kind == "" {
		kind = PeriodYear
		if in.From != "" || in.To != "" {
			kind = PeriodCustom
		}
	}
	local := now.In(calendar.Zone)
	year := local.Year()
	if in.Year != "" {
		y, err := strconv.Atoi(strings.TrimSpace(in.Year))
		if err != nil || y < 2000 || y > local.Year()+1 {
			v.Add("year", Msg(fmt.Sprintf("Năm phải từ 2000 đến %d.", local.Year()+1),
				fmt.Sprintf("The year must be between 2000 and %d.", local.Year()+1)))
		}
		year = y
	}
	p := Period{Kind: kind}
	switch kind {
	case PeriodMonth:
		month := int(local.Month())
		if in.Month != "" {
			m, err := strconv.Atoi(strings.TrimSpace(in.Month))
			if err != nil || m < 1 || m > 12 {
				v.Add("month", Msg("Tháng phải từ 1 đến 12.", "The month must be between 1 and 12."))
			}
			month = m
		}
		if err := v.Err(); err != nil {
			return Period{}, err
		}
		p.Year, p.Month = year, month
		p.setSpan(calendarDay(year, time.Month(month), 1), calendarDay(year, time.Month(month)+1, 1))
		p.Label = Msg(fmt.Sprintf("Tháng %d năm %d", month, year), fmt.Sprintf("%s %d", time.Month(month), year))
	case PeriodQ1, Period6M, Period9M, PeriodYear:
		if in.Month != "" {
			v.Add("month", Msg("Chỉ kỳ month nhận tham số month.", "Only the month period takes a month."))
		}
		if err := v.Err(); err != nil {
			return Period{}, err
		}
		months := map[PeriodKind]int{PeriodQ1: 3, Period6M: 6, Period9M: 9, PeriodYear: 12}[kind]
		p.Year = year
		p.setSpan(calendarDay(year, time.January, 1), calendarDay(year, time.Month(months)+1, 1))
		p.Label = map[PeriodKind]Message{
			PeriodQ1:   Msg(fmt.Sprintf("Quý I năm %d", year), fmt.Sprintf("First quarter of %d", year)),
			Period6M:   Msg(fmt.Sprintf("6 tháng đầu năm %d", year), fmt.Sprintf("First six months of %d", year)),
			Period9M:   Msg(fmt.Sprintf("9 tháng năm %d", year), fmt.Sprintf("First nine months of %d", year)),
			PeriodYear: Msg(fmt.Sprintf("Năm %d", year), fmt.Sprintf("Year %d", year)),
		}[kind]
	case PeriodCustom:
		if in.Year != "" || in.Month != "" {
			v.Add("period", Msg("Khoảng tùy chọn dùng from và to, không dùng year hay month.", "A custom range takes from and to, not year or month."))
		}
		fromDay, okFrom := requiredDateField(v, "from", in.From)
		toDay, okTo := requiredDateField(v, "to", in.To)
		from, to, end := fromDay.Start(), toDay.Start(), toDay.End()
		if okFrom && okTo {
			switch {
			case to.Before(from):
				v.Add("to", Msg("Ngày kết thúc không được trước ngày bắt đầu.", "The end date cannot be before the start date."))
			case end.Sub(from) > maxCustomPeriod:
				v.Add("to", Msg("Khoảng thời gian dài tối đa 10 năm.", "The range is at most 10 years."))
			}
		}
		if err := v.Err(); err != nil {
			return Period{}, err
		}
		p.setSpan(from, end)
		p.Label = Msg("Từ ngày "+fromDay.Format("02/01/2006")+" đến ngày "+toDay.Format("02/01/2006"),
			"From "+string(fromDay)+" to "+string(toDay))
	default:
		v.Add("period", Msg("Kỳ báo cáo phải là month, q1, 6m, 9m, year hoặc custom.", "The period must be month, q1, 6m, 9m, year or custom."))
		return Period{}, v
	}
	return p, nil
}

// setSpan sets the instants of the period and its first and last days.
func (p *Period) setSpan(start, end time.Time) {
	r := calendar.Range{Start: start.UTC(), End: end.UTC()}
	p.Start, p.End = r.Start, r.End
	p.From, p.To = string(r.First()), string(r.Last())
}

// calendarDay is the first instant of a day in Vietnam; month 13 rolls over to January.
func calendarDay(year int, month time.Month, day int) time.Time {
	return calendar.DateFor(year, month, day).Start()
}
