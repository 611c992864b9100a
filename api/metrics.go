package api

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"

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
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
	return m
}

// serveMetrics answers GET /metrics to a scraper on this machine, or to one that presents the
// configured bearer token. A request relayed by a proxy on this machine is not local.
func (s *Server) serveMetrics(c *gin.Context) {
	if !s.metricsAllowed(c.Request) {
		abort(c, http.StatusForbidden, "forbidden", msgForbidden)
		return
	}
	s.metrics.handler.ServeHTTP(c.Writer, c.Request)
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	if tok := s.cfg.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(tok)) == 1 {
			return true
		}
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-IP") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
