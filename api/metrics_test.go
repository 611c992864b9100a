package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestMetrics(t *testing.T) {
	store := dbtest.Open(t, models.SQLite)
	srv := New(store, Config{MetricsToken: "s3cret-token"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h := srv.Handler()
	get := func(path, remote string, headers ...string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = remote
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	// Some traffic to measure: a matched route and an unmatched path.
	get("/healthz", "192.0.2.7:5000")
	get("/api/v1/units", "192.0.2.7:5000")
	get("/no/such/path/123", "192.0.2.7:5000")

	// On the API's address only the token opens /metrics: loopback is no credential, since a
	// local reverse proxy that adds no headers makes every visitor look local.
	cases := []struct {
		name    string
		remote  string
		headers []string
		status  int
	}{
		{"loopback without token", "127.0.0.1:41000", nil, 403},
		{"loopback v6 without token", "[::1]:41000", nil, 403},
		{"remote without token", "192.0.2.7:5000", nil, 403},
		{"remote with token", "192.0.2.7:5000", []string{"Authorization", "Bearer s3cret-token"}, 200},
		{"remote with a wrong token", "192.0.2.7:5000", []string{"Authorization", "Bearer s3cret-tokem"}, 403},
		{"token without Bearer", "192.0.2.7:5000", []string{"Authorization", "s3cret-token"}, 403},
		{"relayed with the token", "127.0.0.1:41000", []string{"X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer s3cret-token"}, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := get("/metrics", c.remote, c.headers...)
			if r.Code != c.status {
				t.Fatalf("status %d, want %d: %s", r.Code, c.status, r.Body)
			}
		})
	}

	body := get("/metrics", "192.0.2.7:1", "Authorization", "Bearer s3cret-token").Body.String()
	for _, want := range []string{
		`papi_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200"`,
		`papi_http_request_duration_seconds_count{method="GET",route="/api/v1/units",status="401"}`,
		`papi_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}`,
		`go_sql_open_connections{db_name="sqlite"}`,
		`go_sql_max_open_connections{db_name="sqlite"} 4`,
		`go_sql_wait_count_total`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/no/such/path") {
		t.Error("a raw unmatched path became a label")
	}
}

// Without a token the API's address has no /metrics at all, even from loopback (a local proxy's
// connection), and the metrics listener's handler serves them; with a token both require it.
func TestMetricsLiveOnTheirOwnAddressWithoutToken(t *testing.T) {
	store := dbtest.Open(t, models.SQLite)
	srv := New(store, Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	serve := func(h http.Handler, path, auth string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = "127.0.0.1:5000"
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	// With no token configured, an empty bearer must not open the door.
	if rec := serve(srv.Handler(), "/metrics", "Bearer "); rec.Code != http.StatusNotFound {
		t.Fatalf("API address: status %d, want 404", rec.Code)
	}
	if rec := serve(srv.MetricsHandler(), "/metrics", ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Fatalf("metrics address: status %d", rec.Code)
	}
	if rec := serve(srv.MetricsHandler(), "/api/v1/units", ""); rec.Code != http.StatusNotFound {
		t.Fatalf("metrics address serves other paths: %d", rec.Code)
	}
	withToken := New(store, Config{MetricsToken: "tok-123"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if rec := serve(withToken.MetricsHandler(), "/metrics", ""); rec.Code != http.StatusForbidden {
		t.Fatalf("metrics address with a token configured, none sent: %d", rec.Code)
	}
	if rec := serve(withToken.MetricsHandler(), "/metrics", "Bearer tok-123"); rec.Code != http.StatusOK {
		t.Fatalf("metrics address with the token: %d", rec.Code)
	}
}
