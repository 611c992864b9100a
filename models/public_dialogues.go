package models

import (
	"context"
	"time"
)

// PublicDialogue is a dialogue as the public board shows it: its notice (when, where, which
// hamlets, the agenda) from the moment the commune published it, and its results once
// published, with the answers given and the follow-ups of the petitions raised at it that the
// board may show. Never the register, the chair's account or anyone's name.
type PublicDialogue struct {
	ID                 int64          `json:"id"`
	Commune            UnitRef        `json:"commune"`
	Title              string         `json:"title"`
	StartsAt           time.Time      `json:"starts_at"`
	EndsAt             *time.Time     `json:"ends_at"`
	Venue              string         `json:"venue"`
	Hamlets            []UnitRef      `json:"hamlets"`
	Agenda             Agenda         `json:"agenda"`
	Status             DialogueStatus `json:"status"`
	NoticePublishedAt  *time.Time     `json:"notice_published_at"`
	NoticeOnTime       *bool          `json:"notice_on_time"`
	ResultsPublishedAt *time.Time     `json:"results_published_at"`
	ResultsSummary     *string        `json:"results_summary"`
	ResultsDueOn       *Date          `json:"results_due_on"`
	ResultsLate        bool           `json:"results_late"`
	VoterRequested     bool           `json:"voter_requested"`
	// Petitions are those raised at the dialogue, shown with its results only.
	Petitions []PublicPetition `json:"petitions"`
}

// PublicDialogues lists a commune's dialogues whose notice or results were published, latest
// first, a keyset page at a time. A dialogue's notice shows from the time it was published.
// As is the basis, as on the board's petitions: "now" (default) lists what the commune holds
// now, its predecessors' dialogues following their hamlets; "then", or for an ended commune,
// only the dialogues held by the commune itself.
func (s *Store) PublicDialogues(ctx context.Context, communeID int64, as string, p Page) ([]PublicDialogue, string, error) {
	commune, err := s.publicCommune(ctx, communeID)
	if err != nil {
		return nil, "", err
	}
	v := &ValidationError{}
	basis := parseBasis(v, as)
	var after dialogueCursor
	if err := p.decode(&after); err != nil {
		v.Add("cursor", Msg("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."))
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	now := s.now()
	q := s.conn(ctx).Model(&Dialogue{}).Where("dialogues.commune_id = ?", commune.ID)
	if basis == BasisNow && commune.Live() {
		cond, args, err := s.dialoguesHeldSQL(ctx, commune)
		if err != nil {
			return nil, "", err
		}
		q = s.conn(ctx).Model(&Dialogue{}).Where(cond, args...)
	}
	q = q.Where("(notice_published_at IS NOT NULL AND notice_published_at <= ?) OR results_published_at IS NOT NULL", now)
	if after.ID != 0 {
		q = q.Where("(starts_at < ? OR (starts_at = ? AND id < ?))", after.StartsAt, after.StartsAt, after.ID)
	}
	var rows []*Dialogue
	limit := p.limit()
	if err := q.Order("starts_at DESC, id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, more := trimPage(rows, limit)
	out, err := s.publicDialoguesOf(ctx, rows)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if more {
		last := rows[len(rows)-1]
		next = encodeCursor(dialogueCursor{StartsAt: last.StartsAt, ID: last.ID})
	}
	return out, next, nil
}

// dialoguesHeldSQL is the condition keeping the dialogues a live commune holds now: those held
// at one of the hamlets under it, by the one definition of what a unit holds (hamletsUnderSQL),
// applied to each of a dialogue's hamlets with the commune that held it.
func (s *Store) dialoguesHeldSQL(ctx context.Context, commune *Unit) (string, []any, error) {
	cond, args, err := s.hamletsUnderSQL(ctx, "dh", []string{commune.Path})
	if err != nil {
		return "", nil, err
	}
	return `EXISTS (SELECT 1 FROM (SELECT x.hamlet_id, dialogues.commune_id AS commune_id
		FROM dialogue_hamlets x WHERE x.dialogue_id = dialogues.id) dh WHERE ` + cond + ")", args, nil
}

// publicDialoguesOf turns dialogues into what the board shows, with the public petitions of
// those whose results are out.
func (s *Store) publicDialoguesOf(ctx context.Context, rows []*Dialogue) ([]PublicDialogue, error) {
	if err := s.decorate(ctx, Actor{}, rows, false); err != nil {
		return nil, err
	}
	withResults := []int64{}
	for _, d := range rows {
		if d.ResultsPublishedAt != nil {
			withResults = append(withResults, d.ID)
		}
	}
	byDialogue := map[int64][]PublicPetition{}
	if len(withResults) > 0 {
		var prow []struct {
			publicRow
			DialogueID int64
		}
		err := s.publicQuery(ctx).Select(publicColumns+", p.dialogue_id").Where("p.dialogue_id IN ?", withResults).
			Order("p.received_at, p.id").Scan(&prow).Error
		if err != nil {
			return nil, err
		}
		today, m := s.today(), new(petitionerMasker)
		for i := range prow {
			byDialogue[prow[i].DialogueID] = append(byDialogue[prow[i].DialogueID], prow[i].public(today, s.masks.masked(&prow[i].publicRow, m)))
		}
	}
	out := make([]PublicDialogue, len(rows))
	for i, d := range rows {
		out[i] = PublicDialogue{ID: d.ID, Title: d.Title, StartsAt: d.StartsAt.UTC(), EndsAt: utcPtr(d.EndsAt),
			Venue: d.Venue, Hamlets: d.Hamlets, Agenda: d.Agenda, Status: d.Status,
			NoticePublishedAt: utcPtr(d.NoticePublishedAt), NoticeOnTime: d.Compliance.NoticeOnTime,
			ResultsPublishedAt: utcPtr(d.ResultsPublishedAt), ResultsSummary: d.ResultsSummary,
			ResultsDueOn: d.Compliance.ResultsDueOn, ResultsLate: d.Compliance.ResultsLate,
			VoterRequested: d.VoterRequestedOn != nil, Petitions: []PublicPetition{}}
		if d.Commune != nil {
			out[i].Commune = *d.Commune
		}
		if ps := byDialogue[d.ID]; ps != nil {
			out[i].Petitions = ps
		}
	}
	return out, nil
}
