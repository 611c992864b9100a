package notify

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// Sender is the loop of `papi serve` that delivers the outbox: it claims due messages, sends
// each by its channel, and retries a failure with exponential back-off until MaxAttempts, when
// the message is failed for good and shows in the admins' list.
type Sender struct {
	Store    *models.Store
	Channels Channels
	Log      *slog.Logger
	// Batch is how many messages one claim takes.
	Batch int
	// Lease is how long a claim holds a message; past it a dead sender's message is taken again.
	Lease time.Duration
	// Idle is the pause when nothing is due.
	Idle time.Duration
	// Backoff is the wait after the first failed attempt; it doubles up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// MaxAttempts is how many attempts a message gets before it is failed for good.
	MaxAttempts int
	// Timeout bounds one delivery.
	Timeout time.Duration
	// DigestHour is the hour (Asia/Ho_Chi_Minh) from which the day's digest for chairs and
	// monitoring officials is written.
	DigestHour int

	lastDigest calendar.Date

	sent, retried, failed *prometheus.CounterVec
}

// NewSender returns a sender with the production timings.
func NewSender(store *models.Store, channels Channels, log *slog.Logger) *Sender {
	s := &Sender{Store: store, Channels: channels, Log: log, Batch: 20, Lease: 2 * time.Minute, Idle: 2 * time.Second,
		Backoff: 30 * time.Second, MaxBackoff: time.Hour, MaxAttempts: 8, Timeout: 30 * time.Second,
		DigestHour: 7}
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "papi", Subsystem: "notifications", Name: name, Help: help},
			[]string{"channel"})
	}
	s.sent = counter("sent_total", "Messages delivered, by channel.")
	s.retried = counter("retried_total", "Failed attempts that will be retried, by channel.")
	s.failed = counter("failed_total", "Messages failed for good or not sent (no channel configured), by channel.")
	return s
}

// Collectors are the sender's metrics, for the /metrics registry.
func (s *Sender) Collectors() []prometheus.Collector {
	return []prometheus.Collector{s.sent, s.retried, s.failed}
}

// Run delivers until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	for {
		n, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.Log.Warn("notifications: claim failed", "error", err)
		}
		if n > 0 && err == nil {
			continue
		}
		s.digest(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Idle):
		}
	}
}

// RunOnce claims one batch and delivers it; it returns how many messages it handled.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	batch, err := s.Store.ClaimNotifications(ctx, s.Batch, s.Lease)
	if err != nil {
		return 0, err
	}
	for i := range batch {
		if ctx.Err() != nil {
			return i, ctx.Err()
		}
		if m := &batch[i]; m.ClaimedUntil == nil || s.Store.Now().Add(s.Timeout).Before(*m.ClaimedUntil) {
			s.deliver(ctx, m)
		}
		// Otherwise the batch took so long that the claim may run out mid-delivery and another
		// sender take the message: it is left to the next claim, to go once.
	}
	return len(batch), nil
}

// digest writes the day's digest once the digest hour has come; the outbox then delivers it.
func (s *Sender) digest(ctx context.Context) {
	now := s.Store.Now()
	day := calendar.DateOf(now)
	if day == s.lastDigest || now.In(calendar.Zone).Hour() < s.DigestHour {
		return
	}
	n, err := s.Store.QueueDailyDigest(ctx, day)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("notifications: daily digest not written", "error", err)
		}
		return
	}
	s.lastDigest = day
	if n > 0 {
		s.Log.Info("notifications: daily digest written", "day", string(day), "officials", n)
	}
}

// backoff is the wait after the nth failed attempt: Backoff, doubled each time, at most MaxBackoff.
func (s *Sender) backoff(n int) time.Duration {
	d := s.Backoff
	for i := 1; i < n && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// deliver sends one claimed message and records the outcome. Logs name the message by id,
// never by its recipient or content.
func (s *Sender) deliver(ctx context.Context, m *models.Notification) {
	ch := string(m.Channel)
	log := s.Log.With("notification", m.ID, "event", m.Event, "channel", ch, "attempt", m.Attempts)
	channel, ok := s.Channels[m.Channel]
	if !ok {
		s.failed.WithLabelValues(ch).Inc()
		s.record(ctx, log, s.Store.MarkNotificationUnsent(ctx, m, "kênh "+ch+" chưa được cấu hình (channel not configured)"))
		log.Info("notification not sent: channel not configured")
		return
	}
	sendCtx, cancel := context.WithTimeout(ctx, s.Timeout)
	err := channel.Send(sendCtx, m)
	cancel()
	if err == nil {
		s.sent.WithLabelValues(ch).Inc()
		s.record(ctx, log, s.Store.MarkNotificationSent(ctx, m))
		log.Info("notification sent")
		return
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return // shutting down: the lease runs out and another attempt takes it
	}
	why := scrub(err.Error(), m)
	if IsPermanent(err) || m.Attempts >= s.MaxAttempts {
		s.failed.WithLabelValues(ch).Inc()
		s.record(ctx, log, s.Store.MarkNotificationFailed(ctx, m, why))
		log.Warn("notification failed for good", "error", why)
		return
	}
	wait := s.backoff(m.Attempts)
	s.retried.WithLabelValues(ch).Inc()
	s.record(ctx, log, s.Store.MarkNotificationRetry(ctx, m, s.Store.Now().Add(wait), why))
	log.Info("notification will be retried", "error", why, "in", wait)
}

func (s *Sender) record(ctx context.Context, log *slog.Logger, err error) {
	if err != nil && ctx.Err() == nil {
		log.Error("notification outcome not recorded", "error", err)
	}
}
