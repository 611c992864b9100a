package models

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Assignee is one of the commune's officers a petition can be handed to (công chức: địa chính,
// tư pháp – hộ tịch, văn hóa – xã hội, công an xã...): a named function of the commune, held by
// one of its users or by nobody who signs in. The commune's chair or an admin keeps the list.
type Assignee struct {
	ID        int64     `json:"id"`
	CommuneID int64     `json:"commune_id"`
	Name      string    `json:"name"`
	UserID    *int64    `json:"user_id"`
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedBy *int64    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// User names the user who holds the function, when one does.
	User *UserRef `json:"user" gorm:"-"`
}

// TableName names the assignees table.
func (Assignee) TableName() string { return "assignees" }

// AssigneeInput is a new assignee, or a change to one (nil fields stay as they are).
type AssigneeInput struct {
	CommuneID int64   `json:"commune_id"`
	Name      *string `json:"name"`
	// UserID names the user who holds the function; 0 clears it on a change.
	UserID  *int64 `json:"user_id"`
	Active  *bool  `json:"active"`
	Version *int   `json:"version"`
}

var msgAssigneeName = Msg("Tên chức danh từ 2 đến 120 ký tự.", "The function's name is 2 to 120 characters.")

// mayManageAssignees tells whether the actor keeps the assignees of a commune it sees.
func mayManageAssignees(a Actor) bool { return a.Can(PermAssigneesManage) }

// Assignees lists the assignees of a commune the actor sees, active ones only unless all is set,
// by name.
func (s *Store) Assignees(ctx context.Context, actor Actor, communeID int64, all bool) ([]Assignee, error) {
	if _, err := s.assigneeCommune(ctx, actor, communeID); err != nil {
		return nil, err
	}
	var out []Assignee
	q := s.conn(ctx).Where("commune_id = ?", communeID).Order("name, id")
	if !all {
		q = q.Where("active = ?", true)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, failed(err, "list assignees of commune %d", communeID)
	}
	return out, s.nameHolders(ctx, out)
}

// Assignee returns one assignee of a commune the actor sees.
func (s *Store) Assignee(ctx context.Context, actor Actor, id int64) (*Assignee, error) {
	var a Assignee
	if err := s.conn(ctx).First(&a, id).Error; err != nil {
		return nil, notFound(err)
	}
	if _, err := s.assigneeCommune(ctx, actor, a.CommuneID); err != nil {
		return nil, err
	}
	list := []Assignee{a}
	if err := s.nameHolders(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// assigneeCommune returns the commune if the actor sees it; anything else does not exist.
func (s *Store) assigneeCommune(ctx context.Context, actor Actor, communeID int64) (*Unit, error) {
	u, err := s.Unit(ctx, actor, communeID)
	if err != nil || u.Level != LevelCommune {
		return nil, ErrNotFound
	}
	return u, nil
}

// nameHolders fills the user of each assignee held by one.
func (s *Store) nameHolders(ctx context.Context, list []Assignee) error {
	var ids []int64
	for _, a := range list {
		if a.UserID != nil {
			ids = append(ids, *a.UserID)
		}
	}
	users, err := s.userRefs(ctx, ids)
	if err != nil {
		return err
	}
	for i := range list {
		if list[i].UserID != nil {
			list[i].User = users[*list[i].UserID]
		}
	}
	return nil
}

// checkAssignee validates the name and holder of an assignee of the commune, naming every bad
// field in v: the name is 2 to 120 characters (the holder's full name when none is given), and
// the holder an active user bound to the commune itself.
func (s *Store) checkAssignee(ctx context.Context, v *ValidationError, communeID int64, name *string, userID *int64) (string, *int64, error) {
	var holder *User
	if userID != nil && *userID != 0 {
		var u User
		err := s.conn(ctx).Where("id = ? AND unit_id = ? AND active = ?", *userID, communeID, true).Limit(1).Find(&u).Error
		if err != nil {
			return "", nil, err
		}
		if u.ID == 0 {
			v.Add("user_id", Msg("Người giữ chức danh phải là người dùng đang hoạt động của xã.", "The holder must be an active user of the commune."))
		} else {
			holder = &u
		}
	}
	text := ""
	if name != nil {
		text = strings.Join(strings.Fields(*name), " ")
	}
	if text == "" && holder != nil {
		text = strings.TrimSpace(holder.FullName)
	}
	if n := runeLen(text); n < 2 || n > 120 {
		v.Add("name", msgAssigneeName)
	}
	if holder == nil {
		return text, nil, nil
	}
	return text, &holder.ID, nil
}

// CreateAssignee adds an officer to a commune's list.
func (s *Store) CreateAssignee(ctx context.Context, actor Actor, in AssigneeInput) (*Assignee, error) {
	if !mayManageAssignees(actor) {
		return nil, ErrForbidden
	}
	var out *Assignee
	err := s.WithTx(ctx, func(ctx context.Context) error {
		v := &ValidationError{}
		commune, err := s.assigneeCommune(ctx, actor, in.CommuneID)
		if err != nil || !commune.Live() {
			v.Add("commune_id", Msg("Không tìm thấy xã trong phạm vi của bạn.", "No such commune within your units."))
		}
		name, userID, err := s.checkAssignee(ctx, v, in.CommuneID, in.Name, in.UserID)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		now := s.now()
		a := &Assignee{CommuneID: commune.ID, Name: name, UserID: userID, Active: in.Active == nil || *in.Active,
			Version: 1, CreatedBy: &actor.UserID, CreatedAt: now, UpdatedAt: now}
		if err := s.conn(ctx).Create(a).Error; err != nil {
			if isUniqueViolation(err) {
				return FieldError("name", msgAssigneeTaken)
			}
			return err
		}
		out, err = s.Assignee(ctx, actor, a.ID)
		return err
	})
	return out, failed(err, "create assignee in commune %d", in.CommuneID)
}

var msgAssigneeTaken = Msg("Xã đã có chức danh này.", "The commune already has this function.")

// UpdateAssignee renames an assignee, changes who holds it, or (de)activates it, at the version
// the writer saw.
func (s *Store) UpdateAssignee(ctx context.Context, actor Actor, id int64, in AssigneeInput) (*Assignee, error) {
	var out *Assignee
	err := s.WithTx(ctx, func(ctx context.Context) error {
		a, err := s.Assignee(ctx, actor, id)
		if err != nil {
			return err
		}
		if !mayManageAssignees(actor) {
			return ErrForbidden
		}
		if in.Version == nil {
			return FieldError("version", msgRequired)
		}
		if *in.Version != a.Version {
			return StaleVersion(a)
		}
		name, user := &a.Name, a.UserID
		if in.Name != nil {
			name = in.Name
		}
		if in.UserID != nil {
			user = in.UserID
		}
		v := &ValidationError{}
		text, userID, err := s.checkAssignee(ctx, v, a.CommuneID, name, user)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		updates := map[string]any{"name": text, "user_id": userID, "version": a.Version + 1, "updated_at": s.now()}
		if in.Active != nil {
			updates["active"] = *in.Active
		}
		res := s.conn(ctx).Model(&Assignee{}).Where("id = ? AND version = ?", a.ID, a.Version).Updates(updates)
		if res.Error != nil {
			if isUniqueViolation(res.Error) {
				return FieldError("name", msgAssigneeTaken)
			}
			return res.Error
		}
		if res.RowsAffected == 0 {
			return StaleVersion(a)
		}
		out, err = s.Assignee(ctx, actor, id)
		return err
	})
	return out, failed(err, "update assignee %d", id)
}

// DeleteAssignee removes an assignee no petition names; one in use can only be deactivated, so
// that every petition keeps its history.
func (s *Store) DeleteAssignee(ctx context.Context, actor Actor, id int64) error {
	err := s.WithTx(ctx, func(ctx context.Context) error {
		a, err := s.Assignee(ctx, actor, id)
		if err != nil {
			return err
		}
		if !mayManageAssignees(actor) {
			return ErrForbidden
		}
		var used int64
		if err := s.conn(ctx).Table("petitions").Where("assignee_id = ?", a.ID).Count(&used).Error; err != nil {
			return err
		}
		if used == 0 {
			// Events name an assignee by id in their details: one named there is in use too.
			named := `%"assignee_id":` + strconv.FormatInt(a.ID, 10)
			err = s.conn(ctx).Table("petition_events").Where("kind IN ? AND (data LIKE ? OR data LIKE ?)",
				[]string{EventTransition, EventReassigned}, named+",%", named+"}%").Count(&used).Error
			if err != nil {
				return err
			}
		}
		if used > 0 {
			return &ConflictError{Reason: "assignee_in_use",
				Message: Msg("Chức danh đã được giao ý kiến; chỉ có thể ngừng sử dụng.", "Petitions were assigned to this officer; it can only be deactivated."),
				Details: map[string]any{"current": a}}
		}
		return s.conn(ctx).Delete(&Assignee{}, a.ID).Error
	})
	return failed(err, "delete assignee %d", id)
}

// assigneeUpdates checks the assignee a move names: only an assignment names one, an active
// assignee of the petition's commune. Any other move to assigned or referred clears it.
func (s *Store) assigneeUpdates(ctx context.Context, v *ValidationError, p *Petition, in TransitionInput, updates, data map[string]any) (*Assignee, error) {
	updates["assignee_id"] = nil
	if in.AssigneeID == nil {
		return nil, nil
	}
	if PetitionState(in.To) != StateAssigned {
		v.Add("assignee_id", Msg("Chỉ giao cho cán bộ của xã khi giao xử lý.", "An officer of the commune is named only when assigning."))
		return nil, nil
	}
	a, err := s.activeAssignee(ctx, v, p, *in.AssigneeID)
	if a == nil || err != nil {
		return nil, err
	}
	updates["assignee_id"], data["assignee_id"], data["assignee_name"] = a.ID, a.ID, a.Name
	return a, nil
}

// activeAssignee returns the assignee if it is an active one of the petition's commune, else
// names the field in v.
func (s *Store) activeAssignee(ctx context.Context, v *ValidationError, p *Petition, id int64) (*Assignee, error) {
	var a Assignee
	if err := s.conn(ctx).Where("id = ? AND commune_id = ? AND active = ?", id, p.CommuneID, true).Limit(1).Find(&a).Error; err != nil {
		return nil, err
	}
	if a.ID == 0 {
		v.Add("assignee_id", Msg("Cán bộ được giao phải là một chức danh đang sử dụng của xã.", "The assignee must be an active officer of the petition's commune."))
		return nil, nil
	}
	return &a, nil
}

// EventReassigned records a petition handed from one officer to another.
const EventReassigned = "reassigned"

// Reassignment hands an assigned petition to another officer of its commune, optionally with a
// new due date, and says why.
type Reassignment struct {
	AssigneeID *int64 `json:"assignee_id"`
	DueOn      string `json:"due_on"`
	Note       string `json:"note"`
	Version    *int   `json:"version"`
}

// mayReassign tells whether the actor may hand the petition to another officer: commune staff,
// while it is assigned or in progress.
func mayReassign(a Actor, p *Petition) bool {
	return a.Can(PermPetitionsProcess) && (p.State == StateAssigned || p.State == StateInProgress)
}

// ReassignPetition hands a petition to another officer of its commune. The history keeps both:
// an event names the officer before and after and who did it, and a new due date is a due-date
// event of its own.
func (s *Store) ReassignPetition(ctx context.Context, actor Actor, id int64, in Reassignment) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermPetitionsProcess) {
			return ErrForbidden
		}
		today := s.today()
		if !mayReassign(actor, p) {
			p.finish(actor, seesCommune, today)
			return &ConflictError{Reason: "petition_not_assigned", Details: map[string]any{"current": p},
				Message: Msg("Chỉ giao lại ý kiến đang được giao xử lý hoặc đang xử lý.", "Only an assigned petition or one in progress is handed to another officer.")}
		}
		v := &ValidationError{}
		var a *Assignee
		if in.AssigneeID == nil {
			v.Add("assignee_id", msgRequired)
		} else if a, err = s.activeAssignee(ctx, v, p, *in.AssigneeID); err != nil {
			return err
		} else if a != nil && p.AssigneeID != nil && *p.AssigneeID == a.ID {
			v.Add("assignee_id", Msg("Ý kiến đang được giao cho cán bộ này.", "The petition is already assigned to this officer."))
		}
		var due Date
		if in.DueOn != "" {
			if d, ok := dateField(v, "due_on", in.DueOn); ok && d < today {
				v.Add("due_on", msgPastDue)
			} else {
				due = d
			}
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
		updates := map[string]any{"assignee_id": a.ID, "responsible_unit_id": p.CommuneID, "responsible_name": a.Name, "updated_at": s.now()}
		if due != "" {
			rule, err := s.deadlineRule(ctx, RuleManual)
			if err != nil {
				return err
			}
			deadline{due: due, rule: rule}.set(updates, map[string]any{})
		}
		out, err = s.writePetition(ctx, actor, p, seesCommune, today, updates)
		if err != nil {
			return err
		}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventReassigned, p.ResponsibleName, a.Name, note,
			map[string]any{"from_assignee_id": p.AssigneeID, "assignee_id": a.ID, "assignee_name": a.Name}); err != nil {
			return err
		}
		if err := s.noticeAssignees(ctx, actor, out); err != nil {
			return err
		}
		if due != "" {
			return s.appendEvent(ctx, petitionLog, actor, p.ID, EventDueChanged, dueText(p.DueOn), string(due), note, nil)
		}
		return nil
	})
	return out, failed(err, "reassign petition %d", id)
}

// assigneeFilter keeps the petitions assigned to an officer: "me" for those the actor holds, or
// an assignee's id.
func assigneeFilter(q *gorm.DB, actor Actor, v *ValidationError, raw string) *gorm.DB {
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		return q
	case raw == "me":
		return q.Where("petitions.assignee_id IN (SELECT id FROM assignees WHERE user_id = ?)", actor.UserID)
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add("assignee", Msg("Cán bộ được giao phải là me hoặc mã số chức danh.", "assignee must be me or an assignee's id."))
		return q
	}
	return q.Where("petitions.assignee_id = ?", id)
}
