package models

import (
	"context"
	"sync"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// reportDialogue is one dialogue as a report reads it: the columns its figures count and the
// law's clock judges, and its attendance.
type reportDialogue struct {
	Dialogue
	attended                                bool
	residents, businesses, officials, women int
}

// reportDialogues reads the dialogues of a scope starting from start to end, with their
// attendance, in one statement: a summary's dialogue and attendance figures, the law's judgement
// of the period's notices and results, and the count of its year all come from these rows.
// Each Dialogue holds only the columns read. The rows are read into a buffer kept between
// reports (a province's year is some 400 dialogues, 190 KB, and twice that as the slice grew):
// call done once they are counted, and keep nothing of them.
func (s *Store) reportDialogues(ctx context.Context, sc *reportScope, start, end time.Time) (dialogues []reportDialogue, done func(), err error) {
	buf := dialogueBuffers.Get().(*[]reportDialogue)
	done = func() {
		if cap(*buf) <= maxDialogueBuffer {
			clear(*buf)
			*buf = (*buf)[:0]
			dialogueBuffers.Put(buf)
		}
	}
	cond, args := sc.filter("d")
	*buf, err = findAppend(*buf, s.conn(ctx).Raw(`SELECT d.commune_id, d.status, d.starts_at, d.created_at, d.held_at, d.postponed_count,
			d.notice_published_at, d.results_published_at, d.voter_requested_on, d.voter_request_signatures,
			d.voter_request_voters, a.dialogue_id IS NOT NULL, COALESCE(a.residents, 0), COALESCE(a.businesses, 0),
			COALESCE(a.officials, 0), COALESCE(a.women, 0)
		FROM dialogues d
		`+s.dialect.attendanceJoin()+`
		WHERE `+cond+` AND d.starts_at >= ? AND d.starts_at < ?`, append(args, start, end)...), (*reportDialogue).fields)
	if err != nil {
		done()
		return nil, nil, err
	}
	return *buf, done, nil
}

// dialogueBuffers keeps the buffers reportDialogues reads into, up to maxDialogueBuffer rows
// each (a country's year would hold tens of megabytes between reports).
var dialogueBuffers = sync.Pool{New: func() any { return new([]reportDialogue) }}

const maxDialogueBuffer = 4096

// fields lists where a row of reportDialogues goes, in its columns' order, appended to into.
func (r *reportDialogue) fields(into []any) []any {
	d := &r.Dialogue
	return append(into, &d.CommuneID, &d.Status, &d.StartsAt, &d.CreatedAt, &d.HeldAt, &d.PostponedCount, &d.NoticePublishedAt,
		&d.ResultsPublishedAt, &d.VoterRequestedOn, &d.VoterRequestSignatures, &d.VoterRequestVoters, &r.attended,
		&r.residents, &r.businesses, &r.officials, &r.women)
}

// attendanceJoin joins each dialogue read to its attendance row, as a. PostgreSQL, costing an
// index lookup per dialogue above a pass over the whole table, hashed every attendance row of the
// country to join a province's few hundred dialogues (5 ms of a province's summary, growing with
// the country's dialogues): the lateral subquery, which OFFSET 0 keeps from being flattened into
// that join, looks up each dialogue's row by its key. SQLite looks each one up either way.
func (d Dialect) attendanceJoin() string {
	if d == Postgres {
		return `LEFT JOIN LATERAL (SELECT a.dialogue_id, a.residents, a.businesses, a.officials, a.women
			FROM dialogue_attendance a WHERE a.dialogue_id = d.id OFFSET 0) a ON TRUE`
	}
	return `LEFT JOIN dialogue_attendance a ON a.dialogue_id = d.id`
}

// dialogueSpan is from when to when a summary reads dialogues: its period and, for the law's
// figures, the calendar year the period ends in.
func dialogueSpan(period Period, law bool) (time.Time, time.Time) {
	if !law {
		return period.Start, period.End
	}
	first, last := yearOf(period)
	start, end := period.Start, period.End
	if s := first.Start(); s.Before(start) {
		start = s
	}
	if e := last.End(); e.After(end) {
		end = e
	}
	return start, end
}

// yearOf is the first and last day of the calendar year a period ends in.
func yearOf(period Period) (Date, Date) {
	year := calendar.Date(period.To).Year()
	return calendar.DateFor(year, 1, 1), calendar.DateFor(year, 12, 31)
}

// startsIn tells whether the dialogue starts from start to end.
func (r *reportDialogue) startsIn(start, end time.Time) bool {
	return !r.StartsAt.Before(start) && r.StartsAt.Before(end)
}

// addTo counts the dialogue and its attendance in f; now says whether its minutes are overdue.
func (r *reportDialogue) addTo(f *Figures, now time.Time) {
	d, a := &f.Dialogues, &f.Attendance
	d.Total++
	switch r.Status {
	case DialoguePlanned:
		d.Planned++
	case DialogueHeld:
		d.Held++
		d.TookPlace++
	case DialogueClosed:
		d.Closed++
		d.TookPlace++
	case DialogueCancelled:
		d.Cancelled++
	}
	if r.PostponedCount > 0 {
		d.Postponed++
	}
	if r.minutesOverdue(now) {
		d.MinutesOverdue++
	}
	if r.attended {
		a.Dialogues++
	}
	a.Residents += r.residents
	a.Businesses += r.businesses
	a.Officials += r.officials
	a.Women += r.women
	a.Total += r.residents + r.businesses + r.officials
}

// dialogueFigures counts the dialogues starting in the period and their attendance, per
// commune and bucket of time: bounds are the starts of the buckets after the first (none: one
// bucket), and route gives each bucket's figures and league lines.
func (s *Store) dialogueFigures(dialogues []reportDialogue, sc *reportScope, period Period, bounds []time.Time, route func(bucket int) (*Figures, map[int64]*Figures)) {
	now := s.now()
	for i := range dialogues {
		d := &dialogues[i]
		if !d.startsIn(period.Start, period.End) {
			continue
		}
		bucket := 0
		for bucket < len(bounds) && !d.StartsAt.Before(bounds[bucket]) {
			bucket++
		}
		total, byCommune := route(bucket)
		d.addTo(total, now)
		if f := byCommune[sc.lineOf(d.CommuneID, 0)]; f != nil {
			d.addTo(f, now)
		}
	}
}
