package calendar

import (
	"sort"
	"sync"
	"time"
)

// LaborCode2019Holidays is the legal basis of the public holidays: Bộ luật Lao động 2019,
// Điều 112 (and the days off that make up for a holiday falling on a weekly rest day, khoản 3).
const LaborCode2019Holidays = "Bộ luật Lao động 2019, Điều 112"

// Holiday is a public holiday, or the working day taken off in its place when it falls on a
// weekend (nghỉ bù).
type Holiday struct {
	Date   Date   `json:"date"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// InPlaceOf is the holiday a compensatory day makes up for; empty for the holiday itself.
	InPlaceOf Date `json:"in_place_of,omitempty"`
}

// Holidays returns the public holidays of a year as the Labor Code sets them, in date order:
// Tết Dương lịch (1 January); Tết Nguyên đán, five days (the last day of the lunar year and the
// first four of the new one); Giỗ Tổ Hùng Vương (10th day of the 3rd lunar month); 30 April;
// 1 May; Quốc khánh (2 September and the day next to it: 1 September, or 3 September when the 1st
// is a weekend day). A holiday on a Saturday or Sunday is made up on the next working day. The
// Government fixes the exact Tết and Quốc khánh days each year and may swap days; those
// decisions are kept as Overrides.
func Holidays(year int) []Holiday {
	if year < MinYear || year > MaxYear {
		return nil
	}
	if h, ok := holidayCache.Load(year); ok {
		return h.([]Holiday)
	}
	h := computeHolidays(year)
	holidayCache.Store(year, h)
	return h
}

// holidayCache keeps each year's holidays, a pure function of the year.
var holidayCache sync.Map

func computeHolidays(year int) []Holiday {
	tet := Tet(year)
	hung, _ := LunarDate(year, 3, 10, false)
	national := DateFor(year, 9, 1)
	if isWeekend(national) {
		national = DateFor(year, 9, 3)
	}
	days := []Holiday{
		{Date: DateFor(year, 1, 1), Name: "Tết Dương lịch", NameEN: "New Year's Day"},
		{Date: tet.AddDays(-1), Name: "Tết Nguyên đán (ngày cuối năm âm lịch)", NameEN: "Lunar New Year (the last day of the old year)"},
		{Date: tet, Name: "Tết Nguyên đán (mùng 1)", NameEN: "Lunar New Year (1st day)"},
		{Date: tet.AddDays(1), Name: "Tết Nguyên đán (mùng 2)", NameEN: "Lunar New Year (2nd day)"},
		{Date: tet.AddDays(2), Name: "Tết Nguyên đán (mùng 3)", NameEN: "Lunar New Year (3rd day)"},
		{Date: tet.AddDays(3), Name: "Tết Nguyên đán (mùng 4)", NameEN: "Lunar New Year (4th day)"},
		{Date: hung, Name: "Giỗ Tổ Hùng Vương", NameEN: "Hung Kings' Commemoration Day"},
		{Date: DateFor(year, 4, 30), Name: "Ngày Chiến thắng", NameEN: "Reunification Day"},
		{Date: DateFor(year, 5, 1), Name: "Ngày Quốc tế Lao động", NameEN: "International Workers' Day"},
		{Date: national, Name: "Quốc khánh (ngày liền kề)", NameEN: "National Day (adjacent day)"},
		{Date: DateFor(year, 9, 2), Name: "Quốc khánh", NameEN: "National Day"},
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	taken := map[Date]bool{}
	for _, h := range days {
		taken[h.Date] = true
	}
	var out []Holiday
	for _, h := range days {
		out = append(out, h)
		if !isWeekend(h.Date) {
			continue
		}
		d := h.Date.AddDays(1)
		for isWeekend(d) || taken[d] {
			d = d.AddDays(1)
		}
		taken[d] = true
		out = append(out, Holiday{Date: d, Name: "Nghỉ bù " + h.Name, NameEN: "In place of " + h.NameEN, InPlaceOf: h.Date})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Override is a day the Government (or the province) decides differently from the default
// calendar: a day off (Working false), or a working day on a weekend (Working true: ngày làm bù).
type Override struct {
	Date    Date
	Working bool
}

// Workdays is the working-day calendar of public offices: Monday to Friday, less the public
// holidays and their compensatory days, with the overrides applied. Deadlines the law counts
// in working days (ngày làm việc) count on it.
type Workdays struct {
	overrides map[Date]bool
}

// NewWorkdays returns the calendar with the given overrides.
func NewWorkdays(overrides []Override) *Workdays {
	w := &Workdays{overrides: make(map[Date]bool, len(overrides))}
	for _, o := range overrides {
		w.overrides[o.Date] = o.Working
	}
	return w
}

// IsWorkingDay tells whether public offices work on a day.
func (w *Workdays) IsWorkingDay(d Date) bool {
	if working, ok := w.overrides[d]; ok {
		return working
	}
	if isWeekend(d) {
		return false
	}
	for _, h := range Holidays(d.Year()) {
		if h.Date == d {
			return false
		}
	}
	return true
}

// AddWorkingDays returns the day on which n working days counted from the day after d end:
// "within 10 working days of 2 January" ends on the tenth working day after it. n ≤ 0 gives d.
func (w *Workdays) AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if w.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after from, up to and including to; 0 when to is
// not after from.
func (w *Workdays) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); d <= to; d = d.AddDays(1) {
		if w.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// AddDays returns the day on which n calendar days counted from the day after d end, moved to
// the next working day when it falls on a day off (a deadline cannot end on a holiday).
func (w *Workdays) AddDays(d Date, n int) Date {
	end := d.AddDays(n)
	for !w.IsWorkingDay(end) {
		end = end.AddDays(1)
	}
	return end
}
