package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestPublicRateLimitPerClient checks that a burst beyond the limit from one address gets 429
// with Retry-After, in the API's error shape on the board and the spec's on Open311, while
// another address, a client behind the trusted proxy, and the signed-in API are unaffected.
func TestPublicRateLimitPerClient(t *testing.T) {
	each(t, func(t *testing.T, base *testEnv) {
		srv := New(base.store, Config{PublicRate: 0.5, PublicBurst: 3, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/32")}},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		e := &testEnv{t: t, store: base.store, world: base.world, srv: srv, h: srv.Handler()}
		board := fmt.Sprintf("/api/v1/public/communes/%d/petitions", e.world.CommuneA.ID)
		greedy := e.from("192.0.2.10")
		greedy.lang = "en"
		for i := 0; i < 3; i++ {
			expect(t, greedy.do("GET", board, nil), 200)
		}
		r := greedy.do("GET", board, nil)
		expect(t, r, 429)
		if ra := r.Header().Get("Retry-After"); ra != "2" {
			t.Errorf("Retry-After %q, want 2 (one token every 2 s)", ra)
		}
		if m := r.m(t)["error"].(map[string]any); m["code"] != "rate_limited" || !strings.Contains(m["message"].(string), "Too many requests") {
			t.Errorf("429 body %s", r.Body)
		}
		r = greedy.do("GET", "/open311/v2/requests.json", nil)
		expect(t, r, 429)
		var errs []open311Error
		r.decode(t, &errs)
		if len(errs) != 1 || errs[0].Code != 429 || r.Header().Get("Retry-After") == "" {
			t.Errorf("Open311 429 %s", r.Body)
		}
		if r = greedy.do("GET", "/open311/v2/services.xml", nil); r.Code != 429 || !strings.Contains(r.Body.String(), "<code>429</code>") {
			t.Errorf("Open311 XML %d %s", r.Code, r.Body)
		}
		if r = greedy.do("GET", "/api/v1/public/photos/1", nil); r.Code != 429 {
			t.Errorf("public photo %d", r.Code)
		}

		// Others are unaffected: another address, and each client behind the trusted proxy.
		for i := 0; i < 3; i++ {
			expect(t, e.from("192.0.2.11").do("GET", board, nil), 200)
		}
		proxy := e.from("10.0.0.2")
		for i := 0; i < 3; i++ {
			expect(t, proxy.do("GET", board, nil, "X-Forwarded-For", "198.51.100.7"), 200)
		}
		expect(t, proxy.do("GET", board, nil, "X-Forwarded-For", "198.51.100.7"), 429)
		expect(t, proxy.do("GET", board, nil, "X-Forwarded-For", "198.51.100.8"), 200)
		// The signed-in API is not limited here (sign-in has its own limits).
		sec := e.as(e.world.SecretaryA)
		sec.addr = "192.0.2.10"
		expect(t, sec.do("GET", "/api/v1/petitions", nil), 200)
	})
}

// TestClientLimitsForgetIdleAddresses checks that memory stays bounded: buckets idle long enough
// to be full again are dropped, and dropping them lets nobody through sooner.
func TestClientLimitsForgetIdleAddresses(t *testing.T) {
	l := newClientLimits(1, 2)
	now := time.Date(2026, 4, 10, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		l.wait(fmt.Sprintf("203.0.113.%d:%d", i%256, i), now)
	}
	if d := l.wait("198.51.100.1", now) + l.wait("198.51.100.1", now); d != 0 {
		t.Fatalf("burst of 2 refused: %v", d)
	}
	if d := l.wait("198.51.100.1", now); d <= 0 || d > time.Second {
		t.Fatalf("third at once waits %v, want up to 1 s", d)
	}
	if len(l.buckets) != 1001 {
		t.Fatalf("%d buckets", len(l.buckets))
	}
	later := now.Add(3 * time.Second)
	if d := l.wait("198.51.100.2", later); d != 0 || len(l.buckets) != 1 {
		t.Fatalf("after the idle time: %d buckets (wait %v)", len(l.buckets), d)
	}
	if off := newClientLimits(-1, 0); off.wait("x", now)+off.wait("x", now)+off.wait("x", now) != 0 || len(off.buckets) != 0 {
		t.Fatal("a negative rate still limits")
	}
}
