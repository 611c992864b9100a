package models_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// jsonTexts are strings encoding/json escapes in every way it has: HTML's <, > and &, quotes
// and backslashes, control characters, bad UTF-8, U+2028 and U+2029, and Vietnamese.
var jsonTexts = []string{"", "Đường liên ấp xuống cấp", `a "quoted" \ back`, "<b>&amp;</b>", "\b\f\n\r\t\x00\x1f\x7f",
	"bad \xff\xfe utf-8 \xe1\xbb", "line\u2028para\u2029end", "emoji 😀 ổ", "Nguye\u0303n Thi\u0323 Lan"}

// fill sets every field of v, a pointer to a struct, to something drawn from rnd: pointers are
// set or nil, slices empty, nil or full, so a field added to Petition shows in the comparison.
func fill(rnd *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if rnd.Intn(3) == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(rnd, v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			zones := []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600), time.FixedZone("X", -5*3600-1800)}
			t := time.Date(1990+rnd.Intn(50), time.Month(1+rnd.Intn(12)), 1+rnd.Intn(28), rnd.Intn(24), rnd.Intn(60), rnd.Intn(60), rnd.Intn(3)*rnd.Intn(1e9), zones[rnd.Intn(3)])
			v.Set(reflect.ValueOf(t))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(rnd, v.Field(i))
			}
		}
	case reflect.Slice:
		switch rnd.Intn(3) {
		case 0:
			v.Set(reflect.Zero(v.Type()))
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			n := 1 + rnd.Intn(4)
			v.Set(reflect.MakeSlice(v.Type(), n, n))
			for i := 0; i < n; i++ {
				fill(rnd, v.Index(i))
			}
		}
	case reflect.Map:
		if rnd.Intn(4) == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for n := rnd.Intn(24); n > 0; n-- {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(rnd, k)
			k.SetString(k.String() + string(rune('a'+rnd.Intn(26))))
			fill(rnd, e)
			v.SetMapIndex(k, e)
		}
	case reflect.Float64:
		// Rates and medians: of every magnitude, either side of encoding/json's switch to exponents.
		v.SetFloat(math.Ldexp(rnd.Float64(), rnd.Intn(160)-80) * float64(1-2*rnd.Intn(2)))
	case reflect.String:
		v.SetString(jsonTexts[rnd.Intn(len(jsonTexts))])
	case reflect.Bool:
		v.SetBool(rnd.Intn(2) == 0)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(rnd.Int63n(1<<40) - 1<<20)
	default:
		panic("fill: no value for " + v.Type().String())
	}
}

// TestPetitionAppendJSON writes exactly the bytes encoding/json writes for a petition, over
// petitions with every field set or left empty in turn.
func TestPetitionAppendJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var p models.Petition
		if i > 0 {
			fill(rnd, reflect.ValueOf(&p).Elem())
		}
		want, err := json.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("petition %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestPublicPetitionAppendJSON writes exactly the bytes encoding/json writes for a petition of
// the public board.
func TestPublicPetitionAppendJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(3))
	for i := 0; i < 3000; i++ {
		var p models.PublicPetition
		if i > 0 {
			fill(rnd, reflect.ValueOf(&p).Elem())
		}
		want, err := json.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("public petition %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestOverduePetitionAppendJSON writes exactly the bytes encoding/json writes for a line of the
// overdue list.
func TestOverduePetitionAppendJSON(t *testing.T) {
	rnd := rand.New(rand.NewSource(5))
	for i := 0; i < 3000; i++ {
		var p models.OverduePetition
		if i > 0 {
			fill(rnd, reflect.ValueOf(&p).Elem())
		}
		want, err := json.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("overdue petition %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestAppendJSONString escapes strings as encoding/json does, byte for byte, on random bytes.
func TestAppendJSONString(t *testing.T) {
	rnd := rand.New(rand.NewSource(2))
	texts := append([]string{}, jsonTexts...)
	for i := 0; i < 5000; i++ {
		b := make([]byte, rnd.Intn(24))
		for j := range b {
			b[j] = byte(rnd.Intn(256))
		}
		texts = append(texts, string(b), string(bytes.Runes(b)))
	}
	// Bytes at the edges of UTF-8's sequences: overlong and surrogate leads, cut sequences,
	// U+2028's neighbours.
	edges := []byte{'a', '"', 0x80, 0x9F, 0xA0, 0xA8, 0xA9, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xE2, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF}
	for i := 0; i < 20000; i++ {
		b := make([]byte, rnd.Intn(8))
		for j := range b {
			b[j] = edges[rnd.Intn(len(edges))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		want, _ := json.Marshal(s)
		if got := models.AppendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
}

// TestPetitionAppendJSONBadYear fails where encoding/json fails: a time it cannot write.
func TestPetitionAppendJSONBadYear(t *testing.T) {
	p := models.Petition{ReceivedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := json.Marshal(&p); err == nil {
		t.Fatal("encoding/json wrote year 10000")
	}
	if _, err := p.AppendJSON(nil); err == nil {
		t.Fatal("AppendJSON wrote year 10000")
	}
}
