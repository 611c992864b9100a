package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is what the server tells Prometheus: request latency by route and status, the
// database pool, and the Go runtime. Each Server has its own registry, so tests never share one.
type metrics struct {
	registry *prometheus.Registry
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(s *Server) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "papi",
		Name:      "http_request_duration_seconds",
		Help:      "Time to answer an HTTP request, by method, route pattern and status code.",
		Buckets:   []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "status"})
	m.registry.MustRegister(m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db, err := s.store.SQL(); err == nil {
		// go_sql_* gauges and counters from sql.DB.Stats: open, in use, idle, waits.
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, string(s.store.Dialect())))
	}
	m.registry.MustRegister(s.cfg.Collectors...)
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "papi", Subsystem: "notifications", Name: "oldest_waiting_seconds",
		Help: "Age of the oldest message of the outbox still to deliver; 0 when none waits.",
	}, func() float64 { return s.oldestWaiting() }))
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
	return m
}

// serveMetrics answers GET /metrics on the API's own address only to a scraper presenting the
// configured bearer token. Loopback is no credential here: a reverse proxy on the same machine
// that adds no headers would make every visitor look local. Without a token the metrics live on
// their own address (PAPI_METRICS_ADDR, see MetricsHandler), and here they do not exist.
func (s *Server) serveMetrics(c *gin.Context) {
	if s.cfg.MetricsToken == "" {
		abort(c, http.StatusNotFound, "not_found", msgNotFound)
		return
	}
	if !s.hasMetricsToken(c.Request) {
		abort(c, http.StatusForbidden, "forbidden", msgForbidden)
		return
	}
	s.metrics.handler.ServeHTTP(c.Writer, c.Request)
}

// hasMetricsToken tells whether the request carries the configured bearer token.
func (s *Server) hasMetricsToken(r *http.Request) bool {
	tok := s.cfg.MetricsToken
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok != "" && ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(tok)) == 1
}

// MetricsHandler serves GET /metrics for the metrics listener (PAPI_METRICS_ADDR), which only
// scrapers reach: loopback by default. When a token is configured it is required there too.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.MetricsToken != "" && !s.hasMetricsToken(r) {
			http.Error(w, "forbidden: Authorization: Bearer <PAPI_METRICS_TOKEN> required", http.StatusForbidden)
			return
		}
		s.metrics.handler.ServeHTTP(w, r)
	})
	return mux
}

// oldestWaiting is the age in seconds of the oldest message still to deliver, read at scrape time.
func (s *Server) oldestWaiting() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	t, err := s.store.OldestWaiting(ctx)
	if err != nil || t.IsZero() {
		return 0
	}
	return time.Since(t).Seconds()
}
