package models

import (
	"encoding/base64"
	"encoding/json"
)

// MaxPageSize caps the items of one list page.
const MaxPageSize = 200

// DefaultPageSize is the page size when the client names none.
const DefaultPageSize = 50

// Page asks for one page of a list: at most Limit items after the opaque Cursor.
type Page struct {
	Limit  int
	Cursor string
}

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageSize
	case p.Limit > MaxPageSize:
		return MaxPageSize
	}
	return p.Limit
}

// decode reads the keyset position of the cursor into into; an empty cursor leaves it zero.
func (p Page) decode(into any) error {
	if p.Cursor == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err != nil || json.Unmarshal(raw, into) != nil {
		return FieldError("cursor", Msg("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."))
	}
	return nil
}

// encodeCursor returns the opaque cursor for a keyset position.
func encodeCursor(pos any) string {
	raw, _ := json.Marshal(pos)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// trimPage cuts the extra row fetched to learn whether another page follows.
func trimPage[T any](items []T, limit int) ([]T, bool) {
	if len(items) > limit {
		return items[:limit], true
	}
	return items, false
}
