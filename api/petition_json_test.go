package api

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"net/http"
	"reflect"
	"strconv"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// TestPetitionAnswersAsEncodingJSON sends the petition list and the petition's page byte for
// byte as encoding/json encodes what the store answers, petitioner, consent and a next page
// included.
func TestPetitionAnswersAsEncodingJSON(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		var last map[string]any
		for _, extra := range []map[string]any{nil, {"content": `Đèn <hỏng> & "tối"` + "\n" + `\ thôn`},
			{"name": "Nguyễn Văn A", "phone": "0912345678", "consent": map[string]any{"agrees": true, "channel": "sms", "contact": "0912345678"}}} {
			last = sec.createPetition(t, extra)
		}
		ctx := context.Background()
		actor := e.world.Actor(t, e.store, e.world.SecretaryA)
		for _, size := range []int{2, 50} {
			r := sec.do("GET", "/api/v1/petitions?limit="+strconv.Itoa(size), nil)
			expect(t, r, http.StatusOK)
			items, next, err := e.store.Petitions(ctx, actor, models.PetitionFilter{Page: models.Page{Limit: size}})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(gin.H{"items": items, "next_cursor": next})
			if got := r.Body.String(); got != string(want) {
				t.Fatalf("list of %d:\n got %s\nwant %s", size, got, want)
			}
			if r.Header().Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("Content-Type %q", r.Header().Get("Content-Type"))
			}
		}
		id := int64(last["id"].(float64))
		r := sec.do("GET", "/api/v1/petitions/"+strconv.FormatInt(id, 10), nil)
		expect(t, r, http.StatusOK)
		p, err := e.store.Petition(ctx, actor, id)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(p)
		if got := r.Body.String(); got != string(want) {
			t.Fatalf("petition:\n got %s\nwant %s", got, want)
		}
	})
}

// TestPublicBoardAsEncodingJSON sends a commune's public board byte for byte as encoding/json
// encodes what the store answers, a masked petitioner and a next page included.
func TestPublicBoardAsEncodingJSON(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		for _, extra := range []map[string]any{nil, {"content": `Bà Nguyễn Thị Lan <0912 345 678> & "đèn" hỏng`, "name": "Nguyễn Thị Lan", "phone": "0912345678"}, nil} {
			sec.createPetition(t, extra)
		}
		communeID := e.world.CommuneA.ID
		for _, size := range []int{2, 50} {
			r := e.anon().do("GET", "/api/v1/public/communes/"+strconv.FormatInt(communeID, 10)+"/petitions?limit="+strconv.Itoa(size), nil)
			expect(t, r, http.StatusOK)
			items, next, err := e.store.PublicPetitions(context.Background(), communeID, models.PublicFilter{Page: models.Page{Limit: size}})
			if err != nil || len(items) < 2 {
				t.Fatalf("%d items, %v", len(items), err)
			}
			want, _ := json.Marshal(gin.H{"items": items, "next_cursor": next})
			if got := r.Body.String(); got != string(want) {
				t.Fatalf("board of %d:\n got %s\nwant %s", size, got, want)
			}
		}
	})
}

// TestOpen311RequestAppendJSON writes exactly the bytes encoding/json writes for a list of
// service requests, extended or not.
func TestOpen311RequestAppendJSON(t *testing.T) {
	texts := []string{"", "UBND Tân Thới", `<a href="x">&</a>`, "dòng\nmới\t\\", "bad \xff", "\u2028", "2026-12-03T00:12:31+07:00"}
	rnd := rand.New(rand.NewSource(4))
	for i := 0; i < 2000; i++ {
		reqs := make([]open311Request, rnd.Intn(4))
		for j := range reqs {
			v := reflect.ValueOf(&reqs[j]).Elem()
			for k := 0; k < v.NumField(); k++ {
				if f := v.Field(k); f.Kind() == reflect.String {
					f.SetString(texts[rnd.Intn(len(texts))])
				}
			}
			if rnd.Intn(2) == 0 {
				reqs[j].Extended = &open311Extended{TimesRaised: rnd.Intn(5), MainRequestID: texts[rnd.Intn(len(texts))]}
			}
		}
		want, _ := json.Marshal(reqs)
		got := []byte{'['}
		for j := range reqs {
			if j > 0 {
				got = append(got, ',')
			}
			got, _ = reqs[j].AppendJSON(got)
		}
		if got = append(got, ']'); !bytes.Equal(got, want) {
			t.Fatalf("requests %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
