package models_test

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// TestSummaryAppendJSON writes exactly the bytes encoding/json writes for a summary and a series,
// over reports with every field set or left empty in turn: maps nil, empty or past the sorting's
// room, rates of every magnitude, texts of every escape.
func TestSummaryAppendJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		var s models.Summary
		var r models.Series
		if i > 0 {
			fill(rnd, reflect.ValueOf(&s).Elem())
			fill(rnd, reflect.ValueOf(&r).Elem())
		}
		sameJSON(t, i, &s, s.AppendJSON)
		sameJSON(t, i, &r, r.AppendJSON)
	}
}

// sameJSON fails unless encode writes what encoding/json writes for v.
func sameJSON(t *testing.T, i int, v any, encode func([]byte) ([]byte, error)) {
	t.Helper()
	want, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		n := 0
		for n < len(got) && n < len(want) && got[n] == want[n] {
			n++
		}
		t.Fatalf("%T %d differs at byte %d:\n got …%s\nwant …%s", v, i, n, got[max(0, n-80):min(len(got), n+80)], want[max(0, n-80):min(len(want), n+80)])
	}
}
