package models

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// PAPIDimensions lists the eight dimensions of the PAPI index a topic may feed.
func PAPIDimensions() []string {
	return []string{"participation", "transparency", "vertical_accountability", "control_of_corruption",
		"administrative_procedures", "public_service_delivery", "environmental_governance", "e_governance"}
}

// Topic is a plain-language category of petitions (lĩnh vực).
type Topic struct {
	ID            int64     `json:"id"`
	Code          string    `json:"code"`
	NameVI        string    `json:"name_vi" gorm:"column:name_vi"`
	NameEN        string    `json:"name_en" gorm:"column:name_en"`
	ResponseDays  int       `json:"response_days"`
	PAPIDimension string    `json:"papi_dimension" gorm:"column:papi_dimension"`
	Active        bool      `json:"active"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Topics returns the topics, active ones only unless all is set, in code order.
func (s *Store) Topics(ctx context.Context, all bool) ([]Topic, error) {
	var topics []Topic
	q := s.conn(ctx).Order("id")
	if !all {
		q = q.Where("active = ?", true)
	}
	return topics, q.Find(&topics).Error
}

// Topic returns one topic by id.
func (s *Store) Topic(ctx context.Context, id int64) (*Topic, error) {
	var t Topic
	if err := s.conn(ctx).First(&t, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// TopicByCode returns one topic by its code, ignoring case.
func (s *Store) TopicByCode(ctx context.Context, code string) (*Topic, error) {
	var t Topic
	if err := s.conn(ctx).Where("code = ?", strings.ToUpper(strings.TrimSpace(code))).First(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// TopicInput is what a new topic is made of.
type TopicInput struct {
	Code          string `json:"code"`
	NameVI        string `json:"name_vi"`
	NameEN        string `json:"name_en"`
	ResponseDays  int    `json:"response_days"`
	PAPIDimension string `json:"papi_dimension"`
}

var topicCodePattern = regexp.MustCompile(`^[A-Z0-9_]{1,16}$`)

func validateTopicName(v *ValidationError, field, name string) {
	n := utf8.RuneCountInString(strings.TrimSpace(name))
	if n == 0 {
		v.Add(field, msgRequired)
	} else if n > 120 {
		v.Add(field, Msg("Tên dài tối đa 120 ký tự.", "The name is at most 120 characters."))
	}
}

func validateResponseDays(v *ValidationError, days int) {
	if days < 1 || days > 365 {
		v.Add("response_days", Msg("Thời hạn trả lời từ 1 đến 365 ngày.", "The response time is 1 to 365 days."))
	}
}

func validateDimension(v *ValidationError, dim string) {
	for _, d := range PAPIDimensions() {
		if d == dim {
			return
		}
	}
	v.Add("papi_dimension", Msg("Chỉ số PAPI không hợp lệ.", "Unknown PAPI dimension."))
}

// CreateTopic adds a topic.
func (s *Store) CreateTopic(ctx context.Context, actor Actor, in TopicInput) (*Topic, error) {
	if !actor.Can(PermTopicsManage) {
		return nil, ErrForbidden
	}
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	v := &ValidationError{}
	if !topicCodePattern.MatchString(code) {
		v.Add("code", Msg("Mã lĩnh vực gồm 1–16 chữ cái không dấu, chữ số hoặc _.", "The topic code is 1–16 letters, digits or _."))
	}
	validateTopicName(v, "name_vi", in.NameVI)
	validateTopicName(v, "name_en", in.NameEN)
	validateResponseDays(v, in.ResponseDays)
	validateDimension(v, in.PAPIDimension)
	if err := v.Err(); err != nil {
		return nil, err
	}
	t := &Topic{Code: code, NameVI: strings.TrimSpace(in.NameVI), NameEN: strings.TrimSpace(in.NameEN),
		ResponseDays: in.ResponseDays, PAPIDimension: in.PAPIDimension, Active: true, Version: 1}
	if err := s.conn(ctx).Create(t).Error; err != nil {
		if isUniqueViolation(err) {
			return nil, FieldError("code", Msg("Mã lĩnh vực đã tồn tại.", "This topic code already exists."))
		}
		return nil, failed(err, "create topic %s", code)
	}
	return t, nil
}

// TopicPatch is a change to a topic; nil fields stay as they are.
type TopicPatch struct {
	NameVI        *string `json:"name_vi"`
	NameEN        *string `json:"name_en"`
	ResponseDays  *int    `json:"response_days"`
	PAPIDimension *string `json:"papi_dimension"`
	Active        *bool   `json:"active"`
	Version       *int    `json:"version"`
}

// UpdateTopic renames, re-times, activates or deactivates a topic.
func (s *Store) UpdateTopic(ctx context.Context, actor Actor, id int64, p TopicPatch) (*Topic, error) {
	if !actor.Can(PermTopicsManage) {
		return nil, ErrForbidden
	}
	var out *Topic
	err := s.WithTx(ctx, func(ctx context.Context) error {
		t, err := s.Topic(ctx, id)
		if err != nil {
			return err
		}
		if p.Version != nil && *p.Version != t.Version {
			return StaleVersion(t)
		}
		v := &ValidationError{}
		updates := map[string]any{"version": t.Version + 1, "updated_at": s.now()}
		if p.NameVI != nil {
			validateTopicName(v, "name_vi", *p.NameVI)
			updates["name_vi"] = strings.TrimSpace(*p.NameVI)
		}
		if p.NameEN != nil {
			validateTopicName(v, "name_en", *p.NameEN)
			updates["name_en"] = strings.TrimSpace(*p.NameEN)
		}
		if p.ResponseDays != nil {
			validateResponseDays(v, *p.ResponseDays)
			updates["response_days"] = *p.ResponseDays
		}
		if p.PAPIDimension != nil {
			validateDimension(v, *p.PAPIDimension)
			updates["papi_dimension"] = *p.PAPIDimension
		}
		if p.Active != nil {
			updates["active"] = *p.Active
		}
		if err := v.Err(); err != nil {
			return err
		}
		res := s.conn(ctx).Model(&Topic{}).Where("id = ? AND version = ?", t.ID, t.Version).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(t)
		}
		out, err = s.Topic(ctx, id)
		return err
	})
	return out, failed(err, "update topic %d", id)
}

// DeleteTopic removes a topic no record uses; a topic in use can only be deactivated.
func (s *Store) DeleteTopic(ctx context.Context, actor Actor, id int64) error {
	if !actor.Can(PermTopicsManage) {
		return ErrForbidden
	}
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Topic(ctx, id); err != nil {
			return err
		}
		err := s.conn(ctx).Delete(&Topic{}, id).Error
		if isForeignKeyViolation(err) {
			return &ConflictError{Reason: "topic_in_use",
				Message: Msg("Lĩnh vực đang được sử dụng; chỉ có thể ngừng sử dụng.", "This topic is in use; it can only be deactivated.")}
		}
		return err
	})
	return failed(err, "delete topic %d", id)
}
