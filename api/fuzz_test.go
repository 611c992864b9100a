package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

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
	// Text PostgreSQL refuses: NUL, escaped or raw, and bytes that are not UTF-8, in keys too.
	`{"username": "\u0000", "password": "\u0000"}`, "{\"username\": \"a\x00b\", \"password\": \"x\"}",
	"{\"username\": \"\xff\xfe\", \"password\": \"\xc3\x28\"}", "{\"full_name\": \"Nguy\xe1\xbb\"}",
	`{"full_name": "x\u0000", "full_name": "y"}`, `{"a\u0000": 1}`, `{"content": "0123456789\u0000", "title": "\u0000"}`,
}

// fuzzEnvs returns a test environment on each database under test, so that every input is tried
// on SQLite and, when PAPI_TEST_DATABASE_URL is set, on PostgreSQL, which refuses more text.
func fuzzEnvs(f *testing.F) []*testEnv {
	var envs []*testEnv
	for _, d := range dbtest.Dialects(f) {
		envs = append(envs, newTestEnv(f, dbtest.Open(f, d)))
	}
	return envs
}

func FuzzLogin(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	envs := fuzzEnvs(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, e := range envs {
			e.t = t // fuzz targets run one at a time per process
			r := e.anon().do("POST", "/api/v1/auth/login", body)
			checkNo500(t, r, body)
		}
	})
}

func FuzzUsers(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	envs := fuzzEnvs(f)
	admins := make([]*client, len(envs))
	for i, e := range envs {
		admins[i] = e.as(e.world.Admin)
	}
	f.Fuzz(func(t *testing.T, body []byte, create bool) {
		for i, e := range envs {
			e.t = t
			var r response
			if create {
				r = admins[i].do("POST", "/api/v1/users", body)
			} else {
				r = admins[i].do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.world.InspectorA.ID), body)
			}
			checkNo500(t, r, body)
		}
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

// writeTarget is a write of a chair that FuzzWrites sends bodies to.
type writeTarget struct {
	c            *client
	method, path string
}

// writeTargets makes the records the writes act on in e and returns the writes.
func writeTargets(f *testing.F, e *testEnv) []writeTarget {
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
	return []writeTarget{
		{chair, "POST", "/api/v1/dialogues"},
		{chair, "PATCH", fmt.Sprintf("/api/v1/dialogues/%d", d.ID)},
		{chair, "POST", fmt.Sprintf("/api/v1/dialogues/%d/transitions", d.ID)},
		{chair, "PUT", fmt.Sprintf("/api/v1/dialogues/%d/attendance", held.ID)},
		{chair, "POST", "/api/v1/petitions"},
		{chair, "POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", p.ID)},
	}
}

// FuzzWrites sends arbitrary bodies to the dialogue and petition writes of a chair.
func FuzzWrites(f *testing.F) {
	for _, s := range append(writeSeeds, fuzzSeeds...) {
		for target := uint8(0); target < 6; target++ {
			f.Add([]byte(s), target)
		}
	}
	envs := fuzzEnvs(f)
	targets := make([][]writeTarget, len(envs))
	for i, e := range envs {
		targets[i] = writeTargets(f, e)
	}
	f.Fuzz(func(t *testing.T, body []byte, target uint8) {
		for i, e := range envs {
			e.t = t
			tg := targets[i][int(target)%len(targets[i])]
			r := tg.c.do(tg.method, tg.path, body)
			checkNo500(t, r, body)
		}
	})
}

// FuzzPublicText sends arbitrary path segments and query strings to the public, unauthenticated
// reads: the board and Open311.
func FuzzPublicText(f *testing.F) {
	for _, seed := range [][2]string{{"TANTHOI-2026-0001", "q=t"}, {"\x00", "q=%00"}, {"\xff\xfe", "q=%C3%28"},
		{"%00", "service_code=N%00S&status=open"}, {"a/b", "jurisdiction_id=%FF&start_date=2026-01-01"}, {"", "status=%E1%BB"}} {
		f.Add(seed[0], seed[1])
	}
	envs := fuzzEnvs(f)
	f.Fuzz(func(t *testing.T, segment, query string) {
		for _, e := range envs {
			e.t = t
			anon := e.anon()
			for _, path := range []string{"/api/v1/public/petitions/" + url.PathEscape(segment), "/api/v1/public/communes",
				"/open311/v2/requests.json", "/open311/v2/requests/" + url.PathEscape(segment) + ".json"} {
				target := path + "?" + rawQuery(query)
				r := anon.do("GET", target, nil)
				if strings.HasPrefix(path, "/open311/") { // errors in the spec's own shape
					if r.Code >= 500 {
						t.Fatalf("status %d for %q: %s", r.Code, target, r.Body)
					}
					continue
				}
				checkNo500(t, r, []byte(target))
			}
		}
	})
}

// rawQuery escapes what may not stand in a request line (spaces, controls, '#', bytes beyond
// ASCII), leaving '%', '&' and '=' for the server to decode, so the fuzzer still reaches it
// with any bytes.
func rawQuery(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if c := q[i]; c <= ' ' || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
