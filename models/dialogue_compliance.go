package models

import (
	"context"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// The rules the law sets for the dialogues themselves, decided here once and used by the
// dialogue's record, the public board and the reports (Law on Organization of Local Government
// 2025, art. 43, through the dialogue_* deadline rules):
//
//   - Notice: published at least the dialogue_notice rule's days (working days when it says so)
//     before the dialogue's day. On time when published by that day; late when published after
//     it, or not published once it has passed. A cancelled dialogue needs none.
//   - Results: published within the dialogue_results rule's days after the dialogue's day (the
//     day it took place, not the day it was typed in), ending on a working day. On time when
//     published by then; late when published after, or not published once it has passed.
//   - A year: at least the dialogue_yearly rule's number of dialogues that took place (held or
//     closed) in each calendar year, by the day they took place.
//   - Voters: a request signed by at least the dialogue_voter_request rule's share of the
//     voters calls for a dialogue.

// The kinds of dialogue events the publications add.
const (
	EventDialogueNoticePublished  = "notice_published"
	EventDialogueResultsPublished = "results_published"
)

// maxResultsChars bounds the published results' summary.
const maxResultsChars = 20000

// DialogueCompliance is how one dialogue meets the law's rules on its notice and its results:
// the rules' words, the last day for each, and whether it was met (null while there is time).
type DialogueCompliance struct {
	NoticeRule    string `json:"notice_rule"`
	NoticeDueOn   Date   `json:"notice_due_on"`
	NoticeOnTime  *bool  `json:"notice_on_time"`
	NoticeLate    bool   `json:"notice_late"`
	ResultsRule   string `json:"results_rule"`
	ResultsDueOn  *Date  `json:"results_due_on"`
	ResultsOnTime *bool  `json:"results_on_time"`
	ResultsLate   bool   `json:"results_late"`
}

// dialogueClock holds what the dialogue rules need: the rules and the working-day calendar. It
// keeps the rules' texts and the due days it worked out, since a report judges hundreds of
// dialogues on fewer days: one clock serves one request, not several at once.
type dialogueClock struct {
	notice, results, yearly, voters *DeadlineRule
	w                               *calendar.Workdays
	noticeText, resultsText         string
	votersText                      string
	noticeDues, resultsDues         map[Date]Date
}

// dialogueClock loads the dialogue rules and the calendar (reference.go).
func (s *Store) dialogueClock(ctx context.Context) (*dialogueClock, error) {
	rules, err := s.dialogueRules(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.sharedWorkdays(ctx)
	if err != nil {
		return nil, err
	}
	// The clock's own copies of the rules: the map is shared.
	notice, results := rules[RuleDialogueNotice], rules[RuleDialogueResults]
	yearly, voters := rules[RuleDialogueYearly], rules[RuleDialogueVoterRequest]
	c := &dialogueClock{notice: &notice, results: &results, yearly: &yearly, voters: &voters, w: w}
	c.noticeText, c.resultsText, c.votersText = c.notice.Text(), c.results.Text(), c.voters.Text()
	c.noticeDues, c.resultsDues = map[Date]Date{}, map[Date]Date{}
	return c, nil
}

// noticeDue is the last day the notice of a dialogue starting on day may be published in time:
// the rule's days (working days when it says so) before it.
func (c *dialogueClock) noticeDue(day Date) Date {
	if due, ok := c.noticeDues[day]; ok {
		return due
	}
	due := day
	if !c.notice.Working {
		due = day.AddDays(-c.notice.Days)
	} else {
		for n := c.notice.Days; n > 0; {
			due = due.AddDays(-1)
			if c.w.IsWorkingDay(due) {
				n--
			}
		}
	}
	c.noticeDues[day] = due
	return due
}

// resultsDue is the last day the results of a dialogue that took place on day may be published.
func (c *dialogueClock) resultsDue(day Date) Date {
	if due, ok := c.resultsDues[day]; ok {
		return due
	}
	due := c.results.Due(c.w, day, c.results.Days)
	c.resultsDues[day] = due
	return due
}

// shortNotice tells whether a dialogue was planned after its notice was due; one entered
// after it took place (from paper) is not.
func (c *dialogueClock) shortNotice(d *Dialogue) bool {
	planned, day := calendar.DateOf(d.CreatedAt), calendar.DateOf(d.StartsAt)
	return planned <= day && planned > c.noticeDue(day)
}

// met says whether a step published at published (nil: not yet) met its last day due, as of
// today: nil while not published and there is still time.
func met(published *time.Time, due, today Date) *bool {
	var ok bool
	switch {
	case published != nil:
		ok = calendar.DateOf(*published) <= due
	case today > due:
		ok = false
	default:
		return nil
	}
	return &ok
}

// compliance works out how a dialogue meets the notice and results rules as of today.
func (c *dialogueClock) compliance(d *Dialogue, today Date) *DialogueCompliance {
	day := calendar.DateOf(d.StartsAt)
	out := &DialogueCompliance{NoticeRule: c.noticeText, NoticeDueOn: c.noticeDue(day), ResultsRule: c.resultsText}
	if d.Status != DialogueCancelled {
		out.NoticeOnTime = met(d.NoticePublishedAt, out.NoticeDueOn, today)
		out.NoticeLate = out.NoticeOnTime != nil && !*out.NoticeOnTime
	}
	if d.Status == DialogueHeld || d.Status == DialogueClosed {
		due := c.resultsDue(day)
		out.ResultsDueOn = &due
		out.ResultsOnTime = met(d.ResultsPublishedAt, due, today)
		out.ResultsLate = out.ResultsOnTime != nil && !*out.ResultsOnTime
	}
	return out
}

// decorate fills a dialogue's notice warning, compliance and voter request.
func (c *dialogueClock) decorate(d *Dialogue, now time.Time) {
	d.ShortNotice = c.shortNotice(d)
	d.Compliance = c.compliance(d, calendar.DateOf(now))
	d.VoterRequest = c.voterRequest(d)
}

// VoterRequest is the voters' request for a dialogue: when, how many of how many voters signed,
// their share, and whether it reaches the share the law sets (then the dialogue is owed).
type VoterRequest struct {
	RequestedOn    Date     `json:"requested_on"`
	Signatures     int      `json:"signatures"`
	Voters         int      `json:"voters"`
	Share          *float64 `json:"share"`
	MeetsThreshold bool     `json:"meets_threshold"`
	Note           string   `json:"note"`
	Rule           string   `json:"rule"`
}

// voterRequest is the dialogue's voter request, if it has one.
func (c *dialogueClock) voterRequest(d *Dialogue) *VoterRequest {
	if d.VoterRequestedOn == nil {
		return nil
	}
	r := &VoterRequest{RequestedOn: *d.VoterRequestedOn, Note: d.VoterRequestNote, Rule: c.votersText}
	if d.VoterRequestSignatures != nil && d.VoterRequestVoters != nil {
		r.Signatures, r.Voters = *d.VoterRequestSignatures, *d.VoterRequestVoters
		r.Share = ratio(r.Signatures, r.Voters)
		// signatures × 100 ≥ percent × voters, in integers: no rounding decides a threshold.
		r.MeetsThreshold = r.Signatures*100 >= c.voters.Days*r.Voters
	}
	return r
}

// VoterRequestInput records that voters asked for a dialogue: the day of the request, how many
// signed it, how many voters the area it covers has, and what they asked.
type VoterRequestInput struct {
	RequestedOn string `json:"requested_on"`
	Signatures  *int   `json:"signatures"`
	Voters      *int   `json:"voters"`
	Note        string `json:"note"`
}

// voterRequestFields is a checked voter request: none when not given or, in an edit, removed.
type voterRequestFields struct {
	given      bool
	on         *Date
	signatures *int
	voters     *int
	note       string
}

// voterRequestField checks a voter request, naming its bad fields under voter_request.
func voterRequestField(v *ValidationError, in *VoterRequestInput) voterRequestFields {
	if in == nil {
		return voterRequestFields{}
	}
	out := voterRequestFields{given: true, note: strings.TrimSpace(in.Note)}
	if isBlank(in.RequestedOn) {
		return out
	}
	if d, ok := dateField(v, "voter_request.requested_on", in.RequestedOn); ok {
		out.on = &d
	}
	const most = 100000000
	count := func(field string, n *int) {
		switch {
		case n == nil:
			v.Add(field, msgRequired)
		case *n < 1 || *n > most:
			v.Add(field, Msg("Số cử tri từ 1 đến 100.000.000.", "The number of voters is 1 to 100,000,000."))
		}
	}
	count("voter_request.signatures", in.Signatures)
	count("voter_request.voters", in.Voters)
	if in.Signatures != nil && in.Voters != nil && *in.Signatures > *in.Voters {
		v.Add("voter_request.signatures", Msg("Số cử tri ký đề nghị không vượt quá tổng số cử tri.", "The signatures cannot outnumber the voters."))
	}
	if runeLen(out.note) > maxReasonChars {
		v.Add("voter_request.note", Msg("Nội dung đề nghị dài tối đa 1000 ký tự.", "The request is at most 1000 characters."))
	}
	out.signatures, out.voters = in.Signatures, in.Voters
	return out
}

// set puts the request on a new dialogue.
func (r voterRequestFields) set(d *Dialogue) {
	if r.on == nil {
		return
	}
	d.VoterRequestedOn, d.VoterRequestSignatures, d.VoterRequestVoters, d.VoterRequestNote = r.on, r.signatures, r.voters, r.note
}

// data is the request as an event records it.
func (r voterRequestFields) data() any {
	if r.on == nil {
		return nil
	}
	return map[string]any{"requested_on": *r.on, "signatures": *r.signatures, "voters": *r.voters, "note": r.note}
}

// editVoterRequest changes, records or removes (an empty day) a planned dialogue's request.
func editVoterRequest(v *ValidationError, d *Dialogue, in *VoterRequestInput, e *dialogueEditing) {
	r := voterRequestField(v, in)
	if r.on == nil {
		if d.VoterRequestedOn != nil {
			e.change("voter_requested_on", d.VoterRequestedOn, nil)
			e.change("voter_request_signatures", d.VoterRequestSignatures, nil)
			e.change("voter_request_voters", d.VoterRequestVoters, nil)
			e.change("voter_request_note", d.VoterRequestNote, "")
		}
		return
	}
	if d.VoterRequestedOn == nil || *d.VoterRequestedOn != *r.on {
		e.change("voter_requested_on", d.VoterRequestedOn, *r.on)
	}
	if r.signatures != nil && (d.VoterRequestSignatures == nil || *d.VoterRequestSignatures != *r.signatures) {
		e.change("voter_request_signatures", d.VoterRequestSignatures, *r.signatures)
	}
	if r.voters != nil && (d.VoterRequestVoters == nil || *d.VoterRequestVoters != *r.voters) {
		e.change("voter_request_voters", d.VoterRequestVoters, *r.voters)
	}
	if r.note != d.VoterRequestNote {
		e.change("voter_request_note", d.VoterRequestNote, r.note)
	}
}

// Publication publishes a dialogue's notice or results: the summary (results only) and the
// version the writer saw.
type Publication struct {
	Summary string `json:"summary"`
	Version *int   `json:"version"`
}

// PublishDialogueNotice puts a planned dialogue's notice (time, place, hamlets, agenda) on the
// public board from now on, once. Whether it came in time is kept in its history.
func (s *Store) PublishDialogueNotice(ctx context.Context, actor Actor, id int64, in Publication) (*Dialogue, error) {
	return s.publishDialogue(ctx, actor, id, in, func(d *Dialogue, now time.Time) (map[string]any, error) {
		if d.Status != DialoguePlanned {
			return nil, publishConflict(d, "notice_not_publishable", Msg("Chỉ thông báo buổi đối thoại đang dự kiến.", "Only a planned dialogue's notice can be published."))
		}
		if d.NoticePublishedAt != nil {
			return nil, publishConflict(d, "notice_published", Msg("Thông báo đã được công khai.", "The notice is already published."))
		}
		return map[string]any{"notice_published_at": now}, nil
	}, EventDialogueNoticePublished)
}

// PublishDialogueResults puts the results of a dialogue that took place on the public board,
// once: the summary written here, with the answers given and the follow-ups of the petitions
// raised at it as they stand. A closed dialogue's minutes stay frozen; publishing is a later act.
func (s *Store) PublishDialogueResults(ctx context.Context, actor Actor, id int64, in Publication) (*Dialogue, error) {
	summary := strings.TrimSpace(in.Summary)
	return s.publishDialogue(ctx, actor, id, in, func(d *Dialogue, now time.Time) (map[string]any, error) {
		if d.Status != DialogueHeld && d.Status != DialogueClosed {
			return nil, publishConflict(d, "results_not_publishable", Msg("Chỉ công khai kết quả của buổi đối thoại đã tổ chức.", "Only the results of a dialogue that took place can be published."))
		}
		if d.ResultsPublishedAt != nil {
			return nil, publishConflict(d, "results_published", Msg("Kết quả đã được công khai.", "The results are already published."))
		}
		return map[string]any{"results_published_at": now, "results_summary": summary}, nil
	}, EventDialogueResultsPublished, func(v *ValidationError) {
		switch n := runeLen(summary); {
		case n < 10:
			v.Add("summary", Msg("Tóm tắt kết quả đối thoại (ít nhất 10 ký tự).", "Summarize the dialogue's results (at least 10 characters)."))
		case n > maxResultsChars:
			v.Add("summary", Msg("Tóm tắt dài tối đa 20000 ký tự.", "The summary is at most 20000 characters."))
		}
	})
}

// publishDialogue is the one path of a publication: scope, permission, fields, version, the
// state the publication needs, the write and its event with whether it met its last day.
func (s *Store) publishDialogue(ctx context.Context, actor Actor, id int64, in Publication,
	updates func(*Dialogue, time.Time) (map[string]any, error), kind string, checks ...func(*ValidationError)) (*Dialogue, error) {
	var out *Dialogue
	err := s.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.dialogueInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermDialoguesPublish) {
			return ErrForbidden
		}
		v := &ValidationError{}
		for _, check := range checks {
			check(v)
		}
		if in.Version == nil {
			v.Add("version", msgRequired)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := s.decorate(ctx, actor, []*Dialogue{d}, false); err != nil {
			return err
		}
		if *in.Version != d.Version {
			return StaleVersion(d)
		}
		now := s.now().Truncate(time.Second)
		up, err := updates(d, now)
		if err != nil {
			return err
		}
		if err := s.writeDialogue(ctx, d, up); err != nil {
			return err
		}
		if out, err = s.Dialogue(ctx, actor, d.ID); err != nil {
			return err
		}
		data := map[string]any{"notice_on_time": out.Compliance.NoticeOnTime, "notice_due_on": out.Compliance.NoticeDueOn}
		if kind == EventDialogueResultsPublished {
			data = map[string]any{"results_on_time": out.Compliance.ResultsOnTime, "results_due_on": out.Compliance.ResultsDueOn}
		}
		return s.appendEvent(ctx, dialogueLog, actor, d.ID, kind, "", "", "", data)
	})
	return out, failed(err, "publish dialogue %d (%s)", id, kind)
}

// publishConflict refuses a publication the dialogue's state does not allow.
func publishConflict(d *Dialogue, reason string, m Message) error {
	return &ConflictError{Reason: reason, Message: m, Details: map[string]any{"current": d}}
}
