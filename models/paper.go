package models

import (
	"context"
	"strings"
	"time"
)

// Paper records typed up later: a dialogue held last week (or in 2024) is entered from its paper
// minutes. Each step records when it happened as well as when it was typed, and every time
// figure of the reports counts from when it happened. The rules, stated once here:
//
//   - Holding and closing a dialogue take `occurred_at`: not before the dialogue's start
//     (closing: not before it was held), never in the future; without it, now (the minutes are
//     due MinutesDueWithin after the dialogue is marked held).
//   - A petition's move takes `occurred_at` (not before it was received, never in the future):
//     it is the time of the answer, the resolution or the closing, and the day a default due
//     date counts from.
//   - An answer given on the spot at a dialogue and published after the dialogue ended carries
//     the time the petition was raised there.
//   - The event of a step records both: created_at when it was typed, occurred_at when it
//     happened (null when that is the same moment); a dialogue entered after it took place shows
//     who typed it and when (Dialogue.FromPaper).

var msgOccurredFuture = Msg("Thời điểm diễn ra không được ở tương lai.", "The time it happened cannot be in the future.")

// PaperRecord says who typed a dialogue up after it took place, and when.
type PaperRecord struct {
	By *UserRef  `json:"by"`
	At time.Time `json:"at"`
}

// paperRecord is the dialogue's paper record when it was entered after it ended, else nil.
func (d *Dialogue) paperRecord(users map[int64]*UserRef) *PaperRecord {
	if !d.CreatedAt.After(d.effectiveEnd()) {
		return nil
	}
	return &PaperRecord{By: users[d.CreatedBy], At: d.CreatedAt.UTC()}
}

// petitionMoveTime is when a petition's move happened: occurred if given (checked against the
// petition and the clock, naming the field in v), else now.
func petitionMoveTime(v *ValidationError, p *Petition, occurred *time.Time, now time.Time) time.Time {
	if occurred == nil {
		return now
	}
	at := occurred.UTC().Truncate(time.Second)
	switch {
	case at.After(now.Add(5 * time.Minute)):
		v.Add("occurred_at", msgOccurredFuture)
	case at.Before(p.ReceivedAt.Truncate(time.Second)):
		v.Add("occurred_at", Msg("Thời điểm diễn ra không được trước khi tiếp nhận ý kiến.", "The time it happened cannot be before the petition was received."))
	}
	return at
}

// moveEventTime is the occurred_at of a move's event: the time the move wrote (the answer,
// resolution or closing time, or when for another move), or nil when it is now.
func moveEventTime(to PetitionState, updates map[string]any, when, now time.Time) *time.Time {
	at := when
	for state, column := range map[PetitionState]string{StateAnswered: "answered_at", StateResolved: "resolved_at", StateClosed: "closed_at"} {
		if to == state {
			if t, ok := updates[column].(time.Time); ok {
				at = t
			}
		}
	}
	if at.Equal(now) {
		return nil
	}
	return &at
}

// onSpotAnswerTime is the time of an answer given on the spot at a dialogue, published after
// the dialogue ended: the time the petition was raised there. ok is false for any other answer.
func (s *Store) onSpotAnswerTime(ctx context.Context, p *Petition, answer string, now time.Time) (at time.Time, ok bool, err error) {
	if p.DialogueID == nil || p.State != StateReceived || strings.TrimSpace(p.OnsiteAnswer) == "" || answer != p.OnsiteAnswer {
		return time.Time{}, false, nil
	}
	var d Dialogue
	if err := s.conn(ctx).Select("id, starts_at, ends_at").First(&d, *p.DialogueID).Error; err != nil {
		return time.Time{}, false, err
	}
	if !now.After(d.effectiveEnd()) {
		return time.Time{}, false, nil
	}
	return p.ReceivedAt, true, nil
}

// dialogueMoveTime is when holding or closing a dialogue happened: the time given (checked,
// naming occurred_at), else now.
func (s *Store) dialogueMoveTime(d *Dialogue, t DialogueTransition, now time.Time) (time.Time, error) {
	if t.To != TransitionHold && t.To != TransitionClose {
		return now, nil
	}
	if strings.TrimSpace(t.OccurredAt) == "" {
		return now, nil
	}
	v := &ValidationError{}
	at, ok := s.whenField(v, "occurred_at", t.OccurredAt)
	if !ok {
		return now, v.Err()
	}
	at = at.UTC().Truncate(time.Second)
	floor := d.StartsAt
	if t.To == TransitionClose && d.HeldAt != nil {
		floor = *d.HeldAt
	}
	switch {
	case at.After(now.Add(5 * time.Minute)):
		v.Add("occurred_at", msgOccurredFuture)
	case at.Before(floor.Truncate(time.Second)):
		v.Add("occurred_at", Msg("Thời điểm diễn ra không được trước khi buổi đối thoại bắt đầu (hoặc được ghi nhận đã tổ chức).",
			"The time it happened cannot be before the dialogue started (or was held)."))
	}
	return at, v.Err()
}

// timePtrUnlessNow is at, or nil when it is now.
func timePtrUnlessNow(at, now time.Time) *time.Time {
	if at.Equal(now) {
		return nil
	}
	return &at
}

// onSpotAnswer dates an answer given on the spot at a dialogue, and published after it ended,
// at the time the petition was raised there.
func (s *Store) onSpotAnswer(ctx context.Context, p *Petition, updates map[string]any, now time.Time) error {
	answer, _ := updates["answer"].(string)
	at, ok, err := s.onSpotAnswerTime(ctx, p, answer, now)
	if ok {
		updates["answered_at"] = at
		if _, first := updates["first_answered_at"]; first {
			updates["first_answered_at"] = at
		}
	}
	return err
}

// mainMoveTime is when a main petition's move happened: its answer, resolution or closing time.
func mainMoveTime(main *Petition) *time.Time {
	switch main.State {
	case StateAnswered:
		return main.AnsweredAt
	case StateResolved:
		return main.ResolvedAt
	case StateClosed:
		return main.ClosedAt
	}
	return nil
}
