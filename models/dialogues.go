package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/papi-dialogue/papi/models/calendar"
)

// MinutesDueWithin is how long after a dialogue is held its minutes must be closed; past it the
// dialogue is "minutes overdue". Computed in queries, never stored.
const MinutesDueWithin = 72 * time.Hour

// assumedDialogueLength is the length of a dialogue without an end time, for double-booking checks.
const assumedDialogueLength = 2 * time.Hour

// Limits of a dialogue's fields.
const (
	maxDialogueHamlets    = 20
	maxAgendaItems        = 30
	maxAgendaItemChars    = 500
	maxVenueChars         = 300
	maxReasonChars        = 1000
	maxMinutesChars       = 50000
	maxExpectedAttendance = 100000
	maxDialogueLength     = 24 * time.Hour
)

// Agenda is the ordered list of items a dialogue will discuss, stored as a JSON array.
type Agenda []string

// Value stores the agenda as a JSON array.
func (a Agenda) Value() (driver.Value, error) {
	if a == nil {
		a = Agenda{}
	}
	b, err := json.Marshal([]string(a))
	return string(b), err
}

// Scan reads the agenda from its JSON array.
func (a *Agenda) Scan(v any) error {
	var raw []byte
	switch x := v.(type) {
	case nil:
		*a = Agenda{}
		return nil
	case string:
		raw = []byte(x)
	case []byte:
		raw = x
	default:
		return fmt.Errorf("agenda: cannot scan %T", v)
	}
	items := []string{}
	if err := json.Unmarshal(raw, &items); err != nil {
		return fmt.Errorf("agenda: %w", err)
	}
	*a = items
	return nil
}

// UnitRef names a unit inside another record.
type UnitRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// UserRef names a user inside another record.
type UserRef struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
}

// Dialogue is a PAPI dialogue (buổi đối thoại) a commune holds with the residents of some of its hamlets.
type Dialogue struct {
	ID                 int64          `json:"id"`
	CommuneID          int64          `json:"commune_id"`
	Title              string         `json:"title"`
	StartsAt           time.Time      `json:"starts_at"`
	EndsAt             *time.Time     `json:"ends_at"`
	Venue              string         `json:"venue"`
	ChairUserID        *int64         `json:"chair_user_id"`
	Agenda             Agenda         `json:"agenda" gorm:"type:text"`
	ExpectedAttendance *int           `json:"expected_attendance"`
	Status             DialogueStatus `json:"status"`
	Minutes            *string        `json:"minutes"`
	CancelReason       *string        `json:"cancel_reason"`
	PostponedCount     int            `json:"postponed_count"`
	HeldAt             *time.Time     `json:"held_at"`
	ClosedAt           *time.Time     `json:"closed_at"`
	CreatedBy          int64          `json:"created_by"`
	Version            int            `json:"version"`
	// NoticePublishedAt and ResultsPublishedAt are when the notice and the results went to the
	// public board; ResultsSummary is what the results say.
	NoticePublishedAt  *time.Time `json:"notice_published_at"`
	ResultsPublishedAt *time.Time `json:"results_published_at"`
	ResultsSummary     *string    `json:"results_summary"`
	// The voters' request, shown as VoterRequest.
	VoterRequestedOn       *Date     `json:"-"`
	VoterRequestSignatures *int      `json:"-"`
	VoterRequestVoters     *int      `json:"-"`
	VoterRequestNote       string    `json:"-"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`

	// What a reader needs alongside the record, filled by decorate.
	Commune        *UnitRef    `json:"commune" gorm:"-"`
	Hamlets        []UnitRef   `json:"hamlets" gorm:"-"`
	Chair          *UserRef    `json:"chair" gorm:"-"`
	Attendance     *Attendance `json:"attendance" gorm:"-"`
	PetitionsCount int         `json:"petitions_count" gorm:"-"`
	MinutesOverdue bool        `json:"minutes_overdue" gorm:"-"`
	// ShortNotice warns that the dialogue was planned less than the dialogue_notice rule's days
	// before its day.
	ShortNotice bool `json:"short_notice" gorm:"-"`
	// Compliance is how the dialogue meets the law's rules on notice and results.
	Compliance          *DialogueCompliance `json:"compliance" gorm:"-"`
	VoterRequest        *VoterRequest       `json:"voter_request" gorm:"-"`
	AllowedTransitions  []string            `json:"allowed_transitions" gorm:"-"`
	CanEdit             bool                `json:"can_edit" gorm:"-"`
	CanRecordAttendance bool                `json:"can_record_attendance" gorm:"-"`
	// FromPaper says who typed the dialogue up after it took place, and when (paper.go).
	FromPaper *PaperRecord `json:"from_paper" gorm:"-"`
}

// TableName names the dialogues table.
func (Dialogue) TableName() string { return "dialogues" }

// effectiveEnd is when the dialogue ends, or is assumed to end when no end was given.
func (d *Dialogue) effectiveEnd() time.Time {
	if d.EndsAt != nil {
		return *d.EndsAt
	}
	return d.StartsAt.Add(assumedDialogueLength)
}

// minutesOverdue tells whether a held dialogue has gone unclosed for longer than MinutesDueWithin.
func (d *Dialogue) minutesOverdue(now time.Time) bool {
	return d.Status == DialogueHeld && d.HeldAt != nil && d.HeldAt.Before(now.Add(-MinutesDueWithin))
}

// DialogueEvent is one entry of a dialogue's append-only history.
type DialogueEvent struct {
	ID         int64           `json:"id"`
	DialogueID int64           `json:"dialogue_id"`
	ActorID    *int64          `json:"-"`
	Actor      *UserRef        `json:"actor" gorm:"-"`
	Kind       string          `json:"kind"`
	FromStatus *string         `json:"from_status" gorm:"column:from_value"`
	ToStatus   *string         `json:"to_status" gorm:"column:to_value"`
	Note       string          `json:"note"`
	DataText   string          `json:"-" gorm:"column:data"`
	Data       json.RawMessage `json:"data" gorm:"-"`
	CreatedAt  time.Time       `json:"created_at"`
}

// TableName names the dialogue events table.
func (DialogueEvent) TableName() string { return "dialogue_events" }

// The kinds of dialogue events.
const (
	EventDialogueCreated    = "created"
	EventDialogueUpdated    = "updated"
	EventDialogueTransition = "transition"
	EventDialogueAttendance = "attendance"
	// EventDialogueReorganized records a planned dialogue handed to a successor commune.
	EventDialogueReorganized = "reorganized"
)

type dialogueHamlet struct {
	DialogueID int64
	HamletID   int64
}

func (dialogueHamlet) TableName() string { return "dialogue_hamlets" }

func validateDialogueTitle(v *ValidationError, title string) {
	n := utf8.RuneCountInString(strings.TrimSpace(title))
	switch {
	case n == 0:
		v.Add("title", msgRequired)
	case n < 3 || n > 200:
		v.Add("title", Msg("Tiêu đề dài từ 3 đến 200 ký tự.", "The title is 3 to 200 characters."))
	}
}

func validateVenue(v *ValidationError, venue string) {
	if utf8.RuneCountInString(strings.TrimSpace(venue)) > maxVenueChars {
		v.Add("venue", Msg("Địa điểm dài tối đa 300 ký tự.", "The venue is at most 300 characters."))
	}
}

func validateExpected(v *ValidationError, n *int) {
	if n != nil && (*n < 0 || *n > maxExpectedAttendance) {
		v.Add("expected_attendance", Msg("Số người dự kiến từ 0 đến 100000.", "The expected attendance is 0 to 100000."))
	}
}

// cleanAgenda trims the agenda items, naming each bad one.
func cleanAgenda(v *ValidationError, items []string) Agenda {
	if len(items) > maxAgendaItems {
		v.Add("agenda", Msg("Chương trình có tối đa 30 mục.", "The agenda has at most 30 items."))
		return nil
	}
	out := make(Agenda, 0, len(items))
	for i, it := range items {
		it = strings.TrimSpace(it)
		field := fmt.Sprintf("agenda[%d]", i)
		switch n := utf8.RuneCountInString(it); {
		case n == 0:
			v.Add(field, Msg("Mục chương trình không được để trống.", "An agenda item cannot be empty."))
		case n > maxAgendaItemChars:
			v.Add(field, Msg("Mỗi mục chương trình dài tối đa 500 ký tự.", "Each agenda item is at most 500 characters."))
		}
		out = append(out, it)
	}
	return out
}

// validateSpan checks that a dialogue ends after it starts, on a sensible length.
func validateSpan(v *ValidationError, field string, start time.Time, end *time.Time) {
	if end == nil {
		return
	}
	switch {
	case !end.After(start):
		v.Add(field, Msg("Giờ kết thúc phải sau giờ bắt đầu.", "The end must be after the start."))
	case end.Sub(start) > maxDialogueLength:
		v.Add(field, Msg("Buổi đối thoại kéo dài tối đa 24 giờ.", "A dialogue lasts at most 24 hours."))
	}
}

// communeForDialogue returns the commune a dialogue may be planned in by the actor.
func (s *Store) communeForDialogue(ctx context.Context, actor Actor, id int64) (*Unit, bool) {
	u, err := s.Unit(ctx, actor, id)
	if err != nil || u.Level != LevelCommune {
		return nil, false
	}
	return u, true
}

// checkHamlets makes sure every hamlet is one of the commune's, once.
func (s *Store) checkHamlets(ctx context.Context, v *ValidationError, communeID int64, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		v.Add("hamlet_ids", Msg("Chọn ít nhất một ấp.", "Choose at least one hamlet."))
		return nil, nil
	}
	if len(ids) > maxDialogueHamlets {
		v.Add("hamlet_ids", Msg("Tối đa 20 ấp cho một buổi đối thoại.", "At most 20 hamlets per dialogue."))
		return nil, nil
	}
	seen := map[int64]bool{}
	uniq := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if communeID == 0 {
		return uniq, nil
	}
	var n int64
	err := s.conn(ctx).Model(&Unit{}).Where("id IN ? AND parent_id = ? AND level = ? AND valid_to IS NULL", uniq, communeID, LevelHamlet).Count(&n).Error
	if err != nil {
		return nil, err
	}
	if int(n) != len(uniq) {
		v.Add("hamlet_ids", Msg("Có ấp không thuộc xã đã chọn.", "Some hamlets do not belong to the chosen commune."))
	}
	sort.Slice(uniq, func(i, j int) bool { return uniq[i] < uniq[j] })
	return uniq, nil
}

// communeChair returns the chair a dialogue of the commune gets: the one named, else the actor
// when a chair of the commune, else the commune's only active chair. A commune with no chair
// account yet gets none (the minutes leave a line to sign on); one with several must name one.
func (s *Store) communeChair(ctx context.Context, v *ValidationError, actor Actor, communeID int64, named *int64) (*int64, error) {
	msgNotChair := Msg("Người chủ trì phải là Chủ tịch UBND của xã này.", "The chair must be a commune chair of this commune.")
	if named != nil {
		var u User
		res := s.conn(ctx).Where("id = ?", *named).Limit(1).Find(&u)
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 0 || u.Role != RoleCommuneChair || u.UnitID != communeID || !u.Active {
			v.Add("chair_user_id", msgNotChair)
			return nil, nil
		}
		return &u.ID, nil
	}
	if actor.Role == RoleCommuneChair && actor.UnitID == communeID {
		id := actor.UserID
		return &id, nil
	}
	var ids []int64
	err := s.conn(ctx).Model(&User{}).Where("unit_id = ? AND role = ? AND active = ?", communeID, RoleCommuneChair, true).
		Order("id").Limit(2).Pluck("id", &ids).Error
	if err != nil {
		return nil, err
	}
	switch len(ids) {
	case 0:
		return nil, nil
	case 1:
		return &ids[0], nil
	}
	v.Add("chair_user_id", Msg("Chọn người chủ trì (Chủ tịch UBND xã).", "Choose the chair (the commune chair)."))
	return nil, nil
}

// overlapping returns a planned or held dialogue that shares a hamlet or the chair with the
// span [start, end), other than except, if there is one.
func (s *Store) overlapping(ctx context.Context, except int64, hamletIDs []int64, chairID *int64, start, end time.Time) (*Dialogue, error) {
	q := s.conn(ctx).Model(&Dialogue{}).
		Where("id <> ? AND status IN ?", except, []DialogueStatus{DialoguePlanned, DialogueHeld}).
		Where("starts_at < ?", end).
		Where("(ends_at IS NOT NULL AND ends_at > ?) OR (ends_at IS NULL AND starts_at > ?)", start, start.Add(-assumedDialogueLength))
	sameHamlet := "EXISTS (SELECT 1 FROM dialogue_hamlets h WHERE h.dialogue_id = dialogues.id AND h.hamlet_id IN ?)"
	if chairID != nil {
		q = q.Where("chair_user_id = ? OR "+sameHamlet, *chairID, hamletIDs)
	} else {
		q = q.Where(sameHamlet, hamletIDs)
	}
	var found []Dialogue
	if err := q.Order("starts_at, id").Limit(1).Find(&found).Error; err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0], nil
}

// overlapError is the conflict naming the dialogue a new time clashes with.
func overlapError(other *Dialogue) error {
	when := other.StartsAt.In(calendar.Zone).Format("15:04 02/01/2006")
	return &ConflictError{
		Reason: "dialogue_overlap",
		Message: Msg(fmt.Sprintf("Trùng lịch với buổi đối thoại “%s” (số %d) lúc %s; gửi allow_overlap để vẫn lên lịch.", other.Title, other.ID, when),
			fmt.Sprintf("Overlaps the dialogue “%s” (no. %d) at %s; send allow_overlap to schedule it anyway.", other.Title, other.ID, when)),
		Details: map[string]any{"dialogue": map[string]any{
			"id": other.ID, "title": other.Title, "commune_id": other.CommuneID, "status": other.Status,
			"starts_at": other.StartsAt, "ends_at": other.EndsAt, "chair_user_id": other.ChairUserID,
		}},
	}
}

// DialogueInput is what a new dialogue is made of. Times are RFC 3339 (or local Vietnam time).
type DialogueInput struct {
	CommuneID          int64    `json:"commune_id"`
	HamletIDs          []int64  `json:"hamlet_ids"`
	Title              string   `json:"title"`
	StartsAt           string   `json:"starts_at"`
	EndsAt             *string  `json:"ends_at"`
	Venue              string   `json:"venue"`
	ChairUserID        *int64   `json:"chair_user_id"`
	Agenda             []string `json:"agenda"`
	ExpectedAttendance *int     `json:"expected_attendance"`
	// AllowOverlap schedules the dialogue even when it double-books a hamlet or the chair.
	AllowOverlap bool `json:"allow_overlap"`
	// NoticeReason says why a dialogue is planned with less notice than the dialogue_notice rule
	// asks; it is kept in the dialogue's history.
	NoticeReason string `json:"notice_reason"`
	// VoterRequest records that voters asked for the dialogue.
	VoterRequest *VoterRequestInput `json:"voter_request"`
}

// CreateDialogue plans a dialogue in a commune the actor sees. A past date is allowed, so that
// dialogues already held on paper can be entered and moved through held to closed.
func (s *Store) CreateDialogue(ctx context.Context, actor Actor, in DialogueInput) (*Dialogue, error) {
	if !actor.Can(PermDialoguesSchedule) {
		return nil, ErrForbidden
	}
	var out *Dialogue
	err := s.WithTx(ctx, func(ctx context.Context) error {
		v := &ValidationError{}
		var commune *Unit
		if in.CommuneID == 0 {
			v.Add("commune_id", msgRequired)
		} else if c, ok := s.communeForDialogue(ctx, actor, in.CommuneID); ok && c.Live() {
			commune = c
		} else {
			v.Add("commune_id", Msg("Không tìm thấy xã.", "Unknown commune."))
		}
		communeID := int64(0)
		if commune != nil {
			communeID = commune.ID
		}
		hamlets, err := s.checkHamlets(ctx, v, communeID, in.HamletIDs)
		if err != nil {
			return err
		}
		validateDialogueTitle(v, in.Title)
		start, startOK := s.whenField(v, "starts_at", in.StartsAt)
		var end *time.Time
		if in.EndsAt != nil && strings.TrimSpace(*in.EndsAt) != "" {
			if e, ok := s.whenField(v, "ends_at", *in.EndsAt); ok {
				end = &e
			}
		}
		if startOK {
			validateSpan(v, "ends_at", start, end)
		}
		validateVenue(v, in.Venue)
		if runeLen(in.NoticeReason) > maxReasonChars {
			v.Add("notice_reason", Msg("Lý do dài tối đa 1000 ký tự.", "The reason is at most 1000 characters."))
		}
		agenda := cleanAgenda(v, in.Agenda)
		validateExpected(v, in.ExpectedAttendance)
		request := voterRequestField(v, in.VoterRequest)
		var chair *int64
		if commune != nil {
			if chair, err = s.communeChair(ctx, v, actor, commune.ID, in.ChairUserID); err != nil {
				return err
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := s.now().Truncate(time.Second)
		d := &Dialogue{CommuneID: commune.ID, Title: strings.TrimSpace(in.Title), StartsAt: start, EndsAt: end,
			Venue: strings.TrimSpace(in.Venue), ChairUserID: chair, Agenda: agenda, ExpectedAttendance: in.ExpectedAttendance,
			Status: DialoguePlanned, CreatedBy: actor.UserID, Version: 1, CreatedAt: now, UpdatedAt: now}
		request.set(d)
		if !in.AllowOverlap {
			if err := s.checkOverlap(ctx, 0, hamlets, chair, start, end); err != nil {
				return err
			}
		}
		if err := s.conn(ctx).Omit("Minutes", "CancelReason", "HeldAt", "ClosedAt").Create(d).Error; err != nil {
			return err
		}
		if err := s.setHamlets(ctx, d.ID, hamlets); err != nil {
			return err
		}
		clock, err := s.dialogueClock(ctx)
		if err != nil {
			return err
		}
		if err := s.appendEvent(ctx, dialogueLog, actor, d.ID, EventDialogueCreated, "", string(DialoguePlanned), "",
			map[string]any{"starts_at": d.StartsAt, "hamlet_ids": hamlets, "short_notice": clock.shortNotice(d),
				"notice_reason": strings.TrimSpace(in.NoticeReason), "voter_request": request.data()}); err != nil {
			return err
		}
		out, err = s.Dialogue(ctx, actor, d.ID)
		return err
	})
	return out, failed(err, "create dialogue in commune %d", in.CommuneID)
}

// setHamlets replaces the hamlets of a dialogue.
func (s *Store) setHamlets(ctx context.Context, dialogueID int64, hamlets []int64) error {
	if err := s.conn(ctx).Where("dialogue_id = ?", dialogueID).Delete(&dialogueHamlet{}).Error; err != nil {
		return err
	}
	rows := make([]dialogueHamlet, len(hamlets))
	for i, h := range hamlets {
		rows[i] = dialogueHamlet{DialogueID: dialogueID, HamletID: h}
	}
	return s.conn(ctx).Create(&rows).Error
}

// dialogueInScope returns the bare record of a dialogue whose commune the actor sees.
func (s *Store) dialogueInScope(ctx context.Context, actor Actor, id int64) (*Dialogue, error) {
	var d Dialogue
	cond, args := actor.scopeSQL("units.path")
	err := s.conn(ctx).Table("dialogues").Select("dialogues.*").
		Joins("JOIN units ON units.id = dialogues.commune_id").
		Where("dialogues.id = ?", id).Where(cond, args...).Take(&d).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &d, nil
}

// Dialogue returns a dialogue the actor sees, with its commune, hamlets, chair, attendance
// (with the named register, if any) and the count of petitions raised at it.
func (s *Store) Dialogue(ctx context.Context, actor Actor, id int64) (*Dialogue, error) {
	d, err := s.dialogueInScope(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := s.decorate(ctx, actor, []*Dialogue{d}, true); err != nil {
		return nil, err
	}
	return d, nil
}

// decorate fills what readers need alongside the records; register adds the attendance register.
func (s *Store) decorate(ctx context.Context, actor Actor, ds []*Dialogue, register bool) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]int64, len(ds))
	communeIDs, userIDs := []int64{}, []int64{}
	for i, d := range ds {
		ids[i] = d.ID
		communeIDs = append(communeIDs, d.CommuneID)
		if d.ChairUserID != nil {
			userIDs = append(userIDs, *d.ChairUserID)
		}
		userIDs = append(userIDs, d.CreatedBy)
	}
	var communes []UnitRef
	if err := s.conn(ctx).Model(&Unit{}).Select("id, name").Where("id IN ?", communeIDs).Find(&communes).Error; err != nil {
		return err
	}
	communeByID := map[int64]UnitRef{}
	for _, c := range communes {
		communeByID[c.ID] = c
	}
	var hamlets []struct {
		DialogueID int64
		ID         int64
		Name       string
	}
	err := s.conn(ctx).Table("dialogue_hamlets").Select("dialogue_hamlets.dialogue_id, units.id, units.name").
		Joins("JOIN units ON units.id = dialogue_hamlets.hamlet_id").
		Where("dialogue_hamlets.dialogue_id IN ?", ids).Order("units.id").Scan(&hamlets).Error
	if err != nil {
		return err
	}
	hamletsOf := map[int64][]UnitRef{}
	for _, h := range hamlets {
		hamletsOf[h.DialogueID] = append(hamletsOf[h.DialogueID], UnitRef{ID: h.ID, Name: h.Name})
	}
	attendance, err := s.attendanceOf(ctx, ids, register)
	if err != nil {
		return err
	}
	for _, a := range attendance {
		userIDs = append(userIDs, a.RecordedByID)
	}
	users, err := s.userRefs(ctx, userIDs)
	if err != nil {
		return err
	}
	petitions, err := s.petitionCounts(ctx, ids)
	if err != nil {
		return err
	}
	clock, err := s.dialogueClock(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, d := range ds {
		if c, ok := communeByID[d.CommuneID]; ok {
			d.Commune = &c
		}
		d.Hamlets = hamletsOf[d.ID]
		if d.Hamlets == nil {
			d.Hamlets = []UnitRef{}
		}
		if d.ChairUserID != nil {
			d.Chair = users[*d.ChairUserID]
		}
		if a, ok := attendance[d.ID]; ok {
			a.RecordedBy = users[a.RecordedByID]
			d.Attendance = a
		}
		if d.Agenda == nil {
			d.Agenda = Agenda{}
		}
		d.PetitionsCount = petitions[d.ID]
		d.MinutesOverdue = d.minutesOverdue(now)
		clock.decorate(d, now)
		d.FromPaper = d.paperRecord(users)
		d.AllowedTransitions = actor.AllowedTransitions(d.Status)
		d.CanEdit = actor.CanEditDialogue(d.Status)
		d.CanRecordAttendance = actor.CanRecordAttendance(d.Status)
	}
	return nil
}

// userRefs returns the named users by id.
func (s *Store) userRefs(ctx context.Context, ids []int64) (map[int64]*UserRef, error) {
	out := map[int64]*UserRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var refs []UserRef
	if err := s.conn(ctx).Model(&User{}).Select("id, username, full_name").Where("id IN ?", ids).Find(&refs).Error; err != nil {
		return nil, err
	}
	for i := range refs {
		out[refs[i].ID] = &refs[i]
	}
	return out, nil
}

// DialogueFilter selects dialogues in a list. From and To bound the start time: RFC 3339,
// local Vietnam time, or a date (2026-03-15, a whole Vietnam day; To includes that day).
// Like PetitionFilter, every field is text as the user gave it, validated all at once.
type DialogueFilter struct {
	CommuneID string
	HamletID  string
	Status    DialogueStatus
	From, To  string
	// MinutesOverdue is "true" to list held dialogues whose minutes are late.
	MinutesOverdue string
	Page           Page
}

// dialogueCursor is the keyset position of a dialogue list: newest start first.
type dialogueCursor struct {
	StartsAt time.Time `json:"s"`
	ID       int64     `json:"i"`
}

// Dialogues returns a page of the dialogues the actor sees, newest start first.
func (s *Store) Dialogues(ctx context.Context, actor Actor, f DialogueFilter) ([]*Dialogue, string, error) {
	v := &ValidationError{}
	cond, args := actor.scopeSQL("units.path")
	if id, ok := parseID(v, "commune_id", f.CommuneID); ok {
		if u, ok := s.communeForDialogue(ctx, actor, id); ok {
			cond, args = pathsSQL("units.path", []string{u.Path})
		} else {
			v.Add("commune_id", Msg("Không tìm thấy xã.", "Unknown commune."))
		}
	}
	hamletID, hamlet := parseID(v, "hamlet_id", f.HamletID)
	if hamlet {
		if _, err := s.Unit(ctx, actor, hamletID); err != nil {
			v.Add("hamlet_id", Msg("Không tìm thấy ấp.", "Unknown hamlet."))
		}
	}
	minutesOverdue, _ := parseFlag(v, "minutes_overdue", f.MinutesOverdue)
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", Msg("Trạng thái phải là planned, held, closed hoặc cancelled.", "The status must be planned, held, closed or cancelled."))
	}
	from := boundField(v, "from", f.From, false, msgBadBound)
	to := boundField(v, "to", f.To, true, msgBadBound)
	var after dialogueCursor
	if err := f.Page.decode(&after); err != nil {
		return nil, "", err
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	q := s.conn(ctx).Table("dialogues").Select("dialogues.*").
		Joins("JOIN units ON units.id = dialogues.commune_id").
		Where(cond, args...)
	if hamlet {
		q = q.Where("EXISTS (SELECT 1 FROM dialogue_hamlets h WHERE h.dialogue_id = dialogues.id AND h.hamlet_id = ?)", hamletID)
	}
	if f.Status != "" {
		q = q.Where("dialogues.status = ?", f.Status)
	}
	if from != nil {
		q = q.Where("dialogues.starts_at >= ?", *from)
	}
	if to != nil {
		q = q.Where("dialogues.starts_at < ?", *to)
	}
	if minutesOverdue {
		q = q.Where("dialogues.status = ? AND dialogues.held_at < ?", DialogueHeld, s.now().Add(-MinutesDueWithin))
	}
	if after.ID != 0 {
		q = q.Where("dialogues.starts_at < ? OR (dialogues.starts_at = ? AND dialogues.id < ?)", after.StartsAt, after.StartsAt, after.ID)
	}
	var rows []*Dialogue
	if err := q.Order("dialogues.starts_at DESC, dialogues.id DESC").Limit(f.Page.limit() + 1).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, more := trimPage(rows, f.Page.limit())
	if err := s.decorate(ctx, actor, rows, false); err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		last := rows[len(rows)-1]
		next = encodeCursor(dialogueCursor{StartsAt: last.StartsAt, ID: last.ID})
	}
	return rows, next, nil
}

// DialoguePatch is a change to a planned dialogue; nil fields stay as they are. An empty EndsAt clears the end time.
type DialoguePatch struct {
	Title              *string   `json:"title"`
	StartsAt           *string   `json:"starts_at"`
	EndsAt             *string   `json:"ends_at"`
	Venue              *string   `json:"venue"`
	ChairUserID        *int64    `json:"chair_user_id"`
	Agenda             *[]string `json:"agenda"`
	ExpectedAttendance *int      `json:"expected_attendance"`
	HamletIDs          *[]int64  `json:"hamlet_ids"`
	// VoterRequest records or changes the voters' request; an empty requested_on removes it.
	VoterRequest *VoterRequestInput `json:"voter_request"`
	AllowOverlap bool               `json:"allow_overlap"`
	Version      *int               `json:"version"`
}

// UpdateDialogue edits a planned dialogue. It needs the version the client saw; a stale one
// gets the current record back.
func (s *Store) UpdateDialogue(ctx context.Context, actor Actor, id int64, p DialoguePatch) (*Dialogue, error) {
	var out *Dialogue
	err := s.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.dialogueInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := s.checkDialogueChange(ctx, actor, d, changeEdit); err != nil {
			return err
		}
		if err := s.decorate(ctx, actor, []*Dialogue{d}, false); err != nil {
			return err
		}
		if p.Version == nil {
			return FieldError("version", Msg("Cần gửi phiên bản (version) của bản ghi.", "Send the version of the record you edited."))
		}
		if *p.Version != d.Version {
			return StaleVersion(d)
		}
		e, err := s.dialogueEdit(ctx, actor, d, p)
		if err != nil {
			return err
		}
		if len(e.changes) == 0 {
			out = d
			return nil
		}
		if !p.AllowOverlap && e.rebooks() {
			if err := s.checkOverlap(ctx, d.ID, e.hamlets, e.chair, e.start, e.end); err != nil {
				return err
			}
		}
		if err := s.writeDialogue(ctx, d, e.updates); err != nil {
			return err
		}
		if e.hamletsChanged {
			if err := s.setHamlets(ctx, d.ID, e.hamlets); err != nil {
				return err
			}
		}
		if err := s.appendEvent(ctx, dialogueLog, actor, d.ID, EventDialogueUpdated, "", "", "", map[string]any{"changes": e.changes}); err != nil {
			return err
		}
		out, err = s.Dialogue(ctx, actor, d.ID)
		return err
	})
	return out, failed(err, "update dialogue %d", id)
}

// dialogueEditing is a patch checked against the dialogue: what it changes (for the event),
// the columns to write, and the time, chair and hamlets the dialogue will have.
type dialogueEditing struct {
	changes, updates map[string]any
	start            time.Time
	end              *time.Time
	chair            *int64
	hamlets          []int64
	hamletsChanged   bool
}

func (e *dialogueEditing) change(field string, from, to any) {
	e.changes[field] = map[string]any{"from": from, "to": to}
	e.updates[field] = to
}

// rebooks tells whether the edit moves the dialogue in time or to other people or places, so
// that double bookings must be checked again.
func (e *dialogueEditing) rebooks() bool {
	for _, f := range []string{"starts_at", "ends_at", "chair_user_id"} {
		if _, ok := e.changes[f]; ok {
			return true
		}
	}
	return e.hamletsChanged
}

// dialogueEdit validates a patch against a decorated dialogue, naming every bad field.
func (s *Store) dialogueEdit(ctx context.Context, actor Actor, d *Dialogue, p DialoguePatch) (*dialogueEditing, error) {
	v := &ValidationError{}
	e := &dialogueEditing{changes: map[string]any{}, updates: map[string]any{}, start: d.StartsAt, end: d.EndsAt,
		chair: d.ChairUserID, hamlets: hamletIDs(d)}
	if p.Title != nil {
		validateDialogueTitle(v, *p.Title)
		if t := strings.TrimSpace(*p.Title); t != d.Title {
			e.change("title", d.Title, t)
		}
	}
	if p.StartsAt != nil {
		if t, ok := s.whenField(v, "starts_at", *p.StartsAt); ok {
			e.start = t
		}
	}
	if p.EndsAt != nil {
		if isBlank(*p.EndsAt) {
			e.end = nil
		} else if t, ok := s.whenField(v, "ends_at", *p.EndsAt); ok {
			e.end = &t
		}
	}
	validateSpan(v, "ends_at", e.start, e.end)
	if !e.start.Equal(d.StartsAt) {
		e.change("starts_at", d.StartsAt, e.start)
	}
	if !sameTime(e.end, d.EndsAt) {
		e.change("ends_at", d.EndsAt, e.end)
	}
	if p.Venue != nil {
		validateVenue(v, *p.Venue)
		if t := strings.TrimSpace(*p.Venue); t != d.Venue {
			e.change("venue", d.Venue, t)
		}
	}
	if p.Agenda != nil {
		if a := cleanAgenda(v, *p.Agenda); !equalStrings(a, d.Agenda) {
			e.change("agenda", d.Agenda, a)
		}
	}
	if p.ExpectedAttendance != nil {
		validateExpected(v, p.ExpectedAttendance)
		if d.ExpectedAttendance == nil || *d.ExpectedAttendance != *p.ExpectedAttendance {
			e.change("expected_attendance", d.ExpectedAttendance, *p.ExpectedAttendance)
		}
	}
	if p.VoterRequest != nil {
		editVoterRequest(v, d, p.VoterRequest, e)
	}
	if err := s.editPeople(ctx, v, actor, d, p, e); err != nil {
		return nil, err
	}
	return e, v.Err()
}

// editPeople checks the chair and the hamlets a patch names.
func (s *Store) editPeople(ctx context.Context, v *ValidationError, actor Actor, d *Dialogue, p DialoguePatch, e *dialogueEditing) error {
	if p.ChairUserID != nil {
		chair, err := s.communeChair(ctx, v, actor, d.CommuneID, p.ChairUserID)
		if err != nil {
			return err
		}
		if chair != nil && (d.ChairUserID == nil || *d.ChairUserID != *chair) {
			e.change("chair_user_id", d.ChairUserID, *chair)
		}
		e.chair = chair
	}
	if p.HamletIDs != nil {
		hs, err := s.checkHamlets(ctx, v, d.CommuneID, *p.HamletIDs)
		if err != nil {
			return err
		}
		if hs != nil && !equalIDs(hs, e.hamlets) {
			e.changes["hamlet_ids"] = map[string]any{"from": e.hamlets, "to": hs}
			e.hamlets, e.hamletsChanged = hs, true
		}
	}
	return nil
}

// hamletIDs lists the ids of a decorated dialogue's hamlets.
func hamletIDs(d *Dialogue) []int64 {
	ids := make([]int64, len(d.Hamlets))
	for i, h := range d.Hamlets {
		ids[i] = h.ID
	}
	return ids
}

// checkOverlap returns the conflict of a double booking: another planned or held dialogue of one of
// the hamlets or of the chair within [start, end) (end nil: the assumed length).
func (s *Store) checkOverlap(ctx context.Context, except int64, hamlets []int64, chair *int64, start time.Time, end *time.Time) error {
	span := &Dialogue{StartsAt: start, EndsAt: end}
	other, err := s.overlapping(ctx, except, hamlets, chair, start, span.effectiveEnd())
	if err != nil {
		return err
	}
	if other != nil {
		return overlapError(other)
	}
	return nil
}

// writeDialogue writes the columns of a change with the next version, if the dialogue is still
// at the version d was read at.
func (s *Store) writeDialogue(ctx context.Context, d *Dialogue, updates map[string]any) error {
	updates["version"] = d.Version + 1
	if _, ok := updates["updated_at"]; !ok {
		updates["updated_at"] = s.now().Truncate(time.Second)
	}
	res := s.conn(ctx).Model(&Dialogue{}).Where("id = ? AND version = ?", d.ID, d.Version).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return StaleVersion(d)
	}
	return nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// DialogueTransition asks to move a dialogue along its lifecycle. To "postponed" needs
// NewStartsAt (NewEndsAt is optional: the end moves with the start); "cancelled" needs Reason;
// "closed" needs Minutes and recorded attendance.
type DialogueTransition struct {
	To           string  `json:"to"`
	NewStartsAt  string  `json:"new_starts_at"`
	NewEndsAt    *string `json:"new_ends_at"`
	Reason       string  `json:"reason"`
	Minutes      string  `json:"minutes"`
	AllowOverlap bool    `json:"allow_overlap"`
	Version      *int    `json:"version"`
	// OccurredAt is when holding or closing happened, for a dialogue typed up from its paper
	// minutes (paper.go); by default a dialogue marked held after it ended was held at its start.
	OccurredAt string `json:"occurred_at"`
}

// dialogueMove is what a transition writes and records: the columns, the event's note and data.
type dialogueMove struct {
	updates map[string]any
	note    string
	data    map[string]any
}

// TransitionDialogue moves a dialogue along its lifecycle and records the move in its events.
func (s *Store) TransitionDialogue(ctx context.Context, actor Actor, id int64, t DialogueTransition) (*Dialogue, error) {
	var out *Dialogue
	err := s.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.dialogueInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := s.checkDialogueTransition(ctx, actor, d, t.To); err != nil {
			return err
		}
		if t.Version != nil && *t.Version != d.Version {
			return StaleVersion(d)
		}
		now := s.now().Truncate(time.Second)
		when, err := s.dialogueMoveTime(d, t, now)
		if err != nil {
			return err
		}
		m := &dialogueMove{updates: map[string]any{"updated_at": now}}
		switch t.To {
		case TransitionHold:
			err = holdDialogue(d, now, m)
		case TransitionPostpone:
			err = s.postponeDialogue(ctx, d, t, m)
		case TransitionCancel:
			err = cancelDialogue(t, m)
		case TransitionClose:
			err = closeDialogue(d, t, now, m)
		}
		if err != nil {
			return err
		}
		if _, ok := m.updates["held_at"]; ok {
			m.updates["held_at"] = when
		}
		if _, ok := m.updates["closed_at"]; ok {
			m.updates["closed_at"] = when
		}
		if err := s.writeDialogue(ctx, d, m.updates); err != nil {
			return err
		}
		if err := s.appendEventAt(ctx, dialogueLog, actor, d.ID, EventDialogueTransition, string(d.Status), t.To, m.note, m.data, timePtrUnlessNow(when, now)); err != nil {
			return err
		}
		out, err = s.Dialogue(ctx, actor, d.ID)
		return err
	})
	return out, failed(err, "transition dialogue %d to %s", id, t.To)
}

// holdDialogue marks a dialogue held, from its day on (Vietnam's calendar).
func holdDialogue(d *Dialogue, now time.Time, m *dialogueMove) error {
	if calendar.DateOf(d.StartsAt) > calendar.DateOf(now) {
		return &ConflictError{Reason: "dialogue_not_started",
			Message: Msg("Chưa đến ngày đối thoại; chỉ ghi nhận đã tổ chức từ ngày diễn ra.", "The dialogue's day has not come yet; it can be marked held from that day on."),
			Details: map[string]any{"current": d}}
	}
	m.updates["status"], m.updates["held_at"] = DialogueHeld, now
	return nil
}

// postponeDialogue moves a planned dialogue to a later time; the end moves with the start
// unless a new end is given.
func (s *Store) postponeDialogue(ctx context.Context, d *Dialogue, t DialogueTransition, m *dialogueMove) error {
	v := &ValidationError{}
	start, ok := s.whenField(v, "new_starts_at", t.NewStartsAt)
	var end *time.Time
	if ok && !start.After(d.StartsAt) {
		v.Add("new_starts_at", Msg("Thời gian mới phải sau thời gian đã định.", "The new time must be later than the planned one."))
	}
	if t.NewEndsAt != nil && !isBlank(*t.NewEndsAt) {
		if e, ok := s.whenField(v, "new_ends_at", *t.NewEndsAt); ok {
			end = &e
		}
	} else if d.EndsAt != nil {
		e := d.EndsAt.Add(start.Sub(d.StartsAt))
		end = &e
	}
	if ok {
		validateSpan(v, "new_ends_at", start, end)
	}
	m.note = strings.TrimSpace(t.Reason)
	if utf8.RuneCountInString(m.note) > maxReasonChars {
		v.Add("reason", Msg("Lý do dài tối đa 1000 ký tự.", "The reason is at most 1000 characters."))
	}
	if err := v.Err(); err != nil {
		return err
	}
	if !t.AllowOverlap {
		if err := s.checkOverlap(ctx, d.ID, hamletIDs(d), d.ChairUserID, start, end); err != nil {
			return err
		}
	}
	m.updates["starts_at"], m.updates["ends_at"] = start, end
	m.updates["postponed_count"] = d.PostponedCount + 1
	m.data = map[string]any{"from_starts_at": d.StartsAt, "to_starts_at": start, "from_ends_at": d.EndsAt, "to_ends_at": end}
	return nil
}

// cancelDialogue calls a planned dialogue off, with its reason.
func cancelDialogue(t DialogueTransition, m *dialogueMove) error {
	m.note = strings.TrimSpace(t.Reason)
	switch n := utf8.RuneCountInString(m.note); {
	case n == 0:
		return FieldError("reason", Msg("Cần nêu lý do hủy.", "Give the reason for cancelling."))
	case n > maxReasonChars:
		return FieldError("reason", Msg("Lý do dài tối đa 1000 ký tự.", "The reason is at most 1000 characters."))
	}
	m.updates["status"], m.updates["cancel_reason"] = DialogueCancelled, m.note
	return nil
}

// closeDialogue closes a held dialogue with its minutes; its attendance must be recorded first.
func closeDialogue(d *Dialogue, t DialogueTransition, now time.Time, m *dialogueMove) error {
	minutes := strings.TrimSpace(t.Minutes)
	switch n := utf8.RuneCountInString(minutes); {
	case n == 0:
		return FieldError("minutes", Msg("Cần nhập nội dung biên bản.", "Write the minutes."))
	case n > maxMinutesChars:
		return FieldError("minutes", Msg("Biên bản dài tối đa 50000 ký tự.", "The minutes are at most 50000 characters."))
	}
	if d.Attendance == nil {
		return &ConflictError{Reason: "attendance_required",
			Message: Msg("Cần ghi nhận số người tham dự trước khi kết thúc buổi đối thoại.", "Record the attendance before closing the dialogue."),
			Details: map[string]any{"current": d}}
	}
	m.updates["status"], m.updates["minutes"], m.updates["closed_at"] = DialogueClosed, minutes, now
	return nil
}

// DialogueEvents returns a page of a dialogue's history, oldest first.
func (s *Store) DialogueEvents(ctx context.Context, actor Actor, id int64, p Page) ([]DialogueEvent, string, error) {
	if _, err := s.dialogueInScope(ctx, actor, id); err != nil {
		return nil, "", err
	}
	var after struct {
		ID int64 `json:"i"`
	}
	if err := p.decode(&after); err != nil {
		return nil, "", err
	}
	var events []DialogueEvent
	err := s.conn(ctx).Where("dialogue_id = ? AND id > ?", id, after.ID).Order("id").Limit(p.limit() + 1).Find(&events).Error
	if err != nil {
		return nil, "", err
	}
	events, more := trimPage(events, p.limit())
	actorIDs := []int64{}
	for _, e := range events {
		if e.ActorID != nil {
			actorIDs = append(actorIDs, *e.ActorID)
		}
	}
	users, err := s.userRefs(ctx, actorIDs)
	if err != nil {
		return nil, "", err
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
	next := ""
	if more {
		next = encodeCursor(struct {
			ID int64 `json:"i"`
		}{events[len(events)-1].ID})
	}
	return events, next, nil
}
