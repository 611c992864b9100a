package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// DeadlineRule is a deadline the law sets for one step of a petition, kept as data with its
// legal basis so that an admin can follow a change in the law: accepting a petition (thụ lý,
// or answering at the reception desk) or resolving it, counted in calendar or working days from
// the day received, accepted or assigned.
type DeadlineRule struct {
	Code       string `json:"code" gorm:"primaryKey"`
	Kind       string `json:"kind"`
	Channel    string `json:"channel"`
	Step       string `json:"step"`
	CountsFrom string `json:"counts_from"`
	// Days is the limit (for the topic rule, the topic's response days apply).
	Days    int  `json:"days"`
	Working bool `json:"working"`
	// ComplexDays, RemoteDays and RemoteComplexDays are the longer limits of a complex case and
	// of a unit in a remote and difficult area (0: none).
	ComplexDays       int `json:"complex_days"`
	RemoteDays        int `json:"remote_days"`
	RemoteComplexDays int `json:"remote_complex_days"`
	// MaxExtensions and ExtensionDays limit extensions: how many a particularly complex case may
	// have (a complex one, one) and how long each may be.
	MaxExtensions int    `json:"max_extensions"`
	ExtensionDays int    `json:"extension_days"`
	NameVI        string `json:"name_vi"`
	NameEN        string `json:"name_en"`
	LegalBasis    string `json:"legal_basis"`
	// Measure is what Days counts: days, or for the dialogue rules a number of dialogues a year
	// or a percent of voters.
	Measure   string    `json:"measure"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName names the deadline rules table.
func (DeadlineRule) TableName() string { return "deadline_rules" }

// The rules every petition may meet, besides the law's by kind.
const (
	RuleReception           = "reception"
	RuleComplaintAccept     = "complaint_accept"
	RuleComplaintResolve    = "complaint_resolve"
	RuleDenunciationAccept  = "denunciation_accept"
	RuleDenunciationResolve = "denunciation_resolve"
	RuleTopic               = "topic"
	RuleManual              = "manual"
	RuleLegacy              = "legacy"
	// The rules of the dialogues themselves (Law on Organization of Local Government 2025,
	// art. 43): notice before, results after, a least number a year, and the share of voters
	// whose request calls for one.
	RuleDialogueNotice       = "dialogue_notice"
	RuleDialogueResults      = "dialogue_results"
	RuleDialogueYearly       = "dialogue_yearly"
	RuleDialogueVoterRequest = "dialogue_voter_request"
	// RuleDueSoon is not a deadline but the warning window before one: its days (working days
	// when it says so) before a due date, a petition is due soon.
	RuleDueSoon = "due_soon"
)

// Text is the rule as a due date shows it: its words and its legal basis.
func (r *DeadlineRule) Text() string {
	if r.LegalBasis == "" {
		return r.NameVI
	}
	return r.NameVI + " — " + r.LegalBasis
}

// Complexity is how a complaint or denunciation was judged when accepted; it sets the longer
// limits and how many extensions the law allows.
type Complexity string

// The complexities.
const (
	ComplexityNormal     Complexity = "normal"
	ComplexityComplex    Complexity = "complex"
	ComplexityParticular Complexity = "particularly_complex"
)

// Valid tells whether c is a known complexity.
func (c Complexity) Valid() bool {
	return c == ComplexityNormal || c == ComplexityComplex || c == ComplexityParticular
}

// extensionsAllowed is how many extensions the case may have under the rule: one for a complex
// case, up to the rule's maximum (two for a denunciation) for a particularly complex one.
func (r *DeadlineRule) extensionsAllowed(c Complexity) int {
	switch {
	case r.MaxExtensions == 0 || c == ComplexityNormal:
		return 0
	case c == ComplexityComplex:
		return 1
	}
	return r.MaxExtensions
}

// limit is the number of days the rule gives a case: its own, or the longer one of a complex
// case or of a remote and difficult area. topicDays stands for the topic rule's days.
func (r *DeadlineRule) limit(c Complexity, remote bool, topicDays int) int {
	days := r.Days
	if r.Code == RuleTopic {
		days = topicDays
	}
	complex := c != ComplexityNormal
	switch {
	case remote && complex && r.RemoteComplexDays > 0:
		return r.RemoteComplexDays
	case remote && r.RemoteDays > 0:
		return r.RemoteDays
	case complex && r.ComplexDays > 0:
		return r.ComplexDays
	}
	return days
}

// Due is the one computation of a deadline: the day a limit of days ends, counted from the day
// after from, in working days when the rule says so, otherwise in calendar days ending on the
// next working day when the last is a day off (Civil Code 2015, art. 148(5)).
func (r *DeadlineRule) Due(w *calendar.Workdays, from Date, days int) Date {
	if r.Working {
		return w.AddWorkingDays(from, days)
	}
	return w.AddDays(from, days)
}

// deadline is a due date with the rule that set it, as a petition stores it.
type deadline struct {
	due  Date
	rule *DeadlineRule
}

// set puts the due date and its rule into a petition's updates and event data.
func (d deadline) set(updates, data map[string]any) {
	updates["due_on"], updates["due_rule"], updates["due_rule_text"] = d.due, d.rule.Code, d.rule.Text()
	data["due_on"], data["due_rule"] = d.due, d.rule.Code
}

// deadlineRule returns one rule.
func (s *Store) deadlineRule(ctx context.Context, code string) (*DeadlineRule, error) {
	var r DeadlineRule
	if err := s.conn(ctx).Where("code = ?", code).Take(&r).Error; err != nil {
		return nil, fmt.Errorf("deadline rule %s: %w", code, notFound(err))
	}
	return &r, nil
}

// DeadlineRules lists the rules, for the clients that show them and the admins who keep them.
func (s *Store) DeadlineRules(ctx context.Context) ([]DeadlineRule, error) {
	var out []DeadlineRule
	err := s.conn(ctx).Order("code").Find(&out).Error
	return out, err
}

// deadlineFor computes the due date of a rule for a petition, counted from a day: the place
// every deadline of a petition comes from.
func (s *Store) deadlineFor(ctx context.Context, code string, from Date, c Complexity, remote bool, topicDays int) (deadline, error) {
	rule, w, err := s.deadlineRuleAndDays(ctx, code)
	if err != nil {
		return deadline{}, err
	}
	return deadline{due: rule.Due(w, from, rule.limit(c, remote, topicDays)), rule: rule}, nil
}

// deadlineRuleAndDays reads a rule and the working-day calendar's decisions in one statement.
func (s *Store) deadlineRuleAndDays(ctx context.Context, code string) (*DeadlineRule, *calendar.Workdays, error) {
	var rows []struct {
		DeadlineRule
		CalendarDays *string
	}
	err := s.conn(ctx).Raw(`SELECT deadline_rules.*, (`+s.calendarDaysSQL()+`) AS calendar_days FROM deadline_rules WHERE code = ?`, code).
		Scan(&rows).Error
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("deadline rule %s: %w", code, ErrNotFound)
	}
	return &rows[0].DeadlineRule, workdaysOf(rows[0].CalendarDays), nil
}

// calendarDaysSQL is a subquery folding the calendar's decisions into one text,
// "2026-04-25=1,2026-04-27=0", for workdaysOf.
func (s *Store) calendarDaysSQL() string {
	return "SELECT " + s.dialect.stringAgg() + "(CAST(day AS TEXT) || '=' || CASE WHEN working THEN '1' ELSE '0' END, ',') FROM calendar_days"
}

// workdaysOf is the working-day calendar with the decisions calendarDaysSQL folded.
func workdaysOf(days *string) *calendar.Workdays {
	var overrides []calendar.Override
	if days != nil && *days != "" {
		for _, d := range strings.Split(*days, ",") {
			day, working, _ := strings.Cut(d, "=")
			overrides = append(overrides, calendar.Override{Date: Date(day), Working: working == "1"})
		}
	}
	return calendar.NewWorkdays(overrides)
}

// firstRule names the rule of a new petition's first step, if the law sets one: a complaint or
// a denunciation must be accepted (thụ lý) in time; any other petition received at the desk
// answered, forwarded or refused within the reception limit.
func firstRule(kind PetitionKind, channel Channel) string {
	switch {
	case kind == KindComplaint:
		return RuleComplaintAccept
	case kind == KindDenunciation:
		return RuleDenunciationAccept
	case channel == ChannelReception:
		return RuleReception
	}
	return ""
}

// resolveRule names the rule of resolving an accepted complaint or denunciation.
func resolveRule(kind PetitionKind) string {
	switch kind {
	case KindComplaint:
		return RuleComplaintResolve
	case KindDenunciation:
		return RuleDenunciationResolve
	}
	return ""
}

// lawClock tells whether a petition's deadline runs on the law's clock (complaints and
// denunciations): assigning it to someone does not restart it.
func lawClock(p *Petition) bool {
	return p.DueOn != nil && (p.Kind == KindComplaint || p.Kind == KindDenunciation)
}

// Acceptance accepts (thụ lý) a complaint or a denunciation: how complex the case is, a note,
// and the version the writer saw.
type Acceptance struct {
	Complexity string `json:"complexity"`
	Note       string `json:"note"`
	Version    *int   `json:"version"`
}

// AcceptPetition records the acceptance of a complaint or a denunciation (thụ lý): from that
// day runs the law's time to resolve it, longer for a complex case and in a remote area. The
// chair decides it; it is an event.
func (s *Store) AcceptPetition(ctx context.Context, actor Actor, id int64, in Acceptance) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		r, seesCommune, err := s.petitionRecord(ctx, actor, id)
		if err != nil {
			return err
		}
		p, today := &r.Petition, s.today()
		if !actor.Can(PermPetitionsDecide) {
			return ErrForbidden
		}
		if code := resolveRule(p.Kind); code == "" || p.AcceptedAt != nil || p.State.Type() != TypeOpen {
			return &ConflictError{Reason: "not_acceptable",
				Message: Msg("Chỉ thụ lý khiếu nại hoặc tố cáo đang mở, chưa được thụ lý.", "Only an open complaint or denunciation not yet accepted can be accepted.")}
		}
		v := &ValidationError{}
		c := Complexity(strings.TrimSpace(in.Complexity))
		if c == "" {
			c = ComplexityNormal
		}
		if !c.Valid() {
			v.Add("complexity", Msg("Mức độ phải là normal, complex hoặc particularly_complex.", "The complexity must be normal, complex or particularly_complex."))
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
		d, err := s.deadlineFor(ctx, resolveRule(p.Kind), today, c, r.CommuneRemote, 0)
		if err != nil {
			return err
		}
		now := s.now()
		updates := map[string]any{"accepted_at": now, "accept_due_on": p.DueOn, "complexity": c, "updated_at": now}
		data := map[string]any{"complexity": c}
		d.set(updates, data)
		if out, err = s.writePetition(ctx, actor, p, seesCommune, today, updates); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, actor, p.ID, EventAccepted, dueText(p.DueOn), string(d.due), note, data)
	})
	return out, failed(err, "accept petition %d", id)
}

// dueText is a due date as an event's from or to.
func dueText(d *Date) string {
	if d == nil {
		return ""
	}
	return string(*d)
}

// Extension extends the time to resolve a petition, as the law allows: how many days, why, on
// what legal basis (the rule's when empty), and the version the writer saw.
type Extension struct {
	Days       int    `json:"days"`
	Reason     string `json:"reason"`
	LegalBasis string `json:"legal_basis"`
	Version    *int   `json:"version"`
}

// ExtendDeadline extends a petition's due date within the limits of its rule: a denunciation
// judged complex once, particularly complex twice, each by at most 30 days (Law on
// Denunciations 2018, art. 30). Each extension is an event.
func (s *Store) ExtendDeadline(ctx context.Context, actor Actor, id int64, in Extension) (*Petition, error) {
	var out *Petition
	err := s.WithTx(ctx, func(ctx context.Context) error {
		p, seesCommune, err := s.petitionRow(ctx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermPetitionsDecide) {
			return ErrForbidden
		}
		rule, err := s.extensionRule(ctx, p)
		if err != nil {
			return err
		}
		v := &ValidationError{}
		if in.Days < 1 || in.Days > rule.ExtensionDays {
			v.Add("days", Msg(fmt.Sprintf("Gia hạn từ 1 đến %d ngày.", rule.ExtensionDays), fmt.Sprintf("An extension is 1 to %d days.", rule.ExtensionDays)))
		}
		reason, basis := strings.TrimSpace(in.Reason), strings.TrimSpace(in.LegalBasis)
		if n := runeLen(reason); n < 1 || n > 2000 {
			v.Add("reason", Msg("Hãy ghi lý do gia hạn (tối đa 2000 ký tự).", "Give the reason for the extension (at most 2000 characters)."))
		}
		if basis == "" {
			basis = rule.LegalBasis
		}
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
		w, err := s.Workdays(ctx)
		if err != nil {
			return err
		}
		due := w.AddDays(*p.DueOn, in.Days)
		updates := map[string]any{"due_on": due, "extensions": p.Extensions + 1, "updated_at": s.now()}
		if out, err = s.writePetition(ctx, actor, p, seesCommune, today, updates); err != nil {
			return err
		}
		return s.appendEvent(ctx, petitionLog, actor, p.ID, EventDeadlineExtended, string(*p.DueOn), string(due), reason,
			map[string]any{"days": in.Days, "legal_basis": basis, "extension": p.Extensions + 1})
	})
	return out, failed(err, "extend the deadline of petition %d", id)
}

// extensionRule returns the rule of a petition's due date if the law lets it be extended once
// more, else the conflict that says why not.
func (s *Store) extensionRule(ctx context.Context, p *Petition) (*DeadlineRule, error) {
	refuse := func(vi, en string) error {
		return &ConflictError{Reason: "extension_not_allowed", Message: Msg(vi, en)}
	}
	if p.State.Type() != TypeOpen || p.DueOn == nil || p.DueRule == nil {
		return nil, refuse("Ý kiến không có hạn giải quyết đang chạy.", "The petition has no running deadline.")
	}
	rule, err := s.deadlineRule(ctx, *p.DueRule)
	if err != nil {
		return nil, err
	}
	allowed := rule.extensionsAllowed(p.Complexity)
	if allowed == 0 {
		return nil, refuse("Thời hạn này không được gia hạn (chỉ vụ việc tố cáo phức tạp đã thụ lý).",
			"This deadline cannot be extended (only an accepted, complex denunciation).")
	}
	if p.Extensions >= allowed {
		return nil, refuse(fmt.Sprintf("Đã gia hạn %d lần, tối đa theo luật.", p.Extensions),
			fmt.Sprintf("Already extended %d times, the most the law allows.", p.Extensions))
	}
	return rule, nil
}

// setFirstDeadline gives a new petition the due date of its first step, if the law sets one
// (firstRule), counted from the day it was received: rule is that rule as read with the
// petition's place (petitionPlace), w the working-day calendar.
func setFirstDeadline(p *Petition, rule *DeadlineRule, w *calendar.Workdays, remote bool) error {
	code := firstRule(p.Kind, p.Channel)
	if code == "" {
		return nil
	}
	if rule == nil || rule.Code != code {
		return fmt.Errorf("deadline rule %s: %w", code, ErrNotFound)
	}
	due := rule.Due(w, calendar.DateOf(p.ReceivedAt), rule.limit(ComplexityNormal, remote, 0))
	p.DueOn, p.DueRule, p.DueRuleText = &due, &rule.Code, rule.Text()
	return nil
}

// receptionMet clears the reception deadline of a petition leaving the received state without
// a new due date: answering, forwarding or closing it is what the reception rule asks for in time.
func receptionMet(p *Petition, updates map[string]any) {
	if p.State != StateReceived || p.DueRule == nil || *p.DueRule != RuleReception {
		return
	}
	if _, set := updates["due_rule"]; !set {
		updates["due_on"], updates["due_rule"], updates["due_rule_text"] = nil, nil, ""
	}
}

// dueSoonUntil is the last due date that is "due soon" today: the warning window of the
// due_soon rule, counted on the working-day calendar.
func (s *Store) dueSoonUntil(ctx context.Context, today Date) (Date, error) {
	rule, err := s.deadlineRule(ctx, RuleDueSoon)
	if err != nil {
		return "", err
	}
	w, err := s.sharedWorkdays(ctx)
	if err != nil {
		return "", err
	}
	return rule.Due(w, today, rule.Days), nil
}
