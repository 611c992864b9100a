package models

import (
	"context"
	"fmt"
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

// noticeAssignees tells the active users of the responsible unit, but not the one assigning:
// an entry in their notification list, and an e-mail to those who gave an address.
func (s *Store) noticeAssignees(ctx context.Context, actor Actor, p *Petition) error {
	if p.ResponsibleUnitID == nil {
		return nil
	}
	var users []struct {
		ID    int64
		Email string
	}
	if err := s.conn(ctx).Table("users").Select("id, email").
		Where("unit_id = ? AND active = ? AND id <> ?", *p.ResponsibleUnitID, true, actor.UserID).
		Order("id").Scan(&users).Error; err != nil {
		return err
	}
	if len(users) == 0 {
		return nil
	}
	var commune Unit
	if err := s.conn(ctx).Select("id, name").First(&commune, p.CommuneID).Error; err != nil {
		return err
	}
	due := ""
	if p.DueOn != nil {
		due = string(*p.DueOn)
	}
	vars := noticeVars{"reference": p.Reference, "commune": commune.Name, "responsible": p.ResponsibleName,
		"due": due, "content": fitRunes(p.Content, 500),
		"link": strings.TrimRight(s.PublicURL, "/") + "/petitions/" + strconv.FormatInt(p.ID, 10)}
	title := fmt.Sprintf("Ý kiến %s được giao cho %s, hạn %s", p.Reference, p.ResponsibleName, due)
	pid := p.ID
	for _, u := range users {
		uid := u.ID
		if err := s.addUserNotification(ctx, uid, NoticeAssigned, &pid, title, fitRunes(p.Content, 300)); err != nil {
			return err
		}
		if u.Email == "" {
			continue
		}
		key := fmt.Sprintf("petition-%d-v%d-assigned-user-%d", p.ID, p.Version, uid)
		if err := s.enqueue(ctx, NoticeAssigned, NotifyEmail, u.Email, key, &pid, &uid, vars); err != nil {
			return err
		}
	}
	return nil
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
		return s.appendPetitionEvent(ctx, actor, p.ID, EventNoticeSent, "", string(e), "", map[string]any{"channel": p.ContactChannel})
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
