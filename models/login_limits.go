package models

import (
	"context"
	"fmt"
	"time"
)

// Sign-in limits (docs/SECURITY.md). Every attempt takes a place in two counters before its
// password is checked, so a hundred parallel guesses are counted as a hundred, not after the
// fact: one for the account from the client's address, one for the address whatever the
// account. A guesser elsewhere never locks the account's owner out; one address cannot spray
// many accounts either. A successful sign-in gives its places back.
const (
	// LoginMaxFailures is how many attempts one account may take from one address in a window.
	LoginMaxFailures = 5
	// LoginMaxPerAddress is how many failed or pending attempts one address may make in a
	// window, over every account: a whole office behind one NAT signs in well below it.
	LoginMaxPerAddress = 30
	// LoginWindow is how long a counter lasts from its first attempt.
	LoginWindow = 15 * time.Minute
)

// RateLimitError is ErrRateLimited with the wait after which a new attempt may be counted.
type RateLimitError struct {
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited: retry after %s", e.RetryAfter)
}

// Unwrap makes a RateLimitError an ErrRateLimited.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// loginBuckets names the counters an attempt takes, the address's first.
func loginBuckets(username, address string) (perAddress, perAccount string) {
	return "a:" + address, "u:" + address + "|" + username
}

// takeLoginAttempt counts one attempt in bucket and refuses it past limit. The upsert is one
// statement, so concurrent attempts each see their own count.
func (s *Store) takeLoginAttempt(ctx context.Context, bucket string, limit int, now time.Time) error {
	start, expired := now.Unix(), now.Add(-LoginWindow).Unix()
	var row struct {
		Attempts    int
		WindowStart int64
	}
	err := s.conn(ctx).Raw(`INSERT INTO login_limits (bucket, window_start, attempts) VALUES (?, ?, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			attempts = CASE WHEN login_limits.window_start <= ? THEN 1 ELSE login_limits.attempts + 1 END,
			window_start = CASE WHEN login_limits.window_start <= ? THEN excluded.window_start ELSE login_limits.window_start END
		RETURNING attempts, window_start`, bucket, start, expired, expired).Scan(&row).Error
	if err != nil {
		return failed(err, "count sign-in attempt")
	}
	if row.Attempts > limit {
		wait := time.Unix(row.WindowStart, 0).Add(LoginWindow).Sub(now)
		return &RateLimitError{RetryAfter: max(wait.Round(time.Second), time.Second)}
	}
	return nil
}

// takeLoginAttempts counts an attempt against the address, then against the account from it.
func (s *Store) takeLoginAttempts(ctx context.Context, username, address string, now time.Time) error {
	perAddress, perAccount := loginBuckets(username, address)
	if err := s.takeLoginAttempt(ctx, perAddress, LoginMaxPerAddress, now); err != nil {
		return err
	}
	return s.takeLoginAttempt(ctx, perAccount, LoginMaxFailures, now)
}

// forgiveLoginAttempts gives a successful sign-in's places back: the account starts afresh from
// that address, and the address's count drops by one. Stale counters go with it.
func (s *Store) forgiveLoginAttempts(ctx context.Context, username, address string, now time.Time) error {
	perAddress, perAccount := loginBuckets(username, address)
	db := s.conn(ctx)
	if err := db.Exec("DELETE FROM login_limits WHERE bucket = ? OR window_start <= ?", perAccount, now.Add(-LoginWindow).Unix()).Error; err != nil {
		return err
	}
	return db.Exec("UPDATE login_limits SET attempts = attempts - 1 WHERE bucket = ? AND attempts > 0", perAddress).Error
}
