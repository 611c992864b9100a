package api

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// checkNo500 fails when a reply is a server error or leaves the one error shape.
func checkNo500(t *testing.T, r response, body []byte) {
	t.Helper()
	if r.Code >= 500 {
		t.Fatalf("status %d for body %q: %s", r.Code, body, r.Body.String())
	}
	if r.Code >= 400 {
		var e errorBody
		if err := json.Unmarshal(r.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("status %d without the error shape for body %q: %s", r.Code, body, r.Body.String())
		}
	}
}

var fuzzSeeds = []string{
	``, `{`, `null`, `[]`, `"x"`, `{}`, `{"username": null}`, `{"username": 1e400}`,
	`{"username": "admin", "password": "test-password"}`, `{"username": "ádmin\u0000", "password": "\ud800"}`,
	`{"username": ["a"], "password": {"x": 1}}`, `{"username": "x", "password": "x", "extra": [1, 2, {}]}`,
	`{"username": "a.b", "password": "long-enough-1", "role": "secretary", "unit_id": 4}`,
	`{"username": "a.b", "password": "long-enough-1", "role": "admin", "unit_id": -1}`,
	`{"unit_id": 9223372036854775807, "role": "inspector", "full_name": "Nguyễn"}`,
	`{"active": "yes", "version": 1.5}`, `{"full_name": "` + string(make([]byte, 300)) + `"}`,
}

func FuzzLogin(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	e := newTestEnv(f, dbtest.Open(f, models.SQLite))
	f.Fuzz(func(t *testing.T, body []byte) {
		e.t = t // fuzz targets run one at a time per process
		r := e.anon().do("POST", "/api/v1/auth/login", body)
		checkNo500(t, r, body)
	})
}

func FuzzUsers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	e := newTestEnv(f, dbtest.Open(f, models.SQLite))
	admin := e.as(e.world.Admin)
	f.Fuzz(func(t *testing.T, body []byte, create bool) {
		e.t = t
		var r response
		if create {
			r = admin.do("POST", "/api/v1/users", body)
		} else {
			r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.world.InspectorA.ID), body)
		}
		checkNo500(t, r, body)
	})
}

var writeSeeds = []string{
	`{"commune_id": 1, "hamlet_ids": [1], "title": "Đối thoại", "starts_at": "2026-01-01T08:00:00+07:00"}`,
	`{"commune_id": "x", "hamlet_ids": "y", "starts_at": "not a time", "agenda": [1, 2]}`,
	`{"commune_id": 1, "hamlet_id": 1, "kind": "to_cao", "topic_code": "NS", "content": "0123456789", "received_at": "9999-12-31T00:00:00Z"}`,
	`{"to": "answered", "version": -1, "answer": ""}`, `{"to": "closed", "reason": "duplicate", "duplicate_of": 0}`,
	`{"residents": -1, "women": 1e9, "attendees": [{"name": "", "group": "x"}]}`,
	`{"to": "postponed", "new_starts_at": "2026-13-45T99:99"}`, `{"due_on": "31/02/2026"}`,
}

// FuzzWrites sends arbitrary bodies to the dialogue and petition writes of a chair.
func FuzzWrites(f *testing.F) {
	for _, s := range append(writeSeeds, fuzzSeeds...) {
		for target := uint8(0); target < 6; target++ {
			f.Add([]byte(s), target)
		}
	}
	e := newTestEnv(f, dbtest.Open(f, models.SQLite))
	w := e.world
	chair := e.as(w.ChairA)
	var d, held, p struct {
		ID int64 `json:"id"`
	}
	create := func(path string, body any, into any) {
		r := chair.do("POST", path, body)
		if r.Code != 201 {
			f.Fatalf("%s: %d %s", path, r.Code, r.Body)
		}
		r.decode(f, into)
	}
	create("/api/v1/dialogues", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_ids": []int64{w.HamletA1.ID},
		"title": "Đối thoại ấp Tân Hòa", "starts_at": "2026-01-05T08:00:00+07:00"}, &d)
	create("/api/v1/dialogues", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_ids": []int64{w.HamletA2.ID},
		"title": "Đối thoại ấp Tân Bình", "starts_at": "2026-01-06T08:00:00+07:00"}, &held)
	if r := chair.do("POST", fmt.Sprintf("/api/v1/dialogues/%d/transitions", held.ID), map[string]any{"to": "held", "version": 1}); r.Code != 200 {
		f.Fatalf("hold: %d %s", r.Code, r.Body)
	}
	create("/api/v1/petitions", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID, "channel": "reception",
		"kind": "kien_nghi", "topic_code": "NS", "content": "Đề nghị lắp đặt đường ống nước sạch."}, &p)
	targets := []struct{ method, path string }{
		{"POST", "/api/v1/dialogues"},
		{"PATCH", fmt.Sprintf("/api/v1/dialogues/%d", d.ID)},
		{"POST", fmt.Sprintf("/api/v1/dialogues/%d/transitions", d.ID)},
		{"PUT", fmt.Sprintf("/api/v1/dialogues/%d/attendance", held.ID)},
		{"POST", "/api/v1/petitions"},
		{"POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", p.ID)},
	}
	f.Fuzz(func(t *testing.T, body []byte, target uint8) {
		e.t = t
		tg := targets[int(target)%len(targets)]
		r := chair.do(tg.method, tg.path, body)
		checkNo500(t, r, body)
	})
}
