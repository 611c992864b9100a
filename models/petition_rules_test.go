package models

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// petitionRulesFixture is where the SPA's tests read the served rules and the verdicts of models
// on a table of entries (frontend/src/lib/petitionRules.test.ts interprets the one to reach the
// other).
const petitionRulesFixture = "../frontend/src/lib/petitionRules.fixture.json"

// ruleCase is one entry typed at a dialogue held on Day and what models refuse of it, field by
// field, in Vietnamese.
type ruleCase struct {
	Entry    map[string]any    `json:"entry"`
	Day      Date              `json:"day"`
	Problems map[string]string `json:"problems"`
}

// ruleTopics are the topics the cases know: 1 active, 2 no longer used.
var ruleTopics = []Topic{{ID: 1, Code: "GT", Active: true}, {ID: 2, Code: "TL", Active: false}}

// ruleEntries are entries that meet or break each rule of a new petition, over its edges.
func ruleEntries() []ruleCase {
	good := map[string]any{"hamlet_id": 5, "kind": "kien_nghi", "topic_id": 1, "content": "Đề nghị sửa đường liên ấp.",
		"name": "", "id_number": "", "anonymous": false, "onsite_answer": ""}
	with := func(day Date, changes map[string]any) ruleCase {
		e := map[string]any{}
		for k, v := range good {
			e[k] = v
		}
		for k, v := range changes {
			e[k] = v
		}
		return ruleCase{Entry: e, Day: day}
	}
	const today, before = "2026-12-02", "2026-06-30"
	long := func(n int) string { return strings.Repeat("ấ", n) }
	return []ruleCase{
		with(today, nil),
		with(today, map[string]any{"content": "Đường ngập"}),
		with(today, map[string]any{"content": "  Đường ng  "}),
		with(today, map[string]any{"content": long(4000)}),
		with(today, map[string]any{"content": long(4001)}),
		with(today, map[string]any{"topic_id": nil}),
		with(today, map[string]any{"topic_id": 2}),
		with(today, map[string]any{"topic_id": 99}),
		with(today, map[string]any{"anonymous": true, "name": "Nguyễn Văn Ba"}),
		with(today, map[string]any{"anonymous": true}),
		with(today, map[string]any{"name": long(120)}),
		with(today, map[string]any{"name": long(121)}),
		with(today, map[string]any{"onsite_answer": long(4000)}),
		with(today, map[string]any{"onsite_answer": long(4001)}),
		with(today, map[string]any{"id_number": "079123456789"}),
		with(today, map[string]any{"id_number": " 079 123 456 789 "}),
		with(today, map[string]any{"id_number": "123456789"}),
		with(today, map[string]any{"id_number": "b1234567"}),
		with(today, map[string]any{"id_number": "B123456789"}),
		with(today, map[string]any{"id_number": "12345"}),
		with(today, map[string]any{"id_number": "0791234567890"}),
		with(today, map[string]any{"anonymous": true, "id_number": "079123456789"}),
		with(today, map[string]any{"kind": "khieu_nai"}),
		with(today, map[string]any{"kind": "to_cao", "name": "Lê Thị Hoa"}),
		with(today, map[string]any{"kind": "khieu_nai", "id_number": "079123456789"}),
		with(today, map[string]any{"kind": "khieu_nai", "name": "Lê Thị Hoa", "id_number": "079123456789"}),
		with(today, map[string]any{"kind": "khieu_nai", "name": "Lê Thị Hoa", "id_number": "12345"}),
		with(today, map[string]any{"kind": "to_cao", "anonymous": true}),
		with(today, map[string]any{"kind": "phan_anh"}),
		with("2026-07-01", map[string]any{"kind": "to_cao"}),
		with(before, map[string]any{"kind": "khieu_nai"}),
		with("2024-05-10", map[string]any{"kind": "to_cao", "anonymous": true}),
		with(today, map[string]any{"topic_id": 2, "content": "ngắn", "anonymous": true, "name": "Ba", "id_number": "1"}),
	}
}

// judgeByModels is what models refuse of an entry raised at a dialogue held on day: the checks
// CreatePetition makes without the database, and the topic's against ruleTopics.
func judgeByModels(t *testing.T, c ruleCase) map[string]string {
	t.Helper()
	raw, err := json.Marshal(c.Entry)
	if err != nil {
		t.Fatal(err)
	}
	var in PetitionInput
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	dialogue, at := int64(1), c.Day.Start().Add(9*time.Hour)
	in.DialogueID, in.ReceivedAt = &dialogue, &at
	v := &ValidationError{}
	p := petitionDraft(in, v, at.Add(time.Hour))
	var topic *Topic
	for i := range ruleTopics {
		if in.TopicID != nil && ruleTopics[i].ID == *in.TopicID {
			topic = &ruleTopics[i]
		}
	}
	checkPetitionTopic(v, in.TopicID, "", topic)
	requireIdentification(v, p)
	out := map[string]string{}
	for field, m := range v.Fields {
		out[field] = m.VI
	}
	return out
}

// TestPetitionRulesFixtureIsCurrent checks that the fixture the SPA's tests read holds the rules
// the API serves and what models decide of each entry, so that the device, interpreting the
// rules, refuses exactly what the server refuses. PAPI_UPDATE_FIXTURES=1 rewrites it.
func TestPetitionRulesFixtureIsCurrent(t *testing.T) {
	cases := ruleEntries()
	for i := range cases {
		cases[i].Problems = judgeByModels(t, cases[i])
	}
	refused := 0
	for _, c := range cases {
		if len(c.Problems) > 0 {
			refused++
		}
	}
	if refused < len(cases)/2 || refused == len(cases) {
		t.Fatalf("the table should hold both refused and accepted entries: %d of %d refused", refused, len(cases))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	fixture := struct {
		Note   string        `json:"_note"`
		Rules  PetitionRules `json:"rules"`
		Topics []Topic       `json:"topics"`
		Cases  []ruleCase    `json:"cases"`
	}{"Generated by models/petition_rules_test.go (PAPI_UPDATE_FIXTURES=1 go test ./models -run TestPetitionRulesFixtureIsCurrent); do not edit.",
		NewPetitionRules(), ruleTopics, cases}
	if err := enc.Encode(fixture); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("PAPI_UPDATE_FIXTURES") != "" {
		if err := os.WriteFile(petitionRulesFixture, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(petitionRulesFixture)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("%s is out of date: run PAPI_UPDATE_FIXTURES=1 go test ./models -run TestPetitionRulesFixtureIsCurrent", petitionRulesFixture)
	}
}
