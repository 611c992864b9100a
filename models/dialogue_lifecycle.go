package models

import (
	"context"
	"fmt"
)

// DialogueStatus is where a dialogue (buổi đối thoại) stands in its lifecycle.
type DialogueStatus string

// The stored statuses of a dialogue. Postponing is a transition, not a status: a postponed
// dialogue is planned again at its new time, and the postponement stays in its events.
const (
	DialoguePlanned   DialogueStatus = "planned"
	DialogueHeld      DialogueStatus = "held"
	DialogueClosed    DialogueStatus = "closed"
	DialogueCancelled DialogueStatus = "cancelled"
)

// Valid tells whether st is a known status.
func (st DialogueStatus) Valid() bool {
	switch st {
	case DialoguePlanned, DialogueHeld, DialogueClosed, DialogueCancelled:
		return true
	}
	return false
}

// The targets of POST /dialogues/{id}/transitions.
const (
	TransitionHold     = "held"
	TransitionPostpone = "postponed"
	TransitionCancel   = "cancelled"
	TransitionClose    = "closed"
)

// dialogueTransition is one legal move of the lifecycle and the permission it needs.
type dialogueTransition struct {
	From DialogueStatus
	To   string
	Perm Permission
}

// dialogueTransitions is the lifecycle of a dialogue and who may move it: the one place these
// rules live. Role grants are in Role.Has; the actor must also see the dialogue's commune.
var dialogueTransitions = []dialogueTransition{
	{DialoguePlanned, TransitionHold, PermDialoguesHold},
	{DialoguePlanned, TransitionPostpone, PermDialoguesPostpone},
	{DialoguePlanned, TransitionCancel, PermDialoguesCancel},
	{DialogueHeld, TransitionClose, PermDialoguesClose},
}

// dialogueChange is a change made to a dialogue in place, without moving it along its lifecycle.
type dialogueChange string

// The in-place changes of a dialogue.
const (
	changeEdit       dialogueChange = "edit"
	changeAttendance dialogueChange = "attendance"
)

// dialogueChanges says in which status each in-place change is made, the permission it needs,
// and what a client is told when the dialogue is in another status: only a planned dialogue is
// edited; a held one changes through its attendance and its closing.
var dialogueChanges = []struct {
	In     DialogueStatus
	Change dialogueChange
	Perm   Permission
	Reason string
	Refuse Message
}{
	{DialoguePlanned, changeEdit, PermDialoguesSchedule, "dialogue_not_editable",
		Msg("Chỉ sửa được buổi đối thoại đang ở trạng thái dự kiến.", "Only a planned dialogue can be edited.")},
	{DialogueHeld, changeAttendance, PermDialoguesAttendance, "dialogue_not_held",
		Msg("Chỉ ghi nhận tham dự cho buổi đối thoại đã tổ chức.", "Attendance is recorded only for a held dialogue.")},
}

// transitionPermission returns the permission a transition to target needs, if target is known.
func transitionPermission(target string) (Permission, bool) {
	for _, t := range dialogueTransitions {
		if t.To == target {
			return t.Perm, true
		}
	}
	return "", false
}

// legalTransition tells whether the lifecycle allows going from st to target.
func legalTransition(st DialogueStatus, target string) bool {
	for _, t := range dialogueTransitions {
		if t.From == st && t.To == target {
			return true
		}
	}
	return false
}

// AllowedTransitions lists the transitions the actor may make on a dialogue in status st.
func (a Actor) AllowedTransitions(st DialogueStatus) []string {
	out := []string{}
	for _, t := range dialogueTransitions {
		if t.From == st && a.Can(t.Perm) {
			out = append(out, t.To)
		}
	}
	return out
}

// mayChangeDialogue tells whether the actor may make change c to a dialogue in status st.
func (a Actor) mayChangeDialogue(st DialogueStatus, c dialogueChange) bool {
	for _, r := range dialogueChanges {
		if r.Change == c {
			return r.In == st && a.Can(r.Perm)
		}
	}
	return false
}

// CanEditDialogue tells whether the actor may edit the fields of a dialogue in status st.
func (a Actor) CanEditDialogue(st DialogueStatus) bool { return a.mayChangeDialogue(st, changeEdit) }

// CanRecordAttendance tells whether the actor may record the attendance of a dialogue in status st.
func (a Actor) CanRecordAttendance(st DialogueStatus) bool {
	return a.mayChangeDialogue(st, changeAttendance)
}

// checkDialogueChange is the one rule of every in-place change: without the permission it is
// forbidden; a closed dialogue is frozen; in another status than the change's it is a conflict
// naming the status. d comes back decorated when refused, for the client to show.
func (s *Store) checkDialogueChange(ctx context.Context, actor Actor, d *Dialogue, c dialogueChange) error {
	for _, r := range dialogueChanges {
		if r.Change != c {
			continue
		}
		if !actor.Can(r.Perm) {
			return ErrForbidden
		}
		if d.Status == r.In {
			return nil
		}
		if err := s.decorate(ctx, actor, []*Dialogue{d}, false); err != nil {
			return err
		}
		if d.Status == DialogueClosed {
			return frozenError(d)
		}
		return &ConflictError{Reason: r.Reason, Message: r.Refuse, Details: map[string]any{"current": d, "status": d.Status}}
	}
	return ErrForbidden
}

// checkDialogueTransition is the rule of every move along the lifecycle: an unknown target is a
// field error, a move without the permission is forbidden, and one the lifecycle does not allow
// from the current status is a conflict listing what is allowed. d comes back decorated.
func (s *Store) checkDialogueTransition(ctx context.Context, actor Actor, d *Dialogue, to string) error {
	perm, known := transitionPermission(to)
	if !known {
		return FieldError("to", Msg("Chuyển trạng thái phải là held, postponed, cancelled hoặc closed.", "The target must be held, postponed, cancelled or closed."))
	}
	if !actor.Can(perm) {
		return ErrForbidden
	}
	if err := s.decorate(ctx, actor, []*Dialogue{d}, false); err != nil {
		return err
	}
	if legalTransition(d.Status, to) {
		return nil
	}
	if d.Status == DialogueClosed {
		return frozenError(d)
	}
	return &ConflictError{Reason: "invalid_transition",
		Message: Msg(fmt.Sprintf("Không thể chuyển buổi đối thoại từ “%s” sang “%s”.", statusLabel(string(d.Status)), statusLabel(to)),
			fmt.Sprintf("A %s dialogue cannot become %s.", d.Status, to)),
		Details: map[string]any{"current": d, "allowed": d.AllowedTransitions}}
}

// statusLabel names a status or transition target in Vietnamese.
func statusLabel(st string) string {
	switch st {
	case string(DialoguePlanned):
		return "Dự kiến"
	case string(DialogueHeld):
		return "Đã tổ chức"
	case string(DialogueClosed):
		return "Đã lập biên bản"
	case string(DialogueCancelled):
		return "Đã hủy"
	case TransitionPostpone:
		return "Hoãn"
	}
	return st
}

// frozenError is the conflict of a write to a closed dialogue.
func frozenError(d *Dialogue) error {
	return &ConflictError{Reason: "dialogue_closed",
		Message: Msg("Buổi đối thoại đã kết thúc và lập biên bản; không thể sửa.", "The dialogue is closed with its minutes; it can no longer change."),
		Details: map[string]any{"current": d}}
}
