package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// maxSeriesMonths caps a series, so one request cannot ask for a decade of monthly summaries.
const maxSeriesMonths = 24

// SeriesInput asks for a unit's figures month by month: the unit (default: the actor's), the
// period the months fall in, and the basis, each as the client sent it.
type SeriesInput struct {
	UnitID string
	Period PeriodInput
	As     string
}

// SeriesPoint is one month of a series: the month, cut to the period, and its figures.
type SeriesPoint struct {
	Period  Period  `json:"period"`
	Figures Figures `json:"figures"`
}

// Series is a unit's figures month by month over a period. Months after the current one are
// left out: they have nothing to count yet.
type Series struct {
	Unit   ReportUnit    `json:"unit"`
	Period Period        `json:"period"`
	AsOf   Date          `json:"as_of"`
	Basis  Basis         `json:"basis"`
	Months []SeriesPoint `json:"months"`
}

// SeriesReport computes the figures of each month of a period, each month counted as its own
// summary report counts it, so a month of the series and that month's summary always agree.
func (s *Store) SeriesReport(ctx context.Context, actor Actor, in SeriesInput) (*Series, error) {
	if !actor.Can(PermReportsView) {
		return nil, ErrForbidden
	}
	period, err := ParsePeriod(in.Period, s.now())
	if err != nil {
		return nil, err
	}
	months := seriesMonths(period, s.now())
	if len(months) > maxSeriesMonths {
		return nil, FieldError("to", Msg(fmt.Sprintf("Chuỗi theo tháng dài tối đa %d tháng.", maxSeriesMonths),
			fmt.Sprintf("A monthly series covers at most %d months.", maxSeriesMonths)))
	}
	out := &Series{Period: period, Months: []SeriesPoint{}}
	for _, m := range months {
		sum, err := s.SummaryReport(ctx, actor, SummaryInput{UnitID: in.UnitID, Period: m, As: in.As})
		if err != nil {
			return nil, err
		}
		out.Unit, out.AsOf, out.Basis = sum.Unit, sum.AsOf, sum.Basis
		out.Months = append(out.Months, SeriesPoint{Period: sum.Period, Figures: sum.Figures})
	}
	if len(months) == 0 {
		// A period still to come: the unit and basis are checked all the same.
		sum, err := s.SummaryReport(ctx, actor, SummaryInput{UnitID: in.UnitID, Period: PeriodInput{Period: string(PeriodMonth)}, As: in.As})
		if err != nil {
			return nil, err
		}
		out.Unit, out.AsOf, out.Basis = sum.Unit, sum.AsOf, sum.Basis
	}
	return out, nil
}

// seriesMonths cuts a period into the calendar months it touches, up to the current month: a
// whole month as a month period, a month the period only partly covers as a custom range.
func seriesMonths(p Period, now time.Time) []PeriodInput {
	first, last := calendar.Date(p.From), calendar.Date(p.To)
	if today := calendar.DateOf(now); last > today {
		last = today
	}
	var out []PeriodInput
	for y, m := first.Year(), first.Month(); calendar.DateFor(y, m, 1) <= last && len(out) <= maxSeriesMonths; y, m = nextMonth(y, m) {
		start, end := calendar.DateFor(y, m, 1), calendar.DateFor(y, m+1, 1).AddDays(-1)
		if start >= first && end <= calendar.Date(p.To) {
			out = append(out, PeriodInput{Period: string(PeriodMonth), Year: strconv.Itoa(y), Month: strconv.Itoa(int(m))})
			continue
		}
		out = append(out, PeriodInput{Period: string(PeriodCustom), From: string(max(start, first)), To: string(min(end, calendar.Date(p.To)))})
	}
	return out
}

func nextMonth(y int, m time.Month) (int, time.Month) {
	if m == time.December {
		return y + 1, time.January
	}
	return y, m + 1
}
