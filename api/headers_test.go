package api

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// TestResponsesCarrySecurityHeaders checks nosniff everywhere, no-store on the signed-in API
// whose answers hold personal data, and HSTS only when cookies are Secure.
func TestResponsesCarrySecurityHeaders(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec, anon := e.as(e.world.SecretaryA), e.anon()
		for _, tc := range []struct {
			c       *client
			path    string
			noStore bool
		}{
			{sec, "/api/v1/auth/me", true},
			{sec, "/api/v1/petitions", true},
			{sec, "/api/v1/users", true},
			{anon, "/api/v1/auth/me", true},
			{anon, "/api/v1/public/communes", false},
			{anon, "/healthz", false},
		} {
			r := tc.c.do("GET", tc.path, nil)
			h := r.Header()
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: no nosniff", tc.path)
			}
			if tc.noStore && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q", tc.path, h.Get("Cache-Control"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: HSTS over plain cookies", tc.path)
			}
		}
		secure := New(e.store, Config{CookieSecure: true}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		r := (&client{e: &testEnv{t: t, store: e.store, world: e.world, srv: secure, h: secure.Handler()}}).do("GET", "/healthz", nil)
		if r.Header().Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS with Secure cookies")
		}
	})
}

// TestSessionsEndWhenIdle checks that a session unused for longer than the idle limit ends
// before its lifetime, while one in use lives on.
func TestSessionsEndWhenIdle(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		now := time.Now().UTC()
		e.store.Now = func() time.Time { return now }
		busy, idle := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		for i := 0; i < 3; i++ { // 3 × 40 minutes of use: more than the idle hour, less than the TTL
			now = now.Add(40 * time.Minute)
			expect(t, busy.do("GET", "/api/v1/auth/me", nil), http.StatusOK)
		}
		expect(t, idle.do("GET", "/api/v1/auth/me", nil), http.StatusUnauthorized)
		now = now.Add(61 * time.Minute)
		expect(t, busy.do("GET", "/api/v1/auth/me", nil), http.StatusUnauthorized)
	})
}
