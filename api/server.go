// Package api is the HTTP face of PAPI Dialogue: routing, request decoding, sessions and
// rendering. Business rules live in models.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/papi-dialogue/papi/models"
)

// Config holds what the API needs from the process configuration.
type Config struct {
	// CookieSecure marks the session cookie Secure (HTTPS only).
	CookieSecure bool
	// SessionTTL is how long a session lasts after sign-in.
	SessionTTL time.Duration
	// SessionIdle ends a session unused for that long, before its TTL (0: one hour).
	SessionIdle time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For (the client address) and
	// X-Forwarded-Proto (whether the client used HTTPS) are believed; from anyone else they are
	// ignored, since any client can send them.
	TrustedProxies []netip.Prefix
	// MetricsToken, when set, lets a scraper read /metrics on the API's address with a bearer
	// token, and is required on the metrics address too.
	MetricsToken string
	// SPA is the built single-page app to serve at /; nil serves nothing there.
	SPA fs.FS
	// UploadMaxRequest caps the body of one attachment upload (0: 20 MB); the per-file cap is
	// the store's.
	UploadMaxRequest int64
	// Collectors are more metrics for /metrics, such as the notification sender's.
	Collectors []prometheus.Collector
	// ReplyToken, when set, lets an SMS gateway or Zalo forward residents' replies (opt-out keywords).
	ReplyToken string
	// PublicRate and PublicBurst limit each client address on the public board and Open311, in
	// requests a second and at once (0: 20 and 40; a negative rate: no limit). Per process.
	PublicRate  float64
	PublicBurst int
}

// Server answers the HTTP requests of PAPI Dialogue.
type Server struct {
	store   *models.Store
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	// publicLimits holds the token bucket of each client address on the public endpoints.
	publicLimits *clientLimits
	// assets holds the build's hashed assets gzipped, made once each.
	assets *gzippedAssets
}

// New returns a Server over store.
func New(store *models.Store, cfg Config, log *slog.Logger) *Server {
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = time.Hour
	}
	s := &Server{store: store, cfg: cfg, log: log, publicLimits: newClientLimits(cfg.PublicRate, cfg.PublicBurst), assets: newGzippedAssets(cfg.SPA)}
	s.metrics = newMetrics(s)
	return s
}

// Handler returns the router with every route of the API.
func (s *Server) Handler() http.Handler {
	return s.router()
}

func (s *Server) router() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	s.trustProxies(r)
	r.Use(s.requestID, s.securityHeaders, s.observe, s.recover, watchDatabase, s.limitBody(1<<20), s.refuseBadText)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.serveMetrics)
	r.GET("/api/openapi.yaml", s.openAPI)

	s.open311Routes(r)
	// The board and its photos are limited per client address; the notification links and
	// provider callbacks under the same prefix are not (a provider calls from few addresses).
	public := r.Group("/api/v1/public")
	board := r.Group("/api/v1/public", s.limitClients)
	s.publicRoutes(board)

	v1 := r.Group("/api/v1", noStore, s.session)
	v1.POST("/auth/login", s.login)
	v1.POST("/auth/logout", s.logout)

	authed := v1.Group("", s.requireActor)
	authed.GET("/auth/me", s.me)
	authed.PATCH("/auth/me", s.updateMe)
	authed.POST("/auth/password", s.changePassword)

	s.unitRoutes(authed)
	s.reorganizationRoutes(authed)
	s.calendarRoutes(authed)
	s.deadlineRoutes(authed)
	s.topicRoutes(authed)
	s.userRoutes(authed)
	s.dialogueRoutes(authed)
	s.dialogueComplianceRoutes(authed, board)
	s.petitionRoutes(authed)
	s.assigneeRoutes(authed)
	s.linkRoutes(authed)
	s.notificationRoutes(public, authed)
	s.reportRoutes(authed)
	s.attachmentRoutes(authed, board)

	r.NoRoute(s.noRoute)
	r.NoMethod(func(c *gin.Context) {
		abort(c, http.StatusMethodNotAllowed, "method_not_allowed", models.Msg("Phương thức không được hỗ trợ.", "Method not allowed."))
	})
	return r
}

// trustProxies believes forwarded headers from the configured proxies alone; with none, ClientIP
// is the connection's address.
func (s *Server) trustProxies(r *gin.Engine) {
	proxies := make([]string, len(s.cfg.TrustedProxies))
	for i, p := range s.cfg.TrustedProxies {
		proxies[i] = p.String()
	}
	if err := r.SetTrustedProxies(proxies); err != nil {
		s.log.Error("trusted proxies refused", "error", err) // unreachable: config parsed them
		_ = r.SetTrustedProxies(nil)
	}
}

const (
	ctxRequestID = "request_id"
	ctxActor     = "actor"
	ctxUnitEnded = "unit_ended"
	ctxSession   = "session"
	ctxUser      = "user"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID tags the request with an id, taken from X-Request-ID when it is sane.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !requestIDPattern.MatchString(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// observe times every request once, then logs it and records it in the latency histogram,
// both under its route pattern, never its raw path, so the number of series stays bounded
// whatever clients send.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	elapsed := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	attrs := []slog.Attr{
		slog.String("request_id", c.GetString(ctxRequestID)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", elapsed),
		slog.String("client", c.ClientIP()), // the real client behind a trusted proxy
	}
	if u, ok := c.Get(ctxUser); ok {
		if user, ok := u.(*models.User); ok {
			attrs = append(attrs, slog.Int64("user_id", user.ID))
		}
	}
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http", attrs...)
	s.metrics.latency.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(elapsed.Seconds())
}

// statusClientGone is what a request whose client disconnected is logged and counted as (nginx's
// "client closed request"); nobody receives it, and it is not a server error.
const statusClientGone = 499

// clientGone tells whether the client hung up before its answer was ready.
func clientGone(c *gin.Context) bool {
	return errors.Is(c.Request.Context().Err(), context.Canceled)
}

// recover turns a panic into a logged 500 that shows nothing internal.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(c.Request.Context(), "panic", "request_id", c.GetString(ctxRequestID), "panic", v)
			if !c.Writer.Written() {
				abort(c, http.StatusInternalServerError, "internal", msgInternal)
			}
		}
	}()
	c.Next()
}

// limitBody caps request bodies so a huge upload cannot exhaust memory. File uploads, which
// stream to disk, have the upload limit instead.
func (s *Server) limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil {
			limit := n
			if isUpload(c) {
				limit = s.uploadLimit()
			}
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "database not ready", "error", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "database": string(s.store.Dialect())})
}

// fromTrustedProxy tells whether the request's connection comes from a configured proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// cookieComesBack tells whether a browser will send a Secure cookie back to where this request
// went: over TLS, directly or through a trusted proxy that says so in X-Forwarded-Proto; or to
// localhost, which browsers count as secure even over plain HTTP.
func (s *Server) cookieComesBack(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); (err == nil && a.IsLoopback()) || strings.EqualFold(host, "localhost") {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// ifMatchVersion returns the version of an If-Match header ("3" or "\"3\""), if any.
func ifMatchVersion(c *gin.Context, fromBody *int) *int {
	if fromBody != nil {
		return fromBody
	}
	h := c.GetHeader("If-Match")
	if h == "" {
		return nil
	}
	if len(h) >= 2 && h[0] == '"' && h[len(h)-1] == '"' {
		h = h[1 : len(h)-1]
	}
	if v, err := strconv.Atoi(h); err == nil {
		return &v
	}
	return nil
}

// page reads ?limit= and ?cursor=.
func page(c *gin.Context) (models.Page, bool) {
	p := models.Page{Cursor: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > models.MaxPageSize {
			abortFields(c, "limit", models.Msg("limit phải từ 1 đến 200.", "limit must be between 1 and 200."))
			return p, false
		}
		p.Limit = n
	}
	return p, true
}

// abortFields writes a 422 naming one bad field.
func abortFields(c *gin.Context, field string, m models.Message) {
	l := lang(c)
	c.AbortWithStatusJSON(http.StatusUnprocessableEntity, errorBody{Error: errorDetail{
		Code: "validation_failed", Message: msgInvalid.In(l), Fields: map[string]string{field: m.In(l)}}})
}

// list writes a page of items in the list shape of DESIGN.md §6.
func list[T any](c *gin.Context, items []T, next string) {
	if items == nil {
		items = []T{}
	}
	switch items := any(items).(type) {
	case []models.Petition:
		encodedList(c, items, next)
		return
	case []models.PublicPetition:
		encodedList(c, items, next)
		return
	case []models.OverduePetition:
		encodedList(c, items, next)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

// jsonBuffers hold the answers encodedList and petitionJSON write, one request at a time.
var jsonBuffers = sync.Pool{New: func() any { return new([]byte) }}

// putJSONBuffer gives a buffer back for the next answer, unless an export-sized answer grew it.
func putJSONBuffer(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		jsonBuffers.Put(buf)
	}
}

// appendsJSON is an item that encodes itself as encoding/json would (models' AppendJSON).
type appendsJSON[T any] interface {
	*T
	AppendJSON(b []byte) ([]byte, error)
}

// encodedList writes a page of items as list does, each item by its own encoder: the same
// bytes without encoding/json's reflection over every field of every item.
func encodedList[T any, P appendsJSON[T]](c *gin.Context, items []T, next string) {
	buf := jsonBuffers.Get().(*[]byte)
	defer putJSONBuffer(buf)
	b := append((*buf)[:0], `{"items":[`...)
	var err error
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = P(&items[i]).AppendJSON(b); err != nil {
			c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next}) // fails as encoding/json does
			return
		}
	}
	b = append(b, `],"next_cursor":`...)
	b = models.AppendJSONString(b, next)
	b = append(b, '}')
	*buf = b
	c.Render(http.StatusOK, encodedJSON(b))
}

// encodedArray writes items as a JSON array, as c.JSON does, each item by its own encoder.
func encodedArray[T any, P appendsJSON[T]](c *gin.Context, items []T) {
	buf := jsonBuffers.Get().(*[]byte)
	defer putJSONBuffer(buf)
	b := append((*buf)[:0], '[')
	var err error
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = P(&items[i]).AppendJSON(b); err != nil {
			c.JSON(http.StatusOK, items) // fails as encoding/json does
			return
		}
	}
	b = append(b, ']')
	*buf = b
	c.Render(http.StatusOK, encodedJSON(b))
}

// encodedValue writes one value as c.JSON does, by its own encoder (a petition, a report).
func encodedValue[T any, P appendsJSON[T]](c *gin.Context, status int, v P) {
	buf := jsonBuffers.Get().(*[]byte)
	defer putJSONBuffer(buf)
	b, err := v.AppendJSON((*buf)[:0])
	if err != nil {
		c.JSON(status, v) // fails as encoding/json does
		return
	}
	*buf = b
	c.Render(status, encodedJSON(b))
}

// encodedJSON is JSON already encoded, rendered as c.JSON renders what it encodes: the same
// Content-Type, and no Content-Length of its own (net/http adds one to a small answer).
type encodedJSON []byte

// Render writes the JSON.
func (j encodedJSON) Render(w http.ResponseWriter) error {
	j.WriteContentType(w)
	_, err := w.Write(j)
	return err
}

// WriteContentType sets the Content-Type c.JSON sends.
func (j encodedJSON) WriteContentType(w http.ResponseWriter) {
	if h := w.Header(); len(h["Content-Type"]) == 0 {
		h["Content-Type"] = []string{"application/json; charset=utf-8"}
	}
}
