package models

import (
	"context"
	"encoding/json"
	"time"
)

// eventLog names one append-only history: its table and the column of the record it follows.
// Both logs have the same columns: actor_id, kind, from_value, to_value, note, data (a JSON
// object as text) and created_at.
type eventLog struct {
	table, owner string
}

// The event logs of the domain.
var (
	dialogueLog = eventLog{table: "dialogue_events", owner: "dialogue_id"}
	petitionLog = eventLog{table: "petition_events", owner: "petition_id"}
)

// EventPrecision is how finely an event's time is kept: PostgreSQL's microseconds, so that both
// databases hold the same instant and a history reads the same from either.
const EventPrecision = time.Microsecond

// appendEvent adds an entry to a history: who (none for the system), what kind, from and to
// (empty for none), a note, and details that become a JSON object. It is the only code that
// writes an event, and it only inserts.
func (s *Store) appendEvent(ctx context.Context, log eventLog, actor Actor, ownerID int64, kind, from, to, note string, data any) error {
	return s.appendEventAt(ctx, log, actor, ownerID, kind, from, to, note, data, nil)
}

// appendEventAt is appendEvent for a step that happened at another time than now (paper.go):
// occurred is kept beside the typing time; nil means now.
func (s *Store) appendEventAt(ctx context.Context, log eventLog, actor Actor, ownerID int64, kind, from, to, note string, data any, occurred *time.Time) error {
	ev, err := s.eventRow(log, actor, ownerID, kind, from, to, note, data, occurred)
	if err != nil {
		return err
	}
	return s.conn(ctx).Exec(ev.sql, ev.args...).Error
}

// sqlPart is a statement, or a part of one, with its arguments.
type sqlPart struct {
	sql  string
	args []any
}

// eventRow is the insert appendEventAt sends, for a write that sends it inside its own statement
// (writePetition, insertPetition). owner is the record's id, or an expression that gives it.
func (s *Store) eventRow(log eventLog, actor Actor, owner any, kind, from, to, note string, data any, occurred *time.Time) (sqlPart, error) {
	raw := []byte("{}")
	if data != nil {
		var err error
		if raw, err = json.Marshal(data); err != nil {
			return sqlPart{}, err
		}
		if string(raw) == "null" {
			raw = []byte("{}")
		}
	}
	var actorID *int64
	if actor.UserID != 0 {
		actorID = &actor.UserID
	}
	var at *time.Time
	if occurred != nil {
		t := occurred.UTC().Truncate(EventPrecision)
		at = &t
	}
	return sqlPart{"INSERT INTO " + log.table + " (" + log.owner + `, actor_id, kind, from_value, to_value, note, data, created_at, occurred_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, []any{owner, actorID, kind, nullable(from), nullable(to), note, string(raw),
		s.now().Truncate(EventPrecision), at}}, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
