package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Domain errors; callers tell them apart with errors.Is.
var (
	// ErrNotFound means the record does not exist, or lies outside the caller's units.
	ErrNotFound = errors.New("not found")
	// ErrForbidden means the caller may see the record but not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means no valid session.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrRateLimited means too many attempts in a short time.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnitEnded means the user is bound to a unit a reorganization ended: an administrator
	// must rebind them before they work again.
	ErrUnitEnded = errors.New("unit ended")
	// ErrConflict means the write clashes with the current state of the record.
	ErrConflict = errors.New("conflict")
)

// Message is a user-facing text in Vietnamese and English.
type Message struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// In returns the message in the language lang ("en" or anything else for Vietnamese).
func (m Message) In(lang string) string {
	if lang == "en" && m.EN != "" {
		return m.EN
	}
	return m.VI
}

// Msg builds a Message from its Vietnamese and English texts.
func Msg(vi, en string) Message { return Message{VI: vi, EN: en} }

// ValidationError lists every bad field of a request with what is wrong with it.
type ValidationError struct {
	Fields map[string]Message
}

// Error lists the bad fields.
func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return "validation failed: " + strings.Join(names, ", ")
}

// Add records a problem with field, keeping the first problem found for it.
func (e *ValidationError) Add(field string, m Message) {
	if e.Fields == nil {
		e.Fields = map[string]Message{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = m
	}
}

// Err returns e when it holds a problem, else nil.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FieldError is a ValidationError about one field.
func FieldError(field string, m Message) error {
	v := &ValidationError{}
	v.Add(field, m)
	return v
}

// ConflictError says why a write clashes with the current state of a record (a stale version,
// a move the lifecycle refuses, a double booking...) and carries what the writer needs to
// recover: the current record, the allowed transitions, the overlapping dialogue.
type ConflictError struct {
	Reason  string
	Message Message
	Details map[string]any
}

// Error returns the reason.
func (e *ConflictError) Error() string { return "conflict: " + e.Reason }

// Unwrap makes errors.Is(err, ErrConflict) hold.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Common field messages.
var (
	msgRequired = Msg("Không được để trống.", "This field is required.")
)

// requireText adds to v when text is empty or longer than max characters.
func requireText(v *ValidationError, field, text string, max int) {
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		v.Add(field, msgRequired)
	case n > max:
		v.Add(field, Msg(fmt.Sprintf("Tối đa %d ký tự.", max), fmt.Sprintf("At most %d characters.", max)))
	}
}

// StaleVersion is the conflict of a write that carried an out-of-date version.
func StaleVersion(current any) error {
	return &ConflictError{
		Reason:  "stale_version",
		Message: Msg("Bản ghi đã được người khác thay đổi; hãy tải lại và thử lại.", "Someone else changed this record; reload it and try again."),
		Details: map[string]any{"current": current},
	}
}
