package api

import (
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// BenchmarkReportSummaryRequest serves a province's summary of this year through the router, as
// its admin signed in, against the synthetic data set of docs/PERFORMANCE.md: the session and
// scope reads, the figures and the JSON of the league.
func BenchmarkReportSummaryRequest(b *testing.B) {
	s := dbtest.OpenBench(b)
	// The admin of the province of a commune in the middle of the data set, as the models' benchmarks.
	var username string
	if err := s.Gorm().Raw(`WITH live AS (SELECT c.id, p.id AS province FROM units c JOIN units d ON d.id = c.parent_id
		JOIN units p ON p.id = d.parent_id WHERE c.level = 'commune' AND c.valid_to IS NULL AND p.code LIKE 'SYN%'),
		mid AS (SELECT province FROM live ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM live))
		SELECT u.username FROM users u JOIN mid ON u.unit_id = mid.province WHERE u.role = 'admin' ORDER BY u.id LIMIT 1`).
		Scan(&username).Error; err != nil || username == "" {
		b.Fatalf("no synthetic province admin (run papi seed --synthetic): %v", err)
	}
	u := &models.User{Username: username}
	srv := New(s, Config{PublicRate: -1}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e := &testEnv{t: b, store: s, srv: srv, h: srv.Handler()}
	c := &client{e: e, user: u}
	r := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": "demo-password"})
	if r.Code != http.StatusOK {
		b.Fatalf("login %s: %d %s", username, r.Code, r.Body)
	}
	for _, ck := range r.Result().Cookies() {
		if ck.Name == SessionCookie {
			c.cookie = ck
		}
	}
	path := "/api/v1/reports/summary?period=year&year=" + strconv.Itoa(time.Now().In(calendar.Zone).Year())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := c.do("GET", path, nil); r.Code != http.StatusOK {
			b.Fatalf("%d %s", r.Code, r.Body)
		}
	}
}
