package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AttendeeGroup is who an attendee came as.
type AttendeeGroup string

// The attendee groups of a dialogue.
const (
	GroupResident AttendeeGroup = "resident"
	GroupBusiness AttendeeGroup = "business"
	GroupOfficial AttendeeGroup = "official"
)

// The genders of the register; women are counted from it.
const (
	GenderFemale  = "female"
	GenderMale    = "male"
	GenderUnknown = "unknown"
)

// Attendance sources: plain counts, or a named register the counts derive from.
const (
	AttendanceFromCounts   = "counts"
	AttendanceFromRegister = "register"
)

// maxAttendees caps the named register of one dialogue.
const maxAttendees = 5000

// maxAttendanceCount caps each count, against typing slips.
const maxAttendanceCount = 100000

// Attendance (tham dự) is who came to a held dialogue, in "lượt người" by group; women are a
// subset of the total.
type Attendance struct {
	DialogueID   int64      `json:"dialogue_id"`
	Residents    int        `json:"residents"`
	Businesses   int        `json:"businesses"`
	Officials    int        `json:"officials"`
	Women        int        `json:"women"`
	Total        int        `json:"total" gorm:"-"`
	Source       string     `json:"source" gorm:"-"`
	Attendees    []Attendee `json:"attendees,omitempty" gorm:"-"`
	RecordedByID int64      `json:"-" gorm:"column:recorded_by"`
	RecordedBy   *UserRef   `json:"recorded_by" gorm:"-"`
	RecordedAt   time.Time  `json:"recorded_at"`
}

// TableName names the attendance table.
func (Attendance) TableName() string { return "dialogue_attendance" }

// Attendee is one named person of a dialogue's register.
type Attendee struct {
	ID         int64         `json:"id"`
	DialogueID int64         `json:"-"`
	Name       string        `json:"name"`
	Group      AttendeeGroup `json:"group" gorm:"column:attendee_group"`
	HamletID   *int64        `json:"hamlet_id"`
	Gender     string        `json:"gender"`
}

// TableName names the register table.
func (Attendee) TableName() string { return "dialogue_attendees" }

// AttendeeInput is one person of a register as the secretary typed it.
type AttendeeInput struct {
	Name     string `json:"name"`
	Group    string `json:"group"`
	HamletID *int64 `json:"hamlet_id"`
	Gender   string `json:"gender"`
}

// AttendanceInput records attendance either as counts or as a named register (Attendees not
// nil), from which the counts derive. Counts sent alongside a register must agree with it.
type AttendanceInput struct {
	Residents  *int             `json:"residents"`
	Businesses *int             `json:"businesses"`
	Officials  *int             `json:"officials"`
	Women      *int             `json:"women"`
	Attendees  *[]AttendeeInput `json:"attendees"`
}

// attendanceOf returns the attendance of the dialogues that have one, by dialogue id.
func (s *Store) attendanceOf(ctx context.Context, ids []int64, register bool) (map[int64]*Attendance, error) {
	var rows []*Attendance
	if err := s.conn(ctx).Where("dialogue_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64]*Attendance, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	var counts []struct {
		DialogueID int64
		N          int
	}
	err := s.conn(ctx).Model(&Attendee{}).Select("dialogue_id, count(*) AS n").
		Where("dialogue_id IN ?", ids).Group("dialogue_id").Scan(&counts).Error
	if err != nil {
		return nil, err
	}
	withRegister := map[int64]bool{}
	for _, c := range counts {
		withRegister[c.DialogueID] = c.N > 0
	}
	for _, a := range rows {
		a.Total = a.Residents + a.Businesses + a.Officials
		a.Source = AttendanceFromCounts
		if withRegister[a.DialogueID] {
			a.Source = AttendanceFromRegister
		}
		out[a.DialogueID] = a
	}
	if register {
		var people []Attendee
		if err := s.conn(ctx).Where("dialogue_id IN ?", ids).Order("id").Find(&people).Error; err != nil {
			return nil, err
		}
		for _, p := range people {
			if a, ok := out[p.DialogueID]; ok {
				a.Attendees = append(a.Attendees, p)
			}
		}
	}
	return out, nil
}

// DialogueAttendance returns the attendance of a dialogue the actor sees, with its register;
// ErrNotFound when none is recorded yet.
func (s *Store) DialogueAttendance(ctx context.Context, actor Actor, id int64) (*Attendance, error) {
	d, err := s.Dialogue(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if d.Attendance == nil {
		return nil, ErrNotFound
	}
	return d.Attendance, nil
}

// checkCount validates one count field and returns its value (0 when absent).
func checkCount(v *ValidationError, field string, n *int) int {
	if n == nil {
		return 0
	}
	switch {
	case *n < 0:
		v.Add(field, Msg("Số người không được âm.", "The count cannot be negative."))
	case *n > maxAttendanceCount:
		v.Add(field, Msg("Số người tối đa 100000.", "The count is at most 100000."))
	}
	return *n
}

// RecordAttendance records (or replaces) the attendance of a held dialogue. With an
// Idempotency-Key, a retry answers with the attendance and replayed=true instead of writing again.
func (s *Store) RecordAttendance(ctx context.Context, actor Actor, id int64, key string, in AttendanceInput) (*Attendance, bool, error) {
	_, replayed, err := s.Idempotent(ctx, actor, key, "dialogue_attendance:"+strconv.FormatInt(id, 10), in, func(ctx context.Context) (int64, error) {
		return id, s.recordAttendance(ctx, actor, id, in)
	})
	if err != nil {
		return nil, false, failed(err, "record attendance of dialogue %d", id)
	}
	a, err := s.DialogueAttendance(ctx, actor, id)
	return a, replayed, err
}

func (s *Store) recordAttendance(ctx context.Context, actor Actor, id int64, in AttendanceInput) error {
	d, err := s.dialogueInScope(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := s.checkDialogueChange(ctx, actor, d, changeAttendance); err != nil {
		return err
	}
	v := &ValidationError{}
	a := &Attendance{DialogueID: d.ID, RecordedByID: actor.UserID, RecordedAt: s.now().Truncate(time.Second)}
	a.Residents = checkCount(v, "residents", in.Residents)
	a.Businesses = checkCount(v, "businesses", in.Businesses)
	a.Officials = checkCount(v, "officials", in.Officials)
	a.Women = checkCount(v, "women", in.Women)
	var people []Attendee
	if in.Attendees != nil {
		people, err = s.checkRegister(ctx, v, d.CommuneID, *in.Attendees)
		if err != nil {
			return err
		}
		derived := map[string]int{}
		for _, p := range people {
			derived[string(p.Group)]++
			if p.Gender == GenderFemale {
				derived["women"]++
			}
		}
		agree := func(field string, sent *int, n int) {
			if sent != nil && *sent != n {
				v.Add(field, Msg(fmt.Sprintf("Không khớp với danh sách người tham dự (%d).", n),
					fmt.Sprintf("Does not match the register (%d).", n)))
			}
		}
		agree("residents", in.Residents, derived[string(GroupResident)])
		agree("businesses", in.Businesses, derived[string(GroupBusiness)])
		agree("officials", in.Officials, derived[string(GroupOfficial)])
		agree("women", in.Women, derived["women"])
		a.Residents, a.Businesses = derived[string(GroupResident)], derived[string(GroupBusiness)]
		a.Officials, a.Women = derived[string(GroupOfficial)], derived["women"]
	}
	total := a.Residents + a.Businesses + a.Officials
	if len(v.Fields) == 0 {
		switch {
		case total == 0 && in.Attendees == nil:
			v.Add("residents", Msg("Cần ít nhất một người tham dự.", "At least one person must have attended."))
		case a.Women > total:
			v.Add("women", Msg(fmt.Sprintf("Số nữ không được lớn hơn tổng số người tham dự (%d).", total),
				fmt.Sprintf("Women cannot outnumber the total attendance (%d).", total)))
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	// Bumping the version first locks the dialogue, so a concurrent recording waits here and
	// then finds the version moved, instead of colliding on the attendance row.
	res := s.conn(ctx).Model(&Dialogue{}).Where("id = ? AND version = ?", d.ID, d.Version).
		Updates(map[string]any{"version": d.Version + 1, "updated_at": a.RecordedAt})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if current, err := s.Dialogue(ctx, actor, d.ID); err == nil {
			d = current
		}
		return StaleVersion(d)
	}
	if err := s.conn(ctx).Where("dialogue_id = ?", d.ID).Delete(&Attendee{}).Error; err != nil {
		return err
	}
	if err := s.conn(ctx).Where("dialogue_id = ?", d.ID).Delete(&Attendance{}).Error; err != nil {
		return err
	}
	if err := s.conn(ctx).Create(a).Error; err != nil {
		return err
	}
	if len(people) > 0 {
		for i := range people {
			people[i].DialogueID = d.ID
		}
		if err := s.conn(ctx).CreateInBatches(&people, 500).Error; err != nil {
			return err
		}
	}
	source := AttendanceFromCounts
	if in.Attendees != nil {
		source = AttendanceFromRegister
	}
	return s.appendEvent(ctx, dialogueLog, actor, d.ID, EventDialogueAttendance, "", "", "", map[string]any{
		"residents": a.Residents, "businesses": a.Businesses, "officials": a.Officials, "women": a.Women,
		"total": total, "source": source})
}

// checkRegister validates a named register, naming each bad entry as attendees[i].field.
func (s *Store) checkRegister(ctx context.Context, v *ValidationError, communeID int64, in []AttendeeInput) ([]Attendee, error) {
	switch {
	case len(in) == 0:
		v.Add("attendees", Msg("Danh sách người tham dự đang trống.", "The register is empty."))
		return nil, nil
	case len(in) > maxAttendees:
		v.Add("attendees", Msg("Danh sách tối đa 5000 người.", "The register holds at most 5000 people."))
		return nil, nil
	}
	var hamlets []int64
	if err := s.conn(ctx).Model(&Unit{}).Where("parent_id = ? AND level = ?", communeID, LevelHamlet).Pluck("id", &hamlets).Error; err != nil {
		return nil, err
	}
	ofCommune := map[int64]bool{}
	for _, h := range hamlets {
		ofCommune[h] = true
	}
	out := make([]Attendee, 0, len(in))
	for i, p := range in {
		field := func(f string) string { return fmt.Sprintf("attendees[%d].%s", i, f) }
		name := strings.TrimSpace(p.Name)
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			v.Add(field("name"), msgRequired)
		case n > 200:
			v.Add(field("name"), Msg("Họ tên dài tối đa 200 ký tự.", "The name is at most 200 characters."))
		}
		group := AttendeeGroup(p.Group)
		switch group {
		case GroupResident, GroupBusiness, GroupOfficial:
		default:
			v.Add(field("group"), Msg("Thành phần phải là resident, business hoặc official.", "The group must be resident, business or official."))
		}
		gender := p.Gender
		switch gender {
		case "":
			gender = GenderUnknown
		case GenderFemale, GenderMale, GenderUnknown:
		default:
			v.Add(field("gender"), Msg("Giới tính phải là female, male hoặc unknown.", "The gender must be female, male or unknown."))
		}
		if p.HamletID != nil && !ofCommune[*p.HamletID] {
			v.Add(field("hamlet_id"), Msg("Ấp không thuộc xã tổ chức đối thoại.", "The hamlet is not in the dialogue's commune."))
		}
		out = append(out, Attendee{Name: name, Group: group, HamletID: p.HamletID, Gender: gender})
	}
	return out, nil
}
