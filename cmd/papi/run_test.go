package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func testEnv(dir string, stdin string, extra map[string]string) (env, *bytes.Buffer) {
	out := &bytes.Buffer{}
	vars := map[string]string{"PAPI_DATA_DIR": dir, "PAPI_LOG_LEVEL": "error"}
	for k, v := range extra {
		vars[k] = v
	}
	return env{stdin: strings.NewReader(stdin), stdout: out, stderr: &bytes.Buffer{}, getenv: func(k string) string { return vars[k] }}, out
}

func TestConfigRejectsBadValuesWithOneLine(t *testing.T) {
	cases := map[string]map[string]string{
		"PAPI_ADDR":          {"PAPI_ADDR": "nohost"},
		"PAPI_DATABASE_URL":  {"PAPI_DATABASE_URL": "mysql://x"},
		"PAPI_LOG_LEVEL":     {"PAPI_LOG_LEVEL": "loud"},
		"PAPI_COOKIE_SECURE": {"PAPI_COOKIE_SECURE": "maybe"},
		"PAPI_SESSION_TTL":   {"PAPI_SESSION_TTL": "forever"},
	}
	for name, vars := range cases {
		_, err := loadConfig(func(k string) string { return vars[k] })
		if err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err %v", name, err)
		}
	}
	c, err := loadConfig(func(k string) string { return map[string]string{"PAPI_ADDR": "127.0.0.1:9000"}[k] })
	if err != nil || c.CookieSecure || c.SessionTTL != 12*time.Hour || !strings.HasSuffix(c.DatabaseURL, filepath.Join("data", "papi.db")) {
		t.Fatalf("loopback config %+v, %v", c, err)
	}
	c, _ = loadConfig(func(string) string { return "" })
	if !c.CookieSecure || c.Addr != ":8080" {
		t.Fatalf("default config %+v", c)
	}
}

func TestSeedDemoTwiceAndAddUser(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		e, out := testEnv(dir, "", nil)
		if err := run(ctx, []string{"seed", "--demo"}, e); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "demo-password") || !strings.Contains(out.String(), "chair.tanthoi") {
			t.Fatalf("seed output %q", out)
		}
	}
	e, out := testEnv(dir, "a-long-password\n", nil)
	err := run(ctx, []string{"user", "add", "--username", "thu.ky.moi", "--role", "secretary", "--unit", "TANTHOI", "--password-stdin"}, e)
	if err != nil || !strings.Contains(out.String(), "Tân Thới") {
		t.Fatalf("user add: %v %q", err, out)
	}
	e, _ = testEnv(dir, "short\n", nil)
	err = run(ctx, []string{"user", "add", "--username", "x.y", "--role", "secretary", "--unit", "TANTHOI", "--password-stdin"}, e)
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("short password accepted: %v", err)
	}
	e, _ = testEnv(dir, "a-long-password\n", nil)
	if err := run(ctx, []string{"user", "add", "--username", "x.z", "--role", "secretary", "--unit", "NOWHERE", "--password-stdin"}, e); err == nil {
		t.Fatal("unknown unit accepted")
	}
}

// startServe runs papi serve on a free loopback port until the test ends, and returns its address
// once /readyz answers 200. The test fails if serve does not stop when cancelled.
func startServe(t *testing.T, vars map[string]string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	all := map[string]string{"PAPI_ADDR": addr, "PAPI_METRICS_ADDR": "off"}
	for k, v := range vars {
		all[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	e, _ := testEnv(vars["PAPI_DATA_DIR"], "", all)
	if vars["PAPI_DATA_DIR"] == "" {
		e, _ = testEnv(t.TempDir(), "", all)
	}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, e) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	for i := 0; i < 100; i++ {
		time.Sleep(100 * time.Millisecond)
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return addr
			}
		}
	}
	t.Fatal("server never became ready")
	return ""
}

func TestServeStopsOnCancel(t *testing.T) {
	startServe(t, map[string]string{"PAPI_DATA_DIR": t.TempDir()})
}

func TestTrustedProxiesConfig(t *testing.T) {
	c, err := loadConfig(func(k string) string {
		return map[string]string{"PAPI_TRUSTED_PROXIES": "172.31.250.10, 10.0.0.0/24 ::1"}[k]
	})
	if err != nil || len(c.TrustedProxies) != 3 || c.TrustedProxies[0].String() != "172.31.250.10/32" || c.TrustedProxies[2].String() != "::1/128" {
		t.Fatalf("%v %v", c.TrustedProxies, err)
	}
	_, err = loadConfig(func(k string) string { return map[string]string{"PAPI_TRUSTED_PROXIES": "nginx"}[k] })
	if err == nil || !strings.HasPrefix(err.Error(), "PAPI_TRUSTED_PROXIES") || !strings.Contains(err.Error(), `"nginx"`) {
		t.Fatalf("a host name accepted: %v", err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeGivesUpOnAnUnreachableDatabaseAfterTheWait(t *testing.T) {
	url := "postgres://papi:s3cret-pw@" + freePort(t) + "/papi?sslmode=disable"
	e, _ := testEnv(t.TempDir(), "", map[string]string{"PAPI_DATABASE_URL": url, "PAPI_DATABASE_WAIT": "1500ms",
		"PAPI_LOG_LEVEL": "warn", "PAPI_ADDR": freePort(t)})
	start := time.Now()
	err := run(context.Background(), []string{"serve"}, e)
	took := time.Since(start)
	if err == nil || !strings.HasPrefix(err.Error(), "PAPI_DATABASE_URL: ") || !strings.Contains(err.Error(), "gave up after") ||
		strings.Contains(err.Error(), "s3cret-pw") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err %v", err)
	}
	if took < time.Second || took > 10*time.Second {
		t.Errorf("gave up after %s; want about 1.5s", took)
	}
	log := e.stderr.(*bytes.Buffer).String()
	if strings.Count(log, "database not reachable yet; retrying") < 2 || strings.Contains(log, "s3cret-pw") {
		t.Errorf("log %s", log)
	}
	e, _ = testEnv(t.TempDir(), "", map[string]string{"PAPI_DATABASE_URL": url, "PAPI_DATABASE_WAIT": "0s", "PAPI_ADDR": freePort(t)})
	if err := run(context.Background(), []string{"serve"}, e); err == nil || strings.Contains(err.Error(), "gave up") {
		t.Fatalf("PAPI_DATABASE_WAIT=0s: %v", err)
	}
}

// A database that comes up after papi serve started (as in docker compose up) is waited for.
func TestServeWaitsForADatabaseThatComesUpLater(t *testing.T) {
	if dbtest.Dialects(t)[len(dbtest.Dialects(t))-1] != models.Postgres {
		t.Skip("needs PostgreSQL (" + dbtest.EnvURL + ")")
	}
	target, err := url.Parse(dbtest.NewEmptyDatabase(t, models.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	server := target.Host
	target.Host = freePort(t) // nothing there yet: a forwarder to the real server opens in a second
	go func() {
		time.Sleep(1200 * time.Millisecond)
		ln, err := net.Listen("tcp", target.Host)
		if err != nil {
			t.Error(err)
			return
		}
		t.Cleanup(func() { ln.Close() })
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				s, err := net.Dial("tcp", server)
				if err != nil {
					c.Close()
					return
				}
				go func() { io.Copy(s, c); s.Close() }()
				io.Copy(c, s)
				c.Close()
			}()
		}
	}()
	startServe(t, map[string]string{"PAPI_DATABASE_URL": target.String(), "PAPI_DATABASE_WAIT": "30s"})
}

func TestMetricsAddrConfig(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
		err  string
	}{
		{map[string]string{}, "127.0.0.1:9464", ""},
		{map[string]string{"PAPI_METRICS_ADDR": "off"}, "", ""},
		{map[string]string{"PAPI_METRICS_ADDR": "[::1]:9100"}, "[::1]:9100", ""},
		{map[string]string{"PAPI_METRICS_ADDR": ":9464"}, "", "PAPI_METRICS_TOKEN"},
		{map[string]string{"PAPI_METRICS_ADDR": ":9464", "PAPI_METRICS_TOKEN": "t"}, ":9464", ""},
		{map[string]string{"PAPI_METRICS_ADDR": "metrics"}, "", "host:port"},
	}
	for _, c := range cases {
		cfg, err := loadConfig(func(k string) string { return c.vars[k] })
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), "PAPI_METRICS_ADDR") || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v: err %v, want one naming %s", c.vars, err, c.err)
			}
			continue
		}
		if err != nil || cfg.MetricsAddr != c.want {
			t.Errorf("%v: %q, %v; want %q", c.vars, cfg.MetricsAddr, err, c.want)
		}
	}
}

// Metrics are served on their own address; the API's address, where a local reverse proxy may
// relay the public, has none without the token.
func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	metrics := freePort(t)
	addr := startServe(t, map[string]string{"PAPI_DATA_DIR": t.TempDir(), "PAPI_METRICS_ADDR": metrics})
	for url, want := range map[string]int{"http://" + metrics + "/metrics": 200, "http://" + addr + "/metrics": 404} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200 && !strings.Contains(string(body), "papi_http_request_duration_seconds")) {
			t.Errorf("%s: %d, want %d", url, resp.StatusCode, want)
		}
	}
}

func TestPublicLimitsConfig(t *testing.T) {
	for env, want := range map[string][2]float64{"": {20, 40}, "5/10": {5, 10}, "off/": {-1, 40}, "0.5/1": {0.5, 1}} {
		r, b, _ := strings.Cut(env, "/")
		c, err := loadConfig(func(k string) string {
			return map[string]string{"PAPI_PUBLIC_RATE": r, "PAPI_PUBLIC_BURST": b}[k]
		})
		if err != nil || c.PublicRate != want[0] || float64(c.PublicBurst) != want[1] {
			t.Errorf("%q: %v %d %v", env, c.PublicRate, c.PublicBurst, err)
		}
	}
	for name, v := range map[string]string{"PAPI_PUBLIC_RATE": "0", "PAPI_PUBLIC_BURST": "many"} {
		_, err := loadConfig(func(k string) string { return map[string]string{name: v}[k] })
		if err == nil || !strings.HasPrefix(err.Error(), name) {
			t.Errorf("%s=%s accepted: %v", name, v, err)
		}
	}
}
