package models

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// PasswordMinLength is the fewest characters a new password may have.
const PasswordMinLength = 10

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords are the passwords guessers try first; none may be chosen.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// passwordProblem says what makes a password too weak for the user, or nil when it is good.
func passwordProblem(username, password string) *Message {
	var m Message
	switch {
	case utf8.RuneCountInString(password) < PasswordMinLength:
		m = Msg("Mật khẩu phải có ít nhất 10 ký tự.", "The password needs at least 10 characters.")
	case len(password) > 72:
		m = Msg("Mật khẩu dài tối đa 72 byte.", "The password is at most 72 bytes.")
	case username != "" && Fold(password) == Fold(username):
		m = Msg("Mật khẩu không được trùng tên đăng nhập.", "The password cannot be the username.")
	case commonPasswords[strings.ToLower(password)]:
		m = Msg("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.", "This password is too common and easily guessed; choose another.")
	default:
		return nil
	}
	return &m
}

// validatePassword names a new password that is too weak for the user in v.
func validatePassword(v *ValidationError, field, username, password string) {
	if m := passwordProblem(strings.ToLower(strings.TrimSpace(username)), password); m != nil {
		v.Add(field, *m)
	}
}
