package models

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// The rules of the reports, stated once here and used by the summary, the league table, the
// XLSX workbook and the public board:
//
//   - A dialogue belongs to the period in which it starts; a petition to the period in which
//     it was received. Days are Vietnam days (Asia/Ho_Chi_Minh).
//   - Dialogue statuses partition the dialogues (planned, held, closed, cancelled); "took place"
//     is held + closed. Minutes are overdue when a dialogue stays held, unclosed, for longer
//     than MinutesDueWithin.
//   - Attendance sums the recorded attendance of the period's dialogues, in "lượt người".
//   - Every petition figure counts the petitions received in the period, by their state now.
//   - Overdue open is a subset of open: late (late.go), no published answer and a due date
//     before today. Awaiting closure is the other part of open that has its answer published.
//   - Answered on the spot: an on-site answer was recorded when the petition was taken.
//     Answered in writing: a published answer exists.
//   - On time: the first published answer came no later than the due date (in Vietnam), or the
//     petition had no due date. The rate is on time ÷ answered in writing.
//   - Days to first answer: from receipt to the first published answer (stored on the petition
//     when it is given); days to closure: from receipt to the current resolution or closing, for
//     resolved and closed petitions. Both are counted in whole hours elapsed; medians are in
//     days, to one decimal.
//   - The petitions are counted from the report rollups (report_rollups.go), which hold for
//     each cell of facts above how many petitions share it; the same cells counted from the
//     petitions themselves give the same figures (the tests compare them).
//   - Satisfied rate: (very satisfied + satisfied) ÷ (very satisfied + satisfied + not
//     satisfied); "unknown" is shown but left out of the rate.

// ReportUnit names the unit a report covers, or a commune of its league table.
type ReportUnit struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Level Level   `json:"level"`
	Code  *string `json:"code"`
}

// DialogueFigures counts the dialogues that start in the period, by status.
type DialogueFigures struct {
	Total     int `json:"total"`
	Planned   int `json:"planned"`
	Held      int `json:"held"`
	Closed    int `json:"closed"`
	Cancelled int `json:"cancelled"`
	// TookPlace is held + closed.
	TookPlace int `json:"took_place"`
	// Postponed counts the dialogues put off at least once.
	Postponed      int `json:"postponed"`
	MinutesOverdue int `json:"minutes_overdue"`
}

// AttendanceFigures sums the recorded attendance of the period's dialogues ("lượt người").
type AttendanceFigures struct {
	// Dialogues is how many of them have attendance recorded.
	Dialogues  int `json:"dialogues"`
	Residents  int `json:"residents"`
	Businesses int `json:"businesses"`
	Officials  int `json:"officials"`
	// Women is a subset of the total.
	Women int `json:"women"`
	Total int `json:"total"`
}

// TopicCount is how many petitions of the period concern one topic.
type TopicCount struct {
	TopicID int64  `json:"topic_id"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en"`
	Count   int    `json:"count"`
}

// OnTimeRate is the share of answered petitions whose first answer met the due date.
type OnTimeRate struct {
	OnTime   int      `json:"on_time"`
	Answered int      `json:"answered"`
	Rate     *float64 `json:"rate"`
}

// SatisfiedRate is the share of petitioners satisfied with the outcome, among those who said.
type SatisfiedRate struct {
	Satisfied int      `json:"satisfied"`
	Rated     int      `json:"rated"`
	Rate      *float64 `json:"rate"`
}

// PetitionFigures describes the petitions received in the period.
type PetitionFigures struct {
	Total int `json:"total"`
	// Matters counts the distinct matters raised: petitions not linked to a main one and not
	// closed as a duplicate (links.go).
	Matters     int                   `json:"matters"`
	ByTopic     []TopicCount          `json:"by_topic"`
	ByKind      map[PetitionKind]int  `json:"by_kind"`
	ByChannel   map[Channel]int       `json:"by_channel"`
	ByState     map[PetitionState]int `json:"by_state"`
	ByStateType map[StateType]int     `json:"by_state_type"`
	Open        int                   `json:"open"`
	// OverdueOpen is the part of Open that is late today: no published answer by its due date.
	OverdueOpen int `json:"overdue_open"`
	// AwaitingClosure is the part of Open answered and waiting for feedback or closure.
	AwaitingClosure   int `json:"awaiting_closure"`
	AnsweredOnTheSpot int `json:"answered_on_the_spot"`
	AnsweredInWriting int `json:"answered_in_writing"`
	// Resolved counts state type fixed; Closed counts state type closed.
	Resolved                int                  `json:"resolved"`
	Closed                  int                  `json:"closed"`
	OnTime                  OnTimeRate           `json:"on_time"`
	MedianDaysToFirstAnswer *float64             `json:"median_days_to_first_answer"`
	MedianDaysToClosure     *float64             `json:"median_days_to_closure"`
	Satisfaction            map[Satisfaction]int `json:"satisfaction"`
	Satisfied               SatisfiedRate        `json:"satisfied"`

	// counts holds the counts while cells are added (addCell); finish turns them into the above.
	counts *cellCounts
}

// Figures are all the figures of one unit for one period.
type Figures struct {
	Dialogues  DialogueFigures   `json:"dialogues"`
	Attendance AttendanceFigures `json:"attendance"`
	Petitions  PetitionFigures   `json:"petitions"`
}

// CommuneFigures is one line of a district's or province's league table.
type CommuneFigures struct {
	Commune ReportUnit `json:"commune"`
	Figures Figures    `json:"figures"`
	// Law are the figures of the law's clocks (report_law.go).
	Law *LawFigures `json:"law"`
}

// Summary is the period report of a unit: its figures and, for a district or a province, the
// same figures for each of its communes.
type Summary struct {
	Unit   ReportUnit `json:"unit"`
	Period Period     `json:"period"`
	// AsOf is the day overdue is counted against (today in Vietnam).
	AsOf        Date      `json:"as_of"`
	GeneratedAt time.Time `json:"generated_at"`
	Figures     Figures   `json:"figures"`
	// Basis says whether records count under the units as they are now or as they were then.
	Basis Basis `json:"basis"`
	// Sort is the order of Communes.
	Sort     string           `json:"sort"`
	Communes []CommuneFigures `json:"communes"`
	// Law are the figures of the law's clocks (report_law.go); none on the public board.
	Law *LawFigures `json:"law"`
}

// SummaryInput asks for a summary: the unit (default: the actor's), the period and the order of
// the league table, each as the client sent it.
type SummaryInput struct {
	UnitID string
	Period PeriodInput
	Sort   string
	// As is the basis: "now" (default) or "then".
	As string
}

// leagueSorts are the orders of the league table, by the figure they compare. A leading "-"
// in the request sorts descending.
var leagueSorts = map[string]func(f *Figures) (float64, bool){
	"name":                        nil,
	"petitions":                   func(f *Figures) (float64, bool) { return float64(f.Petitions.Total), true },
	"open":                        func(f *Figures) (float64, bool) { return float64(f.Petitions.Open), true },
	"overdue_open":                func(f *Figures) (float64, bool) { return float64(f.Petitions.OverdueOpen), true },
	"answered_in_writing":         func(f *Figures) (float64, bool) { return float64(f.Petitions.AnsweredInWriting), true },
	"resolved":                    func(f *Figures) (float64, bool) { return float64(f.Petitions.Resolved), true },
	"on_time_rate":                func(f *Figures) (float64, bool) { return ptrValue(f.Petitions.OnTime.Rate) },
	"satisfied_rate":              func(f *Figures) (float64, bool) { return ptrValue(f.Petitions.Satisfied.Rate) },
	"median_days_to_first_answer": func(f *Figures) (float64, bool) { return ptrValue(f.Petitions.MedianDaysToFirstAnswer) },
	"median_days_to_closure":      func(f *Figures) (float64, bool) { return ptrValue(f.Petitions.MedianDaysToClosure) },
	"dialogues":                   func(f *Figures) (float64, bool) { return float64(f.Dialogues.TookPlace), true },
	"minutes_overdue":             func(f *Figures) (float64, bool) { return float64(f.Dialogues.MinutesOverdue), true },
	"attendance":                  func(f *Figures) (float64, bool) { return float64(f.Attendance.Total), true },
}

// LeagueSorts lists the orders the league table accepts (each also with a leading "-").
func LeagueSorts() []string {
	out := make([]string, 0, len(leagueSorts))
	for k := range leagueSorts {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ptrValue(p *float64) (float64, bool) {
	if p == nil {
		return 0, false
	}
	return *p, true
}

// reportUnit resolves the unit a report asks for: the actor's own when none is named. A unit
// outside the actor's subtree, or a hamlet, is a field error. It starts the request's
// scopeReader (the returned context carries it), so that the unit comes from the scope cache
// and the report's scope after it reads the units' version no second time; the error is the
// database's.
func (s *Store) reportUnit(ctx context.Context, actor Actor, v *ValidationError, raw string) (context.Context, *Unit, error) {
	ctx, err := s.withScopes(ctx)
	if err != nil {
		return nil, nil, err
	}
	id := actor.UnitID
	if strings.TrimSpace(raw) != "" {
		parsed, ok := parseID(v, "unit_id", strings.TrimSpace(raw))
		if !ok {
			return ctx, nil, nil
		}
		id = parsed
	}
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := r.unitFor(actor, id)
	if errors.Is(err, ErrNotFound) {
		v.Add("unit_id", Msg("Không tìm thấy đơn vị.", "Unknown unit."))
		return ctx, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if u.Level == LevelHamlet {
		v.Add("unit_id", Msg("Báo cáo lập cho xã, huyện hoặc tỉnh, không cho ấp.", "Reports cover a commune, district or province, not a hamlet."))
		return ctx, nil, nil
	}
	return ctx, u, nil
}

func refOf(u *Unit) ReportUnit {
	return ReportUnit{ID: u.ID, Name: u.Name, Level: u.Level, Code: u.Code}
}

// SummaryReport computes the period report of a unit the actor sees.
func (s *Store) SummaryReport(ctx context.Context, actor Actor, in SummaryInput) (*Summary, error) {
	if !actor.Can(PermReportsView) {
		return nil, ErrForbidden
	}
	v := &ValidationError{}
	ctx, unit, err := s.reportUnit(ctx, actor, v, in.UnitID)
	if err != nil {
		return nil, err
	}
	period, err := ParsePeriod(in.Period, s.now())
	if perr, ok := err.(*ValidationError); ok {
		for f, m := range perr.Fields {
			v.Add(f, m)
		}
	}
	order := strings.TrimSpace(in.Sort)
	if order == "" {
		order = "name"
	}
	if _, ok := leagueSorts[strings.TrimPrefix(order, "-")]; !ok {
		v.Add("sort", Msg("Thứ tự phải là một trong: "+strings.Join(LeagueSorts(), ", ")+" (thêm - để xếp giảm dần).",
			"sort must be one of: "+strings.Join(LeagueSorts(), ", ")+" (prefix - for descending)."))
	}
	basis := parseBasis(v, in.As)
	if err := v.Err(); err != nil {
		return nil, err
	}
	sum, err := s.summaryOf(ctx, unit, reportPaths(actor, unit), period, false, basis)
	if err != nil {
		return nil, err
	}
	sum.Sort = order
	sortLeague(sum.Communes, order)
	return sum, nil
}

// summaryOf computes the figures of a unit for a period; public keeps to what the public
// board shows (no private petitions, no denunciations).
func (s *Store) summaryOf(ctx context.Context, unit *Unit, paths []string, period Period, public bool, basis Basis) (*Summary, error) {
	sc, err := s.scopeOf(ctx, unit, paths, basis, period)
	if err != nil {
		return nil, err
	}
	communes := sc.communes
	topics, err := s.allTopics(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	sum := &Summary{Unit: refOf(unit), Period: period, AsOf: calendar.DateOf(now), GeneratedAt: now.Truncate(time.Second),
		Basis: sc.basis, Communes: []CommuneFigures{}}
	byCommune := make(map[int64]*Figures, len(communes))
	if unit.Level != LevelCommune {
		sum.Communes = make([]CommuneFigures, len(communes))
		for i := range communes {
			sum.Communes[i] = CommuneFigures{Commune: refOf(&communes[i])}
			byCommune[communes[i].ID] = &sum.Communes[i].Figures
		}
	}
	from, to := dialogueSpan(period, !public)
	dialogues, done, err := s.reportDialogues(ctx, sc, from, to)
	if err != nil {
		return nil, err
	}
	defer done()
	s.dialogueFigures(dialogues, sc, period, nil, func(int) (*Figures, map[int64]*Figures) { return &sum.Figures, byCommune })
	t := &tally{sc: sc, total: &sum.Figures, byCommune: byCommune, today: s.today()}
	if !public {
		t.law, t.lawLines = newLawFigures(), map[int64]*LawFigures{}
		for i := range sum.Communes {
			sum.Communes[i].Law = newLawFigures()
			t.lawLines[sum.Communes[i].Commune.ID] = sum.Communes[i].Law
		}
	}
	if err := s.petitionFigures(ctx, sc, period, public, func(*rollupCell) *tally { return t }); err != nil {
		return nil, err
	}
	t.mergeLines()
	if !public {
		if err := s.lawFigures(ctx, sc, period, sum, dialogues, t.law, t.lawLines); err != nil {
			return nil, err
		}
	}
	sum.Figures.Petitions.finish(topics)
	for _, f := range byCommune {
		f.Petitions.finish(topics)
	}
	return sum, nil
}

// tally receives the cells a report counts: the figures of the whole, of each league line and,
// unless the report is public, the law's (report_law.go).
type tally struct {
	sc        *reportScope
	total     *Figures
	byCommune map[int64]*Figures
	law       *LawFigures
	lawLines  map[int64]*LawFigures
	today     Date
	// last is the league line of the cell added last: the cells of a hamlet come together.
	last struct {
		hamlet, commune int64
		figures         *Figures
		law             *LawFigures
	}
}

// add counts n petitions of one cell in its league line, or in the whole when it has none, and
// likewise in the law's figures. mergeLines then adds the lines to the whole: a province's
// thousands of cells are each counted twice rather than four times.
func (t *tally) add(c *rollupCell, n int) {
	l := &t.last
	if l.hamlet != c.HamletID || l.commune != c.CommuneID || (l.figures == nil && l.law == nil) {
		line := t.sc.lineOf(c.CommuneID, c.HamletID)
		l.hamlet, l.commune, l.figures, l.law = c.HamletID, c.CommuneID, t.byCommune[line], t.lawLines[line]
	}
	if l.figures != nil {
		l.figures.Petitions.addCell(c, n, t.today)
	} else {
		t.total.Petitions.addCell(c, n, t.today)
	}
	if t.law != nil {
		if l.law != nil {
			l.law.addCell(c, n, t.today)
		} else {
			t.law.addCell(c, n, t.today)
		}
	}
}

// mergeLines adds the counts of the league lines to the whole, once every cell is counted.
func (t *tally) mergeLines() {
	// The whole's hours are every line's: room for them all at once, not grown line by line.
	var answers, closures int
	for _, f := range t.byCommune {
		if k := f.Petitions.counts; k != nil {
			answers, closures = answers+len(k.toAnswer), closures+len(k.toClose)
		}
	}
	if answers+closures > 0 {
		if t.total.Petitions.counts == nil {
			t.total.Petitions.counts = &cellCounts{}
		}
		k := t.total.Petitions.counts
		k.toAnswer, k.toClose = slices.Grow(k.toAnswer, answers), slices.Grow(k.toClose, closures)
	}
	for _, f := range t.byCommune {
		t.total.Petitions.merge(&f.Petitions)
	}
	if t.law != nil {
		for _, f := range t.lawLines {
			t.law.mergeCells(f)
		}
	}
}

// monthSplit is how a period is counted: its whole months from the rollups, first to last
// ("2026-01" to "2026-03"; none when first > last), and its days in the months it only partly
// covers from the petitions (edges, ranges of receipt).
type monthSplit struct {
	first, last string
	edges       [][2]time.Time
}

// splitPeriod cuts a period into whole months and edges.
func splitPeriod(p Period) monthSplit {
	from, to := calendar.Date(p.From), calendar.Date(p.To)
	firstWhole := from
	if from.Day() != 1 {
		firstWhole = calendar.DateFor(from.Year(), from.Month()+1, 1)
	}
	lastWhole := to // the last day of the last whole month
	if to.AddDays(1).Day() != 1 {
		lastWhole = calendar.DateFor(to.Year(), to.Month(), 1).AddDays(-1)
	}
	if firstWhole > lastWhole {
		return monthSplit{first: "9999-12", last: "0000-01", edges: [][2]time.Time{{p.Start, p.End}}}
	}
	out := monthSplit{first: monthOf(firstWhole), last: monthOf(lastWhole)}
	if from < firstWhole {
		out.edges = append(out.edges, [2]time.Time{p.Start, firstWhole.Start()})
	}
	if to > lastWhole {
		out.edges = append(out.edges, [2]time.Time{lastWhole.End(), p.End})
	}
	return out
}

// petitionFigures counts the petitions received in the period, each cell in the tally route
// gives it: the period's whole months from the rollups, the days at its ends from the
// petitions (or, for Store.countFromPetitions, every day from the petitions: the same cells
// either way).
func (s *Store) petitionFigures(ctx context.Context, sc *reportScope, period Period, public bool, route func(*rollupCell) *tally) error {
	if s.countFromPetitions {
		return s.rawPetitionFigures(ctx, sc, period.Start, period.End, public, route)
	}
	split := splitPeriod(period)
	if split.first <= split.last {
		if err := s.rollupFigures(ctx, sc, split.first, split.last, public, route); err != nil {
			return err
		}
	}
	for _, e := range split.edges {
		if err := s.rawPetitionFigures(ctx, sc, e[0], e[1], public, route); err != nil {
			return err
		}
	}
	return nil
}

// rollupFigures counts the rollup cells of the months first to last.
func (s *Store) rollupFigures(ctx context.Context, sc *reportScope, first, last string, public bool, route func(*rollupCell) *tally) error {
	onBoard := ""
	if public {
		onBoard = " AND r.on_board = ?"
	}
	cond, args := sc.filter("r")
	args = append(args, first, last)
	if public {
		args = append(args, true)
	}
	// Each row is one cell (the primary key holds every column of it), so nothing is grouped;
	// the scope and the months select whole ranges of that key (commune, month, …). One cell is
	// filled again for each row: route keeps no pointer to it.
	add := func(c *rollupCell, n int) error {
		if t := route(c); t != nil {
			t.add(c, n)
		}
		return nil
	}
	if packed, err := s.eachPackedRollupRow(ctx, sc, first, last, public, add); packed || err != nil {
		return err
	}
	var c rollupCell
	return s.eachRollupRow(ctx, false, `SELECT `+rollupColumns+`, r.n
		FROM petition_rollups r
		WHERE `+cond+` AND r.month >= ? AND r.month <= ? AND r.n <> 0`+onBoard, args, func(r *rollupRowScan) error {
		var n int
		var err error
		if c, n, err = r.cell(); err != nil {
			return err
		}
		return add(&c, n)
	})
}

// rollupRowScan receives one row of rollupColumns and its count in the driver's own types:
// database/sql converts a named type (Date) or an int by reflection and text, which costs more
// than the rest of a report on a province's thousands of cells.
type rollupRowScan struct {
	hamlet, commune, topic, facts, answerHours, closeHours, n int64
	month, dueOn, dueRule                                     string
	onBoard                                                   bool
	// packed tells a pack from a cell, and cells are its cells (eachPackedRollupRow).
	packed bool
	cells  []byte
}

// dest lists where rows.Scan puts the columns, in rollupColumns' order and then n, and, for a
// read through the packs, packed and cells.
func (r *rollupRowScan) dest(packed bool) []any {
	dest := []any{&r.hamlet, &r.month, &r.commune, &r.topic, &r.onBoard, &r.facts, &r.answerHours, &r.closeHours,
		&r.dueOn, &r.dueRule, &r.n}
	if packed {
		dest = append(dest, &r.packed, &r.cells)
	}
	return dest
}

// cell is the scanned cell and its count.
func (r *rollupRowScan) cell() (rollupCell, int, error) {
	c := rollupCell{HamletID: r.hamlet, CommuneID: r.commune, Month: r.month, TopicID: r.topic, OnBoard: r.onBoard,
		AnswerHours: int(r.answerHours), CloseHours: int(r.closeHours), DueOn: Date(r.dueOn), DueRule: r.dueRule}
	return c, int(r.n), c.setFacts(r.facts)
}

// rawPetitionFigures counts the petitions received from start to end from the petitions.
func (s *Store) rawPetitionFigures(ctx context.Context, sc *reportScope, start, end time.Time, public bool, route func(*rollupCell) *tally) error {
	publicOnly := ""
	if public {
		publicOnly = " AND p.private = FALSE AND p.kind <> 'to_cao'"
	}
	cond, args := sc.filter("p")
	rows, err := s.conn(ctx).Raw(`SELECT `+rollupSourceColumns+`
		FROM petitions p
		WHERE `+cond+`
			AND p.received_at >= ? AND p.received_at < ?`+publicOnly,
		append(args, start, end)...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		src, err := scanRollupSource(rows.Scan)
		if err != nil {
			return err
		}
		c := cellOf(src)
		if t := route(&c); t != nil {
			t.add(&c, 1)
		}
	}
	return rows.Err()
}

// addCell counts n petitions of one cell.
func (f *PetitionFigures) addCell(c *rollupCell, n int, today Date) {
	if f.counts == nil {
		f.counts = &cellCounts{}
	}
	k := f.counts
	f.Total += n
	if c.Matter {
		f.Matters += n
	}
	k.addTopic(c.TopicID, n)
	k.kinds.add(reportKinds, c.Kind, n)
	k.channels.add(reportChannels, c.Channel, n)
	var typ StateType
	if i := k.states.add(reportStates, c.State, n); i >= 0 {
		typ = reportStateTypes[i]
	} else {
		typ = c.State.Type()
	}
	switch typ {
	case TypeOpen:
		f.Open += n
		var due *Date
		if c.DueOn != "" {
			due = &c.DueOn
		}
		if Late(c.State, due, today) {
			f.OverdueOpen += n
		}
		if AwaitingClosure(c.State) {
			f.AwaitingClosure += n
		}
	case TypeFixed:
		f.Resolved += n
	case TypeClosed:
		f.Closed += n
	}
	if c.Onsite {
		f.AnsweredOnTheSpot += n
	}
	if c.AnswerHours >= 0 {
		f.AnsweredInWriting += n
		f.OnTime.Answered += n
		if c.OnTime {
			f.OnTime.OnTime += n
		}
		k.toAnswer.add(c.AnswerHours, n)
	}
	if c.CloseHours >= 0 {
		k.toClose.add(c.CloseHours, n)
	}
	if typ != TypeOpen {
		k.satisfaction.add(reportSatisfactions, c.Satisfaction, n)
		switch c.Satisfaction {
		case VerySatisfied, Satisfied:
			f.Satisfied.Satisfied += n
			f.Satisfied.Rated += n
		case NotSatisfied:
			f.Satisfied.Rated += n
		}
	}
}

// merge adds the counts of o, whose cells were counted apart (addCell), before either is
// finished.
func (f *PetitionFigures) merge(o *PetitionFigures) {
	if o.counts == nil {
		return
	}
	if f.counts == nil {
		f.counts = &cellCounts{}
	}
	f.Total += o.Total
	f.Matters += o.Matters
	f.Open += o.Open
	f.OverdueOpen += o.OverdueOpen
	f.AwaitingClosure += o.AwaitingClosure
	f.Resolved += o.Resolved
	f.Closed += o.Closed
	f.AnsweredOnTheSpot += o.AnsweredOnTheSpot
	f.AnsweredInWriting += o.AnsweredInWriting
	f.OnTime = f.OnTime.plus(o.OnTime)
	f.Satisfied.Satisfied += o.Satisfied.Satisfied
	f.Satisfied.Rated += o.Satisfied.Rated
	f.counts.merge(o.counts)
}

// The kinds, channels, states and views a report lists, each with 0 when none was counted.
var (
	reportKinds         = PetitionKinds()
	reportChannels      = []Channel{ChannelDialogue, ChannelReception, ChannelLetter, ChannelPhone, ChannelOnline}
	reportStates        = PetitionStates()
	reportStateTypes    = stateTypesOf(reportStates)
	reportSatisfactions = []Satisfaction{VerySatisfied, Satisfied, NotSatisfied, SatisfactionUnknown}
)

// stateTypesOf is the type of each state, in order.
func stateTypesOf(states []PetitionState) []StateType {
	types := make([]StateType, len(states))
	for i, st := range states {
		types[i] = st.Type()
	}
	return types
}

// cellCounts are the counts of a PetitionFigures while cells are added: by the place of the
// kind, channel, state and view in its list rather than in maps, by topic ID, and the hours
// to the first answer and to closure with how many petitions took them (a report adds
// thousands of cells to each of its figures; finish makes the maps and medians once).
type cellCounts struct {
	kinds             ordinalCounts[PetitionKind]
	channels          ordinalCounts[Channel]
	states            ordinalCounts[PetitionState]
	satisfaction      ordinalCounts[Satisfaction]
	topics            []int
	otherTopics       map[int64]int
	toAnswer, toClose hourCounts
}

// merge adds the counts of o.
func (k *cellCounts) merge(o *cellCounts) {
	k.kinds.merge(&o.kinds)
	k.channels.merge(&o.channels)
	k.states.merge(&o.states)
	k.satisfaction.merge(&o.satisfaction)
	if len(o.topics) > len(k.topics) {
		k.topics = append(k.topics, make([]int, len(o.topics)-len(k.topics))...)
	}
	for id, n := range o.topics {
		k.topics[id] += n
	}
	for id, n := range o.otherTopics {
		k.addTopic(id, n)
	}
	k.toAnswer = append(k.toAnswer, o.toAnswer...)
	k.toClose = append(k.toClose, o.toClose...)
}

// topicSlots bounds the topic IDs counted by index; any above are counted in a map.
const topicSlots = 1024

// addTopic counts n petitions of a topic.
func (k *cellCounts) addTopic(id int64, n int) {
	if id < 0 || id >= topicSlots {
		if k.otherTopics == nil {
			k.otherTopics = map[int64]int{}
		}
		k.otherTopics[id] += n
		return
	}
	if int(id) >= len(k.topics) {
		k.topics = append(k.topics, make([]int, int(id)+1-len(k.topics))...)
	}
	k.topics[id] += n
}

// topic is the count of a topic.
func (k *cellCounts) topic(id int64) int {
	if id >= 0 && id < int64(len(k.topics)) {
		return k.topics[id]
	}
	return k.otherTopics[id]
}

// ordinalCounts counts by the place of a value in a short list; a value not in it (none that
// the domain writes) is counted in a map.
type ordinalCounts[K ~string] struct {
	n     [8]int
	other map[K]int
}

// add counts n for v and returns its place in keys, -1 when it is counted in the map.
func (o *ordinalCounts[K]) add(keys []K, v K, n int) int {
	for i, k := range keys[:min(len(keys), len(o.n))] {
		if k == v {
			o.n[i] += n
			return i
		}
	}
	if o.other == nil {
		o.other = map[K]int{}
	}
	o.other[v] += n
	return -1
}

// merge adds the counts of o.
func (o *ordinalCounts[K]) merge(p *ordinalCounts[K]) {
	for i, n := range p.n {
		o.n[i] += n
	}
	for k, n := range p.other {
		if o.other == nil {
			o.other = map[K]int{}
		}
		o.other[k] += n
	}
}

// into adds the counts to m.
func (o *ordinalCounts[K]) into(keys []K, m map[K]int) {
	for i, k := range keys[:min(len(keys), len(o.n))] {
		m[k] += o.n[i]
	}
	for k, n := range o.other {
		m[k] += n
	}
}

// hourCounts are whole hours, each with how many petitions took them, in the order added: one
// number each, the hours in the upper 32 bits and the count in the lower, so that sorting the
// numbers sorts by hours. Hours fit: they come from a time.Duration, at most 292 years.
type hourCounts []uint64

// hourRoom is the room a figure's hours start with: a commune's year holds some dozens, and
// growing from one number at a time cost a report more than keeping them.
const hourRoom = 16

// add counts n petitions that took hours.
func (h *hourCounts) add(hours, n int) {
	if *h == nil {
		*h = make(hourCounts, 0, hourRoom)
	}
	for n > 0 {
		part := min(n, math.MaxInt32)
		*h = append(*h, uint64(hours)<<32|uint64(part))
		n -= part
	}
}

// medianDays is the median of the counted petitions' hours, in days: the middle value (the
// mean of the middle two for an even count) to one decimal, or nil for none. It reorders h.
func (h hourCounts) medianDays() *float64 {
	total := countOf(h)
	if total == 0 {
		return nil
	}
	var m float64
	switch {
	case total == 1: // one number, counting one petition
		m = float64(h[0]>>32) / 24
	case total%2 == 1:
		a, _ := h.nth2(total / 2)
		m = float64(a) / 24
	default:
		a, b := h.nth2(total/2 - 1)
		m = (float64(a)/24 + float64(b)/24) / 2
	}
	m = math.Round(m*10) / 10
	return &m
}

// nth2 is the hours of the i-th and the (i+1)-th counted petitions, from 0, in order of hours;
// there must be an (i+1)-th. It selects rather than sorts: a province's figures hold thousands
// of hours and need two of them. Each step parts the numbers around a pivot into less, equal
// and greater (the numbers order by hours, then count) and keeps the part the i-th petition is
// in, by the counts each part holds; where the two fall in different parts, the i-th is the
// largest of the lesser part, or the (i+1)-th the smallest of the greater one.
func (h hourCounts) nth2(i int) (int, int) {
	a := []uint64(h)
	for len(a) > 12 {
		pivot := median3(a[0], a[len(a)/2], a[len(a)-1])
		lt, gt := partition(a, pivot)
		less := countOf(a[:lt])
		equal := countOf(a[lt:gt])
		p := int(pivot >> 32)
		switch {
		case i+1 < less:
			a = a[:lt]
		case i < less: // i is the last of the lesser part, i+1 the first of the pivot's
			return int(slices.Max(a[:lt]) >> 32), p
		case i+1 < less+equal:
			return p, p
		case i < less+equal: // i is the pivot's last, i+1 the first of the greater part
			return p, int(slices.Min(a[gt:]) >> 32)
		default:
			i -= less + equal
			a = a[gt:]
		}
	}
	slices.Sort(a)
	x := -1
	for _, c := range a {
		n := int(c & math.MaxUint32)
		switch {
		case x < 0 && i >= n:
			i -= n
		case x < 0 && i+1 < n:
			return int(c >> 32), int(c >> 32)
		case x < 0:
			x, i = int(c>>32), 0 // the i-th is this value's last; the next is the next value's first
		default: // every number counts at least one petition (add)
			return x, int(c >> 32)
		}
	}
	panic("hourCounts: past the last value")
}

// partition reorders a into the numbers less than pivot, a[:lt], those equal to it, and those
// greater, a[gt:].
func partition(a []uint64, pivot uint64) (lt, gt int) {
	lt, gt = 0, len(a)
	for k := 0; k < gt; {
		switch v := a[k]; {
		case v < pivot:
			a[lt], a[k] = a[k], a[lt]
			lt++
			k++
		case v > pivot:
			gt--
			a[gt], a[k] = a[k], a[gt]
		default:
			k++
		}
	}
	return lt, gt
}

// countOf is how many petitions some hourCounts numbers count.
func countOf(a []uint64) int {
	n := 0
	for _, c := range a {
		n += int(c & math.MaxUint32)
	}
	return n
}

// median3 is the middle of three numbers.
func median3(a, b, c uint64) uint64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}

// init sets every breakdown to zero, so a client sees every kind, channel and state.
func (f *PetitionFigures) init() {
	f.ByKind = map[PetitionKind]int{}
	for _, k := range reportKinds {
		f.ByKind[k] = 0
	}
	f.ByChannel = map[Channel]int{}
	for _, c := range reportChannels {
		f.ByChannel[c] = 0
	}
	f.ByState = map[PetitionState]int{}
	for _, st := range reportStates {
		f.ByState[st] = 0
	}
	f.ByStateType = map[StateType]int{TypeOpen: 0, TypeFixed: 0, TypeClosed: 0}
	f.Satisfaction = map[Satisfaction]int{}
	for _, v := range reportSatisfactions {
		f.Satisfaction[v] = 0
	}
}

// finish turns the counts into the breakdowns, the topic list, the rates and the medians.
func (f *PetitionFigures) finish(topics []Topic) {
	f.init()
	k := f.counts
	if k == nil {
		k = &cellCounts{}
	}
	k.kinds.into(reportKinds, f.ByKind)
	k.channels.into(reportChannels, f.ByChannel)
	k.states.into(reportStates, f.ByState)
	for st, n := range f.ByState {
		f.ByStateType[st.Type()] += n
	}
	k.satisfaction.into(reportSatisfactions, f.Satisfaction)
	counted := 0
	for _, t := range topics {
		if k.topic(t.ID) > 0 {
			counted++
		}
	}
	f.ByTopic = make([]TopicCount, 0, counted)
	for _, t := range topics {
		if n := k.topic(t.ID); n > 0 {
			f.ByTopic = append(f.ByTopic, TopicCount{TopicID: t.ID, Code: t.Code, Name: t.NameVI, NameEN: t.NameEN, Count: n})
		}
	}
	slices.SortStableFunc(f.ByTopic, func(a, b TopicCount) int { return cmp.Compare(b.Count, a.Count) })
	f.OnTime.Rate = ratio(f.OnTime.OnTime, f.OnTime.Answered)
	f.Satisfied.Rate = ratio(f.Satisfied.Satisfied, f.Satisfied.Rated)
	f.MedianDaysToFirstAnswer = k.toAnswer.medianDays()
	f.MedianDaysToClosure = k.toClose.medianDays()
	f.counts = nil
}

// ratio is n ÷ of to four decimals, or nil when nothing was counted.
func ratio(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := math.Round(float64(n)/float64(of)*10000) / 10000
	return &r
}

// sortLeague orders the league table, whose lines come in the order of their names
// (summaryOf): the sort is stable, so ties stay in that order; communes without the figure (no
// rate yet) come last.
func sortLeague(rows []CommuneFigures, order string) {
	desc := strings.HasPrefix(order, "-")
	key := leagueSorts[strings.TrimPrefix(order, "-")]
	if key == nil {
		if desc {
			slices.Reverse(rows)
		}
		return
	}
	slices.SortStableFunc(rows, func(x, y CommuneFigures) int {
		a, okA := key(&x.Figures)
		b, okB := key(&y.Figures)
		switch {
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		case !okA || a == b:
			return 0
		case desc:
			return cmp.Compare(b, a)
		}
		return cmp.Compare(a, b)
	})
}

// sortByName orders units by name in the Vietnamese alphabet (a ă â b c d đ ...), not by
// bytes, then by ID: each name's collation key is made once, not at every comparison.
func sortByName(units []Unit) {
	var buf collate.Buffer
	col := collate.New(language.Vietnamese)
	keys := make(map[int64][]byte, len(units))
	for i := range units {
		keys[units[i].ID] = col.KeyFromString(&buf, units[i].Name)
	}
	slices.SortStableFunc(units, func(a, b Unit) int {
		if c := bytes.Compare(keys[a.ID], keys[b.ID]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// dbTime reads a nullable instant from either database: PostgreSQL gives a time, SQLite gives a
// time for a DATETIME column but text for a computed one such as MIN(created_at).
type dbTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTimeLayouts are the forms SQLite keeps instants in.
var sqliteTimeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05"}

// Scan reads a time, its text, or NULL.
func (t *dbTime) Scan(v any) error {
	*t = dbTime{}
	var s string
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		t.Time, t.Valid = x.UTC(), true
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("time: cannot scan %T", v)
	}
	for _, layout := range sqliteTimeLayouts {
		if parsed, err := time.Parse(layout, s); err == nil {
			t.Time, t.Valid = parsed.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("time: cannot parse %q", s)
}

// OverduePetition is one line of the overdue list: a late petition (Late).
type OverduePetition struct {
	ID          int64         `json:"id"`
	Reference   string        `json:"reference"`
	Commune     UnitRef       `json:"commune"`
	Hamlet      UnitRef       `json:"hamlet"`
	Topic       TopicRef      `json:"topic"`
	Kind        PetitionKind  `json:"kind"`
	State       PetitionState `json:"state"`
	ReceivedAt  time.Time     `json:"received_at"`
	DueOn       Date          `json:"due_on"`
	DaysOverdue int           `json:"days_overdue"`
	// Responsible is the body handling the petition; its unit is null for an outside agency.
	Responsible Responsible `json:"responsible"`
}

// TopicRef names a topic inside another record.
type TopicRef struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Responsible is who handles a petition: a unit of the tree, or an outside agency by name.
type Responsible struct {
	UnitID *int64 `json:"unit_id"`
	Name   string `json:"name"`
}

// overdueCursor is the keyset position of the overdue list: earliest due date first.
type overdueCursor struct {
	Due Date  `json:"d"`
	ID  int64 `json:"i"`
}

// OverdueInput asks for the overdue petitions under a unit (default: the actor's).
type OverdueInput struct {
	UnitID string
	Page   Page
}

// overdueRow is a late petition as the overdue list reads it, with its units' and topic's names.
type overdueRow struct {
	petitionNames
	Kind              PetitionKind
	State             PetitionState
	ReceivedAt        time.Time
	DueOn             Date
	ResponsibleUnitID *int64
	ResponsibleName   string
}

// overdueColumns are the columns of an overdueRow.
const overdueColumns = petitionNamesColumns + `, p.kind, p.state, p.received_at, p.due_on, p.responsible_unit_id,
	p.responsible_name`

// fields are the destinations of overdueColumns in r, in their order, appended to into.
func (r *overdueRow) fields(into []any) []any {
	return r.petitionNames.fields(into, &r.Kind, &r.State, &r.ReceivedAt, &r.DueOn, &r.ResponsibleUnitID, &r.ResponsibleName)
}

// OverduePetitions lists the late petitions (Late) under a unit the actor sees,
// the longest overdue first, whatever period they were received in.
func (s *Store) OverduePetitions(ctx context.Context, actor Actor, in OverdueInput) ([]OverduePetition, string, error) {
	if !actor.Can(PermReportsView) {
		return nil, "", ErrForbidden
	}
	v := &ValidationError{}
	ctx, unit, err := s.reportUnit(ctx, actor, v, in.UnitID)
	if err != nil {
		return nil, "", err
	}
	var after overdueCursor
	if err := in.Page.decode(&after); err != nil {
		v.Add("cursor", Msg("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."))
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	today := s.today()
	paths := reportPaths(actor, unit)
	cond, args := pathsSQL("path", paths)
	scope := "p.commune_id IN (SELECT id FROM units WHERE level = 'commune' AND " + cond + ")"
	if unit.Live() {
		var err error
		if scope, args, err = s.hamletsUnderSQL(ctx, "p", paths); err != nil {
			return nil, "", err
		}
	}
	late, lateArgs := lateSQL("p", today)
	page := s.conn(ctx).Table("petitions p").Select("p.id").Where(late, lateArgs...).Where(scope, args...)
	if after.ID != 0 {
		page = page.Where("(p.due_on > ? OR (p.due_on = ? AND p.id > ?))", after.Due, after.Due, after.ID)
	}
	limit := in.Page.limit()
	// The page's keys first, from the late petitions' index alone, then its rows and the names
	// of its units and topics: joined before the limit, the names (and rows) of every late
	// petition of a province would be read.
	page = page.Order("p.due_on, p.id").Limit(limit + 1)
	q := s.conn(ctx).Table("petitions p").Where("p.id IN (?)", page).
		Select(overdueColumns).
		Joins("JOIN units c ON c.id = p.commune_id").
		Joins("JOIN units h ON h.id = p.hamlet_id").
		Joins("JOIN topics t ON t.id = p.topic_id")
	rows, err := findInto(q.Order("p.due_on, p.id"), (*overdueRow).fields)
	if err != nil {
		return nil, "", err
	}
	rows, more := trimPage(rows, limit)
	out := make([]OverduePetition, len(rows))
	for i, r := range rows {
		out[i] = OverduePetition{ID: r.ID, Reference: r.Reference, Commune: r.commune(), Hamlet: r.hamlet(), Topic: r.topic(),
			Kind: r.Kind, State: r.State, ReceivedAt: r.ReceivedAt.UTC(), DueOn: r.DueOn,
			DaysOverdue: calendar.DaysBetween(r.DueOn, today),
			Responsible: Responsible{UnitID: r.ResponsibleUnitID, Name: r.ResponsibleName}}
	}
	next := ""
	if more {
		last := out[len(out)-1]
		next = encodeCursor(overdueCursor{Due: last.DueOn, ID: last.ID})
	}
	return out, next, nil
}

// SummaryExport computes a summary for a workbook and records the export in the log.
func (s *Store) SummaryExport(ctx context.Context, actor Actor, in SummaryInput, remote string) (*Summary, error) {
	sum, err := s.SummaryReport(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	filters := map[string]any{"unit_id": sum.Unit.ID, "period": sum.Period.Kind, "from": sum.Period.From, "to": sum.Period.To, "sort": sum.Sort}
	if err := s.audit(ctx, actor, ExportSummary, ExportXLSX, false, filters, remote); err != nil {
		return nil, err
	}
	return sum, nil
}
