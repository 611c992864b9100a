package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestTextPostgreSQLRefusesIsRefusedAtTheEdge checks that a NUL or bytes that are not UTF-8, in a
// JSON field, a query parameter, a path segment or an Idempotency-Key, are answered 400 or 422
// naming where they are, on both databases alike, signed in or not: never a 500 from
// PostgreSQL (SQLSTATE 22021), never stored by SQLite.
func TestTextPostgreSQLRefusesIsRefusedAtTheEdge(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		anon, sec := e.anon(), e.as(e.world.SecretaryA)
		petition := fmt.Sprintf(`{"commune_id": %d, "hamlet_id": %d, "kind": "kien_nghi", "topic_code": "NS",
			"content": "Đề nghị sửa đường\u0000 ống nước."}`, e.world.CommuneA.ID, e.world.HamletA1.ID)
		for _, tc := range []struct {
			name   string
			c      *client
			method string
			path   string
			body   any
			header []string
			status int
			field  string
		}{
			{"NUL in the sign-in username", anon, "POST", "/api/v1/auth/login", `{"username": "chair\u0000.a", "password": "x"}`, nil, 422, "username"},
			{"sign-in body not UTF-8", anon, "POST", "/api/v1/auth/login", []byte("{\"username\": \"chair\xff\", \"password\": \"x\"}"), nil, 400, ""},
			{"NUL in a key", anon, "POST", "/api/v1/auth/login", `{"user\u0000name": "x", "password": "x"}`, nil, 422, "user\x00name"},
			{"NUL in a nested value", sec, "POST", "/api/v1/petitions", petition, nil, 422, "content"},
			{"NUL in a public path", anon, "GET", "/api/v1/public/petitions/TANTHOI%00", nil, nil, 400, ""},
			{"bad UTF-8 in a public path", anon, "GET", "/api/v1/public/petitions/TANTHOI%FF", nil, nil, 400, ""},
			{"bad UTF-8 in an Open311 path", anon, "GET", "/open311/v2/requests/X%C3.json", nil, nil, 400, ""},
			{"NUL in a public query", anon, "GET", "/api/v1/public/communes?q=t%00", nil, nil, 422, "q"},
			{"bad UTF-8 in an Open311 query", anon, "GET", "/open311/v2/requests.json?service_code=N%FFS", nil, nil, 422, "service_code"},
			{"bad UTF-8 in a signed-in query", sec, "GET", "/api/v1/petitions?q=n%E1%BB", nil, nil, 422, "q"},
			{"bad UTF-8 in an Idempotency-Key", sec, "POST", "/api/v1/petitions", "{}", []string{"Idempotency-Key", "k\xff"}, 422, "Idempotency-Key"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.c.do(tc.method, tc.path, tc.body, tc.header...)
				expect(t, r, tc.status)
				if tc.field != "" {
					if f := fieldErrors(t, r); f[strings.ReplaceAll(tc.field, "\x00", "\\u0000")] == "" && f[tc.field] == "" {
						t.Fatalf("field %q not named: %v", tc.field, f)
					}
				}
			})
		}
	})
}

// TestJSONBodiesAreReadStrictly checks that what encoding/json would accept silently (data after
// the document, a second document, a duplicate key, an unknown field) is refused with 400 naming
// the problem, and that ids are plain decimal.
func TestJSONBodiesAreReadStrictly(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		anon, sec := e.anon(), e.as(e.world.SecretaryA)
		login := `{"username": "chair.a", "password": "wrong-password"}`
		for _, tc := range []struct {
			name, body, code, names string
		}{
			{"trailing data", login + ` x`, "trailing_data", ""},
			{"two documents", login + login, "trailing_data", ""},
			{"duplicate key", `{"username": "chair.a", "username": "admin", "password": "x"}`, "duplicate_key", "username"},
			{"unknown field", `{"username": "chair.a", "password": "x", "remember_me": true}`, "unknown_field", "remember_me"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := anon.do("POST", "/api/v1/auth/login", tc.body)
				expect(t, r, http.StatusBadRequest)
				var body errorBody
				r.decode(t, &body)
				if body.Error.Code != tc.code || !strings.Contains(body.Error.Message, tc.names) {
					t.Fatalf("got %+v", body.Error)
				}
			})
		}
		// Inside nested objects too, named by their path.
		r := sec.do("POST", "/api/v1/dialogues", `{"title": "Đối thoại", "agenda": ["a"], "hamlet_ids": [1], "venue": {"x": 1, "x": 2}}`)
		expect(t, r, http.StatusBadRequest)
		if !strings.Contains(r.Body.String(), "venue.x") {
			t.Fatalf("nested duplicate: %s", r.Body)
		}
		// Whitespace after the document is no trailing data.
		expect(t, anon.do("POST", "/api/v1/auth/login", login+"\n\t "), http.StatusUnauthorized)

		p := e.world.CommuneA.ID
		for _, path := range []string{"+%d", "0%d", "%d.0", " %d", "%d "} {
			expect(t, sec.do("GET", "/api/v1/units/"+strings.ReplaceAll(fmt.Sprintf(path, p), " ", "%20"), nil), http.StatusNotFound)
		}
		expect(t, sec.do("GET", fmt.Sprintf("/api/v1/units/%d", p), nil), http.StatusOK)
		r = sec.do("GET", fmt.Sprintf("/api/v1/petitions?commune_id=%%2B%d", p), nil)
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["commune_id"] == "" {
			t.Fatalf("fields %v", f)
		}
	})
}
