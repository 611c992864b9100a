package models

import (
	"context"
	"net/mail"
	"strings"
)

var msgUserEmail = Msg("Địa chỉ email không hợp lệ (ví dụ: ten@ubnd.gov.vn), hoặc để trống.",
	"The e-mail address is not valid (such as name@ubnd.gov.vn); or leave it empty.")

// cleanEmail checks an official's address for messages and returns it trimmed: one plain
// address (no display name), at most 254 characters, or empty for none.
func cleanEmail(v *ValidationError, field, email string) string {
	email = strings.TrimSpace(email)
	if email == "" {
		return ""
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		v.Add(field, msgUserEmail)
	}
	return email
}

// SeesContactOf tells whether the actor may read a user's contact (their e-mail address): the
// user themself and those who manage users. Colleagues who only pick a user from a list do not.
func (a Actor) SeesContactOf(u *User) bool {
	return a.UserID == u.ID || a.Can(PermUsersManage)
}

// forReader hides what the actor may not read of the user.
func (u *User) forReader(a Actor) *User {
	if !a.SeesContactOf(u) {
		u.Email = ""
	}
	return u
}

// ContactInput is what a signed-in user changes of their own record: where the app sends them
// assignments and the daily digest.
type ContactInput struct {
	Email   *string `json:"email"`
	Version *int    `json:"version"`
}

// UpdateOwnContact sets the actor's own e-mail address for messages. An empty address stops
// e-mails; the list in the app stays.
func (s *Store) UpdateOwnContact(ctx context.Context, actor Actor, in ContactInput) (*User, error) {
	if !actor.Can(PermOwnContact) {
		return nil, ErrForbidden
	}
	var out User
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var u User
		if err := s.conn(ctx).First(&u, actor.UserID).Error; err != nil {
			return notFound(err)
		}
		if in.Version != nil && *in.Version != u.Version {
			return StaleVersion(&u)
		}
		v := &ValidationError{}
		updates := map[string]any{"version": u.Version + 1, "updated_at": s.now()}
		if in.Email != nil {
			updates["email"] = cleanEmail(v, "email", *in.Email)
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := s.conn(ctx).Model(&User{}).Where("id = ? AND version = ?", u.ID, u.Version).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(&u)
		}
		return s.conn(ctx).First(&out, u.ID).Error
	})
	if err != nil {
		return nil, failed(err, "update contact of user %d", actor.UserID)
	}
	return &out, nil
}
