package models

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The petition lists, the petition's page, the public board and the overdue list send petitions
// by the page: encoding/json's reflection over every field of each was a good part of their
// time. Each AppendJSON here writes the same bytes encoding/json writes for its type (field
// order, HTML-safe string escapes, times as MarshalJSON writes them); the tests of
// petition_json_test.go hold them to that over randomly filled values, so a field added to one
// of these types fails them until its encoder writes it too.

// AppendJSON appends p as encoding/json encodes it to b.
func (p *Petition) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"reference":`...)
	b = appendJSONString(b, p.Reference)
	b = append(b, `,"commune_id":`...)
	b = strconv.AppendInt(b, p.CommuneID, 10)
	b = append(b, `,"hamlet_id":`...)
	b = strconv.AppendInt(b, p.HamletID, 10)
	b = append(b, `,"dialogue_id":`...)
	b = appendJSONIntPtr(b, p.DialogueID)
	b = append(b, `,"channel":`...)
	b = appendJSONString(b, string(p.Channel))
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(p.Kind))
	b = append(b, `,"topic_id":`...)
	b = strconv.AppendInt(b, p.TopicID, 10)
	b = append(b, `,"content":`...)
	b = appendJSONString(b, p.Content)
	b = append(b, `,"anonymous":`...)
	b = strconv.AppendBool(b, p.Anonymous)
	b = append(b, `,"onsite_answer":`...)
	b = appendJSONString(b, p.OnsiteAnswer)
	b = append(b, `,"received_at":`...)
	if b, err = appendJSONTime(b, p.ReceivedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"state":`...)
	b = appendJSONString(b, string(p.State))
	b = append(b, `,"state_type":`...)
	b = appendJSONString(b, string(p.StateType))
	b = append(b, `,"overdue":`...)
	b = strconv.AppendBool(b, p.Overdue)
	b = append(b, `,"awaiting_closure":`...)
	b = strconv.AppendBool(b, p.AwaitingClosure)
	b = append(b, `,"responsible_unit_id":`...)
	b = appendJSONIntPtr(b, p.ResponsibleUnitID)
	b = append(b, `,"responsible_name":`...)
	b = appendJSONString(b, p.ResponsibleName)
	b = append(b, `,"assignee_id":`...)
	b = appendJSONIntPtr(b, p.AssigneeID)
	b = append(b, `,"due_on":`...)
	b = appendJSONStringPtr(b, p.DueOn)
	b = append(b, `,"due_rule":`...)
	b = appendJSONStringPtr(b, p.DueRule)
	b = append(b, `,"due_rule_text":`...)
	b = appendJSONString(b, p.DueRuleText)
	b = append(b, `,"accepted_at":`...)
	if b, err = appendJSONTimePtr(b, p.AcceptedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"complexity":`...)
	b = appendJSONString(b, string(p.Complexity))
	b = append(b, `,"extensions":`...)
	b = strconv.AppendInt(b, int64(p.Extensions), 10)
	b = append(b, `,"answer_draft":`...)
	b = appendJSONString(b, p.AnswerDraft)
	b = append(b, `,"answer":`...)
	b = appendJSONString(b, p.Answer)
	b = append(b, `,"answered_at":`...)
	if b, err = appendJSONTimePtr(b, p.AnsweredAt); err != nil {
		return nil, err
	}
	b = append(b, `,"answered_by":`...)
	b = appendJSONIntPtr(b, p.AnsweredBy)
	b = append(b, `,"resolved_at":`...)
	if b, err = appendJSONTimePtr(b, p.ResolvedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"closed_at":`...)
	if b, err = appendJSONTimePtr(b, p.ClosedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"close_reason":`...)
	b = appendJSONStringPtr(b, p.CloseReason)
	b = append(b, `,"duplicate_of":`...)
	b = appendJSONIntPtr(b, p.DuplicateOf)
	b = append(b, `,"main_id":`...)
	b = appendJSONIntPtr(b, p.MainID)
	b = append(b, `,"satisfaction":`...)
	b = appendJSONStringPtr(b, p.Satisfaction)
	b = append(b, `,"private":`...)
	b = strconv.AppendBool(b, p.Private)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(p.Version), 10)
	b = append(b, `,"created_by":`...)
	b = strconv.AppendInt(b, p.CreatedBy, 10)
	b = append(b, `,"created_at":`...)
	if b, err = appendJSONTime(b, p.CreatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"updated_at":`...)
	if b, err = appendJSONTime(b, p.UpdatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"incoming_number":`...)
	b = appendJSONString(b, p.IncomingNumber)
	b = append(b, `,"incoming_date":`...)
	b = appendJSONStringPtr(b, p.IncomingDate)
	b = append(b, `,"corrected_at":`...)
	if b, err = appendJSONTimePtr(b, p.CorrectedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"consent":`...)
	if c := p.Consent; c == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"agrees":`...)
		b = strconv.AppendBool(b, c.Agrees)
		b = append(b, `,"channel":`...)
		b = appendJSONString(b, string(c.Channel))
		b = append(b, `,"contact":`...)
		b = appendJSONString(b, c.Contact)
		b = append(b, `,"opted_out":`...)
		b = strconv.AppendBool(b, c.OptedOut)
		b = append(b, `,"opted_out_at":`...)
		if b, err = appendJSONTimePtr(b, c.OptedOutAt); err != nil {
			return nil, err
		}
		b = append(b, '}')
	}
	b = append(b, `,"petitioner":`...)
	if pe := p.Petitioner; pe == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"name":`...)
		b = appendJSONString(b, pe.Name)
		b = append(b, `,"phone":`...)
		b = appendJSONString(b, pe.Phone)
		b = append(b, `,"address":`...)
		b = appendJSONString(b, pe.Address)
		b = append(b, `,"id_number":`...)
		b = appendJSONString(b, pe.IDNumber)
		b = append(b, '}')
	}
	b = append(b, `,"petitioner_hidden":`...)
	b = strconv.AppendBool(b, p.PetitionerHidden)
	b = append(b, `,"allowed_transitions":`...)
	b = appendJSONStrings(b, p.AllowedTransitions)
	b = append(b, `,"correctable":`...)
	b = appendJSONStrings(b, p.Correctable)
	return append(b, '}'), nil
}

// AppendJSONString appends s as encoding/json encodes a string to b: quoted, with <, > and &
// escaped for HTML, bad UTF-8 as U+FFFD, and U+2028 and U+2029 escaped.
func AppendJSONString(b []byte, s string) []byte { return appendJSONString(b, s) }

const jsonHex = "0123456789abcdef"

func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// Beyond ASCII, the only characters to escape are U+2028 and U+2029 (E2 80 A8, E2 80
		// A9) and bad UTF-8: the two- and three-byte sequences Vietnamese is written in are
		// checked here and copied as they come, without reading runes; the rest is read below.
		if c := s[i]; c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		} else if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if c == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[s[i+2]&0xF])
				start = i + 3
			}
			i += 3
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendJSONStringPtr[S ~string](b []byte, s *S) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, string(*s))
}

func appendJSONStrings[S ~string](b []byte, ss []S) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(s))
	}
	return append(b, ']')
}

func appendJSONIntPtr(b []byte, n *int64) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *n, 10)
}

// appendJSONTime writes t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds, an error
// for a year it cannot write).
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

func appendJSONTimePtr(b []byte, t *time.Time) ([]byte, error) {
	if t == nil {
		return append(b, "null"...), nil
	}
	return appendJSONTime(b, *t)
}

// AppendJSON appends p as encoding/json encodes it to b: the public board sends its petitions
// by the page, as the petition lists do.
func (p *PublicPetition) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"reference":`...)
	b = appendJSONString(b, p.Reference)
	b = append(b, `,"commune":`...)
	b = appendUnitRef(b, p.Commune)
	b = append(b, `,"hamlet":`...)
	b = appendUnitRef(b, p.Hamlet)
	b = append(b, `,"topic":`...)
	b = appendTopicRef(b, p.Topic)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(p.Kind))
	b = append(b, `,"channel":`...)
	b = appendJSONString(b, string(p.Channel))
	b = append(b, `,"content":`...)
	b = appendJSONStringPtr(b, p.Content)
	b = append(b, `,"received_at":`...)
	if b, err = appendJSONTime(b, p.ReceivedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"received_on":`...)
	b = appendJSONString(b, string(p.ReceivedOn))
	b = append(b, `,"state":`...)
	b = appendJSONString(b, string(p.State))
	b = append(b, `,"state_type":`...)
	b = appendJSONString(b, string(p.StateType))
	b = append(b, `,"responsible":`...)
	b = appendJSONString(b, p.Responsible)
	b = append(b, `,"due_on":`...)
	b = appendJSONStringPtr(b, p.DueOn)
	b = append(b, `,"overdue":`...)
	b = strconv.AppendBool(b, p.Overdue)
	b = append(b, `,"awaiting_closure":`...)
	b = strconv.AppendBool(b, p.AwaitingClosure)
	b = append(b, `,"onsite_answer":`...)
	b = appendJSONString(b, p.OnsiteAnswer)
	b = append(b, `,"answer":`...)
	b = appendJSONStringPtr(b, p.Answer)
	b = append(b, `,"answered_at":`...)
	if b, err = appendJSONTimePtr(b, p.AnsweredAt); err != nil {
		return nil, err
	}
	b = append(b, `,"resolved_at":`...)
	if b, err = appendJSONTimePtr(b, p.ResolvedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"closed_at":`...)
	if b, err = appendJSONTimePtr(b, p.ClosedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"close_reason":`...)
	b = appendJSONStringPtr(b, p.CloseReason)
	b = append(b, `,"duplicate_of":`...)
	b = appendJSONStringPtr(b, p.DuplicateOf)
	b = append(b, `,"updated_at":`...)
	if b, err = appendJSONTime(b, p.UpdatedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"times_raised":`...)
	b = strconv.AppendInt(b, int64(p.TimesRaised), 10)
	b = append(b, `,"main_reference":`...)
	b = appendJSONStringPtr(b, p.MainReference)
	b = append(b, `,"photo_ids":`...)
	if p.PhotoIDs == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, id := range p.PhotoIDs {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		b = append(b, ']')
	}
	b = append(b, `,"corrected_at":`...)
	if b, err = appendJSONTimePtr(b, p.CorrectedAt); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

func appendUnitRef(b []byte, u UnitRef) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, u.ID, 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, u.Name)
	return append(b, '}')
}

func appendTopicRef(b []byte, t TopicRef) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, t.ID, 10)
	b = append(b, `,"code":`...)
	b = appendJSONString(b, t.Code)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, t.Name)
	b = append(b, `,"name_en":`...)
	b = appendJSONString(b, t.NameEN)
	return append(b, '}')
}

// AppendJSON appends p as encoding/json encodes it to b: the overdue list sends its lines by
// the page.
func (p *OverduePetition) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"reference":`...)
	b = appendJSONString(b, p.Reference)
	b = append(b, `,"commune":`...)
	b = appendUnitRef(b, p.Commune)
	b = append(b, `,"hamlet":`...)
	b = appendUnitRef(b, p.Hamlet)
	b = append(b, `,"topic":`...)
	b = appendTopicRef(b, p.Topic)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(p.Kind))
	b = append(b, `,"state":`...)
	b = appendJSONString(b, string(p.State))
	b = append(b, `,"received_at":`...)
	if b, err = appendJSONTime(b, p.ReceivedAt); err != nil {
		return nil, err
	}
	b = append(b, `,"due_on":`...)
	b = appendJSONString(b, string(p.DueOn))
	b = append(b, `,"days_overdue":`...)
	b = strconv.AppendInt(b, int64(p.DaysOverdue), 10)
	b = append(b, `,"responsible":{"unit_id":`...)
	b = appendJSONIntPtr(b, p.Responsible.UnitID)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, p.Responsible.Name)
	return append(b, `}}`...), nil
}
