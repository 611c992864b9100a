package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/papi-dialogue/papi/models/calendar"
)

// PetitionKind is what sort of petition was raised.
type PetitionKind string

// The petition kinds of DESIGN.md §3.
const (
	KindReport         PetitionKind = "phan_anh"
	KindRecommendation PetitionKind = "kien_nghi"
	KindComplaint      PetitionKind = "khieu_nai"
	KindDenunciation   PetitionKind = "to_cao"
)

// PetitionKinds lists every kind.
func PetitionKinds() []PetitionKind {
	return []PetitionKind{KindReport, KindRecommendation, KindComplaint, KindDenunciation}
}

// Valid tells whether k is a known kind.
func (k PetitionKind) Valid() bool {
	for _, x := range PetitionKinds() {
		if x == k {
			return true
		}
	}
	return false
}

// Label returns the kind's Vietnamese name, as documents print it.
func (k PetitionKind) Label() string {
	if l, ok := petitionKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Channel is how a petition reached the commune.
type Channel string

// The channels.
const (
	ChannelDialogue  Channel = "dialogue"
	ChannelReception Channel = "reception"
	ChannelLetter    Channel = "letter"
	ChannelPhone     Channel = "phone"
	ChannelOnline    Channel = "online"
)

// Valid tells whether c is a known channel.
func (c Channel) Valid() bool {
	switch c {
	case ChannelDialogue, ChannelReception, ChannelLetter, ChannelPhone, ChannelOnline:
		return true
	}
	return false
}

// CloseReason says why a petition was closed.
type CloseReason string

// The closing reasons.
const (
	ReasonExplained    CloseReason = "explained"
	ReasonDuplicate    CloseReason = "duplicate"
	ReasonNotCompetent CloseReason = "not_competent"
	ReasonWithdrawn    CloseReason = "withdrawn"
)

// Valid tells whether r is a known reason.
func (r CloseReason) Valid() bool {
	switch r {
	case ReasonExplained, ReasonDuplicate, ReasonNotCompetent, ReasonWithdrawn:
		return true
	}
	return false
}

// Satisfaction is the petitioner's view of the outcome.
type Satisfaction string

// The satisfaction levels.
const (
	VerySatisfied       Satisfaction = "very_satisfied"
	Satisfied           Satisfaction = "satisfied"
	NotSatisfied        Satisfaction = "not_satisfied"
	SatisfactionUnknown Satisfaction = "unknown"
)

// Valid tells whether s is a known level.
func (s Satisfaction) Valid() bool {
	switch s {
	case VerySatisfied, Satisfied, NotSatisfied, SatisfactionUnknown:
		return true
	}
	return false
}

// Petitioner is who raised a petition; never public.
type Petitioner struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`

	// IDNumber is the identification number (intake.go).
	IDNumber string `json:"id_number"`
}

// Petition is an opinion or request a resident or business raised (ý kiến, kiến nghị).
type Petition struct {
	ID           int64         `json:"id"`
	Reference    string        `json:"reference"`
	CommuneID    int64         `json:"commune_id"`
	HamletID     int64         `json:"hamlet_id"`
	DialogueID   *int64        `json:"dialogue_id"`
	Channel      Channel       `json:"channel"`
	Kind         PetitionKind  `json:"kind"`
	TopicID      int64         `json:"topic_id"`
	Content      string        `json:"content"`
	Anonymous    bool          `json:"anonymous"`
	OnsiteAnswer string        `json:"onsite_answer"`
	ReceivedAt   time.Time     `json:"received_at"`
	State        PetitionState `json:"state"`
	StateType    StateType     `json:"state_type"`
	// Overdue is computed on every read: no published answer and past its due date, in
	// Vietnam's calendar (Late). AwaitingClosure: answered, waiting for feedback or closure.
	Overdue           bool   `json:"overdue" gorm:"-"`
	AwaitingClosure   bool   `json:"awaiting_closure" gorm:"-"`
	ResponsibleUnitID *int64 `json:"responsible_unit_id"`
	ResponsibleName   string `json:"responsible_name"`
	// AssigneeID is the officer of the commune handling it (assignees.go), if one is named.
	AssigneeID *int64 `json:"assignee_id"`
	DueOn      *Date  `json:"due_on"`
	// DueRule is the code of the deadline rule that set DueOn, and DueRuleText its words and
	// legal basis as they were then ("30 ngày kể từ ngày thụ lý — Luật Khiếu nại 2011, Điều 28").
	DueRule     *string `json:"due_rule"`
	DueRuleText string  `json:"due_rule_text"`
	// AcceptedAt is when a complaint or denunciation was accepted (thụ lý); Complexity is how it
	// was judged then, and Extensions how many times its deadline was extended.
	AcceptedAt  *time.Time `json:"accepted_at"`
	Complexity  Complexity `json:"complexity"`
	Extensions  int        `json:"extensions"`
	AnswerDraft string     `json:"answer_draft"`
	Answer      string     `json:"answer"`
	AnsweredAt  *time.Time `json:"answered_at"`
	// FirstAnsweredAt is when the first answer was published; a reopened petition answered
	// again keeps it (reports count time to the first answer).
	FirstAnsweredAt *time.Time `json:"-"`
	// AcceptDueOn is the due date a complaint or denunciation had when it was accepted: the
	// law's figures judge the acceptance against it.
	AcceptDueOn *Date        `json:"-"`
	AnsweredBy  *int64       `json:"answered_by"`
	ResolvedAt  *time.Time   `json:"resolved_at"`
	ClosedAt    *time.Time   `json:"closed_at"`
	CloseReason *CloseReason `json:"close_reason"`
	DuplicateOf *int64       `json:"duplicate_of"`
	// MainID is the main petition this one is linked to, raising the same matter (links.go).
	MainID       *int64        `json:"main_id"`
	Satisfaction *Satisfaction `json:"satisfaction"`
	Private      bool          `json:"private"`
	Version      int           `json:"version"`
	CreatedBy    int64         `json:"created_by"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`

	PetitionerName    string `json:"-"`
	PetitionerPhone   string `json:"-"`
	PetitionerAddress string `json:"-"`

	// PetitionerIDNumber is personal data, shown as Petitioner.IDNumber; IncomingNumber and
	// IncomingDate are a letter's incoming document (intake.go).
	PetitionerIDNumber string `json:"-"`
	IncomingNumber     string `json:"incoming_number"`
	IncomingDate       *Date  `json:"incoming_date"`

	SearchText string `json:"-"`
	// CorrectedAt is when a correction after the answer's publication changed what the public
	// board shows; PetitionerFormer the petitioner's details corrections replaced, kept only
	// for the board's masking (corrections.go).
	CorrectedAt      *time.Time `json:"corrected_at"`
	PetitionerFormer string     `json:"-"`
	// The resident's consent to messages (notifications.go); personal data, shown as Consent.
	ContactConsent bool       `json:"-"`
	ContactChannel string     `json:"-"`
	ContactAddress string     `json:"-"`
	OptOutToken    *string    `json:"-"`
	OptedOutAt     *time.Time `json:"-"`
	// Consent is what the resident agreed to, or null when there is none or the reader may not know.
	Consent *Consent `json:"consent" gorm:"-"`
	// Petitioner is who raised it, or null when the reader may not know (see redactFor).
	Petitioner *Petitioner `json:"petitioner" gorm:"-"`
	// PetitionerHidden tells the reader that a petitioner exists but is withheld from them.
	PetitionerHidden bool `json:"petitioner_hidden" gorm:"-"`
	// AllowedTransitions lists the states the reader may move it to now, so a client offers
	// only what the server accepts.
	AllowedTransitions []PetitionState `json:"allowed_transitions" gorm:"-"`
	// Correctable lists the fields the reader may correct now (corrections.go), so a client
	// offers only those.
	Correctable []string `json:"correctable" gorm:"-"`
}

// finish computes what is never stored: overdue, and what the actor may see of the petitioner.
// seesCommune tells whether the actor belongs to the petition's commune or a unit above it.
func (p *Petition) finish(a Actor, seesCommune bool, today Date) {
	p.Overdue, p.AwaitingClosure = Late(p.State, p.DueOn, today), AwaitingClosure(p.State)
	has := p.PetitionerName != "" || p.PetitionerPhone != "" || p.PetitionerAddress != "" || p.PetitionerIDNumber != ""
	visible := seesCommune && (p.Kind != KindDenunciation || a.Can(PermPetitionsSeeDenouncer))
	p.Petitioner, p.PetitionerHidden = nil, false
	p.AllowedTransitions = AllowedTransitions(a, p)
	p.Correctable = CorrectableFields(a, p, seesCommune)
	switch {
	case has && visible:
		p.Petitioner = &Petitioner{Name: p.PetitionerName, Phone: p.PetitionerPhone, Address: p.PetitionerAddress, IDNumber: p.PetitionerIDNumber}
		p.Consent = consentOf(p)
	case has:
		p.PetitionerHidden = true
	}
}

// staleFor is the conflict of a write that saw another version than the stored one: it carries
// the petition as its reader would get it; nil when the versions agree.
func (p *Petition) staleFor(version int, a Actor, seesCommune bool, today Date) error {
	if version == p.Version {
		return nil
	}
	p.finish(a, seesCommune, today)
	return StaleVersion(p)
}

// noteField trims a history note and checks its length, the one rule for every note.
func noteField(v *ValidationError, field, note string) string {
	note = strings.TrimSpace(note)
	if runeLen(note) > 2000 {
		v.Add(field, msgNoteLength)
	}
	return note
}

// PetitionerVisible tells whether the actor may know who raised the petition: users of its
// commune and above, and for a denunciation only the commune chair and admins.
func PetitionerVisible(a Actor, p *Petition, communePath string) bool {
	return a.Sees(communePath) && (p.Kind != KindDenunciation || a.Can(PermPetitionsSeeDenouncer))
}

// PetitionInput is what a new petition is made of.
type PetitionInput struct {
	CommuneID         int64      `json:"commune_id"`
	HamletID          int64      `json:"hamlet_id"`
	DialogueID        *int64     `json:"dialogue_id"`
	Channel           string     `json:"channel"`
	Kind              string     `json:"kind"`
	TopicID           *int64     `json:"topic_id"`
	TopicCode         string     `json:"topic_code"`
	Content           string     `json:"content"`
	PetitionerName    string     `json:"name"`
	PetitionerPhone   string     `json:"phone"`
	PetitionerAddress string     `json:"address"`
	Anonymous         bool       `json:"anonymous"`
	OnsiteAnswer      string     `json:"onsite_answer"`
	ReceivedAt        *time.Time `json:"received_at"`
	Private           bool       `json:"private"`
	// Consent is whether and how the resident agreed to hear about the petition.
	Consent ConsentInput `json:"consent"`

	// PetitionerIDNumber, IncomingNumber and IncomingDate are the desk's fields (intake.go).
	PetitionerIDNumber string `json:"id_number"`
	IncomingNumber     string `json:"incoming_number"`
	IncomingDate       string `json:"incoming_date"`
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 .()-]{6,20}$`)

// Messages shared by petition rules.
var (
	msgContentLength = Msg("Nội dung từ 10 đến 4000 ký tự.", "The content is 10 to 4000 characters.")
	msgAnswerLength  = Msg("Câu trả lời từ 1 đến 4000 ký tự.", "The answer is 1 to 4000 characters.")
	msgNoteLength    = Msg("Ghi chú dài tối đa 2000 ký tự.", "The note is at most 2000 characters.")
	msgPastDue       = Msg("Hạn xử lý không được trước hôm nay.", "The due date cannot be before today.")
)

func runeLen(s string) int { return utf8.RuneCountInString(strings.TrimSpace(s)) }

// CreatePetition logs a petition in a commune the actor works in and gives it its reference.
func (s *Store) CreatePetition(ctx context.Context, actor Actor, in PetitionInput) (*Petition, error) {
	p, _, err := s.CreatePetitionOnce(ctx, actor, "", in)
	return p, err
}

// CreatePetitionOnce is CreatePetition once per (actor, key), as Idempotent: a retry with the
// same key and the same input returns the petition the first call created, as the actor may
// see it now, and replayed=true, even when both calls race; an empty key always creates. The
// key is looked up in the create's first read and recorded in its last write (insertPetition),
// so a create sends no statement for it.
func (s *Store) CreatePetitionOnce(ctx context.Context, actor Actor, key string, in PetitionInput) (p *Petition, replayed bool, err error) {
	if !actor.Can(PermPetitionsLog) {
		return nil, false, ErrForbidden
	}
	once := petitionKey{key: strings.TrimSpace(key)}
	if once.key != "" {
		if once.hash, err = keyedRequestHash(once.key, in); err != nil {
			return nil, false, err
		}
	}
	v := &ValidationError{}
	// To PostgreSQL's microseconds, so that the petition answered is the one a read gives.
	p = petitionDraft(in, v, s.now().Truncate(EventPrecision))
	var stored *Petition
	err = s.WithTx(ctx, func(ctx context.Context) error {
		place, err := s.petitionPlace(ctx, actor, in, firstRule(p.Kind, p.Channel), once.key)
		if err != nil {
			return err
		}
		if place.key != nil {
			id, err := place.key.check(petitionCreateScope, once.hash)
			if err != nil {
				return err
			}
			stored, err = s.Petition(ctx, actor, id)
			return err
		}
		return s.createPetition(ctx, actor, in, v, p, place, once)
	})
	if isUniqueViolation(err) && once.key != "" {
		// A concurrent request with the same key won; ours rolled back, theirs stands.
		id, ok, rerr := s.recallIdempotency(ctx, actor, once.key, petitionCreateScope, once.hash)
		if rerr != nil {
			return nil, false, rerr
		}
		if ok {
			stored, err = s.Petition(ctx, actor, id)
		}
	}
	if err != nil {
		return nil, false, failed(err, "create petition in commune %d", in.CommuneID)
	}
	if stored != nil {
		return stored, true, nil
	}
	p.finish(actor, true, s.today())
	return p, false, nil
}

// petitionCreateScope is the scope of the idempotency keys of creates.
const petitionCreateScope = "petitions.create"

// petitionKey is the idempotency key a create came with, and its request's fingerprint.
type petitionKey struct{ key, hash string }

// createPetition checks what petitionPlace read and writes the petition, in the caller's
// transaction.
func (s *Store) createPetition(ctx context.Context, actor Actor, in PetitionInput, v *ValidationError, p *Petition, place *newPlace, once petitionKey) error {
	commune, hamlet := place.commune, place.hamlet
	if commune == nil || commune.Level != LevelCommune || !commune.Live() {
		commune = nil
		v.Add("commune_id", Msg("Không tìm thấy xã trong phạm vi của bạn.", "No such commune within your units."))
	}
	if hamlet == nil || hamlet.Level != LevelHamlet || !hamlet.Live() || commune == nil || hamlet.ParentID == nil || *hamlet.ParentID != commune.ID {
		v.Add("hamlet_id", Msg("Ấp không thuộc xã đã chọn.", "The hamlet is not in the chosen commune."))
	}
	ok := checkPetitionTopic(v, in.TopicID, in.TopicCode, place.topic)
	if in.DialogueID != nil && commune != nil {
		startsAt, err := s.heldDialogueStart(ctx, *in.DialogueID, commune.ID)
		if err != nil {
			v.Add("dialogue_id", Msg("Buổi đối thoại không tồn tại, không thuộc xã này hoặc chưa diễn ra.", "No held dialogue of this commune has this id."))
		} else if in.ReceivedAt == nil {
			p.ReceivedAt = startsAt
		}
	}
	requireIdentification(v, p)
	if err := v.Err(); err != nil || !ok {
		return err
	}
	p.ReceivedAt = p.ReceivedAt.UTC().Truncate(time.Second)
	p.CommuneID, p.HamletID, p.TopicID, p.CreatedBy = commune.ID, hamlet.ID, place.topic.ID, actor.UserID
	if err := setFirstDeadline(p, place.rule, place.workdays, commune.Remote); err != nil {
		return err
	}
	if err := s.insertPetition(ctx, actor, p, commune, once); err != nil {
		return err
	}
	return s.noticeResident(ctx, p, NoticeReceived, false)
}

// petitionDraft checks what of a new petition needs no lookup, naming every bad field in v, and
// returns the petition it makes, trimmed, received now unless the input says when.
func petitionDraft(in PetitionInput, v *ValidationError, now time.Time) *Petition {
	kind := PetitionKind(in.Kind)
	p := &Petition{DialogueID: in.DialogueID, Channel: Channel(in.Channel), Kind: kind, Content: strings.TrimSpace(in.Content),
		PetitionerName: strings.TrimSpace(in.PetitionerName), PetitionerPhone: strings.TrimSpace(in.PetitionerPhone),
		PetitionerAddress: strings.TrimSpace(in.PetitionerAddress), Anonymous: in.Anonymous,
		OnsiteAnswer: strings.TrimSpace(in.OnsiteAnswer), ReceivedAt: now, State: StateReceived, StateType: TypeOpen,
		Private: in.Private || kind == KindDenunciation, Version: 1, CreatedAt: now, UpdatedAt: now, Complexity: ComplexityNormal}
	if !kind.Valid() {
		v.Add("kind", Msg("Loại ý kiến phải là phan_anh, kien_nghi, khieu_nai hoặc to_cao.", "The kind must be phan_anh, kien_nghi, khieu_nai or to_cao."))
	}
	if in.Channel == "" && in.DialogueID != nil {
		p.Channel = ChannelDialogue
	}
	switch {
	case !p.Channel.Valid():
		v.Add("channel", Msg("Kênh tiếp nhận phải là dialogue, reception, letter, phone hoặc online.", "The channel must be dialogue, reception, letter, phone or online."))
	case in.DialogueID != nil && p.Channel != ChannelDialogue:
		v.Add("channel", Msg("Ý kiến nêu tại buổi đối thoại có kênh là dialogue.", "A petition raised at a dialogue has the channel dialogue."))
	}
	if !contentRule.ok(p.Content) {
		v.Add("content", contentRule.Message)
	}
	if in.Anonymous && (p.PetitionerName != "" || p.PetitionerPhone != "" || p.PetitionerAddress != "") {
		v.Add("anonymous", msgAnonymous)
	}
	if !nameRule.ok(p.PetitionerName) {
		v.Add("name", nameRule.Message)
	}
	if p.PetitionerPhone != "" && !phonePattern.MatchString(p.PetitionerPhone) {
		v.Add("phone", Msg("Số điện thoại không hợp lệ.", "The phone number is not valid."))
	}
	if runeLen(p.PetitionerAddress) > 300 {
		v.Add("address", Msg("Địa chỉ dài tối đa 300 ký tự.", "The address is at most 300 characters."))
	}
	if !onsiteRule.ok(p.OnsiteAnswer) {
		v.Add("onsite_answer", onsiteRule.Message)
	}
	if in.ReceivedAt != nil {
		switch {
		case in.ReceivedAt.After(now.Add(5 * time.Minute)):
			v.Add("received_at", Msg("Thời điểm tiếp nhận không được ở tương lai.", "The time received cannot be in the future."))
		case in.ReceivedAt.Year() < 2000:
			v.Add("received_at", Msg("Thời điểm tiếp nhận không hợp lệ.", "The time received is not valid."))
		}
		p.ReceivedAt = *in.ReceivedAt
	}
	intakeDraft(in, v, p)
	applyConsent(p, checkConsent(v, in.Consent, in.Anonymous, p.PetitionerPhone))
	return p
}

// newPlace is what a new petition's first read finds: the commune it names (nil when missing or
// outside the actor's units), its hamlet and its topic (nil when missing), the rule of its first
// deadline with the working-day calendar (nil without one), and the idempotency key it came
// with when that key was used before.
type newPlace struct {
	commune, hamlet *Unit
	topic           *Topic
	rule            *DeadlineRule
	workdays        *calendar.Workdays
	key             *idempotencyKey
}

// petitionPlace reads, in one statement, the commune a new petition names, its hamlet, its topic
// (by id, else by code), the deadline rule named rule with the calendar's decisions (none when
// rule is empty) and the actor's idempotency key named key (none when empty).
func (s *Store) petitionPlace(ctx context.Context, actor Actor, in PetitionInput, rule, key string) (*newPlace, error) {
	topicCond, topicArg := "t.id = ?", any(int64(0))
	switch {
	case in.TopicID != nil:
		topicArg = *in.TopicID
	case strings.TrimSpace(in.TopicCode) != "":
		topicCond, topicArg = "t.code = ?", strings.ToUpper(strings.TrimSpace(in.TopicCode))
	}
	var rows []struct {
		CommuneID, HamletID, TopicID           *int64
		CommuneLevel, CommunePath, HamletLevel string
		CommuneSlug                            *string
		CommuneRemote, CommuneLive, HamletLive bool
		HamletParentID                         *int64
		TopicActive                            bool
		TopicResponseDays                      int
		Rule                                   DeadlineRule `gorm:"embedded;embeddedPrefix:rule_"`
		CalendarDays                           *string
		KeyScope, KeyRequestHash               *string
		KeyResourceID                          *int64
	}
	sel, joins := "", ""
	args := []any{in.CommuneID, in.HamletID, topicArg}
	if rule != "" {
		for _, c := range ruleColumns {
			sel += ", dr." + c + " AS rule_" + c
		}
		sel += ", (" + s.calendarDaysSQL() + ") AS calendar_days"
		joins += " LEFT JOIN deadline_rules dr ON dr.code = ?"
		args = append(args, rule)
	}
	if key != "" {
		sel += ", k.scope AS key_scope, k.request_hash AS key_request_hash, k.resource_id AS key_resource_id"
		joins += " LEFT JOIN idempotency_keys k ON k.user_id = ? AND k.idem_key = ?"
		args = append(args, actor.UserID, key)
	}
	err := s.conn(ctx).Raw(`SELECT c.id AS commune_id, c.level AS commune_level, c.path AS commune_path, c.slug AS commune_slug,
			c.remote AS commune_remote, c.valid_to IS NULL AS commune_live,
			h.id AS hamlet_id, h.level AS hamlet_level, h.parent_id AS hamlet_parent_id, h.valid_to IS NULL AS hamlet_live,
			t.id AS topic_id, t.active AS topic_active, t.response_days AS topic_response_days`+sel+`
		FROM (SELECT 1 AS one) x
		LEFT JOIN units c ON c.id = ?
		LEFT JOIN units h ON h.id = ?
		LEFT JOIN topics t ON `+topicCond+joins, args...).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return &newPlace{}, err
	}
	r, out := rows[0], &newPlace{}
	if r.CommuneID != nil && (actor.Sees(r.CommunePath) || *r.CommuneID == actor.UnitID) {
		out.commune = &Unit{ID: *r.CommuneID, Level: Level(r.CommuneLevel), Path: r.CommunePath, Slug: r.CommuneSlug, Remote: r.CommuneRemote}
		if !r.CommuneLive {
			out.commune.ValidTo = new(Date)
		}
	}
	if r.HamletID != nil {
		out.hamlet = &Unit{ID: *r.HamletID, Level: Level(r.HamletLevel), ParentID: r.HamletParentID}
		if !r.HamletLive {
			out.hamlet.ValidTo = new(Date)
		}
	}
	if r.TopicID != nil {
		out.topic = &Topic{ID: *r.TopicID, Active: r.TopicActive, ResponseDays: r.TopicResponseDays}
	}
	if r.Rule.Code != "" {
		out.rule, out.workdays = &r.Rule, workdaysOf(r.CalendarDays)
	}
	if r.KeyScope != nil {
		out.key = &idempotencyKey{UserID: actor.UserID, IdemKey: key, Scope: *r.KeyScope, ResourceID: *r.KeyResourceID}
		if r.KeyRequestHash != nil {
			out.key.RequestHash = *r.KeyRequestHash
		}
	}
	return out, nil
}

// checkPetitionTopic checks the topic petitionPlace found: named, existing and active.
func checkPetitionTopic(v *ValidationError, id *int64, code string, t *Topic) bool {
	switch {
	case id == nil && strings.TrimSpace(code) == "":
		v.Add("topic_id", msgRequired)
		return false
	case t == nil || !t.Active:
		v.Add("topic_id", msgUnknownTopic)
		return false
	}
	return true
}

// petitionTopic resolves the topic by id or code; it must be active.
func (s *Store) petitionTopic(ctx context.Context, v *ValidationError, id *int64, code string) (*Topic, bool) {
	var (
		t   *Topic
		err error
	)
	switch {
	case id != nil:
		t, err = s.Topic(ctx, *id)
	case strings.TrimSpace(code) != "":
		t, err = s.TopicByCode(ctx, code)
	}
	if err != nil {
		t = nil
	}
	return t, checkPetitionTopic(v, id, code, t)
}

// heldDialogueStart returns when a held dialogue of the commune started; petitions may only be
// logged against a dialogue that took place and is not yet closed.
func (s *Store) heldDialogueStart(ctx context.Context, dialogueID, communeID int64) (time.Time, error) {
	var row struct{ StartsAt time.Time }
	res := s.conn(ctx).Table("dialogues").Select("starts_at").
		Where("id = ? AND commune_id = ? AND status = ?", dialogueID, communeID, DialogueHeld).Limit(1).Scan(&row)
	if res.Error != nil {
		return time.Time{}, res.Error
	}
	if res.RowsAffected == 0 {
		return time.Time{}, ErrNotFound
	}
	return row.StartsAt, nil
}

// petitionRecord is a petition as its rules read it: the row, the paths of its commune and
// hamlet (who may see it and its petitioner) and its topic's response days (its default due date).
type petitionRecord struct {
	Petition
	CommunePath       string
	HamletPath        string
	TopicResponseDays int
	// CommuneRemote tells whether the commune is in a remote and difficult area.
	CommuneRemote bool
	// HasLinked tells whether other petitions are linked to it (links.go).
	HasLinked bool
	// NamedUnit* is the unit a move names as responsible, when recordWith asked for it.
	NamedUnitID   *int64
	NamedUnitPath string
	NamedUnitName string
	// Rule and CalendarDays are a deadline rule and the calendar's decisions, when recordWith
	// asked for them (calendarDaysSQL).
	Rule         DeadlineRule `gorm:"embedded;embeddedPrefix:rule_"`
	CalendarDays *string
}

// petitionRecord loads a petition with what its rules need, in one statement, and checks that
// the actor may see it: its hamlet lies in the actor's subtree. It also tells whether the actor
// sees its commune (for the petitioner rules).
func (s *Store) petitionRecord(ctx context.Context, actor Actor, id int64) (*petitionRecord, bool, error) {
	return s.petitionRecordWith(ctx, actor, id, recordWith{})
}

// recordWith asks petitionRecordWith to read, in the same statement, what a move will need: the
// unit it names as responsible, and a deadline rule with the working-day calendar's decisions.
type recordWith struct {
	unitID *int64
	rule   string
}

// ruleColumns are deadline_rules' columns, read beside a petition as rule_<column>.
var ruleColumns = []string{"code", "kind", "channel", "step", "counts_from", "days", "working", "complex_days", "remote_days",
	"remote_complex_days", "max_extensions", "extension_days", "name_vi", "name_en", "legal_basis", "measure", "version", "updated_at"}

// petitionRecordWith is petitionRecord reading also what w asks for.
func (s *Store) petitionRecordWith(ctx context.Context, actor Actor, id int64, w recordWith) (*petitionRecord, bool, error) {
	if w == (recordWith{}) {
		return s.plainPetitionRecord(ctx, actor, id)
	}
	var rows []petitionRecord
	sel := "petitions.*, c.path AS commune_path, c.remote AS commune_remote, h.path AS hamlet_path, t.response_days AS topic_response_days, " +
		"EXISTS (SELECT 1 FROM petitions f WHERE f.main_id = petitions.id) AS has_linked"
	q := s.conn(ctx).Table("petitions").
		Joins("JOIN units c ON c.id = petitions.commune_id").
		Joins("JOIN units h ON h.id = petitions.hamlet_id").
		Joins("JOIN topics t ON t.id = petitions.topic_id")
	if w.unitID != nil {
		sel += ", ru.id AS named_unit_id, ru.path AS named_unit_path, ru.name AS named_unit_name"
		q = q.Joins("LEFT JOIN units ru ON ru.id = ?", *w.unitID)
	}
	if w.rule != "" {
		for _, c := range ruleColumns {
			sel += ", dr." + c + " AS rule_" + c
		}
		sel += ", (" + s.calendarDaysSQL() + ") AS calendar_days"
		q = q.Joins("LEFT JOIN deadline_rules dr ON dr.code = ?", w.rule)
	}
	err := q.Select(sel).Where("petitions.id = ?", id).Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, false, err
	}
	return seenRecord(actor, rows)
}

// plainRecordColumns are the columns of a petitionRecord without what a move asks for
// (recordWith): every column of the petition and what its rules need.
const plainRecordColumns = petitionListColumns + `, petitions.search_text, petitions.petitioner_former,
	c.path AS commune_path, c.remote AS commune_remote, h.path AS hamlet_path, t.response_days AS topic_response_days,
	EXISTS (SELECT 1 FROM petitions f WHERE f.main_id = petitions.id) AS has_linked`

// plainFields are the destinations of plainRecordColumns in r, in their order, appended to
// into.
func (r *petitionRecord) plainFields(into []any) []any {
	return append(r.listFields(into), &r.SearchText, &r.PetitionerFormer,
		&r.CommunePath, &r.CommuneRemote, &r.HamletPath, &r.TopicResponseDays, &r.HasLinked)
}

// plainPetitionRecord is petitionRecordWith asking for nothing more, the record scanned
// straight into its fields: the petition's page reads it on every view.
func (s *Store) plainPetitionRecord(ctx context.Context, actor Actor, id int64) (*petitionRecord, bool, error) {
	rows, err := findFixed(ctx, s, "petition-record", []any{id}, func(q *gorm.DB) *gorm.DB {
		return q.Table("petitions").
			Joins("JOIN units c ON c.id = petitions.commune_id").
			Joins("JOIN units h ON h.id = petitions.hamlet_id").
			Joins("JOIN topics t ON t.id = petitions.topic_id").
			Select(plainRecordColumns).Where("petitions.id = ?", id).Limit(1)
	}, (*petitionRecord).plainFields)
	if err != nil {
		return nil, false, err
	}
	return seenRecord(actor, rows)
}

// seenRecord returns the record read, if the actor may see it, and whether the actor sees its
// commune.
func seenRecord(actor Actor, rows []petitionRecord) (*petitionRecord, bool, error) {
	if len(rows) == 0 || !actor.Sees(rows[0].HamletPath) {
		return nil, false, ErrNotFound
	}
	r := &rows[0]
	// Users of the commune the hamlet now belongs to know the petitioner too, whichever commune
	// the petition was made in.
	return r, actor.Sees(r.CommunePath) || actor.Sees(parentPath(r.HamletPath)), nil
}

// petitionRow is petitionRecord for callers that need only the petition.
func (s *Store) petitionRow(ctx context.Context, actor Actor, id int64) (*Petition, bool, error) {
	r, seesCommune, err := s.petitionRecord(ctx, actor, id)
	if err != nil {
		return nil, false, err
	}
	return &r.Petition, seesCommune, nil
}

// Petition returns one petition the actor may see, with the transitions the actor may make.
func (s *Store) Petition(ctx context.Context, actor Actor, id int64) (*Petition, error) {
	p, seesCommune, err := s.petitionRow(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	p.finish(actor, seesCommune, s.today())
	return p, nil
}

// TransitionInput moves a petition to another state, with the fields the target needs.
type TransitionInput struct {
	To      string `json:"to"`
	Version *int   `json:"version"`
	Note    string `json:"note"`
	// Responsible names who handles it (assigned, referred): a unit or an outside agency. It
	// takes precedence over ResponsibleUnitID, and over ResponsibleName when it names a unit.
	Responsible       *ResponsibleRef `json:"responsible"`
	ResponsibleUnitID *int64          `json:"responsible_unit_id"`
	ResponsibleName   string          `json:"responsible_name"`
	// AssigneeID names the officer of the commune an assignment goes to (assignees.go).
	AssigneeID *int64 `json:"assignee_id"`
	// OccurredAt is when the move happened, for records typed up later (paper.go); default now.
	OccurredAt *time.Time `json:"occurred_at"`
	// DueOn overrides the default due date (today + the topic's response days).
	DueOn string `json:"due_on"`
	// Answer is the published answer (answered); empty publishes the saved draft, or else the
	// on-site answer.
	Answer       string `json:"answer"`
	Reason       string `json:"reason"`
	DuplicateOf  *int64 `json:"duplicate_of"`
	Satisfaction string `json:"satisfaction"`
}

// ResponsibleRef names who handles a petition in one value: a unit id (a number) or the
// name of an outside agency (a string).
type ResponsibleRef struct {
	UnitID *int64
	Name   string
}

// UnmarshalJSON reads a number as a unit id and a string as an agency name.
func (r *ResponsibleRef) UnmarshalJSON(b []byte) error {
	var id int64
	if err := json.Unmarshal(b, &id); err == nil {
		r.UnitID = &id
		return nil
	}
	return json.Unmarshal(b, &r.Name)
}

// responsible returns the unit and the agency name the input names, Responsible first.
func (in TransitionInput) responsible() (*int64, string) {
	unitID, name := in.ResponsibleUnitID, in.ResponsibleName
	if r := in.Responsible; r != nil {
		if r.UnitID != nil {
			unitID = r.UnitID
		} else if name == "" {
			name = r.Name
		}
	}
	return unitID, name
}

// illegalTransition is the conflict of a move the machine refuses, listing what the actor may do
// (p is finished for the actor).
func illegalTransition(p *Petition, to PetitionState) error {
	return &ConflictError{
		Reason: "illegal_transition",
		Message: Msg(fmt.Sprintf("Không thể chuyển ý kiến từ trạng thái %s sang %s.", p.State, to),
			fmt.Sprintf("A petition cannot go from %s to %s.", p.State, to)),
		Details: map[string]any{"current": p, "state": p.State, "requested": to, "allowed": p.AllowedTransitions},
	}
}

// TransitionPetition moves a petition along its lifecycle, enforcing the machine of DESIGN.md §4
// and who may do what, and records the change in the petition's history. It reads the petition
// once (with what its rules need), checks in memory, writes one update that returns the stored
// row, and appends one event.
func (s *Store) TransitionPetition(ctx context.Context, actor Actor, id int64, in TransitionInput) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var with recordWith
		if to := PetitionState(in.To); to == StateAssigned || to == StateReferred {
			with.unitID, _ = in.responsible()
			with.rule = RuleTopic
		}
		r, seesCommune, err := s.petitionRecordWith(ctx, actor, id, with)
		if err != nil {
			return err
		}
		p, today := &r.Petition, s.today()
		to, err := checkPetitionMove(actor, p, in, seesCommune, today)
		if err != nil {
			return err
		}
		v := &ValidationError{}
		note := noteField(v, "note", in.Note)
		now := s.now()
		when := petitionMoveTime(v, p, in.OccurredAt, now)
		updates := map[string]any{"state": to, "state_type": to.Type(), "updated_at": now}
		data := map[string]any{}
		switch to {
		case StateAssigned, StateReferred:
			err = s.responsibleUpdates(ctx, v, r, in, calendar.DateOf(when), updates, data)
		case StateAnswered:
			if err = s.answerUpdates(ctx, v, actor, p, in, when, updates, data); err == nil && in.OccurredAt == nil {
				err = s.onSpotAnswer(ctx, p, updates, now)
			}
		case StateResolved, StateClosed:
			s.closingUpdates(ctx, v, actor, p, in, to, when, updates, data)
		case StateReopened:
			if note == "" {
				v.Add("note", Msg("Hãy ghi lý do mở lại.", "Say why the petition is reopened."))
			}
			updates["resolved_at"], updates["closed_at"], updates["close_reason"] = nil, nil, nil
			updates["duplicate_of"], updates["satisfaction"] = nil, nil
		}
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		receptionMet(p, updates)
		ev, err := s.eventRow(petitionLog, actor, p.ID, EventTransition, string(p.State), string(to), note, data, moveEventTime(to, updates, when, now))
		if err != nil {
			return err
		}
		stored, err := s.writePetitionLogged(ctx, actor, p, seesCommune, today, updates, ev)
		if err != nil {
			return err
		}
		out = stored
		if err := s.followMain(ctx, actor, stored, r.HasLinked); err != nil {
			return err
		}
		if err := s.noticeTransition(ctx, actor, stored); err != nil {
			return err
		}
		return s.moveRollup(ctx, p, stored)
	})
	return out, failed(err, "transition petition %d to %s", id, in.To)
}

// checkPetitionMove checks a requested move against the machine, the version and who may do
// what, computing the legal targets once; a refusal carries the petition as the actor may see it.
func checkPetitionMove(a Actor, p *Petition, in TransitionInput, seesCommune bool, today Date) (PetitionState, error) {
	to := PetitionState(in.To)
	if !to.Valid() {
		return "", FieldError("to", Msg("Trạng thái đích không hợp lệ.", "Unknown target state."))
	}
	if in.Version == nil {
		return "", FieldError("version", msgRequired)
	}
	if err := p.staleFor(*in.Version, a, seesCommune, today); err != nil {
		return "", err
	}
	if !slices.Contains(legalTargets(p), to) {
		p.finish(a, seesCommune, today)
		return "", illegalTransition(p, to)
	}
	if !mayMove(a, p, to) {
		return "", ErrForbidden
	}
	return to, nil
}

// writePetition writes the columns of a change with the next version, if the petition is still
// at the version p was read at, and returns the row as stored, finished for the actor: the
// update returns it, so nothing is read again.
func (s *Store) writePetition(ctx context.Context, a Actor, p *Petition, seesCommune bool, today Date, updates map[string]any) (*Petition, error) {
	stored, err := s.writePetitionLogged(ctx, a, p, seesCommune, today, updates, sqlPart{})
	if err != nil {
		return nil, err
	}
	return stored, s.moveRollup(ctx, p, stored)
}

// writePetitionLogged is writePetition appending also ev, the event that records the change (a
// statement of eventRow): on PostgreSQL in the update's own statement, on SQLite after it. A
// stale version writes neither (the caller's transaction rolls the event back). It leaves the
// report rollups to the caller, to move last (moveRollup).
func (s *Store) writePetitionLogged(ctx context.Context, a Actor, p *Petition, seesCommune bool, today Date, updates map[string]any, ev sqlPart) (*Petition, error) {
	updates["version"] = p.Version + 1
	columns := make([]string, 0, len(updates))
	for c := range updates {
		columns = append(columns, c)
	}
	slices.Sort(columns)
	var b strings.Builder
	var args []any
	inline := ev.sql != "" && s.dialect == Postgres
	if inline {
		b.WriteString("WITH e AS (" + ev.sql + ") ")
		args = append(args, ev.args...)
	}
	b.WriteString("UPDATE petitions SET ")
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c + " = ?")
		args = append(args, updates[c])
	}
	b.WriteString(" WHERE id = ? AND version = ? RETURNING *")
	var rows []Petition
	if err := s.conn(ctx).Raw(b.String(), append(args, p.ID, p.Version)...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		p.finish(a, seesCommune, today)
		return nil, StaleVersion(p)
	}
	stored := &rows[0]
	if ev.sql != "" && !inline {
		if err := s.conn(ctx).Exec(ev.sql, ev.args...).Error; err != nil {
			return nil, err
		}
	}
	stored.finish(a, seesCommune, today)
	return stored, nil
}

// answerUpdates publishes the answer: the one given, else the saved draft, else the on-site answer.
func (s *Store) answerUpdates(ctx context.Context, v *ValidationError, actor Actor, p *Petition, in TransitionInput, now time.Time, updates, data map[string]any) error {
	answer := strings.TrimSpace(in.Answer)
	if answer == "" {
		answer = p.AnswerDraft
	}
	if answer == "" {
		answer = p.OnsiteAnswer // answered on the spot: the on-site answer is the answer
	}
	if n := runeLen(answer); n < 1 || n > 4000 {
		v.Add("answer", msgAnswerLength)
	}
	onSpot, err := s.answeredAtTheDialogue(ctx, p)
	if err != nil {
		return err
	}
	// The petition as it will be, for its search text; p stays as read (the rollup moves from it).
	next := *p
	if onSpot {
		next.OnsiteAnswer = answer
		updates["onsite_answer"] = answer
	}
	next.Answer = answer
	updates["answer"], updates["answer_draft"] = answer, answer
	updates["answered_at"], updates["answered_by"] = now, actor.UserID
	if p.FirstAnsweredAt == nil {
		updates["first_answered_at"] = now
	}
	updates["search_text"] = petitionSearchText(&next)
	data["answer"] = answer
	return nil
}

// closingUpdates records how a petition ends (resolved, or closed with a reason) and the
// petitioner's satisfaction.
func (s *Store) closingUpdates(ctx context.Context, v *ValidationError, actor Actor, p *Petition, in TransitionInput, to PetitionState, now time.Time, updates, data map[string]any) {
	sat := Satisfaction(in.Satisfaction)
	if in.Satisfaction == "" {
		sat = SatisfactionUnknown
	}
	if !sat.Valid() {
		v.Add("satisfaction", Msg("Mức độ hài lòng phải là very_satisfied, satisfied, not_satisfied hoặc unknown.",
			"The satisfaction must be very_satisfied, satisfied, not_satisfied or unknown."))
	}
	updates["satisfaction"], data["satisfaction"] = sat, sat
	if to == StateResolved {
		updates["resolved_at"] = now
		return
	}
	updates["closed_at"] = now
	reason := CloseReason(in.Reason)
	if !reason.Valid() {
		v.Add("reason", Msg("Lý do đóng phải là explained, duplicate, not_competent hoặc withdrawn.",
			"The reason must be explained, duplicate, not_competent or withdrawn."))
	}
	updates["close_reason"], data["reason"] = reason, reason
	if reason == ReasonDuplicate {
		s.duplicateUpdates(ctx, v, actor, p, in.DuplicateOf, updates, data)
	}
}

// answeredAtTheDialogue tells whether an answer published now is the on-site answer: the
// petition goes straight from received to answered (DESIGN.md §4: answered on the spot) while
// the dialogue it was raised at is still being held, and no on-site answer was written down yet.
// The minutes and the reports then count it as answered on the spot.
func (s *Store) answeredAtTheDialogue(ctx context.Context, p *Petition) (bool, error) {
	if p.State != StateReceived || p.DialogueID == nil || strings.TrimSpace(p.OnsiteAnswer) != "" {
		return false, nil
	}
	var n int64
	err := s.conn(ctx).Table("dialogues").Where("id = ? AND status = ?", *p.DialogueID, "held").Count(&n).Error
	return n == 1, err
}

// responsibleUpdates validates who handles the petition and its due date (assigned, referred).
// Assigning needs a due date: the one given, else today plus the topic's response days.
func (s *Store) responsibleUpdates(ctx context.Context, v *ValidationError, r *petitionRecord, in TransitionInput, today Date, updates, data map[string]any) error {
	p := &r.Petition
	unitID, name := in.responsible()
	name = strings.TrimSpace(name)
	if a, err := s.assigneeUpdates(ctx, v, p, in, updates, data); err != nil {
		return err
	} else if a != nil && unitID == nil && name == "" {
		unitID, name = &p.CommuneID, a.Name
	}
	switch {
	case unitID != nil:
		u, err := s.namedUnit(ctx, r, *unitID)
		// The commune itself, one of its hamlets, or a unit above it (referral to the district).
		if err != nil || !(strings.HasPrefix(u.Path, r.CommunePath) || strings.HasPrefix(r.CommunePath, u.Path)) {
			v.Add("responsible", Msg("Đơn vị xử lý không hợp lệ.", "The responsible unit is not valid."))
			return nil
		}
		if name == "" {
			name = u.Name
		}
		updates["responsible_unit_id"], data["responsible_unit_id"] = u.ID, u.ID
	case name != "":
		updates["responsible_unit_id"] = nil
	default:
		v.Add("responsible", Msg("Hãy chọn đơn vị hoặc ghi tên cơ quan xử lý.", "Name the responsible unit or agency."))
		return nil
	}
	if runeLen(name) > 200 {
		v.Add("responsible", Msg("Tên cơ quan xử lý dài tối đa 200 ký tự.", "The agency name is at most 200 characters."))
	}
	updates["responsible_name"], data["responsible_name"] = name, name
	switch {
	case in.DueOn != "":
		d, ok := dateField(v, "due_on", in.DueOn)
		if !ok {
			return nil
		}
		if d < today {
			v.Add("due_on", msgPastDue)
			return nil
		}
		rule, err := s.deadlineRule(ctx, RuleManual)
		if err != nil {
			return err
		}
		deadline{due: d, rule: rule}.set(updates, data)
	case lawClock(p), p.DueOn != nil && p.State != StateReceived && p.State != StateReopened:
		updates["due_on"], data["due_on"] = *p.DueOn, *p.DueOn
	default:
		rule, w := &r.Rule, workdaysOf(r.CalendarDays)
		if rule.Code != RuleTopic {
			var err error
			if rule, w, err = s.deadlineRuleAndDays(ctx, RuleTopic); err != nil {
				return err
			}
		}
		deadline{due: rule.Due(w, today, rule.limit(ComplexityNormal, false, r.TopicResponseDays)), rule: rule}.set(updates, data)
	}
	return nil
}

// namedUnit is the unit a move names as responsible: read with the petition when it asked for
// it (recordWith), else now.
func (s *Store) namedUnit(ctx context.Context, r *petitionRecord, id int64) (*Unit, error) {
	if r.NamedUnitID != nil && *r.NamedUnitID == id {
		return &Unit{ID: id, Path: r.NamedUnitPath, Name: r.NamedUnitName}, nil
	}
	return s.unitByID(ctx, id)
}

// duplicateUpdates checks the original a duplicate points to: another petition of the same commune.
func (s *Store) duplicateUpdates(ctx context.Context, v *ValidationError, actor Actor, p *Petition, dupOf *int64, updates, data map[string]any) {
	if dupOf == nil {
		v.Add("duplicate_of", Msg("Hãy chọn ý kiến gốc bị trùng.", "Name the original petition."))
		return
	}
	orig, _, err := s.petitionRow(ctx, actor, *dupOf)
	if err != nil || orig.CommuneID != p.CommuneID || orig.ID == p.ID {
		v.Add("duplicate_of", Msg("Ý kiến gốc phải là một ý kiến khác của cùng xã.", "The original must be another petition of the same commune."))
		return
	}
	updates["duplicate_of"], data["duplicate_of"] = orig.ID, orig.ID
}

// AnswerDraft is a draft answer to a petition and the version the writer saw.
type AnswerDraft struct {
	Text    string `json:"text"`
	Version *int   `json:"version"`
}

// DraftAnswer saves a draft answer; the chair's answered transition publishes it.
func (s *Store) DraftAnswer(ctx context.Context, actor Actor, id int64, in AnswerDraft) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !mayDraftAnswer(actor, p) {
			if p.State.Type() != TypeOpen && actor.Can(PermPetitionsProcess) {
				return &ConflictError{Reason: "petition_not_open",
					Message: Msg("Ý kiến đã được giải quyết hoặc đóng.", "The petition is no longer open.")}
			}
			return ErrForbidden
		}
		text := strings.TrimSpace(in.Text)
		if n := runeLen(text); n < 1 || n > 4000 {
			return FieldError("text", msgAnswerLength)
		}
		if in.Version == nil {
			return FieldError("version", msgRequired)
		}
		today := s.today()
		if err := p.staleFor(*in.Version, actor, seesCommune, today); err != nil {
			return err
		}
		ev, err := s.eventRow(petitionLog, actor, p.ID, EventAnswerDrafted, "", "", "", map[string]any{"answer": text}, nil)
		if err != nil {
			return err
		}
		if out, err = s.writePetitionLogged(ctx, actor, p, seesCommune, today, map[string]any{"answer_draft": text, "updated_at": s.now()}, ev); err != nil {
			return err
		}
		return s.moveRollup(ctx, p, out)
	})
	return out, failed(err, "draft answer to petition %d", id)
}

// DueDateChange is a new due date for a petition, why, and the version the writer saw.
type DueDateChange struct {
	DueOn   string `json:"due_on"`
	Note    string `json:"note"`
	Version *int   `json:"version"`
}

// ChangeDueDate moves the due date of an open petition: commune staff on any, district officials
// on referred ones.
func (s *Store) ChangeDueDate(ctx context.Context, actor Actor, id int64, in DueDateChange) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !mayChangeDueDate(actor, p) {
			if p.State.Type() != TypeOpen && (actor.Can(PermPetitionsProcess) || actor.Can(PermPetitionsFollowReferred)) {
				return &ConflictError{Reason: "petition_not_open",
					Message: Msg("Ý kiến đã được giải quyết hoặc đóng.", "The petition is no longer open.")}
			}
			return ErrForbidden
		}
		v := &ValidationError{}
		today := s.today()
		d, ok := dateField(v, "due_on", in.DueOn)
		if ok && d < today {
			v.Add("due_on", msgPastDue)
		}
		note := noteField(v, "note", in.Note)
		if in.Version == nil {
			v.Add("version", msgRequired)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := p.staleFor(*in.Version, actor, seesCommune, today); err != nil {
			return err
		}
		from := dueText(p.DueOn)
		rule, err := s.deadlineRule(ctx, RuleManual)
		if err != nil {
			return err
		}
		updates := map[string]any{"updated_at": s.now()}
		deadline{due: d, rule: rule}.set(updates, map[string]any{})
		ev, err := s.eventRow(petitionLog, actor, p.ID, EventDueChanged, from, string(d), note, nil, nil)
		if err != nil {
			return err
		}
		if out, err = s.writePetitionLogged(ctx, actor, p, seesCommune, today, updates, ev); err != nil {
			return err
		}
		return s.moveRollup(ctx, p, out)
	})
	return out, failed(err, "change due date of petition %d", id)
}

// PetitionNote is a note for a petition's history.
type PetitionNote struct {
	Note string `json:"note"`
}

// AddPetitionNote records a note in the petition's history; it changes nothing else.
func (s *Store) AddPetitionNote(ctx context.Context, actor Actor, id int64, in PetitionNote) (*PetitionEvent, error) {
	if !actor.Can(PermPetitionsNote) {
		return nil, ErrForbidden
	}
	var out *PetitionEvent
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, _, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		note := strings.TrimSpace(in.Note)
		if n := runeLen(note); n < 1 || n > 2000 {
			return FieldError("note", Msg("Ghi chú từ 1 đến 2000 ký tự.", "The note is 1 to 2000 characters."))
		}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventNote, "", "", note, nil); err != nil {
			return err
		}
		events, err := s.petitionEvents(ctx, p.ID)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			return errors.New("note not recorded")
		}
		out = &events[len(events)-1]
		return nil
	})
	return out, failed(err, "add note to petition %d", id)
}
