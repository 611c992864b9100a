package models

import (
	"context"
	"encoding/json"
	"time"
)

// PetitionEvent is one entry of a petition's append-only history: a state change, an
// assignment, a due date, an answer or a note. Nothing ever updates or deletes one; the
// database refuses it too (a trigger in migration 00003).
type PetitionEvent struct {
	ID         int64     `json:"id"`
	PetitionID int64     `json:"petition_id"`
	ActorID    *int64    `json:"actor_id"`
	ActorName  string    `json:"actor_name" gorm:"->"`
	Kind       string    `json:"kind"`
	FromValue  *string   `json:"from"`
	ToValue    *string   `json:"to"`
	Note       string    `json:"note"`
	Data       EventData `json:"data"`
	CreatedAt  time.Time `json:"created_at"`
	// OccurredAt is when the step happened, when it was typed up later (paper.go); else null.
	OccurredAt *time.Time `json:"occurred_at"`
}

// The kinds of petition events.
const (
	EventCreated       = "created"
	EventTransition    = "transition"
	EventAnswerDrafted = "answer_drafted"
	EventDueChanged    = "due_changed"
	EventNote          = "note"
	// EventAccepted records the acceptance (thụ lý) of a complaint or a denunciation.
	EventAccepted = "accepted"
	// EventDeadlineExtended records an extension of the time to resolve, as the law allows.
	EventDeadlineExtended = "deadline_extended"
)

// petitionEvents returns a petition's history, oldest first, whoever asks.
func (s *Store) petitionEvents(ctx context.Context, petitionID int64) ([]PetitionEvent, error) {
	var out []PetitionEvent
	err := s.conn(ctx).Table("petition_events e").
		Select("e.id, e.petition_id, e.actor_id, COALESCE(u.full_name, '') AS actor_name, e.kind, e.from_value, e.to_value, e.note, e.data, e.created_at, e.occurred_at").
		Joins("LEFT JOIN users u ON u.id = e.actor_id").
		Where("e.petition_id = ?", petitionID).Order("e.id").Scan(&out).Error
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PetitionEvents returns the history of a petition the actor may see, oldest first.
func (s *Store) PetitionEvents(ctx context.Context, actor Actor, petitionID int64) ([]PetitionEvent, error) {
	p, seesCommune, err := s.petitionRow(ctx, actor, petitionID)
	if err != nil {
		return nil, err
	}
	events, err := s.petitionEvents(ctx, petitionID)
	if err != nil {
		return nil, err
	}
	// The petitioner's details a correction changed are personal data (corrections.go).
	redactCorrections(events, seesCommune && knowsPetitioner(actor, p), actor.Can(PermPetitionsSeeDenouncer))
	return events, nil
}

// EventData is the JSON object of details an event carries, stored as text.
type EventData []byte

// Scan reads the stored text.
func (d *EventData) Scan(v any) error {
	switch x := v.(type) {
	case string:
		*d = EventData(x)
	case []byte:
		*d = append(EventData(nil), x...)
	case nil:
		*d = nil
	}
	return nil
}

// MarshalJSON writes the details as a JSON object.
func (d EventData) MarshalJSON() ([]byte, error) {
	if len(d) == 0 || !json.Valid(d) {
		return []byte("{}"), nil
	}
	return d, nil
}
