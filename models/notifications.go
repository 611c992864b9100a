package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// NotifyChannel is how a message reaches a person.
type NotifyChannel string

// The channels a message may go by.
const (
	NotifyEmail NotifyChannel = "email"
	NotifySMS   NotifyChannel = "sms"
	NotifyZalo  NotifyChannel = "zalo"
)

// NotifyChannels lists every channel.
func NotifyChannels() []NotifyChannel { return []NotifyChannel{NotifyEmail, NotifySMS, NotifyZalo} }

// Valid tells whether c is a known channel.
func (c NotifyChannel) Valid() bool {
	return c == NotifyEmail || c == NotifySMS || c == NotifyZalo
}

// Limit is the most characters a message of the channel may carry: two Vietnamese (Unicode)
// SMS segments stay under 320, Zalo template messages under 400.
func (c NotifyChannel) Limit() int {
	switch c {
	case NotifySMS:
		return 320
	case NotifyZalo:
		return 400
	}
	return 4000
}

// NoticeEvent is what a message tells of.
type NoticeEvent string

// The events that cause messages.
const (
	// NoticeReceived tells a resident their petition was logged.
	NoticeReceived NoticeEvent = "received"
	// NoticeAnswered tells a resident an answer was published.
	NoticeAnswered NoticeEvent = "answered"
	// NoticeClosed tells a resident their petition was closed.
	NoticeClosed NoticeEvent = "closed"
	// NoticeAssigned tells an official a petition was assigned to their unit.
	NoticeAssigned NoticeEvent = "assigned"
	// NoticeDigest is the daily list of petitions due soon and late, for chairs and monitoring officials.
	NoticeDigest NoticeEvent = "digest"
)

// NoticeEvents lists every event, residents' first.
func NoticeEvents() []NoticeEvent {
	return []NoticeEvent{NoticeReceived, NoticeAnswered, NoticeClosed, NoticeAssigned, NoticeDigest}
}

// Valid tells whether e is a known event.
func (e NoticeEvent) Valid() bool {
	for _, x := range NoticeEvents() {
		if x == e {
			return true
		}
	}
	return false
}

// ForResident tells whether the event is told to the petitioner (else to officials).
func (e NoticeEvent) ForResident() bool {
	return e == NoticeReceived || e == NoticeAnswered || e == NoticeClosed
}

// The states of an outbox message.
const (
	NotificationPending   = "pending"
	NotificationSending   = "sending"
	NotificationSent      = "sent"
	NotificationFailed    = "failed"
	NotificationUnsent    = "unsent"
	NotificationCancelled = "cancelled"
)

// Notification is one message of the outbox: written with the change that causes it, delivered
// by the sender loop. Its IdempotencyKey is the same on every attempt.
type Notification struct {
	ID             int64         `json:"id"`
	IdempotencyKey string        `json:"idempotency_key"`
	Event          NoticeEvent   `json:"event"`
	Channel        NotifyChannel `json:"channel"`
	Recipient      string        `json:"-"`
	PetitionID     *int64        `json:"petition_id"`
	UserID         *int64        `json:"user_id"`
	Subject        string        `json:"subject"`
	Body           string        `json:"body"`
	TemplateID     string        `json:"template_id"`
	Params         string        `json:"-"`
	Status         string        `json:"status"`
	Attempts       int           `json:"attempts"`
	NextAttemptAt  time.Time     `json:"next_attempt_at"`
	ClaimedUntil   *time.Time    `json:"-"`
	LastError      string        `json:"last_error"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	SentAt         *time.Time    `json:"sent_at"`
	// MaskedRecipient shows enough of the address to tell messages apart, never all of it.
	MaskedRecipient string `json:"recipient" gorm:"-"`
}

// TemplateParams returns the Zalo template parameters of the message.
func (n *Notification) TemplateParams() map[string]string {
	out := map[string]string{}
	_ = json.Unmarshal([]byte(n.Params), &out)
	return out
}

// MaskContact hides the middle of a phone number or the name of an e-mail address, so lists
// and logs never show a whole contact.
func MaskContact(s string) string {
	r := []rune(s)
	if at := strings.LastIndex(s, "@"); at > 0 {
		name := []rune(s[:at])
		return string(name[:1]) + "***" + s[at:]
	}
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
}

// Consent is what a resident agreed to at intake: to be contacted about their petition, by which
// channel, at which contact. It is personal data: shown only to those who may see the petitioner.
type Consent struct {
	Agrees     bool          `json:"agrees"`
	Channel    NotifyChannel `json:"channel"`
	Contact    string        `json:"contact"`
	OptedOut   bool          `json:"opted_out"`
	OptedOutAt *time.Time    `json:"opted_out_at"`
}

// ConsentInput is a resident's consent as staff record it.
type ConsentInput struct {
	Agrees  bool   `json:"agrees"`
	Channel string `json:"channel"`
	Contact string `json:"contact"`
}

var (
	msgConsentAnonymous = Msg("Ý kiến ẩn danh không ghi liên hệ để nhận thông báo.",
		"An anonymous petition carries no contact for messages.")
	msgConsentChannel = Msg("Kênh nhận thông báo phải là sms, email hoặc zalo.",
		"The contact channel must be sms, email or zalo.")
	msgConsentEmail = Msg("Địa chỉ email không hợp lệ.", "The e-mail address is not valid.")
	msgConsentPhone = Msg("Số điện thoại nhận tin không hợp lệ.", "The phone number for messages is not valid.")
)

// checkConsent validates a consent and returns it cleaned: the channel and contact are kept only
// with an agreement; an SMS or Zalo contact defaults to the petitioner's phone and is written in
// the international form (84…) gateways take.
func checkConsent(v *ValidationError, in ConsentInput, anonymous bool, phone string) ConsentInput {
	if !in.Agrees {
		return ConsentInput{}
	}
	if anonymous {
		v.Add("consent", msgConsentAnonymous)
		return ConsentInput{}
	}
	out := ConsentInput{Agrees: true, Channel: strings.TrimSpace(in.Channel), Contact: strings.TrimSpace(in.Contact)}
	switch NotifyChannel(out.Channel) {
	case NotifyEmail:
		a, err := mail.ParseAddress(out.Contact)
		if err != nil || a.Address != out.Contact || len(out.Contact) > 254 {
			v.Add("contact", msgConsentEmail)
		}
	case NotifySMS, NotifyZalo:
		if out.Contact == "" {
			out.Contact = phone
		}
		n, ok := NormalizePhone(out.Contact)
		if !ok {
			v.Add("contact", msgConsentPhone)
		}
		out.Contact = n
	default:
		v.Add("contact_channel", msgConsentChannel)
	}
	return out
}

// NormalizePhone writes a Vietnamese mobile number as 84 followed by its nine digits, the form
// SMS gateways and Zalo take; it reports false for anything else.
func NormalizePhone(s string) (string, bool) {
	var d strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == '+' || r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := d.String()
	switch {
	case strings.HasPrefix(n, "84") && len(n) == 11:
	case strings.HasPrefix(n, "0") && len(n) == 10:
		n = "84" + n[1:]
	default:
		return "", false
	}
	return n, true
}

// ResidentNoticeBlocked says why a resident may not be sent a message about p, or "" when one
// may go. explicit is a chair sending it by hand: the only way a message about a denunciation
// (tố cáo) ever leaves, since the denouncer's identity is protected by law.
func ResidentNoticeBlocked(p *Petition, explicit bool) string {
	switch {
	case !p.ContactConsent:
		return "no_consent"
	case p.OptedOutAt != nil:
		return "opted_out"
	case p.Anonymous:
		return "anonymous"
	case !NotifyChannel(p.ContactChannel).Valid() || p.ContactAddress == "":
		return "no_contact"
	case p.Kind == KindDenunciation && !explicit:
		return "denunciation"
	}
	return ""
}

// consentOf returns the consent a reader may see, or nil when there is none to show.
func consentOf(p *Petition) *Consent {
	if !p.ContactConsent && p.OptedOutAt == nil {
		return nil
	}
	return &Consent{Agrees: p.ContactConsent, Channel: NotifyChannel(p.ContactChannel), Contact: p.ContactAddress,
		OptedOut: p.OptedOutAt != nil, OptedOutAt: p.OptedOutAt}
}

// newOptOutToken returns the secret of an opt-out link.
func newOptOutToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// applyConsent sets the consent columns of a new petition.
func applyConsent(p *Petition, c ConsentInput) {
	p.ContactConsent, p.ContactChannel, p.ContactAddress = c.Agrees, c.Channel, c.Contact
	if c.Agrees {
		tok := newOptOutToken()
		p.OptOutToken = &tok
	}
}

// UpdateConsent records a change of the resident's consent, made by commune staff on the
// resident's word, with an event in the petition's history (the contact itself stays out of it).
func (s *Store) UpdateConsent(ctx context.Context, actor Actor, id int64, in ConsentInput, version *int) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermPetitionsProcess) || !seesCommune ||
			(p.Kind == KindDenunciation && !actor.Can(PermPetitionsSeeDenouncer)) {
			return ErrForbidden
		}
		v := &ValidationError{}
		c := checkConsent(v, in, p.Anonymous, p.PetitionerPhone)
		if version == nil {
			v.Add("version", msgRequired)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := p.staleFor(*version, actor, seesCommune, s.today()); err != nil {
			return err
		}
		updates := map[string]any{"contact_consent": c.Agrees, "contact_channel": c.Channel, "contact_address": c.Contact,
			"version": p.Version + 1, "updated_at": s.now()}
		if c.Agrees {
			updates["opted_out_at"] = nil
			if p.OptOutToken == nil {
				updates["opt_out_token"] = newOptOutToken()
			}
		}
		res := s.conn(ctx).Model(&Petition{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(p)
		}
		if !c.Agrees {
			if err := s.cancelPending(ctx, p.ID, "consent withdrawn"); err != nil {
				return err
			}
		}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventConsentChanged, "", "", "",
			map[string]any{"agrees": c.Agrees, "channel": c.Channel}); err != nil {
			return err
		}
		out, err = s.Petition(ctx, actor, p.ID)
		return err
	})
	return out, err
}

// OptOut honours the opt-out link of a message at once: no further message about the petition
// is written, and those still waiting are cancelled. It returns the petition's reference.
func (s *Store) OptOut(ctx context.Context, token string) (string, error) {
	token = strings.TrimSpace(token)
	if len(token) != 32 {
		return "", ErrNotFound
	}
	var ref string
	err := s.WithTx(ctx, func(ctx context.Context) error {
		var p Petition
		if err := s.conn(ctx).Where("opt_out_token = ?", token).First(&p).Error; err != nil {
			return notFound(err)
		}
		ref = p.Reference
		if p.OptedOutAt != nil {
			return nil
		}
		if err := s.conn(ctx).Model(&Petition{}).Where("id = ?", p.ID).
			Updates(map[string]any{"contact_consent": false, "opted_out_at": s.now()}).Error; err != nil {
			return err
		}
		if err := s.cancelPending(ctx, p.ID, "opted out"); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, Actor{}, p.ID, EventOptedOut, "", "", "", nil)
	})
	return ref, err
}

// OptOutByContact honours a reply keyword (such as "TU CHOI") from a phone number: every
// petition that number consented for stops getting messages. It returns how many were changed.
func (s *Store) OptOutByContact(ctx context.Context, channel NotifyChannel, contact string) (int, error) {
	if channel == NotifySMS || channel == NotifyZalo {
		n, ok := NormalizePhone(contact)
		if !ok {
			return 0, FieldError("contact", msgConsentPhone)
		}
		contact = n
	}
	var tokens []string
	err := s.conn(ctx).Model(&Petition{}).Where("contact_consent = ? AND contact_channel = ? AND contact_address = ? AND opt_out_token IS NOT NULL",
		true, string(channel), contact).Pluck("opt_out_token", &tokens).Error
	if err != nil {
		return 0, err
	}
	for _, t := range tokens {
		if _, err := s.OptOut(ctx, t); err != nil {
			return 0, err
		}
	}
	return len(tokens), nil
}

// optOutKeywords are the replies that stop messages, compared without diacritics or case.
var optOutKeywords = map[string]bool{"tu choi": true, "tuchoi": true, "huy": true, "dung": true, "stop": true, "tc": true}

// IsOptOutReply tells whether a resident's reply asks to stop messages: "TỪ CHỐI", "HUY",
// "STOP" and the like, alone in the message.
func IsOptOutReply(text string) bool {
	return optOutKeywords[strings.Trim(Fold(text), " .!")]
}

// OptOutByReply honours a reply from a phone or Zalo user: a keyword opts the number out of
// every petition's messages; anything else changes nothing. It returns how many petitions
// stopped their messages.
func (s *Store) OptOutByReply(ctx context.Context, channel NotifyChannel, from, text string) (int, error) {
	if channel != NotifySMS && channel != NotifyZalo {
		return 0, ErrNotFound
	}
	if !IsOptOutReply(text) {
		return 0, nil
	}
	return s.OptOutByContact(ctx, channel, from)
}

// cancelPending stops the messages of a petition that have not gone yet.
func (s *Store) cancelPending(ctx context.Context, petitionID int64, why string) error {
	return s.conn(ctx).Model(&Notification{}).
		Where("petition_id = ? AND status = ?", petitionID, NotificationPending).
		Updates(map[string]any{"status": NotificationCancelled, "last_error": why, "updated_at": s.now()}).Error
}

// The kinds of petition events this file writes.
const (
	EventConsentChanged = "consent_changed"
	EventOptedOut       = "opted_out"
	EventNoticeSent     = "notice_sent"
)

// noticeVars are the values a template's placeholders take.
type noticeVars map[string]string

// CommuneLink is the public board of a commune, as printed pages and messages point to it.
func (s *Store) CommuneLink(communeID int64) string {
	return strings.TrimRight(s.PublicURL, "/") + "/public/" + strconv.FormatInt(communeID, 10)
}

// PetitionLink is the public page of a petition, the web app's permalink /public/p/{reference}.
func (s *Store) PetitionLink(p *Petition) string {
	return strings.TrimRight(s.PublicURL, "/") + "/public/p/" + url.PathEscape(p.Reference)
}

// residentLink is where a resident's message points: the petition's public page, or its
// commune's board when the petition is kept off the public board (its page would not open).
func (s *Store) residentLink(p *Petition) string {
	if p.Private {
		return s.CommuneLink(p.CommuneID)
	}
	return s.PetitionLink(p)
}

// optOutLink is the link that stops a resident's messages.
func (s *Store) optOutLink(p *Petition) string {
	if p.OptOutToken == nil {
		return ""
	}
	return strings.TrimRight(s.PublicURL, "/") + "/api/v1/public/opt-out/" + *p.OptOutToken
}

// noticeResident writes the message that tells the resident of event e, in the caller's
// transaction, when the consent rules allow it; otherwise it writes nothing.
func (s *Store) noticeResident(ctx context.Context, p *Petition, e NoticeEvent, explicit bool) error {
	if ResidentNoticeBlocked(p, explicit) != "" {
		return nil
	}
	var commune Unit
	if err := s.conn(ctx).Select("id, name").First(&commune, p.CommuneID).Error; err != nil {
		return err
	}
	ch := NotifyChannel(p.ContactChannel)
	vars := noticeVars{"reference": p.Reference, "commune": commune.Name, "link": s.residentLink(p),
		"answer": p.Answer, "optout": s.optOutLink(p)}
	pid := p.ID
	key := fmt.Sprintf("petition-%d-v%d-%s-%s", p.ID, p.Version, e, ch)
	if explicit {
		key += "-" + strconv.FormatInt(s.now().UnixNano(), 36)
	}
	return s.enqueue(ctx, e, ch, p.ContactAddress, key, &pid, nil, vars)
}

// enqueue renders the template of (e, ch) and writes the message to the outbox; a message whose
// key is already there is not written twice.
func (s *Store) enqueue(ctx context.Context, e NoticeEvent, ch NotifyChannel, to, key string, petitionID, userID *int64, vars noticeVars) error {
	t, err := s.template(ctx, e, ch)
	if err != nil {
		return err
	}
	subject, body, params := t.render(vars)
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	now := s.now()
	return s.conn(ctx).Exec(`INSERT INTO notifications (idempotency_key, event, channel, recipient, petition_id, user_id,
		subject, body, template_id, params, status, attempts, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
		key, string(e), string(ch), to, petitionID, userID, subject, body, t.ZaloTemplateID, string(raw),
		NotificationPending, now, now, now).Error
}

// fitRunes cuts s to at most n characters, marking the cut.
func fitRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return string([]rune(s)[:n])
	}
	return string([]rune(s)[:n-1]) + "…"
}
