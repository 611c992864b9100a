package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// idempotencyKey remembers which record a client's retry key created.
type idempotencyKey struct {
	UserID     int64  `gorm:"primaryKey"`
	IdemKey    string `gorm:"primaryKey;column:idem_key"`
	Scope      string
	ResourceID int64
	// RequestHash fingerprints the request the key was first used with; empty for old keys.
	RequestHash string
	CreatedAt   time.Time
}

// requestHash fingerprints a decoded request: the same values give the same hash, however the
// client spaced or ordered its JSON.
func requestHash(request any) (string, error) {
	raw, err := json.Marshal(request)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}

func (idempotencyKey) TableName() string { return "idempotency_keys" }

// Idempotent runs create once per (user, key): a retry with the same key and the same request
// returns the id the first call created and replayed=true, even when both calls race; the key
// sent with another request is a field error. An empty key always creates. create runs inside
// the transaction that records the key, so a failed create records nothing.
func (s *Store) Idempotent(ctx context.Context, actor Actor, key, scope string, request any, create func(ctx context.Context) (int64, error)) (id int64, replayed bool, err error) {
	key = strings.TrimSpace(key)
	if key == "" {
		err = s.WithTx(ctx, func(ctx context.Context) error {
			id, err = create(ctx)
			return err
		})
		return id, false, err
	}
	hash, err := keyedRequestHash(key, request)
	if err != nil {
		return 0, false, err
	}
	if id, ok, err := s.recallIdempotency(ctx, actor, key, scope, hash); err != nil || ok {
		return id, ok, err
	}
	err = s.WithTx(ctx, func(ctx context.Context) error {
		id, err = create(ctx)
		if err != nil {
			return err
		}
		return s.conn(ctx).Create(&idempotencyKey{UserID: actor.UserID, IdemKey: key, Scope: scope, ResourceID: id,
			RequestHash: hash, CreatedAt: s.now()}).Error
	})
	if isUniqueViolation(err) {
		// A concurrent request with the same key won; ours rolled back, theirs stands.
		id, ok, rerr := s.recallIdempotency(ctx, actor, key, scope, hash)
		if rerr != nil || ok {
			return id, ok, rerr
		}
	}
	return id, false, err
}

// keyedRequestHash checks a client's key and fingerprints the request it came with.
func keyedRequestHash(key string, request any) (string, error) {
	if len(key) > 200 {
		return "", FieldError("Idempotency-Key", Msg("Khóa chống trùng dài tối đa 200 ký tự.", "The Idempotency-Key is at most 200 characters."))
	}
	return requestHash(request)
}

// recallIdempotent returns the id a key created, when the same request came with it before;
// a write that is costly to prepare asks before preparing, then goes through Idempotent.
func (s *Store) recallIdempotent(ctx context.Context, actor Actor, key, scope string, request any) (int64, bool, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return 0, false, nil
	}
	hash, err := keyedRequestHash(key, request)
	if err != nil {
		return 0, false, err
	}
	return s.recallIdempotency(ctx, actor, key, scope, hash)
}

func (s *Store) recallIdempotency(ctx context.Context, actor Actor, key, scope, hash string) (int64, bool, error) {
	var k idempotencyKey
	res := s.conn(ctx).Where("user_id = ? AND idem_key = ?", actor.UserID, key).Limit(1).Find(&k)
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, false, res.Error
	}
	id, err := k.check(scope, hash)
	return id, err == nil, err
}

// check returns the id a used key created, when it comes again with the same operation and
// request; else the conflict or field error that says why not.
func (k *idempotencyKey) check(scope, hash string) (int64, error) {
	if k.Scope != scope {
		return 0, &ConflictError{Reason: "idempotency_key_reused",
			Message: Msg("Khóa chống trùng đã được dùng cho thao tác khác.", "This Idempotency-Key was used for another operation.")}
	}
	if k.RequestHash != "" && k.RequestHash != hash {
		return 0, FieldError("Idempotency-Key", Msg("Khóa chống trùng đã được dùng cho một yêu cầu khác; hãy dùng khóa mới.",
			"This Idempotency-Key was used for another request; use a new key."))
	}
	return k.ResourceID, nil
}
