package models

import (
	"context"
	"fmt"
	"slices"
)

// One matter, many voices: petitions raising the same matter (the same road from three hamlets)
// are linked to one main petition of the same commune. The rules, stated once here:
//
//   - commune staff link and unlink (PermPetitionsLink);
//   - both petitions are open; the main is not itself linked to another (so there are no chains
//     and no cycles), and a petition others are linked to is not linked in turn;
//   - a linked petition follows its main: the main's published answer is its answer, and it is
//     resolved or closed with the main, each with an event of its own; it is not answered,
//     resolved, closed or reopened on its own while linked (unlink it first);
//   - linking to a main already answered answers the petition at once with the main's answer.
//
// Closing a true duplicate (close reason duplicate) stays as it was.

// The kinds of link events, recorded on both petitions.
const (
	EventLinked   = "linked"
	EventUnlinked = "unlinked"
)

// PetitionLink links a petition to a main one, at the version the writer saw.
type PetitionLink struct {
	MainID  *int64 `json:"main_id"`
	Note    string `json:"note"`
	Version *int   `json:"version"`
}

// PetitionRef names a petition inside another record.
type PetitionRef struct {
	ID        int64         `json:"id"`
	Reference string        `json:"reference"`
	HamletID  int64         `json:"hamlet_id"`
	State     PetitionState `json:"state"`
}

// PetitionLinks is the matter a petition belongs to: its main (when it is linked) and the
// petitions linked to it (when it is a main).
type PetitionLinks struct {
	Main   *PetitionRef  `json:"main"`
	Linked []PetitionRef `json:"linked"`
}

// followerTargets keeps, of the machine's targets, those a linked petition takes on its own:
// answering, resolving, closing and reopening come from its main.
func followerTargets(next []PetitionState) []PetitionState {
	out := []PetitionState{}
	for _, to := range next {
		if to != StateAnswered && to != StateResolved && to != StateClosed && to != StateReopened {
			out = append(out, to)
		}
	}
	return out
}

var (
	msgLinkMain = Msg("Ý kiến chính phải là một ý kiến khác, đang mở, của cùng xã.", "The main petition must be another open petition of the same commune.")
	msgNotOpen  = Msg("Ý kiến đã được giải quyết hoặc đóng.", "The petition is no longer open.")
)

// LinkPetition links a petition to the main one raising the same matter.
func (s *Store) LinkPetition(ctx context.Context, actor Actor, id int64, in PetitionLink) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermPetitionsLink) {
			return ErrForbidden
		}
		main, err := s.checkLink(ctx, actor, p, in)
		if err != nil {
			return err
		}
		today := s.today()
		if err := p.staleFor(*in.Version, actor, seesCommune, today); err != nil {
			return err
		}
		if err := s.linkRefusal(ctx, actor, p, seesCommune, today); err != nil {
			return err
		}
		note := noteField(&ValidationError{}, "note", in.Note)
		updates := map[string]any{"main_id": main.ID, "updated_at": s.now()}
		if out, err = s.writePetition(ctx, actor, p, seesCommune, today, updates); err != nil {
			return err
		}
		data := map[string]any{"main_id": main.ID, "main_reference": main.Reference, "linked_id": p.ID, "linked_reference": p.Reference}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventLinked, "", main.Reference, note, data); err != nil {
			return err
		}
		if err := s.appendEvent(ctx, petitionLog, actor, main.ID, EventLinked, "", p.Reference, note, data); err != nil {
			return err
		}
		if main.State == StateAnswered && out.State != StateAnswered {
			// The matter is answered already: the petition takes the main's answer now.
			if err := s.follow(ctx, actor, main, out); err != nil {
				return err
			}
			out, err = s.Petition(ctx, actor, p.ID)
		}
		return err
	})
	return out, failed(err, "link petition %d", id)
}

// checkLink validates the link's fields and returns the main petition.
func (s *Store) checkLink(ctx context.Context, actor Actor, p *Petition, in PetitionLink) (*Petition, error) {
	v := &ValidationError{}
	if in.Version == nil {
		v.Add("version", msgRequired)
	}
	noteField(v, "note", in.Note)
	var main *Petition
	if in.MainID == nil {
		v.Add("main_id", msgRequired)
	} else if m, _, err := s.petitionRow(ctx, actor, *in.MainID); err != nil || m.ID == p.ID || m.CommuneID != p.CommuneID || m.State.Type() != TypeOpen {
		v.Add("main_id", msgLinkMain)
	} else if m.MainID != nil {
		v.Add("main_id", Msg("Ý kiến chính đã được gắn vào một ý kiến chính khác; hãy gắn vào ý kiến đó.",
			"The main petition is itself linked to another; link to that one."))
	} else {
		main = m
	}
	return main, v.Err()
}

// linkRefusal is the conflict of linking a petition that may not be linked: one closed or
// resolved, one linked already, or one others are linked to.
func (s *Store) linkRefusal(ctx context.Context, actor Actor, p *Petition, seesCommune bool, today Date) error {
	reason, msg := "", Message{}
	switch {
	case p.State.Type() != TypeOpen:
		reason, msg = "petition_not_open", msgNotOpen
	case p.MainID != nil:
		reason, msg = "petition_linked", Msg("Ý kiến đã được gắn vào một ý kiến chính; hãy gỡ trước.", "The petition is linked to a main one already; unlink it first.")
	default:
		var n int64
		if err := s.conn(ctx).Table("petitions").Where("main_id = ?", p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		reason, msg = "petition_is_main", Msg("Đã có ý kiến khác gắn vào ý kiến này; ý kiến chính không gắn vào ý kiến khác.", "Other petitions are linked to this one; a main petition is not linked in turn.")
	}
	p.finish(actor, seesCommune, today)
	return &ConflictError{Reason: reason, Message: msg, Details: map[string]any{"current": p}}
}

// UnlinkPetition takes a petition out of its matter; it is handled on its own again.
func (s *Store) UnlinkPetition(ctx context.Context, actor Actor, id int64, in PetitionLink) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermPetitionsLink) {
			return ErrForbidden
		}
		v := &ValidationError{}
		note := noteField(v, "note", in.Note)
		if in.Version == nil {
			v.Add("version", msgRequired)
		}
		if err := v.Err(); err != nil {
			return err
		}
		today := s.today()
		if err := p.staleFor(*in.Version, actor, seesCommune, today); err != nil {
			return err
		}
		if p.MainID == nil {
			p.finish(actor, seesCommune, today)
			return &ConflictError{Reason: "petition_not_linked", Details: map[string]any{"current": p},
				Message: Msg("Ý kiến không gắn vào ý kiến chính nào.", "The petition is not linked to a main one.")}
		}
		var main Petition
		if err := s.conn(ctx).Select("id, reference").First(&main, *p.MainID).Error; err != nil {
			return err
		}
		if out, err = s.writePetition(ctx, actor, p, seesCommune, today, map[string]any{"main_id": nil, "updated_at": s.now()}); err != nil {
			return err
		}
		data := map[string]any{"main_id": main.ID, "main_reference": main.Reference, "linked_id": p.ID, "linked_reference": p.Reference}
		if err := s.appendEvent(ctx, petitionLog, actor, p.ID, EventUnlinked, main.Reference, "", note, data); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, actor, main.ID, EventUnlinked, p.Reference, "", note, data)
	})
	return out, failed(err, "unlink petition %d", id)
}

// Links returns the matter of a petition the actor may see: its main and the petitions linked
// to it, those the actor may see.
func (s *Store) Links(ctx context.Context, actor Actor, id int64) (*PetitionLinks, error) {
	p, _, err := s.petitionRow(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out := &PetitionLinks{Linked: []PetitionRef{}}
	mainID := p.ID
	if p.MainID != nil {
		mainID = *p.MainID
	}
	var rows []petitionRecord
	err = s.conn(ctx).Table("petitions").Select("petitions.id, petitions.reference, petitions.hamlet_id, petitions.state, petitions.main_id, h.path AS hamlet_path").
		Joins("JOIN units h ON h.id = petitions.hamlet_id").
		Where("petitions.id = ? OR petitions.main_id = ?", mainID, mainID).Order("petitions.received_at, petitions.id").Scan(&rows).Error
	if err != nil {
		return nil, failed(err, "links of petition %d", id)
	}
	for _, r := range rows {
		if !actor.Sees(r.HamletPath) {
			continue
		}
		ref := PetitionRef{ID: r.ID, Reference: r.Reference, HamletID: r.HamletID, State: r.State}
		switch {
		case r.ID == mainID && p.MainID != nil:
			out.Main = &ref
		case r.ID != mainID && p.MainID == nil:
			out.Linked = append(out.Linked, ref)
		}
	}
	return out, nil
}

// followMain carries a main petition's move (hasLinked: others are linked to it) to the petitions linked to it: its published
// answer, its resolution, its closing. Each follower moves only where the machine lets it (one
// already closed stays closed) and gets an event and the resident's message of its own.
func (s *Store) followMain(ctx context.Context, actor Actor, main *Petition, hasLinked bool) error {
	if !hasLinked || (main.State != StateAnswered && main.State != StateResolved && main.State != StateClosed) {
		return nil
	}
	var followers []Petition
	if err := s.conn(ctx).Where("main_id = ?", main.ID).Order("id").Find(&followers).Error; err != nil {
		return err
	}
	for i := range followers {
		if err := s.follow(ctx, actor, main, &followers[i]); err != nil {
			return err
		}
	}
	return nil
}

// follow moves one linked petition to its main's state, with the main's answer and outcome.
func (s *Store) follow(ctx context.Context, actor Actor, main, f *Petition) error {
	if !slices.Contains(lifecycle[f.State].Next, main.State) {
		return nil
	}
	updates := map[string]any{"state": main.State, "state_type": main.State.Type(), "updated_at": s.now()}
	data := map[string]any{"main_id": main.ID, "main_reference": main.Reference}
	switch main.State {
	case StateAnswered:
		updates["answer"], updates["answer_draft"] = main.Answer, main.Answer
		updates["answered_at"], updates["answered_by"] = main.AnsweredAt, main.AnsweredBy
		if f.FirstAnsweredAt == nil {
			updates["first_answered_at"] = main.AnsweredAt
		}
		updates["search_text"] = petitionSearchText(&Petition{Reference: f.Reference, Content: f.Content, OnsiteAnswer: f.OnsiteAnswer, Answer: main.Answer})
		data["answer"] = main.Answer
	case StateResolved:
		updates["resolved_at"], updates["satisfaction"] = main.ResolvedAt, main.Satisfaction
	case StateClosed:
		updates["closed_at"], updates["close_reason"], updates["satisfaction"] = main.ClosedAt, main.CloseReason, main.Satisfaction
		updates["duplicate_of"] = main.DuplicateOf
	}
	receptionMet(f, updates)
	stored, err := s.writePetition(ctx, actor, f, true, s.today(), updates)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("Theo ý kiến chính %s", main.Reference)
	at := mainMoveTime(main)
	if at != nil && at.Equal(s.now()) {
		at = nil
	}
	if err := s.appendEventAt(ctx, petitionLog, actor, f.ID, EventTransition, string(f.State), string(main.State), note, data, at); err != nil {
		return err
	}
	return s.noticeTransition(ctx, actor, stored)
}
