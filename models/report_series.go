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
// summary report counts it (a month of the series and that month's summary always agree), in
// one pass: one grouped read of the dialogues, one of the rollups' months, and the petitions of
// the days in months the period only partly covers.
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
	v := &ValidationError{}
	ctx, unit, err := s.reportUnit(ctx, actor, v, in.UnitID)
	if err != nil {
		return nil, err
	}
	basis := parseBasis(v, in.As)
	if err := v.Err(); err != nil {
		return nil, err
	}
	sc, err := s.scopeOf(ctx, unit, reportPaths(actor, unit), basis, period)
	if err != nil {
		return nil, err
	}
	out := &Series{Unit: refOf(unit), Period: period, AsOf: calendar.DateOf(s.now()), Basis: sc.basis, Months: []SeriesPoint{}}
	if len(months) == 0 {
		return out, nil // a period still to come
	}
	return out, s.seriesFigures(ctx, sc, months, out)
}

// seriesFigures counts the months of a series into its points.
func (s *Store) seriesFigures(ctx context.Context, sc *reportScope, months []PeriodInput, out *Series) error {
	out.Months = make([]SeriesPoint, len(months))
	byMonth := map[string]*tally{}
	var bounds []time.Time
	today := s.today()
	for i, m := range months {
		p, err := ParsePeriod(m, s.now())
		if err != nil {
			return err
		}
		out.Months[i].Period = p
		byMonth[monthOf(calendar.Date(p.From))] = &tally{sc: sc, total: &out.Months[i].Figures, today: today}
		if i > 0 {
			bounds = append(bounds, p.Start)
		}
	}
	first, last := out.Months[0].Period, out.Months[len(months)-1].Period
	whole := Period{From: first.From, To: last.To, Start: first.Start, End: last.End}
	dialogues, done, err := s.reportDialogues(ctx, sc, whole.Start, whole.End)
	if err != nil {
		return err
	}
	defer done()
	s.dialogueFigures(dialogues, sc, whole, bounds, func(b int) (*Figures, map[int64]*Figures) { return &out.Months[b].Figures, nil })
	if err := s.petitionFigures(ctx, sc, whole, false, func(c *rollupCell) *tally { return byMonth[c.Month] }); err != nil {
		return err
	}
	topics, err := s.allTopics(ctx)
	if err != nil {
		return err
	}
	for i := range out.Months {
		out.Months[i].Figures.Petitions.finish(topics)
	}
	return nil
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
