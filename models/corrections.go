package models

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Corrections (sửa thông tin): commune staff put right what was recorded of a petition, its
// hamlet, topic, kind, channel, content and petitioner, with the version they saw. The rules,
// stated once here:
//
//   - staff of the petition's commune correct it (PermPetitionsCorrect), while it is open: a
//     resolved or closed petition is reopened first;
//   - who may not know the petitioner (a secretary, for a denunciation) corrects neither the
//     petitioner nor the kind; an anonymous petition has no petitioner to correct;
//   - a petition raised at a dialogue keeps the channel dialogue; an accepted complaint or
//     denunciation keeps its kind (the law's time runs from its acceptance);
//   - the petition as corrected passes every rule of a new one (petitionDraft, intakeDraft,
//     requireIdentification): a
//     complaint or denunciation received from 1 July 2026 needs its petitioner's identification,
//     the hamlet is a live hamlet of the petition's commune, the topic is active;
//   - a correction that changes nothing is refused, naming the fields sent; a refused one
//     changes nothing;
//   - each correction is one "corrected" event listing every changed field before and after;
//     the petitioner's fields in it are shown only to who may know the petitioner (PetitionEvents);
//   - once an answer is published, a correction of what the board shows sets corrected_at,
//     which the board shows ("đã chỉnh sửa ngày …");
//   - the report counts move with it (writePetition moves the rollups); corrected to a
//     denunciation, it becomes private; a petition still at its first step whose deadline came
//     from its kind and channel gets the deadline of its corrected kind and channel.

// EventCorrected records a correction: its data lists the changes (fieldChange).
const EventCorrected = "corrected"

// correctionFields are the fields a correction may change, as the API names them.
var correctionFields = []string{"hamlet_id", "topic_id", "kind", "channel", "content", "name", "phone", "address", "id_number"}

// personalField tells whether a field is the petitioner's: personal data. (A switch: every
// item of a petition list asks it of each field.)
func personalField(f string) bool {
	switch f {
	case "name", "phone", "address", "id_number":
		return true
	}
	return false
}

// publicFields are the fields the public board shows.
var publicFields = map[string]bool{"hamlet_id": true, "topic_id": true, "kind": true, "channel": true, "content": true}

// correctionColumns are the petitions' columns of the fields a correction changes.
var correctionColumns = map[string]string{"hamlet_id": "hamlet_id", "topic_id": "topic_id", "kind": "kind", "channel": "channel",
	"content": "content", "name": "petitioner_name", "phone": "petitioner_phone", "address": "petitioner_address",
	"id_number": "petitioner_id_number", "incoming_number": "incoming_number", "incoming_date": "incoming_date"}

// Messages of the correction rules.
var (
	msgCorrectClosed = Msg("Ý kiến đã giải quyết hoặc đã đóng; hãy mở lại ý kiến rồi mới sửa thông tin.",
		"The petition is resolved or closed; reopen it before correcting it.")
	msgCorrectNothing = Msg("Không có thay đổi nào so với thông tin đang lưu.", "Nothing differs from what is recorded.")
	msgCorrectEmpty   = Msg("Hãy nêu ít nhất một thông tin cần sửa.", "Name at least one field to correct.")
	msgKindAccepted   = Msg("Khiếu nại, tố cáo đã thụ lý không đổi loại được.", "An accepted complaint or denunciation keeps its kind.")
	msgChannelHeld    = Msg("Ý kiến nêu tại buổi đối thoại có kênh là dialogue.", "A petition raised at a dialogue has the channel dialogue.")
	msgAnonymousNone  = Msg("Ý kiến ẩn danh không ghi họ tên, điện thoại, địa chỉ hay số định danh người nêu.",
		"An anonymous petition carries no name, phone, address or identification number.")
	msgHamletOfCommune = Msg("Ấp phải là ấp đang hoạt động của xã của ý kiến.", "The hamlet must be a live hamlet of the petition's commune.")
)

// PetitionCorrection corrects what was recorded of a petition: each field given replaces the
// stored one, those left out stay. Note says why; Version is the one the writer saw.
type PetitionCorrection struct {
	HamletID           *int64  `json:"hamlet_id"`
	TopicID            *int64  `json:"topic_id"`
	Kind               *string `json:"kind"`
	Channel            *string `json:"channel"`
	Content            *string `json:"content"`
	PetitionerName     *string `json:"name"`
	PetitionerPhone    *string `json:"phone"`
	PetitionerAddress  *string `json:"address"`
	PetitionerIDNumber *string `json:"id_number"`
	Note               string  `json:"note"`
	Version            *int    `json:"version"`
}

// given lists the fields the correction names, in correctionFields' order.
func (in PetitionCorrection) given() []string {
	set := map[string]bool{"hamlet_id": in.HamletID != nil, "topic_id": in.TopicID != nil, "kind": in.Kind != nil,
		"channel": in.Channel != nil, "content": in.Content != nil, "name": in.PetitionerName != nil,
		"phone": in.PetitionerPhone != nil, "address": in.PetitionerAddress != nil, "id_number": in.PetitionerIDNumber != nil}
	var out []string
	for _, f := range correctionFields {
		if set[f] {
			out = append(out, f)
		}
	}
	return out
}

// CorrectableFields lists the fields of the petition the actor may correct now; none when the
// actor may not correct it or it is no longer open. seesCommune tells whether the actor works in
// its commune or above.
func CorrectableFields(a Actor, p *Petition, seesCommune bool) []string {
	if !mayCorrect(a, seesCommune) || p.State.Type() != TypeOpen {
		return []string{}
	}
	out := make([]string, 0, len(correctionFields)) // grown once: every item of a list has one
	for _, f := range correctionFields {
		if correctionRefusal(p, f) != nil || guarded(a, p, f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// mayCorrect tells whether the actor corrects petitions of a commune at all.
func mayCorrect(a Actor, seesCommune bool) bool {
	return seesCommune && a.Can(PermPetitionsCorrect)
}

// knowsPetitioner tells whether the actor, working in the petition's commune, may know who
// raised it: a denunciation's petitioner only with PermPetitionsSeeDenouncer.
func knowsPetitioner(a Actor, p *Petition) bool {
	return p.Kind != KindDenunciation || a.Can(PermPetitionsSeeDenouncer)
}

// guarded tells whether the field is kept from the actor: the kind and the petitioner of a
// denunciation, which would tell who raised it, for who may not know.
func guarded(a Actor, p *Petition, field string) bool {
	return (field == "kind" || personalField(field)) && !knowsPetitioner(a, p)
}

// correctionRefusal says why a field of the petition cannot be corrected, whoever asks; nil
// when it can.
func correctionRefusal(p *Petition, field string) *Message {
	switch {
	case field == "kind" && p.AcceptedAt != nil:
		return &msgKindAccepted
	case field == "channel" && p.DialogueID != nil:
		return &msgChannelHeld
	case personalField(field) && p.Anonymous:
		return &msgAnonymousNone
	}
	return nil
}

// checkCorrection checks who asks and what they name before anything is read again: 403 for
// who may not, 409 for a petition no longer open, 422 naming each field that cannot change.
func checkCorrection(a Actor, p *Petition, seesCommune bool, today Date, in PetitionCorrection, v *ValidationError) error {
	if !mayCorrect(a, seesCommune) {
		return ErrForbidden
	}
	given := in.given()
	for _, f := range given {
		if guarded(a, p, f) {
			return ErrForbidden
		}
	}
	if p.State.Type() != TypeOpen {
		p.finish(a, seesCommune, today)
		return &ConflictError{Reason: "petition_not_open", Message: msgCorrectClosed,
			Details: map[string]any{"current": p, "state": p.State, "allowed": p.AllowedTransitions}}
	}
	if len(given) == 0 {
		v.Add("fields", msgCorrectEmpty)
	}
	for _, f := range given {
		if m := correctionRefusal(p, f); m != nil {
			v.Add(f, *m)
		}
	}
	if in.Version == nil {
		v.Add("version", msgRequired)
	}
	return nil
}

// fieldChange is one field of a correction, before and after. Protected marks the petitioner's
// fields of a petition that was or became a denunciation; Hidden replaces both values for a
// reader who may not know the petitioner.
type fieldChange struct {
	Field     string `json:"field"`
	From      any    `json:"from,omitempty"`
	To        any    `json:"to,omitempty"`
	Protected bool   `json:"protected,omitempty"`
	Hidden    bool   `json:"hidden,omitempty"`
}

// correctedInput is the petition as the correction makes it, as a new petition's input, so that
// petitionDraft checks it by the rules of a new petition. A letter's incoming document goes
// with its channel.
func correctedInput(p *Petition, in PetitionCorrection) PetitionInput {
	out := PetitionInput{CommuneID: p.CommuneID, HamletID: p.HamletID, DialogueID: p.DialogueID, Channel: string(p.Channel),
		Kind: string(p.Kind), TopicID: &p.TopicID, Content: p.Content, PetitionerName: p.PetitionerName,
		PetitionerPhone: p.PetitionerPhone, PetitionerAddress: p.PetitionerAddress, Anonymous: p.Anonymous,
		OnsiteAnswer: p.OnsiteAnswer, ReceivedAt: &p.ReceivedAt, Private: p.Private, PetitionerIDNumber: p.PetitionerIDNumber,
		IncomingNumber: p.IncomingNumber}
	if p.IncomingDate != nil {
		out.IncomingDate = string(*p.IncomingDate)
	}
	pick := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	if in.HamletID != nil {
		out.HamletID = *in.HamletID
	}
	if in.TopicID != nil {
		out.TopicID = in.TopicID
	}
	pick(&out.Kind, in.Kind)
	pick(&out.Channel, in.Channel)
	pick(&out.Content, in.Content)
	pick(&out.PetitionerName, in.PetitionerName)
	pick(&out.PetitionerPhone, in.PetitionerPhone)
	pick(&out.PetitionerAddress, in.PetitionerAddress)
	pick(&out.PetitionerIDNumber, in.PetitionerIDNumber)
	if Channel(out.Channel) != ChannelLetter {
		out.IncomingNumber, out.IncomingDate = "", ""
	}
	return out
}

// correctionValues are the values of the fields a correction may change, by field.
func correctionValues(p *Petition) map[string]any {
	var incoming any
	if p.IncomingDate != nil {
		incoming = string(*p.IncomingDate)
	}
	return map[string]any{"hamlet_id": p.HamletID, "topic_id": p.TopicID, "kind": string(p.Kind), "channel": string(p.Channel),
		"content": p.Content, "name": p.PetitionerName, "phone": p.PetitionerPhone, "address": p.PetitionerAddress,
		"id_number": p.PetitionerIDNumber, "incoming_number": p.IncomingNumber, "incoming_date": incoming}
}

// correctionChanges lists what differs from p in next, the letter's document last.
func correctionChanges(p, next *Petition) []fieldChange {
	before, after := correctionValues(p), correctionValues(next)
	protected := p.Kind == KindDenunciation || next.Kind == KindDenunciation
	var out []fieldChange
	for _, f := range append(slices.Clone(correctionFields), "incoming_number", "incoming_date") {
		if before[f] == after[f] {
			continue
		}
		out = append(out, fieldChange{Field: f, From: before[f], To: after[f], Protected: protected && personalField(f)})
	}
	return out
}

// CorrectPetition corrects what was recorded of a petition by the rules of this file, in one
// write with the next version and one "corrected" event; the report counts move with it.
func (s *Store) CorrectPetition(ctx context.Context, actor Actor, id int64, in PetitionCorrection) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		r, seesCommune, err := s.petitionRecord(ctx, actor, id)
		if err != nil {
			return err
		}
		p, today, v := &r.Petition, s.today(), &ValidationError{}
		if err := checkCorrection(actor, p, seesCommune, today, in, v); err != nil {
			return err
		}
		note := noteField(v, "note", in.Note)
		if err := v.Err(); err != nil {
			return err
		}
		if err := p.staleFor(*in.Version, actor, seesCommune, today); err != nil {
			return err
		}
		next, err := s.correctedPetition(ctx, actor, r, in, v)
		if err != nil {
			return err
		}
		changes := correctionChanges(p, next)
		if len(changes) == 0 {
			for _, f := range in.given() {
				v.Add(f, msgCorrectNothing)
			}
			return v.Err()
		}
		updates, data := s.correctionUpdates(p, next, changes)
		if err := s.correctedDeadline(ctx, r, next, updates, data); err != nil {
			return err
		}
		if out, err = s.writePetition(ctx, actor, p, seesCommune, today, updates); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, actor, p.ID, EventCorrected, "", "", note, data)
	})
	return out, failed(err, "correct petition %d", id)
}

// correctedPetition is the petition as corrected, checked by the rules of a new petition and
// the hamlet and topic looked up; a ValidationError names every bad field.
func (s *Store) correctedPetition(ctx context.Context, actor Actor, r *petitionRecord, in PetitionCorrection, v *ValidationError) (*Petition, error) {
	p := &r.Petition
	draft := petitionDraft(correctedInput(p, in), v, s.now())
	next := *p
	next.Kind, next.Channel, next.Content = draft.Kind, draft.Channel, draft.Content
	next.PetitionerName, next.PetitionerPhone, next.PetitionerAddress = draft.PetitionerName, draft.PetitionerPhone, draft.PetitionerAddress
	next.PetitionerIDNumber, next.IncomingNumber, next.IncomingDate = draft.PetitionerIDNumber, draft.IncomingNumber, draft.IncomingDate
	next.Private = p.Private || next.Kind == KindDenunciation
	requireIdentification(v, &next)
	if in.HamletID != nil && *in.HamletID != p.HamletID {
		h, err := s.unitByID(ctx, *in.HamletID)
		// A live hamlet of the commune the petition was made in, or of the one its hamlet now
		// belongs to (after a reorganization), that the actor sees.
		if err != nil || h.Level != LevelHamlet || !h.Live() || !actor.Sees(h.Path) ||
			(parentPath(h.Path) != r.CommunePath && parentPath(h.Path) != parentPath(r.HamletPath)) {
			v.Add("hamlet_id", msgHamletOfCommune)
		} else {
			next.HamletID = h.ID
		}
	}
	if in.TopicID != nil && *in.TopicID != p.TopicID {
		if t, ok := s.petitionTopic(ctx, v, in.TopicID, ""); ok {
			next.TopicID = t.ID
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &next, nil
}

// correctionUpdates are the columns a correction writes and its event's data: the changes, the
// search text, the board's "corrected" date when an answer is already published, and the
// petitioner's replaced details for the board's masking.
func (s *Store) correctionUpdates(p, next *Petition, changes []fieldChange) (map[string]any, map[string]any) {
	now := s.now()
	updates := map[string]any{"updated_at": now, "private": next.Private}
	values := correctionValues(next)
	public, former := false, strings.Split(p.PetitionerFormer, "\n")
	for _, c := range changes {
		updates[correctionColumns[c.Field]] = values[c.Field]
		public = public || publicFields[c.Field]
		if old, ok := c.From.(string); ok && personalField(c.Field) && old != "" && !slices.Contains(former, old) {
			former = append(former, old)
		}
	}
	updates["petitioner_former"] = strings.Trim(strings.Join(former, "\n"), "\n")
	updates["search_text"] = petitionSearchText(next)
	data := map[string]any{"changes": changes}
	if public && (p.FirstAnsweredAt != nil || p.AnsweredAt != nil) {
		updates["corrected_at"], data["public"] = now, true
	}
	return updates, data
}

// correctedDeadline gives a petition still at its first step, whose due date came from its kind
// and channel, the first deadline of its corrected kind and channel (none for some), counted
// from the day it was received. Any other due date stays: it was set by someone.
func (s *Store) correctedDeadline(ctx context.Context, r *petitionRecord, next *Petition, updates, data map[string]any) error {
	p := &r.Petition
	was, now := firstRule(p.Kind, p.Channel), firstRule(next.Kind, next.Channel)
	if p.State != StateReceived || was == now || (p.DueRule != nil && *p.DueRule != was) || (p.DueRule == nil && p.DueOn != nil) {
		return nil
	}
	if now == "" {
		updates["due_on"], updates["due_rule"], updates["due_rule_text"] = nil, nil, ""
		data["due_on"] = nil
		return nil
	}
	d, err := s.deadlineFor(ctx, now, calendar.DateOf(p.ReceivedAt), ComplexityNormal, r.CommuneRemote, 0)
	if err != nil {
		return err
	}
	d.set(updates, data)
	return nil
}

// redactCorrections hides the petitioner's fields of correction events from a reader who may
// not know the petitioner: knows tells whether the reader knows the current one, and
// seesDenouncer whether they may know a denunciation's.
func redactCorrections(events []PetitionEvent, knows, seesDenouncer bool) {
	for i := range events {
		e := &events[i]
		if e.Kind != EventCorrected {
			continue
		}
		var d struct {
			Changes []fieldChange `json:"changes"`
		}
		if json.Unmarshal(e.Data, &d) != nil {
			continue
		}
		var all map[string]any
		_ = json.Unmarshal(e.Data, &all)
		for j := range d.Changes {
			c := &d.Changes[j]
			if personalField(c.Field) && (!knows || (c.Protected && !seesDenouncer)) {
				c.From, c.To, c.Hidden = nil, nil, true
			}
		}
		all["changes"] = d.Changes
		if raw, err := json.Marshal(all); err == nil {
			e.Data = raw
		}
	}
}
