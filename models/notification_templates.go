package models

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// NotificationTemplate is the wording of the message of one event on one channel. An admin's
// row overrides the built-in Vietnamese text. For Zalo, ZaloTemplateID names the template Zalo
// approved and the body's placeholders are its parameters.
type NotificationTemplate struct {
	Event          NoticeEvent   `json:"event" gorm:"primaryKey"`
	Channel        NotifyChannel `json:"channel" gorm:"primaryKey"`
	Subject        string        `json:"subject"`
	Body           string        `json:"body"`
	ZaloTemplateID string        `json:"zalo_template_id"`
	Version        int           `json:"version"`
	UpdatedBy      *int64        `json:"updated_by"`
	UpdatedAt      time.Time     `json:"updated_at"`
	// Custom tells whether an admin changed the built-in text.
	Custom bool `json:"custom" gorm:"-"`
	// Limit is the most characters the channel carries, placeholders filled in.
	Limit int `json:"limit" gorm:"-"`
	// Placeholders lists the {names} the event fills in.
	Placeholders []string `json:"placeholders" gorm:"-"`
}

// TableName is the table of the admins' templates.
func (NotificationTemplate) TableName() string { return "notification_templates" }

// placeholdersOf lists the values each event fills in.
var placeholdersOf = map[NoticeEvent][]string{
	NoticeReceived: {"reference", "commune", "link", "optout"},
	NoticeAnswered: {"reference", "commune", "link", "optout", "answer"},
	NoticeClosed:   {"reference", "commune", "link", "optout"},
	NoticeAssigned: {"reference", "commune", "link", "responsible", "due", "content"},
	NoticeDigest:   {"day", "due_soon", "late", "list", "link"},
}

type templateKey struct {
	e  NoticeEvent
	ch NotifyChannel
}

// defaultTemplates is the built-in Vietnamese wording. Officials are told by e-mail, and by SMS
// when they chose it: one GSM segment, written without diacritics (OfficialSMSLimit).
var defaultTemplates = map[templateKey]NotificationTemplate{
	{NoticeReceived, NotifySMS}:  {Body: "UBND {commune} đã tiếp nhận ý kiến {reference}. Theo dõi: {link} Từ chối nhận tin: {optout}"},
	{NoticeReceived, NotifyZalo}: {Body: "UBND {commune} đã tiếp nhận ý kiến {reference} của ông/bà. Theo dõi kết quả tại {link}"},
	{NoticeReceived, NotifyEmail}: {Subject: "Đã tiếp nhận ý kiến {reference}",
		Body: "Kính gửi ông/bà,\n\nỦy ban nhân dân {commune} đã tiếp nhận ý kiến của ông/bà, mã số {reference}.\n" +
			"Ông/bà theo dõi kết quả xử lý tại: {link}\n\nKhông muốn nhận thông báo nữa: {optout}\n"},
	{NoticeAnswered, NotifySMS}:  {Body: "UBND {commune} đã trả lời ý kiến {reference}: {answer} Xem: {link} Từ chối nhận tin: {optout}"},
	{NoticeAnswered, NotifyZalo}: {Body: "UBND {commune} đã trả lời ý kiến {reference}: {answer} Xem tại {link}"},
	{NoticeAnswered, NotifyEmail}: {Subject: "Đã có trả lời ý kiến {reference}",
		Body: "Kính gửi ông/bà,\n\nỦy ban nhân dân {commune} đã trả lời ý kiến {reference}:\n\n{answer}\n\n" +
			"Xem tại: {link}\n\nKhông muốn nhận thông báo nữa: {optout}\n"},
	{NoticeClosed, NotifySMS}:  {Body: "UBND {commune} đã đóng ý kiến {reference}. Chi tiết: {link}"},
	{NoticeClosed, NotifyZalo}: {Body: "UBND {commune} đã đóng ý kiến {reference}. Chi tiết tại {link}"},
	{NoticeClosed, NotifyEmail}: {Subject: "Ý kiến {reference} đã đóng",
		Body: "Kính gửi ông/bà,\n\nỦy ban nhân dân {commune} đã đóng ý kiến {reference}.\nChi tiết: {link}\n\n" +
			"Không muốn nhận thông báo nữa: {optout}\n"},
	{NoticeAssigned, NotifyEmail}: {Subject: "Được giao xử lý ý kiến {reference}",
		Body: "Ý kiến {reference} của {commune} được giao cho {responsible}, hạn xử lý {due}.\n\n{content}\n\n{link}\n"},
	{NoticeAssigned, NotifySMS}: {Body: "PAPI {commune}: y kien {reference} giao {responsible}, han {due}. Xem {link}"},
	{NoticeDigest, NotifySMS}:   {Body: "PAPI ngay {day}: {due_soon} y kien sap den han, {late} y kien qua han. Xem {link}"},
	{NoticeDigest, NotifyEmail}: {Subject: "Ý kiến sắp đến hạn và quá hạn ngày {day}",
		Body: "Ngày {day}: {due_soon} ý kiến sắp đến hạn, {late} ý kiến quá hạn.\n\n{list}\n"},
}

// OfficialSMSLimit is the length of an official's SMS: one segment of the GSM 7-bit alphabet,
// so the text goes without diacritics (PlainSMS). Residents' SMS keep their Vietnamese letters
// over several Unicode segments (NotifyChannel.Limit).
const OfficialSMSLimit = 160

// plainSMS tells whether the message of (e, ch) goes as one plain GSM segment: an official's SMS.
func plainSMS(e NoticeEvent, ch NotifyChannel) bool { return ch == NotifySMS && !e.ForResident() }

// templateLimit is the most characters the message of (e, ch) may carry.
func templateLimit(e NoticeEvent, ch NotifyChannel) int {
	if plainSMS(e, ch) {
		return OfficialSMSLimit
	}
	return ch.Limit()
}

// finishTemplate fills in what is never stored.
func finishTemplate(t *NotificationTemplate, custom bool) {
	t.Custom, t.Limit, t.Placeholders = custom, templateLimit(t.Event, t.Channel), placeholdersOf[t.Event]
}

// template returns the wording of (e, ch): the admin's, else the built-in one.
func (s *Store) template(ctx context.Context, e NoticeEvent, ch NotifyChannel) (*NotificationTemplate, error) {
	var t NotificationTemplate
	err := s.conn(ctx).Where("event = ? AND channel = ?", string(e), string(ch)).First(&t).Error
	switch {
	case err == nil:
		finishTemplate(&t, true)
		return &t, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	d, ok := defaultTemplates[templateKey{e, ch}]
	if !ok {
		return nil, ErrNotFound
	}
	d.Event, d.Channel, d.Version = e, ch, 0
	finishTemplate(&d, false)
	return &d, nil
}

// NotificationTemplates lists the wording of every message, for an admin to edit.
func (s *Store) NotificationTemplates(ctx context.Context, actor Actor) ([]NotificationTemplate, error) {
	if !actor.Can(PermNotificationsManage) {
		return nil, ErrForbidden
	}
	out := []NotificationTemplate{}
	for k := range defaultTemplates {
		t, err := s.template(ctx, k.e, k.ch)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	order := map[NoticeEvent]int{}
	for i, e := range NoticeEvents() {
		order[e] = i
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Event != out[j].Event {
			return order[out[i].Event] < order[out[j].Event]
		}
		return out[i].Channel < out[j].Channel
	})
	return out, nil
}

// TemplateInput is an admin's new wording of a message.
type TemplateInput struct {
	Subject        string
	Body           string
	ZaloTemplateID string
	Version        *int
}

var placeholderPattern = regexp.MustCompile(`\{([a-z_]+)\}`)

// UpdateNotificationTemplate saves an admin's wording of (e, ch): known placeholders only,
// within the channel's length, and for Zalo the id of the approved template.
func (s *Store) UpdateNotificationTemplate(ctx context.Context, actor Actor, e NoticeEvent, ch NotifyChannel, in TemplateInput) (*NotificationTemplate, error) {
	if !actor.Can(PermNotificationsManage) {
		return nil, ErrForbidden
	}
	var out *NotificationTemplate
	err := s.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.template(ctx, e, ch)
		if err != nil {
			return err
		}
		v := &ValidationError{}
		body, subject := strings.TrimSpace(in.Body), strings.TrimSpace(in.Subject)
		checkTemplateText(v, "body", body, e, templateLimit(e, ch))
		if ch == NotifyEmail {
			checkTemplateText(v, "subject", subject, e, 200)
		} else {
			subject = ""
		}
		zid := strings.TrimSpace(in.ZaloTemplateID)
		if ch == NotifyZalo && (zid == "" || len(zid) > 64) {
			v.Add("zalo_template_id", Msg("Hãy ghi mã mẫu tin Zalo đã được duyệt.", "Give the id of the approved Zalo template."))
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
		t := NotificationTemplate{Event: e, Channel: ch, Subject: subject, Body: body, ZaloTemplateID: zid,
			Version: cur.Version + 1, UpdatedBy: &actor.UserID, UpdatedAt: s.now()}
		if cur.Custom {
			res := s.conn(ctx).Model(&NotificationTemplate{}).Where("event = ? AND channel = ? AND version = ?", e, ch, cur.Version).
				Updates(map[string]any{"subject": t.Subject, "body": t.Body, "zalo_template_id": t.ZaloTemplateID,
					"version": t.Version, "updated_by": t.UpdatedBy, "updated_at": t.UpdatedAt})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return StaleVersion(cur)
			}
		} else if err := s.conn(ctx).Create(&t).Error; err != nil {
			if isUniqueViolation(err) {
				return StaleVersion(cur)
			}
			return err
		}
		finishTemplate(&t, true)
		out = &t
		return nil
	})
	return out, err
}

// checkTemplateText checks a template's text: not empty, within limit, known placeholders.
func checkTemplateText(v *ValidationError, field, text string, e NoticeEvent, limit int) {
	if n := runeLen(text); n < 1 || n > limit {
		v.Add(field, Msg("Nội dung mẫu tin từ 1 đến "+strconv.Itoa(limit)+" ký tự.", "The template is 1 to "+strconv.Itoa(limit)+" characters."))
		return
	}
	known := map[string]bool{}
	for _, p := range placeholdersOf[e] {
		known[p] = true
	}
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if !known[m[1]] {
			v.Add(field, Msg("Mẫu tin có chỗ điền không dùng được: {"+m[1]+"}.", "The template has an unknown placeholder: {"+m[1]+"}."))
			return
		}
	}
}

// render fills in the template within its limit: a long answer (or the responsible body's
// name) is shortened first, then the whole text; an official's SMS is written in plain GSM
// letters. It also returns the Zalo parameters: the placeholders the body uses.
func (t *NotificationTemplate) render(vars noticeVars) (subject, body string, params map[string]string) {
	plain := plainSMS(t.Event, t.Channel)
	fill := func(text string, vars noticeVars) string {
		out := placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
			return vars[m[1:len(m)-1]]
		})
		if plain {
			out = PlainSMS(out)
		}
		return out
	}
	limit := templateLimit(t.Event, t.Channel)
	body = fill(t.Body, vars)
	if over := utf8.RuneCountInString(body) - limit; over > 0 {
		for _, k := range []string{"answer", "responsible"} {
			if vars[k] == "" {
				continue
			}
			short := noticeVars{}
			for k, v := range vars {
				short[k] = v
			}
			if plain {
				over += 2 // the cut's "…" is written "..."
			}
			short[k] = fitRunes(vars[k], max(utf8.RuneCountInString(vars[k])-over, 1))
			vars = short
			body = fill(t.Body, vars)
			break
		}
	}
	if plain {
		body = fitPlain(body, limit)
	} else {
		body = fitRunes(body, limit)
	}
	params = map[string]string{}
	for _, m := range placeholderPattern.FindAllStringSubmatch(t.Body, -1) {
		params[m[1]] = vars[m[1]]
	}
	return fitRunes(fill(t.Subject, vars), 200), body, params
}
