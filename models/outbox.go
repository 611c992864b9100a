package models

import (
	"context"
	"time"
)

// notificationColumns are the columns a claim returns.
const notificationColumns = `id, idempotency_key, event, channel, recipient, petition_id, user_id, subject, body,
	template_id, params, status, attempts, next_attempt_at, claimed_until, last_error, created_at, updated_at, sent_at`

// ClaimNotifications takes up to n messages due for delivery and marks them as being sent until
// lease ends. On PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so several senders
// never take the same message; SQLite has a single sender (and a single writer anyway). A
// message whose sender died mid-delivery is taken again once its lease has run out: it then
// goes twice at most, with the same idempotency key.
func (s *Store) ClaimNotifications(ctx context.Context, n int, lease time.Duration) ([]Notification, error) {
	now := s.now()
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []Notification
	err := s.WithTx(ctx, func(ctx context.Context) error {
		return s.conn(ctx).Raw(`UPDATE notifications SET status = ?, attempts = attempts + 1, claimed_until = ?, updated_at = ?
			WHERE id IN (SELECT id FROM notifications
				WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_until < ?)
				ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
			RETURNING `+notificationColumns,
			NotificationSending, now.Add(lease), now,
			NotificationPending, now, NotificationSending, now, n).Scan(&out).Error
	})
	return out, err
}

// MarkNotificationSent records a delivery. Only the claim that is still current counts, so a
// sender whose lease ran out cannot overwrite what another did since.
func (s *Store) MarkNotificationSent(ctx context.Context, m *Notification) error {
	now := s.now()
	return s.conn(ctx).Model(&Notification{}).Where("id = ? AND status = ? AND attempts = ?", m.ID, NotificationSending, m.Attempts).
		Updates(map[string]any{"status": NotificationSent, "sent_at": now, "claimed_until": nil, "last_error": "", "updated_at": now}).Error
}

// MarkNotificationRetry puts a message back to wait until at, with why the attempt failed.
func (s *Store) MarkNotificationRetry(ctx context.Context, m *Notification, at time.Time, why string) error {
	return s.settle(ctx, m, NotificationPending, at, why)
}

// MarkNotificationFailed gives up on a message; an admin may send it again.
func (s *Store) MarkNotificationFailed(ctx context.Context, m *Notification, why string) error {
	return s.settle(ctx, m, NotificationFailed, s.now(), why)
}

// MarkNotificationUnsent records that a message cannot go, such as when no channel is configured.
func (s *Store) MarkNotificationUnsent(ctx context.Context, m *Notification, why string) error {
	return s.settle(ctx, m, NotificationUnsent, s.now(), why)
}

func (s *Store) settle(ctx context.Context, m *Notification, status string, next time.Time, why string) error {
	return s.conn(ctx).Model(&Notification{}).Where("id = ? AND status = ? AND attempts = ?", m.ID, NotificationSending, m.Attempts).
		Updates(map[string]any{"status": status, "next_attempt_at": next, "claimed_until": nil,
			"last_error": fitRunes(why, 500), "updated_at": s.now()}).Error
}

// OldestWaiting returns when the oldest message still to deliver was written, or the zero time.
func (s *Store) OldestWaiting(ctx context.Context) (time.Time, error) {
	var row Notification
	res := s.conn(ctx).Select("created_at").Where("status IN ?", []string{NotificationPending, NotificationSending}).
		Order("created_at, id").Limit(1).Find(&row)
	if res.Error != nil || res.RowsAffected == 0 {
		return time.Time{}, res.Error
	}
	return row.CreatedAt, nil
}

// Notifications lists the outbox for an admin: the messages in status (failed, unsent, …),
// newest first. Recipients are masked.
func (s *Store) Notifications(ctx context.Context, actor Actor, status string, pg Page) ([]Notification, string, error) {
	if !actor.Can(PermNotificationsManage) {
		return nil, "", ErrForbidden
	}
	switch status {
	case "":
		status = NotificationFailed
	case NotificationPending, NotificationSending, NotificationSent, NotificationFailed, NotificationUnsent, NotificationCancelled:
	default:
		return nil, "", FieldError("status", Msg("Trạng thái phải là pending, sending, sent, failed, unsent hoặc cancelled.",
			"The status must be pending, sending, sent, failed, unsent or cancelled."))
	}
	var pos struct{ ID int64 }
	if err := pg.decode(&pos); err != nil {
		return nil, "", err
	}
	q := s.conn(ctx).Where("status = ?", status).Order("id DESC")
	if pos.ID > 0 {
		q = q.Where("id < ?", pos.ID)
	}
	limit := pg.limit()
	var out []Notification
	if err := q.Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, more := trimPage(out, limit)
	next := ""
	if more {
		next = encodeCursor(struct{ ID int64 }{out[len(out)-1].ID})
	}
	for i := range out {
		out[i].MaskedRecipient = MaskContact(out[i].Recipient)
	}
	return out, next, nil
}

// ResendNotification puts a failed or unsent message back in the queue with fresh attempts;
// it keeps its idempotency key, so a receiver that got it after all drops the copy.
func (s *Store) ResendNotification(ctx context.Context, actor Actor, id int64) (*Notification, error) {
	if !actor.Can(PermNotificationsManage) {
		return nil, ErrForbidden
	}
	var out Notification
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).First(&out, id).Error; err != nil {
			return notFound(err)
		}
		if out.Status != NotificationFailed && out.Status != NotificationUnsent {
			return &ConflictError{Reason: "notification_not_failed",
				Message: Msg("Chỉ gửi lại được tin gửi không thành công.", "Only a message that failed can be sent again.")}
		}
		now := s.now()
		res := s.conn(ctx).Model(&Notification{}).Where("id = ? AND status = ?", id, out.Status).
			Updates(map[string]any{"status": NotificationPending, "attempts": 0, "next_attempt_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		return s.conn(ctx).First(&out, id).Error
	})
	if err != nil {
		return nil, err
	}
	out.MaskedRecipient = MaskContact(out.Recipient)
	return &out, nil
}

// ChannelToken is the current token pair of a channel that renews its own (Zalo).
type ChannelToken struct {
	Channel      string `gorm:"primaryKey"`
	AccessToken  string
	RefreshToken string
	ExpiresAt    time.Time
	UpdatedAt    time.Time
}

// LoadChannelToken returns the stored tokens of a channel, or ErrNotFound.
func (s *Store) LoadChannelToken(ctx context.Context, channel string) (*ChannelToken, error) {
	var t ChannelToken
	if err := s.conn(ctx).Where("channel = ?", channel).First(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// SaveChannelToken stores a channel's renewed tokens; a refresh token is good once, so every
// process must use the latest.
func (s *Store) SaveChannelToken(ctx context.Context, t *ChannelToken) error {
	t.UpdatedAt = s.now()
	return s.conn(ctx).Exec(`INSERT INTO channel_tokens (channel, access_token, refresh_token, expires_at, updated_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel) DO UPDATE SET access_token = excluded.access_token,
		refresh_token = excluded.refresh_token, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
		t.Channel, t.AccessToken, t.RefreshToken, t.ExpiresAt, t.UpdatedAt).Error
}

// tokenMargin is how long before its expiry an access token is renewed rather than used.
const tokenMargin = time.Minute

// ChannelAccessToken returns a channel's access token that is good to use, renewing it when it
// has expired or when the receiver refused it (rejected names the token refused, else ""). A
// renewal happens once however many senders, in this process or others, need one together: it
// runs holding the channel's row locked, and a sender that waited for the lock takes the token
// the first one stored. That matters because a refresh token is good once: a second renewal
// with the same one would fail. firstRefresh is the refresh token configured for the very first
// renewal; renew trades a refresh token for a new pair.
func (s *Store) ChannelAccessToken(ctx context.Context, channel, firstRefresh, rejected string,
	renew func(ctx context.Context, refresh string) (*ChannelToken, error)) (*ChannelToken, error) {
	usable := func(t *ChannelToken) bool {
		return t.AccessToken != "" && t.AccessToken != rejected && s.now().Add(tokenMargin).Before(t.ExpiresAt)
	}
	if cur, err := s.LoadChannelToken(ctx, channel); err == nil && usable(cur) {
		return cur, nil // the common case takes no lock
	}
	var out *ChannelToken
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Exec(`INSERT INTO channel_tokens (channel, access_token, refresh_token, expires_at, updated_at)
			VALUES (?, '', ?, ?, ?) ON CONFLICT (channel) DO NOTHING`, channel, firstRefresh, time.Unix(0, 0).UTC(), s.now()).Error; err != nil {
			return err
		}
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var cur ChannelToken
		if err := s.conn(ctx).Raw(`SELECT channel, access_token, refresh_token, expires_at, updated_at FROM channel_tokens
			WHERE channel = ?`+lock, channel).Scan(&cur).Error; err != nil {
			return err
		}
		if usable(&cur) {
			out = &cur // another sender renewed it while this one waited
			return nil
		}
		refresh := cur.RefreshToken
		if refresh == "" {
			refresh = firstRefresh
		}
		next, err := renew(ctx, refresh)
		if err != nil {
			return err
		}
		next.Channel = channel
		if err := s.SaveChannelToken(ctx, next); err != nil {
			return err
		}
		out = next
		return nil
	})
	return out, err
}
