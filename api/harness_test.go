package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testEnv is a real router over a fresh database holding the dbtest world.
type testEnv struct {
	t     testing.TB
	store *models.Store
	world *dbtest.World
	srv   *Server
	h     http.Handler
}

// each runs fn once per dialect with a fresh testEnv.
func each(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		fn(t, newTestEnv(t, s))
	})
}

func newTestEnv(t testing.TB, s *models.Store) *testEnv {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// No public rate limit: tests read the board many times in a row from one address;
	// TestPublicRateLimitPerClient sets its own.
	srv := New(s, Config{SessionTTL: 0, PublicRate: -1}, log)
	return &testEnv{t: t, store: s, world: dbtest.NewWorld(t, s), srv: srv, h: srv.Handler()}
}

// client is a browser: it keeps the session cookie and sends the CSRF token.
type client struct {
	e      *testEnv
	cookie *http.Cookie
	csrf   string
	lang   string
	user   *models.User
	addr   string // the client's address; httptest's 192.0.2.1 when empty
}

// anon returns a client with no session.
func (e *testEnv) anon() *client { return &client{e: e} }

// from returns a client with no session at another address.
func (e *testEnv) from(addr string) *client { return &client{e: e, addr: addr} }

// as signs in as u and returns the client.
func (e *testEnv) as(u *models.User) *client {
	e.t.Helper()
	c := &client{e: e, user: u}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": u.Username, "password": dbtest.Password})
	if r.Code != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", u.Username, r.Code, r.Body)
	}
	for _, ck := range r.Result().Cookies() {
		if ck.Name == SessionCookie {
			c.cookie = ck
		}
	}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	r.decode(e.t, &me)
	c.csrf = me.CSRFToken
	return c
}

// response is a recorded reply.
type response struct {
	*httptest.ResponseRecorder
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body.String(), err)
	}
}

// m decodes the reply as a JSON object.
func (r response) m(t *testing.T) map[string]any {
	t.Helper()
	var out map[string]any
	r.decode(t, &out)
	return out
}

// do sends a request; body may be nil, a string (sent raw) or a value sent as JSON.
func (c *client) do(method, path string, body any, headers ...string) response {
	c.e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequestWithContext(context.Background(), method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.addr != "" {
		req.RemoteAddr = net.JoinHostPort(c.addr, "40000")
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
		if method != "GET" && method != "HEAD" {
			req.Header.Set("X-CSRF-Token", c.csrf)
		}
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	c.e.h.ServeHTTP(rec, req)
	return response{rec}
}

// expect fails the test unless the reply has the status.
func expect(t *testing.T, r response, status int) {
	t.Helper()
	if r.Code != status {
		t.Fatalf("status %d, want %d: %s", r.Code, status, r.Body.String())
	}
}

// fieldErrors returns the fields of a 422 reply.
func fieldErrors(t *testing.T, r response) map[string]string {
	t.Helper()
	var body struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &body)
	return body.Error.Fields
}
