package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// logLines parses JSON log output into one map a line.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// find returns the log lines with message msg.
func find(lines []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if l["msg"] == msg {
			out = append(out, l)
		}
	}
	return out
}

// Access logs name the client (the real one behind a trusted proxy, never one a stranger claims)
// and the signed-in user; failed sign-ins name the username and the client; a client that hung
// up is neither an error in the log nor a 500 in the metrics.
func TestAccessLogsAnAuditorCanUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w := dbtest.NewWorld(t, s)
		buf := &bytes.Buffer{}
		srv := New(s, Config{MetricsToken: "tok", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.2/32")}},
			slog.New(slog.NewJSONHandler(buf, nil)))
		h := srv.Handler()
		send := func(ctx context.Context, method, path, body, remote string, cookies []*http.Cookie, headers ...string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, path, strings.NewReader(body)).WithContext(ctx)
			req.RemoteAddr = remote
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			for _, c := range cookies {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		bg := context.Background()
		creds := `{"username":"` + w.ChairA.Username + `","password":"` + dbtest.Password + `"}`
		login := send(bg, "POST", "/api/v1/auth/login", creds, "10.0.0.2:3000", nil, "X-Forwarded-For", "203.0.113.9")
		if login.Code != http.StatusOK {
			t.Fatalf("login %d %s", login.Code, login.Body)
		}
		send(bg, "GET", "/api/v1/auth/me", "", "10.0.0.2:3000", login.Result().Cookies(), "X-Forwarded-For", "203.0.113.9")
		send(bg, "GET", "/healthz", "", "192.0.2.1:3000", nil, "X-Forwarded-For", "203.0.113.66") // a stranger's claim
		send(bg, "POST", "/api/v1/auth/login", `{"username":"Admin.Guess","password":"wrong-password"}`, "192.0.2.5:3000", nil)
		gone, cancel := context.WithCancel(bg)
		cancel()
		if r := send(gone, "GET", "/api/v1/public/communes", "", "192.0.2.8:3000", nil); r.Code == http.StatusInternalServerError {
			t.Errorf("a client that hung up got a 500")
		}

		lines := logLines(t, buf)
		var me, health map[string]any
		for _, l := range find(lines, "http") {
			switch l["route"] {
			case "/api/v1/auth/me":
				me = l
			case "/healthz":
				health = l
			}
		}
		if me == nil || me["client"] != "203.0.113.9" || me["user_id"] != float64(w.ChairA.ID) {
			t.Errorf("access log of a signed-in request through the trusted proxy: %v", me)
		}
		if health == nil || health["client"] != "192.0.2.1" || health["user_id"] != nil {
			t.Errorf("access log of an anonymous request claiming another address: %v", health)
		}
		failed := find(lines, "sign-in failed")
		if len(failed) != 1 || failed[0]["username"] != "Admin.Guess" || failed[0]["client"] != "192.0.2.5" {
			t.Errorf("failed sign-in log: %v", failed)
		}
		if ok := find(lines, "login"); len(ok) != 1 || ok[0]["client"] != "203.0.113.9" {
			t.Errorf("sign-in log: %v", ok)
		}
		if errs := find(lines, "request failed"); len(errs) != 0 {
			t.Errorf("a client that hung up was logged as an error: %v", errs)
		}
		metrics := send(bg, "GET", "/metrics", "", "192.0.2.9:1", nil, "Authorization", "Bearer tok").Body.String()
		if strings.Contains(metrics, `status="500"`) || !strings.Contains(metrics, `route="/api/v1/public/communes",status="499"`) {
			t.Errorf("metrics of the hung-up request:\n%s", grep(metrics, "public/communes"))
		}
	})
}

func grep(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
