package models

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// randomCell is a cell of any kind, channel, state, view, rule and time taken, some with
// values no list holds (counted apart) and topics past the counted slots.
func randomCell(r *rand.Rand) rollupCell {
	pick := func(n int) int { return r.IntN(n) }
	kinds, states := PetitionKinds(), PetitionStates()
	channels := append([]Channel{}, reportChannels...)
	sats := []Satisfaction{"", VerySatisfied, Satisfied, NotSatisfied, SatisfactionUnknown, "other"}
	rules := []string{"none", RuleReception, RuleComplaintAccept, RuleDenunciationAccept, "topic", "local_rule"}
	c := rollupCell{HamletID: int64(pick(6)), CommuneID: int64(pick(4)), TopicID: int64(pick(12)),
		Kind: kinds[pick(len(kinds))], Channel: channels[pick(len(channels))], State: states[pick(len(states))],
		OnBoard: pick(2) == 0, Onsite: pick(3) == 0, AnswerHours: pick(400) - 100, OnTime: pick(2) == 0,
		CloseHours: pick(900) - 300, Satisfaction: sats[pick(len(sats))], Matter: pick(4) != 0,
		DueRule: rules[pick(len(rules))], Acceptance: []string{"", "on_time", "late"}[pick(3)], Extensions: pick(3)}
	if pick(10) == 0 {
		c.TopicID = topicSlots + int64(pick(3))
	}
	if pick(2) == 0 {
		c.DueOn = Date([]string{"2026-11-20", "2026-12-03", "2026-12-20"}[pick(3)])
	}
	if pick(30) == 0 {
		c.Kind = "other_kind"
	}
	return c
}

// A whole counted from its lines (tally.mergeLines) has the figures of the whole counted from
// every cell: petitions and the law's, whatever the cells hold.
func TestMergedLinesEqualTheWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	today := Date("2026-12-03")
	topics := []Topic{}
	for id := range topicSlots + 3 {
		topics = append(topics, Topic{ID: int64(id), Code: "T"})
	}
	for round := range 300 {
		var whole PetitionFigures
		wholeLaw := newLawFigures()
		merged, mergedLaw := PetitionFigures{}, newLawFigures()
		lines := make([]PetitionFigures, 1+r.IntN(5))
		lawLines := make([]*LawFigures, len(lines))
		for i := range lawLines {
			lawLines[i] = newLawFigures()
		}
		for range r.IntN(200) {
			c, n := randomCell(r), 1+r.IntN(3)
			whole.addCell(&c, n, today)
			wholeLaw.addCell(&c, n, today)
			i := r.IntN(len(lines))
			lines[i].addCell(&c, n, today)
			lawLines[i].addCell(&c, n, today)
		}
		for i := range lines {
			merged.merge(&lines[i])
			mergedLaw.mergeCells(lawLines[i])
		}
		whole.finish(topics)
		merged.finish(topics)
		wholeLaw.finish()
		mergedLaw.finish()
		for _, pair := range [][2]any{{whole, merged}, {wholeLaw, mergedLaw}} {
			want, _ := json.Marshal(pair[0])
			got, _ := json.Marshal(pair[1])
			if string(got) != string(want) {
				t.Fatalf("round %d: merged lines\n%s\nwant\n%s", round, got, want)
			}
		}
	}
}
