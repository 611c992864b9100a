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
