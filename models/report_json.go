package models

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// A province's summary is a hundred league lines of some eighty figures each, seven of them
// maps: encoding/json's reflection over every field, and its copying of every map key and value,
// was a sixth of the summary's time and most of its allocations. AppendJSON here writes the same
// bytes encoding/json writes for these types (field order, maps with sorted keys, strings and
// numbers as it writes them); TestSummaryAppendJSON holds them to that over randomly filled
// summaries, so a field added to one of these types fails it until its encoder writes it too.

// AppendJSON appends the summary as encoding/json encodes it to b.
func (s *Summary) AppendJSON(b []byte) ([]byte, error) {
	b, err := appendReportHead(b, &s.Unit, s.Period, s.AsOf)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"generated_at":`...)
	if b, err = appendJSONTime(b, s.GeneratedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"figures":`...)
	b = s.Figures.appendJSON(b)
	b = append(b, `,"basis":`...)
	b = appendJSONString(b, string(s.Basis))
	b = append(b, `,"sort":`...)
	b = appendJSONString(b, s.Sort)
	b = append(b, `,"communes":`...)
	b = appendJSONList(b, s.Communes, (*CommuneFigures).appendJSON)
	b = append(b, `,"law":`...)
	b = s.Law.appendJSON(b)
	return append(b, '}'), nil
}

// AppendJSON appends the series as encoding/json encodes it to b.
func (s *Series) AppendJSON(b []byte) ([]byte, error) {
	b, err := appendReportHead(b, &s.Unit, s.Period, s.AsOf)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"basis":`...)
	b = appendJSONString(b, string(s.Basis))
	b = append(b, `,"months":`...)
	if s.Months == nil {
		return append(b, `null}`...), nil
	}
	b = append(b, '[')
	for i := range s.Months {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"period":`...)
		if b, err = appendMarshaled(b, s.Months[i].Period); err != nil {
			return nil, err
		}
		b = append(b, `,"figures":`...)
		b = s.Months[i].Figures.appendJSON(b)
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendReportHead opens a report's object with the fields a summary and a series begin with:
// its unit, its period and the day it counts as of.
func appendReportHead(b []byte, unit *ReportUnit, period Period, asOf Date) ([]byte, error) {
	b = append(b, `{"unit":`...)
	b = unit.appendJSON(b)
	b = append(b, `,"period":`...)
	b, err := appendMarshaled(b, period)
	if err != nil {
		return nil, err
	}
	b = append(b, `,"as_of":`...)
	return appendJSONString(b, string(asOf)), nil
}

// appendMarshaled appends what encoding/json writes for v: for the one small value of a report
// (its period) that is not worth an encoder of its own.
func appendMarshaled(b []byte, v any) ([]byte, error) {
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

func (u *ReportUnit) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, u.ID, 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, u.Name)
	b = append(b, `,"level":`...)
	b = appendJSONString(b, string(u.Level))
	b = append(b, `,"code":`...)
	b = appendJSONStringPtr(b, u.Code)
	return append(b, '}')
}

func (c *CommuneFigures) appendJSON(b []byte) []byte {
	b = append(b, `{"commune":`...)
	b = c.Commune.appendJSON(b)
	b = append(b, `,"figures":`...)
	b = c.Figures.appendJSON(b)
	b = append(b, `,"law":`...)
	b = c.Law.appendJSON(b)
	return append(b, '}')
}

func (f *Figures) appendJSON(b []byte) []byte {
	d, a := &f.Dialogues, &f.Attendance
	b = appendJSONInts(b, intField{`{"dialogues":{"total":`, d.Total}, intField{`,"planned":`, d.Planned},
		intField{`,"held":`, d.Held}, intField{`,"closed":`, d.Closed}, intField{`,"cancelled":`, d.Cancelled},
		intField{`,"took_place":`, d.TookPlace}, intField{`,"postponed":`, d.Postponed},
		intField{`,"minutes_overdue":`, d.MinutesOverdue})
	b = appendJSONInts(b, intField{`},"attendance":{"dialogues":`, a.Dialogues},
		intField{`,"residents":`, a.Residents}, intField{`,"businesses":`, a.Businesses},
		intField{`,"officials":`, a.Officials}, intField{`,"women":`, a.Women}, intField{`,"total":`, a.Total})
	b = append(b, `},"petitions":`...)
	b = f.Petitions.appendJSON(b)
	return append(b, '}')
}

func (f *PetitionFigures) appendJSON(b []byte) []byte {
	b = appendJSONInts(b, intField{`{"total":`, f.Total}, intField{`,"matters":`, f.Matters})
	b = append(b, `,"by_topic":`...)
	b = appendJSONList(b, f.ByTopic, (*TopicCount).appendJSON)
	b = append(b, `,"by_kind":`...)
	b = appendSortedMap(b, f.ByKind, appendJSONInt)
	b = append(b, `,"by_channel":`...)
	b = appendSortedMap(b, f.ByChannel, appendJSONInt)
	b = append(b, `,"by_state":`...)
	b = appendSortedMap(b, f.ByState, appendJSONInt)
	b = append(b, `,"by_state_type":`...)
	b = appendSortedMap(b, f.ByStateType, appendJSONInt)
	b = appendJSONInts(b, intField{`,"open":`, f.Open}, intField{`,"overdue_open":`, f.OverdueOpen},
		intField{`,"awaiting_closure":`, f.AwaitingClosure},
		intField{`,"answered_on_the_spot":`, f.AnsweredOnTheSpot},
		intField{`,"answered_in_writing":`, f.AnsweredInWriting}, intField{`,"resolved":`, f.Resolved},
		intField{`,"closed":`, f.Closed})
	b = append(b, `,"on_time":`...)
	b = appendOnTimeRate(b, f.OnTime)
	b = append(b, `,"median_days_to_first_answer":`...)
	b = appendJSONFloatPtr(b, f.MedianDaysToFirstAnswer)
	b = append(b, `,"median_days_to_closure":`...)
	b = appendJSONFloatPtr(b, f.MedianDaysToClosure)
	b = append(b, `,"satisfaction":`...)
	b = appendSortedMap(b, f.Satisfaction, appendJSONInt)
	b = appendJSONInts(b, intField{`,"satisfied":{"satisfied":`, f.Satisfied.Satisfied},
		intField{`,"rated":`, f.Satisfied.Rated})
	b = append(b, `,"rate":`...)
	b = appendJSONFloatPtr(b, f.Satisfied.Rate)
	return append(b, "}}"...)
}

func (t *TopicCount) appendJSON(b []byte) []byte {
	b = append(b, `{"topic_id":`...)
	b = strconv.AppendInt(b, t.TopicID, 10)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, t.Code)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, t.Name)
	b = append(b, `,"name_en":`...)
	b = appendJSONString(b, t.NameEN)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(t.Count), 10)
	return append(b, '}')
}

func (f *LawFigures) appendJSON(b []byte) []byte {
	if f == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"on_time_by_kind":`...)
	b = appendSortedMap(b, f.OnTimeByKind, appendOnTimeRate)
	b = append(b, `,"on_time_by_rule":`...)
	b = appendSortedMap(b, f.OnTimeByRule, appendOnTimeRate)
	a, e, d := &f.Acceptance, &f.Extensions, &f.Dialogues
	b = appendJSONInts(b, intField{`,"acceptance":{"accepted":`, a.Accepted},
		intField{`,"on_time":`, a.OnTime}, intField{`,"overdue":`, a.Overdue})
	b = append(b, `,"rate":`...)
	b = appendJSONFloatPtr(b, a.Rate)
	b = appendJSONInts(b, intField{`},"extensions":{"petitions":`, e.Petitions},
		intField{`,"extensions":`, e.Extensions}, intField{`},"dialogues":{"notice_on_time":`, d.NoticeOnTime},
		intField{`,"notice_late":`, d.NoticeLate})
	b = append(b, `,"notice_rate":`...)
	b = appendJSONFloatPtr(b, d.NoticeRate)
	b = appendJSONInts(b, intField{`,"results_on_time":`, d.ResultsOnTime},
		intField{`,"results_late":`, d.ResultsLate}, intField{`,"results_pending":`, d.ResultsPending})
	b = append(b, `,"results_rate":`...)
	b = appendJSONFloatPtr(b, d.ResultsRate)
	b = appendJSONInts(b, intField{`,"voter_requested":`, d.VoterRequested},
		intField{`,"voter_requested_owed":`, d.VoterRequestedOwed}, intField{`,"year":`, d.Year})
	b = append(b, `,"year_over":`...)
	b = strconv.AppendBool(b, d.YearOver)
	b = appendJSONInts(b, intField{`,"required":`, d.Required}, intField{`,"held_in_year":`, d.HeldInYear})
	b = append(b, `,"without_dialogue":`...)
	b = appendJSONList(b, d.WithoutDialogue, (*ReportUnit).appendJSON)
	return append(b, "}}"...)
}

// intField is the JSON before a number (the punctuation and the field's name) and the number.
type intField struct {
	open string
	n    int
}

// appendJSONInts appends fields of numbers.
func appendJSONInts(b []byte, fields ...intField) []byte {
	for _, f := range fields {
		b = append(b, f.open...)
		b = strconv.AppendInt(b, int64(f.n), 10)
	}
	return b
}

func appendJSONInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

// appendJSONList appends a slice as encoding/json does (nil as null), each item by its encoder.
func appendJSONList[T any](b []byte, items []T, item func(*T, []byte) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = item(&items[i], b)
	}
	return append(b, ']')
}

// appendOnTimeRate appends r as encoding/json encodes an OnTimeRate.
func appendOnTimeRate(b []byte, r OnTimeRate) []byte {
	b = appendJSONInts(b, intField{`{"on_time":`, r.OnTime}, intField{`,"answered":`, r.Answered})
	b = append(b, `,"rate":`...)
	return append(appendJSONFloatPtr(b, r.Rate), '}')
}

// appendSortedMap appends m as encoding/json encodes a map with string keys: keys in byte
// order, a nil map as null.
func appendSortedMap[K ~string, V any](b []byte, m map[K]V, value func([]byte, V) []byte) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var room [16]K
	keys := room[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(k))
		b = append(b, ':')
		b = value(b, m[k])
	}
	return append(b, '}')
}

// appendJSONFloatPtr appends a finite float64 as encoding/json writes it, nil as null: plain
// digits from 1e-6 up to 1e21, an exponent without leading zeros outside. The figures' rates
// and medians are finite.
func appendJSONFloatPtr(b []byte, p *float64) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	f := *p
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-07 to e-7, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
