package models

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// User is a person who signs in, bound to one unit and one role.
type User struct {
	ID           int64  `json:"id"`
	Username     string `json:"username"`
	PasswordHash string `json:"-"`
	FullName     string `json:"full_name"`
	Role         Role   `json:"role"`
	UnitID       int64  `json:"unit_id"`
	Active       bool   `json:"active"`
	// Email is where the app sends the user assignments and the daily digest; empty for none.
	// Only the user and those who manage users read it.
	Email string `json:"email"`
	// Phone is the user's mobile number (84 and nine digits), read like Email; SMSNotices is
	// whether assignments and the daily digest also go to it by SMS.
	Phone      string    `json:"phone"`
	SMSNotices bool      `json:"sms_notices"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// PasswordChangeRequired is set at sign-in when the password falls short of today's rules
	// (it was chosen before them); choosing a new one clears it. /auth/me tells the web app.
	PasswordChangeRequired bool `json:"-"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

// DefaultBcryptCost balances login latency against brute force.
const DefaultBcryptCost = 11

// hashPassword returns the bcrypt hash of a password at the store's cost.
func (s *Store) hashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.BcryptCost)
	return string(h), err
}

func validateUsername(v *ValidationError, username string) {
	if !usernamePattern.MatchString(username) {
		v.Add("username", Msg("Tên đăng nhập gồm 3–64 chữ thường không dấu, chữ số, dấu chấm, gạch.", "The username is 3–64 lower-case letters, digits, dots or dashes."))
	}
}

// HashPassword returns the bcrypt hash of a password at the store's cost, for loaders that write
// users in bulk.
func (s *Store) HashPassword(password string) (string, error) { return s.hashPassword(password) }

func validateFullName(v *ValidationError, name string) {
	if utf8.RuneCountInString(name) > 120 {
		v.Add("full_name", Msg("Họ tên dài tối đa 120 ký tự.", "The full name is at most 120 characters."))
	}
}

func validateRole(v *ValidationError, actor Actor, r Role) {
	switch {
	case !r.Valid():
		v.Add("role", Msg("Vai trò không hợp lệ.", "Unknown role."))
	case !actor.CanAssignRole(r):
		v.Add("role", Msg("Bạn không được cấp vai trò này.", "You may not grant this role."))
	}
}

// userInScope returns a user whose unit the actor sees.
func (s *Store) userInScope(ctx context.Context, actor Actor, id int64) (*User, error) {
	var u User
	cond, args := actor.scopeSQL("units.path")
	err := s.conn(ctx).Table("users").Select("users.*").
		Joins("JOIN units ON units.id = users.unit_id").
		Where("users.id = ?", id).Where(cond, args...).Take(&u).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// User returns a user the actor may see.
func (s *Store) User(ctx context.Context, actor Actor, id int64) (*User, error) {
	u, err := s.userInScope(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return u.forReader(actor), nil
}

// UserFilter selects users in a list.
type UserFilter struct {
	// UnitID is the id of a unit, as the user gave it: users of its subtree.
	UnitID string
	Role   Role
	Page   Page
}

// Users returns a page of the users under the actor's unit, by id.
func (s *Store) Users(ctx context.Context, actor Actor, f UserFilter) ([]User, string, error) {
	cond, args := actor.scopeSQL("units.path")
	v := &ValidationError{}
	if id, ok := parseID(v, "unit_id", f.UnitID); ok {
		u, err := s.Unit(ctx, actor, id)
		if err != nil {
			return nil, "", FieldError("unit_id", Msg("Không tìm thấy đơn vị.", "Unknown unit."))
		}
		cond, args = pathsSQL("units.path", []string{u.Path})
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	var after struct{ ID int64 }
	if err := f.Page.decode(&after); err != nil {
		return nil, "", err
	}
	q := s.conn(ctx).Table("users").Select("users.*").
		Joins("JOIN units ON units.id = users.unit_id").
		Where(cond, args...).Where("users.id > ?", after.ID)
	if f.Role != "" {
		q = q.Where("users.role = ?", f.Role)
	}
	var users []User
	if err := q.Order("users.id").Limit(f.Page.limit() + 1).Find(&users).Error; err != nil {
		return nil, "", err
	}
	users, more := trimPage(users, f.Page.limit())
	for i := range users {
		users[i].forReader(actor)
	}
	next := ""
	if more {
		next = encodeCursor(struct{ ID int64 }{users[len(users)-1].ID})
	}
	return users, next, nil
}

// UserInput is what a new user is made of.
type UserInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	FullName string `json:"full_name"`
	Role     Role   `json:"role"`
	UnitID   int64  `json:"unit_id"`
	Email    string `json:"email"`
	// Phone and SMSNotices: a mobile number, and whether to send SMS to it (user_contact.go).
	Phone      string `json:"phone"`
	SMSNotices bool   `json:"sms_notices"`
}

// CreateUser adds a user in a unit the actor sees, with a role the actor may grant.
func (s *Store) CreateUser(ctx context.Context, actor Actor, in UserInput) (*User, error) {
	if !actor.Can(PermUsersManage) {
		return nil, ErrForbidden
	}
	username := strings.ToLower(strings.TrimSpace(in.Username))
	v := &ValidationError{}
	validateUsername(v, username)
	validatePassword(v, "password", username, in.Password)
	validateFullName(v, in.FullName)
	validateRole(v, actor, in.Role)
	email, phone := cleanEmail(v, "email", in.Email), cleanPhone(v, "phone", in.Phone)
	checkSMSNotices(v, in.SMSNotices, phone)
	if _, err := s.Unit(ctx, actor, in.UnitID); err != nil {
		v.Add("unit_id", Msg("Không tìm thấy đơn vị.", "Unknown unit."))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &User{Username: username, PasswordHash: hash, FullName: strings.TrimSpace(in.FullName),
		Role: in.Role, UnitID: in.UnitID, Email: email, Phone: phone, SMSNotices: in.SMSNotices, Active: true, Version: 1}
	if err := s.conn(ctx).Create(u).Error; err != nil {
		if isUniqueViolation(err) {
			return nil, FieldError("username", Msg("Tên đăng nhập đã tồn tại.", "This username is taken."))
		}
		return nil, failed(err, "create user %s", username)
	}
	return u, nil
}

// UserPatch is a change to a user; nil fields stay as they are.
type UserPatch struct {
	FullName *string `json:"full_name"`
	Role     *Role   `json:"role"`
	UnitID   *int64  `json:"unit_id"`
	Password *string `json:"password"`
	Active   *bool   `json:"active"`
	Email    *string `json:"email"`
	// Phone and SMSNotices change the mobile number and the choice of SMS.
	Phone      *string `json:"phone"`
	SMSNotices *bool   `json:"sms_notices"`
	Version    *int    `json:"version"`
}

// UpdateUser edits a user the actor manages. A new password or a deactivation ends the user's sessions.
func (s *Store) UpdateUser(ctx context.Context, actor Actor, id int64, p UserPatch) (*User, error) {
	var out *User
	err := s.WithTx(ctx, func(ctx context.Context) error {
		u, err := s.userInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermUsersManage) || !actor.CanAssignRole(u.Role) {
			return ErrForbidden
		}
		if p.Version != nil && *p.Version != u.Version {
			return StaleVersion(u)
		}
		v := &ValidationError{}
		updates := map[string]any{"version": u.Version + 1, "updated_at": s.now()}
		if p.FullName != nil {
			validateFullName(v, *p.FullName)
			updates["full_name"] = strings.TrimSpace(*p.FullName)
		}
		if p.Role != nil {
			validateRole(v, actor, *p.Role)
			updates["role"] = *p.Role
		}
		if p.UnitID != nil {
			if _, err := s.Unit(ctx, actor, *p.UnitID); err != nil {
				v.Add("unit_id", Msg("Không tìm thấy đơn vị.", "Unknown unit."))
			}
			updates["unit_id"] = *p.UnitID
		}
		contactUpdates(v, u, p.Email, p.Phone, p.SMSNotices, updates)
		endSessions := false
		if p.Password != nil {
			validatePassword(v, "password", u.Username, *p.Password)
			endSessions = true
		}
		if p.Active != nil {
			if !*p.Active && u.ID == actor.UserID {
				v.Add("active", Msg("Không thể tự khóa tài khoản của mình.", "You cannot deactivate yourself."))
			}
			updates["active"] = *p.Active
			endSessions = endSessions || !*p.Active
		}
		if err := v.Err(); err != nil {
			return err
		}
		if p.Password != nil {
			hash, err := s.hashPassword(*p.Password)
			if err != nil {
				return err
			}
			updates["password_hash"] = hash
			updates["password_change_required"] = false
		}
		res := s.conn(ctx).Model(&User{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(u)
		}
		if endSessions {
			if err := s.conn(ctx).Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		out, err = s.userInScope(ctx, actor, id)
		return err
	})
	return out, failed(err, "update user %d", id)
}

// PasswordChange is a person's new password and the current one that allows it.
type PasswordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// ChangePassword replaces the actor's own password after checking the current one,
// and ends the actor's other sessions.
func (s *Store) ChangePassword(ctx context.Context, actor Actor, keepSessionID string, in PasswordChange) error {
	next := in.NewPassword
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var u User
		if err := s.conn(ctx).First(&u, actor.UserID).Error; err != nil {
			return notFound(err)
		}
		v := &ValidationError{}
		requireText(v, "current_password", in.CurrentPassword, 200)
		if _, bad := v.Fields["current_password"]; !bad &&
			bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(in.CurrentPassword)) != nil {
			v.Add("current_password", Msg("Mật khẩu hiện tại không đúng.", "The current password is wrong."))
		}
		validatePassword(v, "new_password", u.Username, next)
		if err := v.Err(); err != nil {
			return err
		}
		hash, err := s.hashPassword(next)
		if err != nil {
			return err
		}
		err = s.conn(ctx).Model(&User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"password_hash": hash, "password_change_required": false, "version": u.Version + 1, "updated_at": s.now()}).Error
		if err != nil {
			return err
		}
		return s.conn(ctx).Where("user_id = ? AND id <> ?", u.ID, keepSessionID).Delete(&Session{}).Error
	})
	return failed(err, "change password of user %d", actor.UserID)
}

// UserByUsername returns a user by name, ignoring case.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	err := s.conn(ctx).Where("lower(username) = ?", strings.ToLower(strings.TrimSpace(username))).Take(&u).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// SetPassword replaces a user's password without the old one; only command-line tasks use it.
func (s *Store) SetPassword(ctx context.Context, userID int64, password string) error {
	var u User
	if err := s.conn(ctx).Select("id, username").First(&u, userID).Error; err != nil {
		return notFound(err)
	}
	v := &ValidationError{}
	validatePassword(v, "password", u.Username, password)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return err
	}
	res := s.conn(ctx).Model(&User{}).Where("id = ?", userID).
		Updates(map[string]any{"password_hash": hash, "password_change_required": false, "updated_at": s.now()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
