package models

import (
	"context"
	"net/mail"
	"strings"
)

var (
	msgUserPhone = Msg("Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678), hoặc để trống.",
		"The mobile number is not valid (such as 0912 345 678); or leave it empty.")
	msgSMSNeedsPhone = Msg("Hãy ghi số điện thoại di động để nhận tin nhắn SMS.", "Give a mobile number to receive SMS.")
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

// cleanPhone checks an official's mobile number for SMS and returns it as gateways take it (84
// and nine digits, NormalizePhone, as a resident's), or empty for none.
func cleanPhone(v *ValidationError, field, phone string) string {
	if strings.TrimSpace(phone) == "" {
		return ""
	}
	n, ok := NormalizePhone(phone)
	if !ok {
		v.Add(field, msgUserPhone)
	}
	return n
}

// checkSMSNotices names sms_notices when a user would choose SMS without a mobile number.
func checkSMSNotices(v *ValidationError, smsNotices bool, phone string) {
	if smsNotices && phone == "" {
		v.Add("sms_notices", msgSMSNeedsPhone)
	}
}

// contactUpdates checks a change of a user's contact against the user's record u and adds it to
// updates: e-mail, mobile number and the choice of SMS, which needs a number.
func contactUpdates(v *ValidationError, u *User, email, phone *string, smsNotices *bool, updates map[string]any) {
	if email != nil {
		updates["email"] = cleanEmail(v, "email", *email)
	}
	finalPhone, finalSMS := u.Phone, u.SMSNotices
	if phone != nil {
		finalPhone = cleanPhone(v, "phone", *phone)
		updates["phone"] = finalPhone
	}
	if smsNotices != nil {
		finalSMS = *smsNotices
		updates["sms_notices"] = finalSMS
	}
	if phone != nil || smsNotices != nil {
		checkSMSNotices(v, finalSMS, finalPhone)
	}
}

// SeesContactOf tells whether the actor may read a user's contact (their e-mail address): the
// user themself and those who manage users. Colleagues who only pick a user from a list do not.
func (a Actor) SeesContactOf(u *User) bool {
	return a.UserID == u.ID || a.Can(PermUsersManage)
}

// forReader hides what the actor may not read of the user.
func (u *User) forReader(a Actor) *User {
	if !a.SeesContactOf(u) {
		u.Email, u.Phone = "", ""
	}
	return u
}

// ContactInput is what a signed-in user changes of their own record: where the app sends them
// assignments and the daily digest: an e-mail address, and a mobile number with whether to
// send SMS too.
type ContactInput struct {
	Email      *string `json:"email"`
	Phone      *string `json:"phone"`
	SMSNotices *bool   `json:"sms_notices"`
	Version    *int    `json:"version"`
}

// UpdateOwnContact sets the actor's own e-mail address and mobile number for messages. An empty
// address stops e-mails, no SMS choice stops SMS; the list in the app stays.
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
		contactUpdates(v, &u, in.Email, in.Phone, in.SMSNotices, updates)
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
