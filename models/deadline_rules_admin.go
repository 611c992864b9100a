package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The steps and measures of a rule, as the deadline_rules table allows them.
const (
	stepAccept   = "accept"
	stepResolve  = "resolve"
	stepDialogue = "dialogue"

	measureDays    = "days"
	measureCount   = "count"
	measurePercent = "percent"
)

// maxRuleDays bounds every limit an admin may set, a year of days.
const maxRuleDays = 365

// DeadlineRuleEdit changes a rule; nil fields stay as they are. What a rule is (its code,
// step, kind, what it counts from) is fixed, because the computation reads it; its limits, its
// words and its legal basis follow the law. Note says why, for the rule's history.
type DeadlineRuleEdit struct {
	Days              *int    `json:"days"`
	Working           *bool   `json:"working"`
	ComplexDays       *int    `json:"complex_days"`
	RemoteDays        *int    `json:"remote_days"`
	RemoteComplexDays *int    `json:"remote_complex_days"`
	MaxExtensions     *int    `json:"max_extensions"`
	ExtensionDays     *int    `json:"extension_days"`
	NameVI            *string `json:"name_vi"`
	NameEN            *string `json:"name_en"`
	LegalBasis        *string `json:"legal_basis"`
	Note              string  `json:"note"`
	Version           *int    `json:"version"`
}

// DeadlineRuleEvent is one entry of a rule's append-only history: who changed what, and why.
type DeadlineRuleEvent struct {
	ID        int64           `json:"id"`
	RuleCode  string          `json:"rule_code"`
	ActorID   *int64          `json:"-"`
	Actor     *UserRef        `json:"actor" gorm:"-"`
	Kind      string          `json:"kind"`
	Note      string          `json:"note"`
	DataText  string          `json:"-" gorm:"column:data"`
	Data      json.RawMessage `json:"data" gorm:"-"`
	CreatedAt time.Time       `json:"created_at"`
}

// TableName names the rule history table.
func (DeadlineRuleEvent) TableName() string { return "deadline_rule_events" }

// DeadlineRule returns one rule by its code.
func (s *Store) DeadlineRule(ctx context.Context, code string) (*DeadlineRule, error) {
	return s.deadlineRule(ctx, code)
}

// UpdateDeadlineRule edits a rule as an admin: the new rule is checked as a whole (every bad
// field named), a stale version gets the current rule, and the change is kept in the rule's
// history. Due dates already set keep the rule's words of their day; new ones follow the edit.
func (s *Store) UpdateDeadlineRule(ctx context.Context, actor Actor, code string, in DeadlineRuleEdit) (*DeadlineRule, error) {
	if !actor.Can(PermDeadlineRulesManage) {
		return nil, ErrForbidden
	}
	var out *DeadlineRule
	err := s.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.deadlineRule(ctx, code)
		if err != nil {
			return err
		}
		next, changes := cur.edited(in)
		v := next.check()
		if runeLen(in.Note) > maxReasonChars {
			v.Add("note", Msg("Ghi chú dài tối đa 1000 ký tự.", "The note is at most 1000 characters."))
		}
		if in.Version == nil {
			v.Add("version", msgRequired)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if *in.Version != cur.Version {
			return StaleVersion(cur)
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		next.Version, next.UpdatedAt = cur.Version+1, s.now().Truncate(time.Second)
		res := s.conn(ctx).Model(&DeadlineRule{}).Where("code = ? AND version = ?", code, cur.Version).Updates(map[string]any{
			"days": next.Days, "working": next.Working, "complex_days": next.ComplexDays, "remote_days": next.RemoteDays,
			"remote_complex_days": next.RemoteComplexDays, "max_extensions": next.MaxExtensions, "extension_days": next.ExtensionDays,
			"name_vi": next.NameVI, "name_en": next.NameEN, "legal_basis": next.LegalBasis,
			"version": next.Version, "updated_at": next.UpdatedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(cur)
		}
		if err := s.appendRuleEvent(ctx, actor, code, strings.TrimSpace(in.Note), changes); err != nil {
			return err
		}
		out = &next
		return nil
	})
	return out, failed(err, "update deadline rule %s", code)
}

// edited is the rule with the edit applied and the fields it changes, each from → to.
func (r *DeadlineRule) edited(in DeadlineRuleEdit) (DeadlineRule, map[string]any) {
	next, changes := *r, map[string]any{}
	setInt := func(field string, dst *int, src *int) {
		if src != nil && *src != *dst {
			changes[field] = map[string]any{"from": *dst, "to": *src}
			*dst = *src
		}
	}
	setText := func(field string, dst *string, src *string) {
		if src == nil {
			return
		}
		if t := strings.TrimSpace(*src); t != *dst {
			changes[field] = map[string]any{"from": *dst, "to": t}
			*dst = t
		}
	}
	setInt("days", &next.Days, in.Days)
	setInt("complex_days", &next.ComplexDays, in.ComplexDays)
	setInt("remote_days", &next.RemoteDays, in.RemoteDays)
	setInt("remote_complex_days", &next.RemoteComplexDays, in.RemoteComplexDays)
	setInt("max_extensions", &next.MaxExtensions, in.MaxExtensions)
	setInt("extension_days", &next.ExtensionDays, in.ExtensionDays)
	if in.Working != nil && *in.Working != next.Working {
		changes["working"] = map[string]any{"from": next.Working, "to": *in.Working}
		next.Working = *in.Working
	}
	setText("name_vi", &next.NameVI, in.NameVI)
	setText("name_en", &next.NameEN, in.NameEN)
	setText("legal_basis", &next.LegalBasis, in.LegalBasis)
	return next, changes
}

// check tells what is wrong with a rule as it would be stored, field by field: the limits its
// kind of rule takes, in range and in order (a complex case never gets less time), and the
// words and legal basis every rule of the law carries.
func (r *DeadlineRule) check() *ValidationError {
	v := &ValidationError{}
	for _, f := range []struct {
		field, text string
	}{{"name_vi", r.NameVI}, {"name_en", r.NameEN}} {
		if n := runeLen(f.text); n < 3 || n > 300 {
			v.Add(f.field, Msg("Tên quy định dài từ 3 đến 300 ký tự.", "The rule's words are 3 to 300 characters."))
		}
	}
	law := r.Step == stepAccept || r.Step == stepResolve || r.Step == stepDialogue
	switch n := runeLen(r.LegalBasis); {
	case n == 0 && law:
		v.Add("legal_basis", Msg("Ghi căn cứ pháp lý của quy định.", "Name the rule's legal basis."))
	case n > 300:
		v.Add("legal_basis", Msg("Căn cứ dài tối đa 300 ký tự.", "The legal basis is at most 300 characters."))
	}
	lo, hi := r.daysRange()
	if r.Days < lo || r.Days > hi {
		v.Add("days", r.daysMessage(lo, hi))
	}
	if r.Working && r.Measure != measureDays {
		v.Add("working", Msg("Quy định này không đếm ngày.", "This rule does not count days."))
	}
	r.checkLonger(v)
	r.checkExtensions(v)
	return v
}

// daysRange is what Days may be for the rule: nothing for the rules that set no number (the
// topic's, an official's, the old due dates), up to 30 days for the warning window, a percent,
// a number of dialogues a year, or a limit in days.
func (r *DeadlineRule) daysRange() (int, int) {
	switch {
	case r.Code == RuleTopic || r.Code == RuleManual || r.Code == RuleLegacy:
		return 0, 0
	case r.Code == RuleDueSoon:
		return 0, 30
	case r.Measure == measurePercent:
		return 1, 100
	case r.Measure == measureCount:
		return 1, 12
	}
	return 1, maxRuleDays
}

func (r *DeadlineRule) daysMessage(lo, hi int) Message {
	switch {
	case hi == 0:
		return Msg("Quy định này không đặt số ngày (lấy theo lĩnh vực hoặc do cán bộ đặt).", "This rule sets no number of days (the topic's or an official's apply).")
	case r.Measure == measurePercent:
		return Msg("Tỷ lệ cử tri từ 1 đến 100 (%).", "The share of voters is 1 to 100 (%).")
	case r.Measure == measureCount:
		return Msg("Số buổi đối thoại mỗi năm từ 1 đến 12.", "The number of dialogues a year is 1 to 12.")
	}
	return Msg(fmt.Sprintf("Số ngày từ %d đến %d.", lo, hi), fmt.Sprintf("The number of days is %d to %d.", lo, hi))
}

// checkLonger checks the longer limits of a complex case and of a remote area: only a
// complaint or denunciation step has them; each is 0 (none) or at least the ordinary limit.
func (r *DeadlineRule) checkLonger(v *ValidationError) {
	takes := (r.Step == stepAccept || r.Step == stepResolve) && r.Kind != ""
	msgNone := Msg("Quy định này không có thời hạn kéo dài.", "This rule has no longer limits.")
	for _, f := range []struct {
		field string
		days  int
		least int
	}{{"complex_days", r.ComplexDays, r.Days}, {"remote_days", r.RemoteDays, r.Days},
		{"remote_complex_days", r.RemoteComplexDays, max(r.Days, r.ComplexDays, r.RemoteDays)}} {
		switch {
		case f.days == 0:
		case !takes:
			v.Add(f.field, msgNone)
		case f.days < f.least || f.days > maxRuleDays:
			v.Add(f.field, Msg(fmt.Sprintf("Thời hạn kéo dài là 0 (không có) hoặc từ %d đến %d ngày.", f.least, maxRuleDays),
				fmt.Sprintf("A longer limit is 0 (none) or %d to %d days.", f.least, maxRuleDays)))
		}
	}
}

// checkExtensions checks the extension limits: only a resolving step has them, at most 5, and
// a rule with extensions says how long each may be.
func (r *DeadlineRule) checkExtensions(v *ValidationError) {
	switch {
	case r.MaxExtensions == 0 && r.ExtensionDays == 0:
	case r.Step != stepResolve || r.Code == RuleTopic:
		v.Add("max_extensions", Msg("Quy định này không cho gia hạn.", "This rule allows no extension."))
	case r.MaxExtensions < 0 || r.MaxExtensions > 5:
		v.Add("max_extensions", Msg("Số lần gia hạn từ 0 đến 5.", "Extensions are 0 to 5."))
	case r.MaxExtensions == 0:
		v.Add("extension_days", Msg("Không cho gia hạn thì số ngày gia hạn là 0.", "With no extension allowed, the extension days are 0."))
	case r.ExtensionDays < 1 || r.ExtensionDays > maxRuleDays:
		v.Add("extension_days", Msg(fmt.Sprintf("Mỗi lần gia hạn từ 1 đến %d ngày.", maxRuleDays), fmt.Sprintf("Each extension is 1 to %d days.", maxRuleDays)))
	}
}

// appendRuleEvent records an edit of a rule; like every history it only inserts.
func (s *Store) appendRuleEvent(ctx context.Context, actor Actor, code, note string, changes map[string]any) error {
	raw, err := json.Marshal(map[string]any{"changes": changes})
	if err != nil {
		return err
	}
	var by *int64
	if actor.UserID != 0 {
		by = &actor.UserID
	}
	return s.conn(ctx).Exec(`INSERT INTO deadline_rule_events (rule_code, actor_id, kind, note, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		code, by, "updated", note, string(raw), s.now().Truncate(EventPrecision)).Error
}

// DeadlineRuleEvents returns a rule's history, newest first, to the admins who keep the rules.
func (s *Store) DeadlineRuleEvents(ctx context.Context, actor Actor, code string) ([]DeadlineRuleEvent, error) {
	if !actor.Can(PermDeadlineRulesManage) {
		return nil, ErrForbidden
	}
	if _, err := s.deadlineRule(ctx, code); err != nil {
		return nil, err
	}
	var events []DeadlineRuleEvent
	if err := s.conn(ctx).Where("rule_code = ?", code).Order("id DESC").Limit(200).Find(&events).Error; err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, e := range events {
		if e.ActorID != nil {
			ids = append(ids, *e.ActorID)
		}
	}
	users, err := s.userRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range events {
		e := &events[i]
		if e.ActorID != nil {
			e.Actor = users[*e.ActorID]
		}
		e.Data = json.RawMessage(e.DataText)
		if !json.Valid(e.Data) {
			e.Data = json.RawMessage("{}")
		}
	}
	return events, nil
}
