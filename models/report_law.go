package models

import (
	"context"
	"slices"
)

// The figures of the law's clocks, stated once here and added to the summary, the league table
// and the workbook beside the period figures (reports.go), counted under the same scope:
//
//   - On time by kind and by rule: the petitions received in the period and answered in
//     writing, on time as in the period figures (first published answer by the due date, or no
//     due date), grouped by kind and by the rule of the due date they have now ("none" without).
//   - Acceptance (thụ lý) of the complaints and denunciations received in the period: accepted,
//     of them on time (accepted by the acceptance due date they had, which the petition keeps
//     from its acceptance; one with none is on time), and overdue (not accepted, open, that day
//     past). The rate is on time ÷ (accepted + overdue).
//   - Extensions: petitions of the period extended at least once, and how many extensions.
//   - Dialogues: those starting in the period and not cancelled, with notice and results judged
//     by the dialogue rules (dialogue_compliance.go); the rates leave out those still in time.
//     A calendar year (the one the period ends in): dialogues that took place in it, and the
//     communes with fewer than the dialogue_yearly rule asks.
//
// The petitions' part is counted from the same rollup cells as the period figures (cellOf
// holds the rule, the acceptance and the extensions), in the same read.

// LawFigures are the figures of the law's clocks for one unit (or league line) and period.
type LawFigures struct {
	OnTimeByKind map[PetitionKind]OnTimeRate `json:"on_time_by_kind"`
	OnTimeByRule map[string]OnTimeRate       `json:"on_time_by_rule"`
	Acceptance   AcceptanceFigures           `json:"acceptance"`
	Extensions   ExtensionFigures            `json:"extensions"`
	Dialogues    DialogueLawFigures          `json:"dialogues"`

	// byKind and byRule count the on-time figures while cells are added: by the place of the
	// kind in reportKinds, by rule in the order first met; finish adds them to the maps.
	byKind [8]OnTimeRate
	rules  []string
	byRule []OnTimeRate
}

// AcceptanceFigures count how complaints and denunciations were accepted (thụ lý) in time.
type AcceptanceFigures struct {
	Accepted int      `json:"accepted"`
	OnTime   int      `json:"on_time"`
	Overdue  int      `json:"overdue"`
	Rate     *float64 `json:"rate"`
}

// ExtensionFigures count the extensions of deadlines.
type ExtensionFigures struct {
	Petitions  int `json:"petitions"`
	Extensions int `json:"extensions"`
}

// DialogueLawFigures are the dialogue rules' figures: notice and results of the period's
// dialogues, and the calendar year's count against the least the law asks.
type DialogueLawFigures struct {
	NoticeOnTime   int      `json:"notice_on_time"`
	NoticeLate     int      `json:"notice_late"`
	NoticeRate     *float64 `json:"notice_rate"`
	ResultsOnTime  int      `json:"results_on_time"`
	ResultsLate    int      `json:"results_late"`
	ResultsPending int      `json:"results_pending"`
	ResultsRate    *float64 `json:"results_rate"`
	VoterRequested int      `json:"voter_requested"`
	// VoterRequestedOwed counts the requests reaching the share the law sets.
	VoterRequestedOwed int `json:"voter_requested_owed"`
	// Year is the calendar year counted; YearOver tells whether it has ended (else "none yet").
	Year       int  `json:"year"`
	YearOver   bool `json:"year_over"`
	Required   int  `json:"required"`
	HeldInYear int  `json:"held_in_year"`
	// WithoutDialogue lists the communes that held fewer than Required in Year.
	WithoutDialogue []ReportUnit `json:"without_dialogue"`
}

// newLawFigures is a line with every kind present.
func newLawFigures() *LawFigures {
	f := &LawFigures{OnTimeByKind: map[PetitionKind]OnTimeRate{}, OnTimeByRule: map[string]OnTimeRate{},
		Dialogues: DialogueLawFigures{WithoutDialogue: []ReportUnit{}}}
	for _, k := range PetitionKinds() {
		f.OnTimeByKind[k] = OnTimeRate{}
	}
	return f
}

// lawFigures adds the law's figures to a summary and its league lines, whose petition figures
// the rollup cells have already counted (LawFigures.addCell). The public board has none of them.
// dialogues are the scope's dialogues of dialogueSpan (reportDialogues).
func (s *Store) lawFigures(ctx context.Context, sc *reportScope, period Period, sum *Summary, dialogues []reportDialogue, total *LawFigures, lines map[int64]*LawFigures) error {
	clock, err := s.dialogueClock(ctx)
	if err != nil {
		return err
	}
	s.lawDialogueFigures(dialogues, sc, period, clock, total, lines)
	yearFigures(dialogues, sc, sum, clock, total, lines)
	total.finish()
	for _, f := range lines {
		f.finish()
	}
	sum.Law = total
	return nil
}

// addCell counts n petitions of one rollup cell: on time by kind and rule, acceptance,
// extensions.
func (f *LawFigures) addCell(c *rollupCell, n int, today Date) {
	if c.AnswerHours >= 0 {
		f.addOnTime(c, n)
	}
	if c.Kind == KindComplaint || c.Kind == KindDenunciation {
		switch {
		case c.Acceptance != "":
			f.Acceptance.Accepted += n
			if c.Acceptance == "on_time" {
				f.Acceptance.OnTime += n
			}
		case c.State.Type() == TypeOpen && (c.DueRule == RuleComplaintAccept || c.DueRule == RuleDenunciationAccept) &&
			c.DueOn != "" && c.DueOn < today:
			f.Acceptance.Overdue += n
		}
	}
	if c.Extensions > 0 {
		f.Extensions.Petitions += n
		f.Extensions.Extensions += n * c.Extensions
	}
}

// mergeCells adds what o counted of the cells (addCell), before either is finished.
func (f *LawFigures) mergeCells(o *LawFigures) {
	for i, r := range o.byKind {
		f.byKind[i] = f.byKind[i].plus(r)
	}
	for k, r := range o.OnTimeByKind {
		if r != (OnTimeRate{}) {
			f.OnTimeByKind[k] = f.OnTimeByKind[k].plus(r)
		}
	}
	for i, rule := range o.rules {
		r := slices.Index(f.rules, rule)
		if r < 0 {
			r = len(f.rules)
			f.rules, f.byRule = append(f.rules, rule), append(f.byRule, OnTimeRate{})
		}
		f.byRule[r] = f.byRule[r].plus(o.byRule[i])
	}
	f.Acceptance.Accepted += o.Acceptance.Accepted
	f.Acceptance.OnTime += o.Acceptance.OnTime
	f.Acceptance.Overdue += o.Acceptance.Overdue
	f.Extensions.Petitions += o.Extensions.Petitions
	f.Extensions.Extensions += o.Extensions.Extensions
}

// addOnTime counts n answered petitions of a cell by kind and by rule.
func (f *LawFigures) addOnTime(c *rollupCell, n int) {
	if i := slices.Index(reportKinds, c.Kind); i >= 0 && i < len(f.byKind) {
		f.byKind[i] = f.byKind[i].add(c.OnTime, n)
	} else {
		f.OnTimeByKind[c.Kind] = f.OnTimeByKind[c.Kind].add(c.OnTime, n)
	}
	r := slices.Index(f.rules, c.DueRule)
	if r < 0 {
		r = len(f.rules)
		f.rules, f.byRule = append(f.rules, c.DueRule), append(f.byRule, OnTimeRate{})
	}
	f.byRule[r] = f.byRule[r].add(c.OnTime, n)
}

// add counts n answered petitions, on time or not.
func (o OnTimeRate) add(onTime bool, n int) OnTimeRate {
	o.Answered += n
	if onTime {
		o.OnTime += n
	}
	return o
}

// plus is the sum of two counts of answered petitions.
func (o OnTimeRate) plus(p OnTimeRate) OnTimeRate {
	o.Answered += p.Answered
	o.OnTime += p.OnTime
	return o
}

// lawDialogueFigures judges the notice and results of the period's dialogues, cancelled ones
// left out.
func (s *Store) lawDialogueFigures(dialogues []reportDialogue, sc *reportScope, period Period, clock *dialogueClock, total *LawFigures, lines map[int64]*LawFigures) {
	today := s.today()
	for i := range dialogues {
		d := &dialogues[i]
		if d.Status == DialogueCancelled || !d.startsIn(period.Start, period.End) {
			continue
		}
		c, req := clock.compliance(&d.Dialogue, today), clock.voterRequest(&d.Dialogue)
		total.Dialogues.add(c, req)
		if f := lines[sc.lineOf(d.CommuneID, 0)]; f != nil {
			f.Dialogues.add(c, req)
		}
	}
}

// add counts one dialogue's notice, results and voters' request.
func (f *DialogueLawFigures) add(c *DialogueCompliance, req *VoterRequest) {
	switch {
	case c.NoticeOnTime == nil:
	case *c.NoticeOnTime:
		f.NoticeOnTime++
	default:
		f.NoticeLate++
	}
	if c.ResultsDueOn != nil {
		switch {
		case c.ResultsOnTime == nil:
			f.ResultsPending++
		case *c.ResultsOnTime:
			f.ResultsOnTime++
		default:
			f.ResultsLate++
		}
	}
	if req != nil {
		f.VoterRequested++
		if req.MeetsThreshold {
			f.VoterRequestedOwed++
		}
	}
}

// yearFigures counts the dialogues that took place in the calendar year the period ends in,
// per commune, and lists the communes below the yearly least.
func yearFigures(dialogues []reportDialogue, sc *reportScope, sum *Summary, clock *dialogueClock, total *LawFigures, lines map[int64]*LawFigures) {
	first, last := yearOf(sum.Period)
	year := first.Year()
	held := map[int64]int{}
	for i := range dialogues {
		d := &dialogues[i]
		if (d.Status != DialogueHeld && d.Status != DialogueClosed) || !d.startsIn(first.Start(), last.End()) {
			continue
		}
		held[sc.lineOf(d.CommuneID, 0)]++
		total.Dialogues.HeldInYear++
	}
	over := sum.AsOf > last
	communes := []ReportUnit{sum.Unit}
	if len(sum.Communes) > 0 {
		communes = communes[:0]
		for _, c := range sum.Communes {
			communes = append(communes, c.Commune)
		}
	}
	total.Dialogues.setYear(year, over, clock.yearly.Days)
	for _, c := range communes {
		n := held[c.ID]
		if sum.Unit.Level == LevelCommune {
			n = total.Dialogues.HeldInYear
		}
		if f := lines[c.ID]; f != nil {
			f.Dialogues.setYear(year, over, clock.yearly.Days)
			f.Dialogues.HeldInYear = n
		}
		if n < clock.yearly.Days {
			total.Dialogues.WithoutDialogue = append(total.Dialogues.WithoutDialogue, c)
			if f := lines[c.ID]; f != nil {
				f.Dialogues.WithoutDialogue = append(f.Dialogues.WithoutDialogue, c)
			}
		}
	}
}

func (f *DialogueLawFigures) setYear(year int, over bool, required int) {
	f.Year, f.YearOver, f.Required = year, over, required
}

// finish turns the counts into rates.
func (f *LawFigures) finish() {
	for i, k := range reportKinds[:min(len(reportKinds), len(f.byKind))] {
		f.OnTimeByKind[k] = f.OnTimeByKind[k].plus(f.byKind[i])
	}
	for i, r := range f.rules {
		f.OnTimeByRule[r] = f.OnTimeByRule[r].plus(f.byRule[i])
	}
	f.byKind, f.rules, f.byRule = [8]OnTimeRate{}, nil, nil
	for k, o := range f.OnTimeByKind {
		o.Rate = ratio(o.OnTime, o.Answered)
		f.OnTimeByKind[k] = o
	}
	for k, o := range f.OnTimeByRule {
		o.Rate = ratio(o.OnTime, o.Answered)
		f.OnTimeByRule[k] = o
	}
	a := &f.Acceptance
	a.Rate = ratio(a.OnTime, a.Accepted+a.Overdue)
	d := &f.Dialogues
	d.NoticeRate = ratio(d.NoticeOnTime, d.NoticeOnTime+d.NoticeLate)
	d.ResultsRate = ratio(d.ResultsOnTime, d.ResultsOnTime+d.ResultsLate)
}
