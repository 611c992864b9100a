package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// noticeTransition writes the messages a petition's move causes, in its transaction: the
// resident hears of an answer and of the closing; the officials of the responsible unit hear
// of an assignment or a referral.
func (s *Store) noticeTransition(ctx context.Context, actor Actor, p *Petition) error {
	switch p.State {
	case StateAnswered:
		return s.noticeResident(ctx, p, NoticeAnswered, false)
	case StateClosed:
		return s.noticeResident(ctx, p, NoticeClosed, false)
	case StateAssigned, StateReferred:
		return s.noticeAssignees(ctx, actor, p)
	}
	return nil
}

// noticeAssignees tells of an assignment, but never the one assigning: the user who holds the
// named officer's function, or else the active users of the responsible unit. Each gets an
// entry in their notification list (one insert for all), and an e-mail or an SMS as they chose
// (tellOfficial).
func (s *Store) noticeAssignees(ctx context.Context, actor Actor, p *Petition) error {
	due := ""
	if p.DueOn != nil {
		due = string(*p.DueOn)
	}
	title := fitRunes(fmt.Sprintf("Ý kiến %s được giao cho %s, hạn %s", p.Reference, p.ResponsibleName, due), 300)
	users, err := s.notifyRecipients(ctx, actor, p, title)
	if err != nil || len(users) == 0 {
		return err
	}
	pid := p.ID
	if !slices.ContainsFunc(users, recipient.reachable) {
		return nil
	}
	var commune Unit
	if err := s.conn(ctx).Select("id, name").First(&commune, p.CommuneID).Error; err != nil {
		return err
	}
	vars := noticeVars{"reference": p.Reference, "commune": commune.Name, "responsible": p.ResponsibleName,
		"due": due, "content": fitRunes(p.Content, 500),
		"link": strings.TrimRight(s.PublicURL, "/") + "/petitions/" + strconv.FormatInt(p.ID, 10)}
	for _, u := range users {
		key := fmt.Sprintf("petition-%d-v%d-assigned-user-%d", p.ID, p.Version, u.ID)
		if err := s.tellOfficial(ctx, NoticeAssigned, u, key, &pid, vars); err != nil {
			return err
		}
	}
	return nil
}

// recipient is an official to tell, with the contact they gave: an e-mail address, and a
// mobile number with whether they chose SMS.
type recipient struct {
	ID         int64
	Email      string
	Phone      string
	SMSNotices bool
}

// recipientColumns are the columns of a recipient in users.
const recipientColumns = "id, email, phone, sms_notices"

// reachable tells whether the official gets messages beyond the app's list.
func (r recipient) reachable() bool { return r.Email != "" || r.texts() }

// texts tells whether the official chose SMS and gave a number for it.
func (r recipient) texts() bool { return r.SMSNotices && r.Phone != "" }

// tellOfficial writes an official's messages of event e under key: an e-mail when they gave an
// address, an SMS (its key ending in "-sms") when they chose SMS.
func (s *Store) tellOfficial(ctx context.Context, e NoticeEvent, r recipient, key string, petitionID *int64, vars noticeVars) error {
	uid := r.ID
	if r.Email != "" {
		if err := s.enqueue(ctx, e, NotifyEmail, r.Email, key, petitionID, &uid, vars); err != nil {
			return err
		}
	}
	if r.texts() {
		return s.enqueue(ctx, e, NotifySMS, r.Phone, key+"-sms", petitionID, &uid, vars)
	}
	return nil
}

// notifyRecipients puts the assignment of p in the notification list of whoever hears of it, in
// one statement that returns them with their contact: the holder of its named officer's
// function when there is one, else the responsible unit's active users; never the actor. The
// two are one list (UNION ALL), so the unit's users come from the users' unit index: with an
// OR, PostgreSQL read every user (2 ms of the assignment on the million).
func (s *Store) notifyRecipients(ctx context.Context, actor Actor, p *Petition, title string) ([]recipient, error) {
	var assignee, unit int64
	if p.AssigneeID != nil {
		assignee = *p.AssigneeID
	}
	if p.ResponsibleUnitID != nil {
		unit = *p.ResponsibleUnitID
	}
	if assignee == 0 && unit == 0 {
		return nil, nil
	}
	var out []recipient
	err := s.conn(ctx).Raw(`INSERT INTO user_notifications (user_id, event, petition_id, title, body, read_at, created_at)
		SELECT u.id, ?, ?, ?, ?, NULL, ? FROM users u
		WHERE u.active = ? AND u.id <> ?
			AND u.id IN (SELECT user_id FROM assignees WHERE id = ? AND user_id IS NOT NULL
				UNION ALL
				SELECT id FROM users WHERE unit_id = ? AND NOT EXISTS (SELECT 1 FROM assignees WHERE id = ? AND user_id IS NOT NULL))
		ORDER BY u.id
		RETURNING user_id AS id,
			(SELECT COALESCE(e.email, '') FROM users e WHERE e.id = user_notifications.user_id) AS email,
			(SELECT COALESCE(e.phone, '') FROM users e WHERE e.id = user_notifications.user_id) AS phone,
			(SELECT e.sms_notices FROM users e WHERE e.id = user_notifications.user_id) AS sms_notices`,
		NoticeAssigned, p.ID, title, fitRunes(p.Content, 300), s.now(), true, actor.UserID, assignee, unit, assignee).Scan(&out).Error
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// SendResidentNotice is the chair sending the resident the message of event e by hand: the
// only way a message about a denunciation goes out. Consent and opt-out still hold.
func (s *Store) SendResidentNotice(ctx context.Context, actor Actor, id int64, e NoticeEvent) error {
	if !actor.Can(PermPetitionsDecide) || !actor.Can(PermPetitionsSeeDenouncer) {
		return ErrForbidden
	}
	return s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !seesCommune {
			return ErrForbidden
		}
		switch {
		case !e.ForResident():
			return FieldError("event", Msg("Loại thông báo phải là received, answered hoặc closed.",
				"The event must be received, answered or closed."))
		case e == NoticeAnswered && p.Answer == "", e == NoticeClosed && p.State != StateClosed:
			return FieldError("event", Msg("Ý kiến chưa ở trạng thái của thông báo này.", "The petition is not in the state this message tells of."))
		}
		if why := ResidentNoticeBlocked(p, true); why != "" {
			return &ConflictError{Reason: "no_consent", Details: map[string]any{"why": why},
				Message: Msg("Người nêu ý kiến không đồng ý hoặc đã từ chối nhận thông báo.", "The petitioner did not agree to messages, or opted out.")}
		}
		if err := s.noticeResident(ctx, p, e, true); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, actor, p.ID, EventNoticeSent, "", string(e), "", map[string]any{"channel": p.ContactChannel})
	})
}

// UserNotification is an entry of an official's notification list in the app.
type UserNotification struct {
	ID         int64       `json:"id"`
	UserID     int64       `json:"-"`
	Event      NoticeEvent `json:"event"`
	PetitionID *int64      `json:"petition_id"`
	Title      string      `json:"title"`
	Body       string      `json:"body"`
	ReadAt     *time.Time  `json:"read_at"`
	CreatedAt  time.Time   `json:"created_at"`
}

func (s *Store) addUserNotification(ctx context.Context, userID int64, e NoticeEvent, petitionID *int64, title, body string) error {
	return s.conn(ctx).Create(&UserNotification{UserID: userID, Event: e, PetitionID: petitionID,
		Title: fitRunes(title, 300), Body: body, CreatedAt: s.now()}).Error
}

// MyNotifications returns a page of the actor's notification list, newest first, and how many
// of all are unread.
func (s *Store) MyNotifications(ctx context.Context, actor Actor, pg Page) ([]UserNotification, string, int64, error) {
	var pos struct{ ID int64 }
	if err := pg.decode(&pos); err != nil {
		return nil, "", 0, err
	}
	q := s.conn(ctx).Where("user_id = ?", actor.UserID).Order("id DESC")
	if pos.ID > 0 {
		q = q.Where("id < ?", pos.ID)
	}
	limit := pg.limit()
	var out []UserNotification
	if err := q.Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, "", 0, err
	}
	out, more := trimPage(out, limit)
	next := ""
	if more {
		next = encodeCursor(struct{ ID int64 }{out[len(out)-1].ID})
	}
	unread, err := s.UnreadNotifications(ctx, actor)
	return out, next, unread, err
}

// UnreadNotifications counts the actor's unread notifications, for the badge.
func (s *Store) UnreadNotifications(ctx context.Context, actor Actor) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&UserNotification{}).Where("user_id = ? AND read_at IS NULL", actor.UserID).Count(&n).Error
	return n, err
}

// MarkNotificationsRead marks the actor's notifications read: the one named, or all with id 0.
func (s *Store) MarkNotificationsRead(ctx context.Context, actor Actor, id int64) error {
	q := s.conn(ctx).Model(&UserNotification{}).Where("user_id = ? AND read_at IS NULL", actor.UserID)
	if id != 0 {
		var n int64
		if err := s.conn(ctx).Model(&UserNotification{}).Where("id = ? AND user_id = ?", id, actor.UserID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		q = q.Where("id = ?", id)
	}
	return q.Update("read_at", s.now()).Error
}

// digestLine is one petition of a digest.
type digestLine struct {
	Reference string
	DueOn     Date
}

// QueueDailyDigest writes the digest of day for every active chair and monitoring official
// whose units have petitions due soon or late: one entry in their notification list and one
// e-mail (to those who gave an address) or SMS (to those who chose it), never one per petition. "Due soon" is the due_soon
// rule's window on the working-day calendar, as the petition list's filter counts it. A day is
// written once, however many processes try.
func (s *Store) QueueDailyDigest(ctx context.Context, day Date) (int, error) {
	sent := 0
	err := s.WithTx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Exec(`INSERT INTO notification_digests (day, created_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING`, day, s.now())
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		until, err := s.dueSoonUntil(ctx, day)
		if err != nil {
			return err
		}
		var users []User
		if err := s.conn(ctx).Where("active = ? AND role IN ?", true, []Role{RoleCommuneChair, RoleDistrictOfficial}).
			Order("id").Find(&users).Error; err != nil {
			return err
		}
		for i := range users {
			ok, err := s.digestFor(ctx, &users[i], day, until)
			if err != nil {
				return err
			}
			if ok {
				sent++
			}
		}
		return nil
	})
	return sent, err
}

// digestFor writes one user's digest of day, listing what is late and what falls due up to
// until; it reports false when nothing is.
func (s *Store) digestFor(ctx context.Context, u *User, day, until Date) (bool, error) {
	a, err := s.LoadActor(ctx, u)
	if errors.Is(err, ErrUnitEnded) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	cond, args := a.scopeSQL("c.path")
	var lines []digestLine
	if err := s.conn(ctx).Table("petitions p").Select("p.reference, p.due_on").Joins("JOIN units c ON c.id = p.commune_id").
		Where(awaitsAnswerSQL("p")+" AND p.due_on IS NOT NULL AND p.due_on <= ?", until).
		Where(cond, args...).Order("p.due_on, p.id").Scan(&lines).Error; err != nil {
		return false, err
	}
	if len(lines) == 0 {
		return false, nil
	}
	late := 0
	var list strings.Builder
	for i, l := range lines {
		status := "sắp đến hạn"
		if l.DueOn < day {
			late++
			status = "quá hạn"
		}
		if i < 30 {
			fmt.Fprintf(&list, "- %s: hạn %s, %s\n", l.Reference, l.DueOn, status)
		}
	}
	if len(lines) > 30 {
		fmt.Fprintf(&list, "… và %d ý kiến khác\n", len(lines)-30)
	}
	link := strings.TrimRight(s.PublicURL, "/") + "/petitions?due_soon=true"
	if late > 0 {
		link = strings.TrimRight(s.PublicURL, "/") + "/petitions?overdue=true"
	}
	vars := noticeVars{"day": string(day), "due_soon": strconv.Itoa(len(lines) - late), "late": strconv.Itoa(late),
		"list": list.String(), "link": link}
	title := fmt.Sprintf("Ngày %s: %d ý kiến sắp đến hạn, %d ý kiến quá hạn", day, len(lines)-late, late)
	if err := s.addUserNotification(ctx, u.ID, NoticeDigest, nil, title, fitRunes(list.String(), 2000)); err != nil {
		return false, err
	}
	var r recipient
	if err := s.conn(ctx).Table("users").Select(recipientColumns).Where("id = ?", u.ID).Scan(&r).Error; err != nil {
		return true, err
	}
	return true, s.tellOfficial(ctx, NoticeDigest, r, fmt.Sprintf("digest-%s-user-%d", day, u.ID), nil, vars)
}
