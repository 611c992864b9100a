package api

import (
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// BenchmarkReadRequests serves the reads of the speed table (docs/PERFORMANCE.md) through the
// router, one request at a time, against the synthetic data set: the same commune, its chair
// and its district's official as scripts/perf-table.py. Its ns/op and allocs/op are papi's own
// work per request, the statements' round trips included.
func BenchmarkReadRequests(b *testing.B) {
	s := dbtest.OpenBench(b)
	var pick struct {
		Commune, Petition int64
		Chair, Official   string
	}
	if err := s.Gorm().Raw(`WITH live AS (SELECT c.id, c.parent_id FROM units c JOIN units d ON d.id = c.parent_id
		WHERE c.level = 'commune' AND c.valid_to IS NULL AND d.level = 'district'),
		mid AS (SELECT id, parent_id FROM live ORDER BY id OFFSET (SELECT COUNT(*) / 2 FROM live) LIMIT 1)
		SELECT mid.id AS commune,
			(SELECT id FROM petitions WHERE commune_id = mid.id ORDER BY received_at DESC LIMIT 1) AS petition,
			(SELECT username FROM users WHERE role = 'commune_chair' AND unit_id = mid.id LIMIT 1) AS chair,
			(SELECT username FROM users WHERE role = 'district_official' AND unit_id = mid.parent_id LIMIT 1) AS official
		FROM mid`).Scan(&pick).Error; err != nil || pick.Chair == "" || pick.Official == "" {
		b.Fatalf("no synthetic commune (run papi seed --synthetic): %v", err)
	}
	srv := New(s, Config{PublicRate: -1}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &testEnv{t: b, store: s, srv: srv, h: srv.Handler()}
	signIn := func(username string) *client {
		c := &client{e: e, user: &models.User{Username: username}}
		r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": "demo-password"})
		if r.Code != http.StatusOK {
			b.Fatalf("login %s: %d %s", username, r.Code, r.Body)
		}
		for _, ck := range r.Result().Cookies() {
			if ck.Name == SessionCookie {
				c.cookie = ck
			}
		}
		return c
	}
	chair, official, anon := signIn(pick.Chair), signIn(pick.Official), e.anon()
	commune := strconv.FormatInt(pick.Commune, 10)
	for _, r := range []struct {
		name string
		c    *client
		path string
	}{
		{"public board", anon, "/api/v1/public/communes/" + commune + "/petitions"},
		{"Open311", anon, "/open311/v2/requests.json"},
		{"commune list", chair, "/api/v1/petitions?commune_id=" + commune},
		{"detail", chair, "/api/v1/petitions/" + strconv.FormatInt(pick.Petition, 10)},
		{"district list", official, "/api/v1/petitions"},
		{"district overdue", official, "/api/v1/reports/overdue"},
		{"district summary", official, "/api/v1/reports/summary?period=year"},
	} {
		b.Run(r.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if res := r.c.do("GET", r.path, nil); res.Code != http.StatusOK {
					b.Fatalf("%d %s", res.Code, res.Body)
				}
			}
		})
	}
}
