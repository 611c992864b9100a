package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// rollupVersion names what a rollup cell holds (rollupCell, cellOf). Change it with them:
// Migrate then rebuilds every cell from the petitions, so a new definition reaches the rollups.
const rollupVersion = 3

// rollupCell is what the report figures need of one petition, and nothing that tells two
// petitions apart: petition_rollups counts the petitions of each cell. cellOf fills it and
// PetitionFigures.addCell turns it into figures, for the rollups and for the petitions alike.
type rollupCell struct {
	HamletID  int64
	CommuneID int64
	// Month is the Vietnam month the petition was received, "2026-03": a period's whole months
	// are read from the rollups, its days in a month it only partly covers from the petitions.
	Month   string
	TopicID int64
	Kind    PetitionKind
	Channel Channel
	State   PetitionState
	// OnBoard tells whether the public board shows it: not private, not a denunciation.
	OnBoard bool
	// Onsite tells whether an on-site answer was recorded when it was taken.
	Onsite bool
	// AnswerHours is the whole hours from receipt to the first published answer, -1 for none.
	AnswerHours int
	// OnTime: the first published answer came no later than the due date, or there is none.
	OnTime bool
	// CloseHours is the whole hours from receipt to its resolution or closing, while it is
	// resolved or closed; -1 otherwise.
	CloseHours int
	// Satisfaction is the petitioner's view once it is no longer open, "" while open.
	Satisfaction Satisfaction
	// DueOn is the due date of an open petition, "" for others or none.
	DueOn Date
	// Matter tells whether it counts as a distinct matter: not linked to a main petition and not
	// closed as a duplicate.
	Matter bool
	// DueRule is the code of the rule that set the due date, "none" without one (report_law.go).
	DueRule string
	// Acceptance is how a complaint or denunciation was accepted: "on_time" or "late" by the due
	// date it had then, "" when not accepted (or another kind).
	Acceptance string
	// Extensions is how many times its deadline was extended.
	Extensions int
}

// rollupSource is the part of a petition cellOf reads.
type rollupSource struct {
	CommuneID, HamletID, TopicID int64
	Kind                         PetitionKind
	Channel                      Channel
	State                        PetitionState
	Private                      bool
	OnsiteAnswer                 string
	ReceivedAt                   time.Time
	FirstAnsweredAt              *time.Time
	DueOn                        *Date
	ResolvedAt, ClosedAt         *time.Time
	Satisfaction                 *Satisfaction
	MainID                       *int64
	CloseReason                  *CloseReason
	DueRule                      *string
	AcceptedAt                   *time.Time
	AcceptDueOn                  *Date
	Extensions                   int
}

// rollupSourceColumns are the petitions' columns of a rollupSource, in its order.
const rollupSourceColumns = `p.commune_id, p.hamlet_id, p.topic_id, p.kind, p.channel, p.state, p.private, p.onsite_answer,
	p.received_at, p.first_answered_at, p.due_on, p.resolved_at, p.closed_at, p.satisfaction, p.main_id, p.close_reason,
	p.due_rule, p.accepted_at, p.accept_due_on, p.extensions`

// scanRollupSource reads one row of rollupSourceColumns.
func scanRollupSource(scan func(dest ...any) error) (*rollupSource, error) {
	var r rollupSource
	var received, first, resolved, closed, accepted dbTime
	if err := scan(&r.CommuneID, &r.HamletID, &r.TopicID, &r.Kind, &r.Channel, &r.State, &r.Private, &r.OnsiteAnswer,
		&received, &first, &r.DueOn, &resolved, &closed, &r.Satisfaction, &r.MainID, &r.CloseReason,
		&r.DueRule, &accepted, &r.AcceptDueOn, &r.Extensions); err != nil {
		return nil, err
	}
	r.ReceivedAt, r.FirstAnsweredAt, r.ResolvedAt, r.ClosedAt = received.Time, first.ptr(), resolved.ptr(), closed.ptr()
	r.AcceptedAt = accepted.ptr()
	return &r, nil
}

// sourceOf is the part of a stored petition cellOf reads.
func sourceOf(p *Petition) *rollupSource {
	return &rollupSource{CommuneID: p.CommuneID, HamletID: p.HamletID, TopicID: p.TopicID, Kind: p.Kind, Channel: p.Channel,
		State: p.State, Private: p.Private, OnsiteAnswer: p.OnsiteAnswer, ReceivedAt: p.ReceivedAt, FirstAnsweredAt: p.FirstAnsweredAt,
		DueOn: p.DueOn, ResolvedAt: p.ResolvedAt, ClosedAt: p.ClosedAt, Satisfaction: p.Satisfaction, MainID: p.MainID, CloseReason: p.CloseReason,
		DueRule: p.DueRule, AcceptedAt: p.AcceptedAt, AcceptDueOn: p.AcceptDueOn, Extensions: p.Extensions}
}

// cellOf is the cell a petition counts in: every fact of it the figures read.
func cellOf(p *rollupSource) rollupCell {
	c := rollupCell{HamletID: p.HamletID, CommuneID: p.CommuneID, Month: monthOf(calendar.DateOf(p.ReceivedAt)), TopicID: p.TopicID,
		Kind: p.Kind, Channel: p.Channel, State: p.State, OnBoard: !p.Private && p.Kind != KindDenunciation,
		Onsite: p.OnsiteAnswer != "", AnswerHours: -1, CloseHours: -1,
		Matter:  p.MainID == nil && !(p.State == StateClosed && p.CloseReason != nil && *p.CloseReason == ReasonDuplicate),
		DueRule: "none", Extensions: p.Extensions}
	if p.DueRule != nil {
		c.DueRule = *p.DueRule
	}
	if p.AcceptedAt != nil && (p.Kind == KindComplaint || p.Kind == KindDenunciation) {
		c.Acceptance = "on_time"
		if p.AcceptDueOn != nil && calendar.DateOf(*p.AcceptedAt) > *p.AcceptDueOn {
			c.Acceptance = "late"
		}
	}
	if p.FirstAnsweredAt != nil {
		c.AnswerHours = hoursBetween(p.ReceivedAt, *p.FirstAnsweredAt)
		c.OnTime = p.DueOn == nil || calendar.DateOf(*p.FirstAnsweredAt) <= *p.DueOn
	}
	var ended *time.Time
	switch p.State {
	case StateResolved:
		ended = p.ResolvedAt
	case StateClosed:
		ended = p.ClosedAt
	}
	if ended != nil {
		c.CloseHours = hoursBetween(p.ReceivedAt, *ended)
	}
	if p.State.Type() == TypeOpen {
		if p.DueOn != nil {
			c.DueOn = *p.DueOn
		}
	} else {
		c.Satisfaction = SatisfactionUnknown
		if p.Satisfaction != nil && p.Satisfaction.Valid() {
			c.Satisfaction = *p.Satisfaction
		}
	}
	return c
}

// monthOf is the month of a day, "2026-03".
func monthOf(d Date) string {
	return string(d)[:7]
}

// hoursBetween is the whole hours from a to b, never negative: durations are counted in hours.
func hoursBetween(a, b time.Time) int {
	return max(int(b.Sub(a)/time.Hour), 0)
}

// rollupColumns are petition_rollups' cell columns: the facts a report filters or ranges on
// each in its own column, the others packed in facts (cellFacts).
const rollupColumns = "hamlet_id, month, commune_id, topic_id, on_board, facts, answer_hours, close_hours, due_on, due_rule"

// A cell's kind, channel, state, satisfaction, acceptance, on-site answer, answer on time,
// matter and extensions are stored as one integer, facts: a province's report reads thousands
// of cells, and one integer costs PostgreSQL and the driver a fraction of nine columns, six of
// them text. A text is stored as its place in its list below plus one (0 for ""), in four bits
// (two for the acceptance); the flags in one bit each; the extensions from bit 32. The lists
// are part of the stored cells: add to their ends only, and bump rollupVersion with any other
// change to them or to the bits.
var (
	cellKinds        = []PetitionKind{KindReport, KindRecommendation, KindComplaint, KindDenunciation}
	cellChannels     = []Channel{ChannelDialogue, ChannelReception, ChannelLetter, ChannelPhone, ChannelOnline}
	cellStates       = []PetitionState{StateReceived, StateAssigned, StateInProgress, StateReferred, StateAnswered, StateResolved, StateClosed, StateReopened}
	cellSatisfaction = []Satisfaction{VerySatisfied, Satisfied, NotSatisfied, SatisfactionUnknown}
	cellAcceptances  = []string{"on_time", "late"}
)

// The bits of facts.
const (
	factKind         = 0
	factChannel      = 4
	factState        = 8
	factSatisfaction = 12
	factAcceptance   = 16
	factOnsite       = 18
	factOnTime       = 19
	factMatter       = 20
	factExtensions   = 32
)

// cellCode is v's place in list plus one, 0 for the zero value; false when list lacks v or it
// would not fit in bits.
func cellCode[T comparable](list []T, v T, bits uint) (int64, bool) {
	var zero T
	if v == zero {
		return 0, true
	}
	i := slices.Index(list, v)
	return int64(i + 1), i >= 0 && i+1 < 1<<bits
}

// cellValue is the value of a code cellCode gave; false for a code list does not hold.
func cellValue[T any](list []T, facts int64, shift, bits uint) (T, bool) {
	var v T
	code := int((facts >> shift) & (1<<bits - 1))
	if code == 0 {
		return v, true
	}
	if code > len(list) {
		return v, false
	}
	return list[code-1], true
}

// cellFacts packs the cell's facts that have no column of their own.
func (c *rollupCell) cellFacts() (int64, error) {
	kind, ok1 := cellCode(cellKinds, c.Kind, 4)
	channel, ok2 := cellCode(cellChannels, c.Channel, 4)
	state, ok3 := cellCode(cellStates, c.State, 4)
	satisfaction, ok4 := cellCode(cellSatisfaction, c.Satisfaction, 4)
	acceptance, ok5 := cellCode(cellAcceptances, c.Acceptance, 2)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || c.Extensions < 0 {
		return 0, fmt.Errorf("rollups: a petition's facts cannot be stored: kind %q, channel %q, state %q, satisfaction %q, acceptance %q, %d extensions",
			c.Kind, c.Channel, c.State, c.Satisfaction, c.Acceptance, c.Extensions)
	}
	f := kind<<factKind | channel<<factChannel | state<<factState | satisfaction<<factSatisfaction |
		acceptance<<factAcceptance | int64(c.Extensions)<<factExtensions
	for _, flag := range []struct {
		bit uint
		on  bool
	}{{factOnsite, c.Onsite}, {factOnTime, c.OnTime}, {factMatter, c.Matter}} {
		if flag.on {
			f |= 1 << flag.bit
		}
	}
	return f, nil
}

// setFacts unpacks facts into the cell.
func (c *rollupCell) setFacts(f int64) error {
	var ok [5]bool
	c.Kind, ok[0] = cellValue(cellKinds, f, factKind, 4)
	c.Channel, ok[1] = cellValue(cellChannels, f, factChannel, 4)
	c.State, ok[2] = cellValue(cellStates, f, factState, 4)
	c.Satisfaction, ok[3] = cellValue(cellSatisfaction, f, factSatisfaction, 4)
	c.Acceptance, ok[4] = cellValue(cellAcceptances, f, factAcceptance, 2)
	if slices.Contains(ok[:], false) {
		return fmt.Errorf("rollups: facts %#x hold an unknown code", f)
	}
	c.Onsite, c.OnTime, c.Matter = f&(1<<factOnsite) != 0, f&(1<<factOnTime) != 0, f&(1<<factMatter) != 0
	c.Extensions = int(f >> factExtensions)
	return nil
}

// rollupRow is the placeholders of one row of rollupColumns and its count.
var rollupRow = "(" + strings.TrimSuffix(strings.Repeat("?, ", strings.Count(rollupColumns, ",")+2), ", ") + ")"

// values lists the cell's columns for a statement, in rollupColumns' order.
func (c *rollupCell) values() ([]any, error) {
	facts, err := c.cellFacts()
	if err != nil {
		return nil, err
	}
	return []any{c.HamletID, c.Month, c.CommuneID, c.TopicID, c.OnBoard, facts, c.AnswerHours, c.CloseHours,
		string(c.DueOn), c.DueRule}, nil
}

// moveRollup moves a petition's count from the cell it was in (none for a new petition) to
// the cell it is in now, in the caller's transaction: one statement, or none when the cell
// stays. A cell left at 0 stays until SweepRollups. The two cells are written in one order,
// whichever way the petition moves, so two moves between the same cells never deadlock; a
// write path sends it last, so the cells many petitions share stay locked for the commit only.
func (s *Store) moveRollup(ctx context.Context, before, after *Petition) error {
	if after == nil || before == nil {
		deltas := map[rollupCell]int{}
		if after != nil {
			deltas[cellOf(sourceOf(after))]++
		}
		if before != nil {
			deltas[cellOf(sourceOf(before))]--
		}
		return s.addToRollups(ctx, deltas)
	}
	from, to := cellOf(sourceOf(before)), cellOf(sourceOf(after))
	if from == to {
		return nil
	}
	fromValues, err := from.values()
	if err != nil {
		return err
	}
	toValues, err := to.values()
	if err != nil {
		return err
	}
	args := append(append(append(fromValues, -1), toValues...), 1)
	if fmt.Sprint(fromValues...) > fmt.Sprint(toValues...) {
		args = append(append(append(toValues, 1), fromValues...), -1)
	}
	return s.conn(ctx).Exec("INSERT INTO petition_rollups ("+rollupColumns+", n) VALUES "+rollupRow+", "+rollupRow+
		" ON CONFLICT ("+rollupColumns+") DO UPDATE SET n = petition_rollups.n + excluded.n", args...).Error
}

// addToRollups adds counts to cells, creating those not there yet, in one statement.
func (s *Store) addToRollups(ctx context.Context, deltas map[rollupCell]int) error {
	var b strings.Builder
	var args []any
	for c, n := range deltas {
		if n == 0 {
			continue
		}
		if len(args) > 0 {
			b.WriteString(", ")
		}
		values, err := c.values()
		if err != nil {
			return err
		}
		b.WriteString(rollupRow)
		args = append(append(args, values...), n)
	}
	if len(args) == 0 {
		return nil
	}
	return s.conn(ctx).Exec("INSERT INTO petition_rollups ("+rollupColumns+", n) VALUES "+b.String()+
		" ON CONFLICT ("+rollupColumns+") DO UPDATE SET n = petition_rollups.n + excluded.n", args...).Error
}

// SweepRollups deletes the cells no petition is in any more and returns how many it deleted.
// Reports skip them anyway; sweeping keeps the table as small as the petitions' variety. On
// PostgreSQL it deletes only those emptied as of the packs' snapshot (report_packs.go): a report
// reading packs made before the cell emptied needs the empty cell to leave the packed one out;
// without usable packs it waits for them.
func (s *Store) SweepRollups(ctx context.Context) (int64, error) {
	q := "DELETE FROM petition_rollups WHERE n = 0"
	if s.dialect == Postgres {
		q += " AND pg_visible_in_snapshot(changed, (SELECT snap FROM rollup_pack_state WHERE id = 1 AND " + packsUsable + "))"
	}
	res := s.conn(ctx).Exec(q)
	return res.RowsAffected, res.Error
}

// ensureRollups rebuilds the rollups when they were built by another definition, or never.
func (s *Store) ensureRollups(ctx context.Context) (bool, error) {
	rebuilt := false
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if s.dialect == Postgres {
			// Several papi processes may migrate at once: one rebuilds, the others wait and see it done.
			if err := s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(7236105)").Error; err != nil {
				return err
			}
		}
		var versions []int
		if err := s.conn(ctx).Raw("SELECT version FROM rollup_state WHERE name = 'petitions'").Scan(&versions).Error; err != nil {
			return err
		}
		if len(versions) == 1 && versions[0] == rollupVersion {
			return nil
		}
		rebuilt = true
		if err := s.rebuildRollups(ctx); err != nil {
			return err
		}
		return s.conn(ctx).Exec(`INSERT INTO rollup_state (name, version) VALUES ('petitions', ?)
			ON CONFLICT (name) DO UPDATE SET version = excluded.version`, rollupVersion).Error
	})
	return rebuilt, err
}

// RebuildRollups computes every cell again from the petitions: after loading petitions past
// the domain's writes (BulkInsert), or to check the rollups.
func (s *Store) RebuildRollups(ctx context.Context) error {
	return s.WithTx(ctx, s.rebuildRollups)
}

// rebuildRollups empties the rollups and counts every petition again, a hundred hamlets at a
// time (a cell has one hamlet, so each batch of cells is complete). On PostgreSQL it drops the
// packs too: reports read the cells until PackRollups packs them all again.
func (s *Store) rebuildRollups(ctx context.Context) error {
	if err := s.conn(ctx).Exec("DELETE FROM petition_rollups").Error; err != nil {
		return err
	}
	if err := s.dropPacks(ctx); err != nil {
		return err
	}
	var hamlets []int64
	if err := s.conn(ctx).Raw("SELECT id FROM units WHERE level = ? ORDER BY id", LevelHamlet).Scan(&hamlets).Error; err != nil {
		return err
	}
	for start := 0; start < len(hamlets); start += 100 {
		counts, err := s.countCells(ctx, "p.hamlet_id IN ?", hamlets[start:min(start+100, len(hamlets))])
		if err != nil {
			return err
		}
		if err := s.insertCells(ctx, counts); err != nil {
			return err
		}
	}
	return nil
}

// countCells counts the petitions matching a condition by cell.
func (s *Store) countCells(ctx context.Context, cond string, args ...any) (map[rollupCell]int, error) {
	rows, err := s.conn(ctx).Raw("SELECT "+rollupSourceColumns+" FROM petitions p WHERE "+cond, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[rollupCell]int{}
	for rows.Next() {
		src, err := scanRollupSource(rows.Scan)
		if err != nil {
			return nil, err
		}
		counts[cellOf(src)]++
	}
	return counts, rows.Err()
}

// insertCells writes cells and their counts into petition_rollups, a few hundred per statement.
func (s *Store) insertCells(ctx context.Context, counts map[rollupCell]int) error {
	rows := make([][]any, 0, len(counts))
	for c, n := range counts {
		values, err := c.values()
		if err != nil {
			return err
		}
		rows = append(rows, append(values, n))
	}
	const per = 500
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args := make([]any, 0, (end-start)*len(rows[start]))
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		sql := "INSERT INTO petition_rollups (" + rollupColumns + ", n) VALUES " + strings.TrimSuffix(strings.Repeat(rollupRow+", ", end-start), ", ")
		if err := s.conn(ctx).Exec(sql, args...).Error; err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
	}
	return nil
}
