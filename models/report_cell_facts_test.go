package models

import (
	"strings"
	"testing"
)

// Every value a petition can hold survives packing into a cell's facts and back, each fact
// apart from the others; a value the lists do not know is refused, not stored as another.
func TestCellFactsKeepEveryValue(t *testing.T) {
	n := 0
	for _, kind := range PetitionKinds() {
		for _, channel := range []Channel{ChannelDialogue, ChannelReception, ChannelLetter, ChannelPhone, ChannelOnline} {
			for _, state := range PetitionStates() {
				for _, sat := range []Satisfaction{"", VerySatisfied, Satisfied, NotSatisfied, SatisfactionUnknown} {
					for _, acc := range []string{"", "on_time", "late"} {
						for flags := range 8 {
							c := rollupCell{Kind: kind, Channel: channel, State: state, Satisfaction: sat, Acceptance: acc,
								Onsite: flags&1 != 0, OnTime: flags&2 != 0, Matter: flags&4 != 0, Extensions: (n % 5) * 1000003}
							f, err := c.cellFacts()
							if err != nil {
								t.Fatal(err)
							}
							var back rollupCell
							if err := back.setFacts(f); err != nil {
								t.Fatal(err)
							}
							if back != c {
								t.Fatalf("%+v came back as %+v", c, back)
							}
							n++
						}
					}
				}
			}
		}
	}
	if n != 4*5*8*5*3*8 {
		t.Fatalf("%d combinations", n)
	}
	for _, c := range []rollupCell{{Kind: "petition"}, {Channel: "fax"}, {State: "lost"}, {Satisfaction: "meh"},
		{Acceptance: "maybe"}, {Extensions: -1}} {
		if _, err := c.cellFacts(); err == nil || !strings.Contains(err.Error(), "cannot be stored") {
			t.Errorf("%+v: %v", c, err)
		}
	}
	var c rollupCell
	if err := c.setFacts(15 << factState); err == nil {
		t.Error("an unknown state code was read")
	}
}
