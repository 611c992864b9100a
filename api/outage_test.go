package api

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// faultProxy stands between the store and PostgreSQL and takes the database away on demand:
// new connections are refused and open ones cut, as when the server stops.
type faultProxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
	cutOn string // a client message holding this text takes the database down instead of arriving
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	p := &faultProxy{t: t, target: target}
	p.up()
	t.Cleanup(p.down)
	return p
}

// up (re)opens the proxy's address.
func (p *faultProxy) up() {
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", p.target)
			if err != nil {
				client.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, client, server)
			p.mu.Unlock()
			go p.forward(client, server, true)
			go p.forward(server, client, false)
		}
	}()
}

// down refuses new connections and cuts the open ones.
func (p *faultProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns, p.cutOn = nil, ""
}

func (p *faultProxy) forward(from, to net.Conn, fromClient bool) {
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 && fromClient {
			p.mu.Lock()
			cut := p.cutOn != "" && strings.Contains(string(buf[:n]), p.cutOn)
			p.mu.Unlock()
			if cut {
				p.down()
				return
			}
		}
		if n > 0 {
			if _, werr := to.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				to.Close()
			}
			return
		}
	}
}

// TestOutagesAreReportedAsOutages checks that while PostgreSQL is out of reach every kind of
// request answers 503 with Retry-After, never 500, and that a lookup failing in the middle of a
// create is not turned into a 422 with false field errors; once the database is back, requests
// succeed again.
func TestOutagesAreReportedAsOutages(t *testing.T) {
	if len(dbtest.Dialects(t)) < 2 {
		t.Skip("needs PostgreSQL: set " + dbtest.EnvURL)
	}
	u, err := url.Parse(dbtest.NewDatabase(t, models.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	p := newFaultProxy(t, u.Host)
	u.Host = p.addr
	q := u.Query()
	q.Set("default_query_exec_mode", "simple_protocol") // every query's text crosses the proxy
	u.RawQuery = q.Encode()
	s, err := models.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.BcryptCost = bcrypt.MinCost
	e := newTestEnv(t, s)
	admin, anon := e.as(e.world.Admin), e.anon()

	// The database goes away just as the create looks up the user's unit.
	p.mu.Lock()
	p.cutOn = `FROM "units" WHERE "units"."id" = `
	p.mu.Unlock()
	r := admin.do("POST", "/api/v1/users", map[string]any{"username": "thu.ky.moi", "password": "mat-khau-dai-du",
		"role": "secretary", "unit_id": e.world.CommuneA.ID})
	expect(t, r, http.StatusServiceUnavailable)
	if r.Header().Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	for _, req := range []struct {
		c            *client
		method, path string
		body         any
	}{
		{admin, "GET", "/api/v1/petitions", nil},
		{admin, "POST", "/api/v1/petitions", e.petitionBody(nil)},
		{anon, "POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": dbtest.Password}},
		{anon, "GET", "/api/v1/public/communes", nil},
		{anon, "GET", "/open311/v2/requests.json", nil},
	} {
		r := req.c.do(req.method, req.path, req.body)
		if r.Code != http.StatusServiceUnavailable || r.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s while the database is down: %d %s", req.method, req.path, r.Code, r.Body)
		}
	}

	p.up()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := admin.do("GET", "/api/v1/petitions", nil)
		if r.Code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database is back, the API is not: %d %s", r.Code, r.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
