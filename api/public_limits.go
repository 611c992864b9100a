package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	xrate "golang.org/x/time/rate"

	"github.com/papi-dialogue/papi/models"
)

// Default limits of one client address on the public board and Open311: far above what a
// resident's browser or a civic app polling Open311 needs, far below what would crowd out staff.
const (
	defaultPublicRate  = 20
	defaultPublicBurst = 40
	// maxPublicClients bounds the buckets held at once; past it the idle ones go first.
	maxPublicClients = 100_000
)

var msgPublicRateLimited = models.Msg("Quá nhiều yêu cầu từ địa chỉ này; hãy thử lại sau giây lát.",
	"Too many requests from this address; try again in a moment.")

// clientLimits gives each client address a token bucket. It lives in the process, so with
// several processes behind a load balancer each allows the rate on its own; that is enough to
// keep one client from crowding out the others, which is all it is for.
type clientLimits struct {
	rate  xrate.Limit
	burst int
	// idle is how long an unused bucket takes to fill up again; one idle that long is the same as
	// a new one, so dropping it loses nothing.
	idle time.Duration

	mu        sync.Mutex
	buckets   map[string]*clientBucket
	lastSweep time.Time
}

type clientBucket struct {
	limiter *xrate.Limiter
	seen    time.Time
}

// newClientLimits returns the limits of perSecond requests a second with bursts of burst; a
// zero perSecond or burst takes the default, a negative perSecond turns the limit off.
func newClientLimits(perSecond float64, burst int) *clientLimits {
	r := xrate.Limit(perSecond)
	switch {
	case perSecond == 0:
		r = defaultPublicRate
	case perSecond < 0:
		r = xrate.Inf
	}
	if burst <= 0 {
		burst = defaultPublicBurst
	}
	idle := time.Minute
	if r != xrate.Inf {
		idle = max(time.Duration(float64(burst)/float64(r)*float64(time.Second)), time.Second)
	}
	return &clientLimits{rate: r, burst: burst, idle: idle, buckets: map[string]*clientBucket{}}
}

// wait takes a token for addr at now and returns zero, or, when the bucket is empty, how long
// until the next token (without taking it).
func (l *clientLimits) wait(addr string, now time.Time) time.Duration {
	if l.rate == xrate.Inf {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.idle || len(l.buckets) >= maxPublicClients {
		l.sweep(now)
	}
	b := l.buckets[addr]
	if b == nil {
		b = &clientBucket{limiter: xrate.NewLimiter(l.rate, l.burst)}
		l.buckets[addr] = b
	}
	b.seen = now
	res := b.limiter.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// sweep drops the buckets idle long enough to be full again; if that leaves too many (a flood
// from very many addresses at once), it starts over, which only ever lets more through.
func (l *clientLimits) sweep(now time.Time) {
	for addr, b := range l.buckets {
		if now.Sub(b.seen) > l.idle {
			delete(l.buckets, addr)
		}
	}
	if len(l.buckets) >= maxPublicClients {
		l.buckets = map[string]*clientBucket{}
	}
	l.lastSweep = now
}

// limitClients answers 429 with Retry-After to a client address over its public rate: in the
// Open311 error shape on Open311, in the API's elsewhere. The address is the one access logs
// show: the real client behind a trusted proxy.
func (s *Server) limitClients(c *gin.Context) {
	d := s.publicLimits.wait(c.ClientIP(), time.Now())
	if d == 0 {
		c.Next()
		return
	}
	c.Header("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	if strings.HasPrefix(c.Request.URL.Path, "/open311/") {
		s.open311Abort(c, http.StatusTooManyRequests, msgPublicRateLimited)
		return
	}
	abort(c, http.StatusTooManyRequests, "rate_limited", msgPublicRateLimited)
}
