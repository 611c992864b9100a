package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Session is a signed-in browser. Its id is the SHA-256 of the cookie token, so a leaked
// database does not leak usable cookies.
type Session struct {
	ID        string
	UserID    int64
	CSRFToken string `gorm:"column:csrf_token"`
	CreatedAt time.Time
	ExpiresAt time.Time
	// LastSeenAt is when the session was last used, to the minute (see Authenticate).
	LastSeenAt time.Time
	// versions are unit_scope_version's and reference_version's counters, read with the
	// session (ReadingWith); read is false for a session not read by Authenticate.
	versions struct {
		units, reference int64
		read             bool
	}
}

// sessionTouchEvery is how stale LastSeenAt may grow before a request writes it again: one
// write a minute per session, not one per request, for an idle limit counted in minutes.
const sessionTouchEvery = time.Minute

// dummyHash keeps the time of a login for an unknown username equal to a wrong password.
const dummyHash = "$2a$11$OtavQL9WnO1ZRbYCO/kcQe3qQ8aclK3zAOVW/xr9tRl5jMJLMVWGK"

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Credentials are what a person signs in with, and where from.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Address is the client's address as the server sees it (behind trusted proxies, the
	// forwarded one); the sign-in limits count by it. Never read from the request body.
	Address string `json:"-"`
}

// validate names an empty or overlong username or password; any other pair is merely wrong.
func (c Credentials) validate() error {
	v := &ValidationError{}
	requireText(v, "username", c.Username, 64)
	requireText(v, "password", c.Password, 200)
	return v.Err()
}

// Login checks a username and password and opens a session lasting ttl. It returns the
// cookie token. Wrong username and wrong password fail alike, with ErrUnauthenticated.
func (s *Store) Login(ctx context.Context, in Credentials, ttl time.Duration) (*Session, *User, string, error) {
	if err := in.validate(); err != nil {
		return nil, nil, "", err
	}
	name, password := strings.ToLower(strings.TrimSpace(in.Username)), in.Password
	now := s.now()
	if err := s.takeLoginAttempts(ctx, name, in.Address, now); err != nil {
		return nil, nil, "", err
	}
	u, err := s.UserByUsername(ctx, name)
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || u == nil || !u.Active {
		return nil, nil, "", ErrUnauthenticated // the attempt stays counted
	}
	if unit, err := s.unitByID(ctx, u.UnitID); err != nil {
		return nil, nil, "", err
	} else if !unit.Live() {
		// The password was right: say why there is no way in yet, rather than fail obscurely.
		return nil, nil, "", ErrUnitEnded
	}
	token := randomToken()
	sess := &Session{ID: hashToken(token), UserID: u.ID, CSRFToken: randomToken(), CreatedAt: now, ExpiresAt: now.Add(ttl), LastSeenAt: now}
	err = s.WithTx(ctx, func(ctx context.Context) error {
		// Housekeeping rides on logins: expired sessions and stale counters go.
		if err := s.conn(ctx).Where("expires_at < ?", now).Delete(&Session{}).Error; err != nil {
			return err
		}
		if err := s.forgiveLoginAttempts(ctx, name, in.Address, now); err != nil {
			return err
		}
		// Only now is the password in hand: one chosen before today's rules must be changed.
		if weak := passwordProblem(u.Username, password) != nil; weak != u.PasswordChangeRequired {
			u.PasswordChangeRequired = weak
			if err := s.conn(ctx).Model(&User{}).Where("id = ?", u.ID).Update("password_change_required", weak).Error; err != nil {
				return err
			}
		}
		return s.conn(ctx).Create(sess).Error
	})
	if err != nil {
		return nil, nil, "", failed(err, "open session of user %d", u.ID)
	}
	return sess, u, token, nil
}

// sessionRow is what Authenticate reads: a session, its user and the user's unit.
type sessionRow struct {
	User
	CSRFToken        string
	SessionCreatedAt time.Time
	ExpiresAt        time.Time
	LastSeenAt       time.Time
	UnitPath         string
	UnitValidTo      *Date
	// MonitorPaths are the paths of the communes of a monitoring official's set, joined by
	// commas (paths hold digits and slashes only); nil without a set.
	MonitorPaths *string
	// UnitsVersion and ReferenceVersion are the counters a scope reader starts from
	// (ReadingWith).
	UnitsVersion, ReferenceVersion int64
}

// sessionColumns are the columns of a sessionRow.
const sessionColumns = `users.id, users.username, users.password_hash, users.full_name, users.role, users.unit_id,
	users.active, users.email, users.phone, users.sms_notices, users.version, users.created_at, users.updated_at,
	users.password_change_required, sessions.csrf_token, sessions.created_at AS session_created_at,
	sessions.expires_at, sessions.last_seen_at, units.path AS unit_path, units.valid_to AS unit_valid_to`

// sessionColumnsSQL are sessionColumns, the user's set of communes, so that a monitoring
// official's request reads it in the same round trip, and the versions of the units and the
// reference data, so that a request that only reads resolves them without one (ReadingWith).
func (s *Store) sessionColumnsSQL() string {
	return sessionColumns + `, ` + s.dialect.monitorPathsSQL("users.id") + ` AS monitor_paths,
	(SELECT n FROM unit_scope_version WHERE id = 1) AS units_version,
	(SELECT n FROM reference_version WHERE id = 1) AS reference_version`
}

// monitorPathsSQL is the set of communes a monitoring official follows, as one text: their paths
// joined by commas (paths hold digits and slashes only), NULL without a set. who is the user's
// ID: a column of the statement around it, or a placeholder.
func (d Dialect) monitorPathsSQL(who string) string {
	return `(SELECT ` + d.stringAgg() + `(mu.path, ',') FROM monitor_communes m JOIN units mu ON mu.id = m.commune_id
		WHERE m.user_id = ` + who + `)`
}

// monitorCommunes are the sorted paths of the set monitorPathsSQL read, none without one.
func monitorCommunes(paths *string) []string {
	if paths == nil || *paths == "" {
		return nil
	}
	out := strings.Split(*paths, ",")
	slices.Sort(out)
	return out
}

// fields are the destinations of sessionColumns in r, in their order, appended to into.
func (r *sessionRow) fields(into []any) []any {
	return append(into, &r.ID, &r.Username, &r.PasswordHash, &r.FullName, &r.Role, &r.UnitID,
		&r.Active, &r.Email, &r.Phone, &r.SMSNotices, &r.Version, &r.CreatedAt, &r.UpdatedAt,
		&r.PasswordChangeRequired, &r.CSRFToken, &r.SessionCreatedAt,
		&r.ExpiresAt, &r.LastSeenAt, &r.UnitPath, &r.UnitValidTo, &r.MonitorPaths, &r.UnitsVersion, &r.ReferenceVersion)
}

// Authenticate returns the actor, session and user behind a cookie token, or ErrUnauthenticated
// when there is none, it expired, or it went unused for longer than idle (0: no idle limit).
func (s *Store) Authenticate(ctx context.Context, token string, idle time.Duration) (Actor, *Session, *User, error) {
	if token == "" {
		return Actor{}, nil, nil, ErrUnauthenticated
	}
	// One round trip on every signed-in request: the session, its user and the user's unit path,
	// scanned straight into their fields, by a statement written once (fixed_statements.go).
	id, now := hashToken(token), s.now()
	name, vars := "session", []any{id, now, true}
	if idle > 0 {
		name, vars = "session-idle", append(vars, now.Add(-idle))
	}
	found, err := findFixed(ctx, s, name, vars, func(q *gorm.DB) *gorm.DB {
		q = q.Table("sessions").Select(s.sessionColumnsSQL()).
			Joins("JOIN users ON users.id = sessions.user_id").
			Joins("JOIN units ON units.id = users.unit_id").
			Where("sessions.id = ? AND sessions.expires_at > ? AND users.active = ?", vars[:3]...)
		if idle > 0 {
			q = q.Where("sessions.last_seen_at > ?", vars[3])
		}
		return q.Limit(1)
	}, (*sessionRow).fields)
	if err != nil {
		return Actor{}, nil, nil, err
	}
	if len(found) == 0 {
		return Actor{}, nil, nil, ErrUnauthenticated
	}
	row := &found[0]
	u := row.User
	sess := &Session{ID: id, UserID: u.ID, CSRFToken: row.CSRFToken, CreatedAt: row.SessionCreatedAt, ExpiresAt: row.ExpiresAt,
		LastSeenAt: row.LastSeenAt}
	sess.versions.units, sess.versions.reference, sess.versions.read = row.UnitsVersion, row.ReferenceVersion, true
	if row.UnitValidTo != nil {
		return Actor{}, nil, nil, ErrUnitEnded
	}
	if now.Sub(row.LastSeenAt) >= sessionTouchEvery {
		if err := s.conn(ctx).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", now).Error; err != nil {
			return Actor{}, nil, nil, failed(err, "note the use of session of user %d", u.ID)
		}
		sess.LastSeenAt = now
	}
	actor := Actor{UserID: u.ID, Username: u.Username, Role: u.Role, UnitID: u.UnitID, UnitPath: row.UnitPath}
	if u.Role == RoleDistrictOfficial {
		actor.Communes = monitorCommunes(row.MonitorPaths)
	}
	return actor, sess, &u, nil
}

// ActorOf returns the actor for a user bound to unit.
func ActorOf(u *User, unit *Unit) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Role: u.Role, UnitID: unit.ID, UnitPath: unit.Path}
}

// Logout ends the session behind a cookie token.
func (s *Store) Logout(ctx context.Context, token string) error {
	return s.conn(ctx).Where("id = ?", hashToken(token)).Delete(&Session{}).Error
}

// monitorPaths returns the paths of the communes a monitoring official follows, when bound to
// an explicit set; none means the whole unit they are bound to.
func (s *Store) monitorPaths(ctx context.Context, userID int64) ([]string, error) {
	var paths *string
	if err := s.conn(ctx).Raw(`SELECT `+s.dialect.monitorPathsSQL("?"), userID).Row().Scan(&paths); err != nil {
		return nil, err
	}
	return monitorCommunes(paths), nil
}

// LoadActor returns the actor of a user as a request would see it: their unit and, for a
// monitoring official bound to a set, their communes.
func (s *Store) LoadActor(ctx context.Context, u *User) (Actor, error) {
	unit, err := s.unitByID(ctx, u.UnitID)
	if err != nil {
		return Actor{}, err
	}
	if !unit.Live() {
		return Actor{}, ErrUnitEnded
	}
	a := ActorOf(u, unit)
	if u.Role == RoleDistrictOfficial {
		a.Communes, err = s.monitorPaths(ctx, u.ID)
	}
	return a, err
}
