package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ReorgKind names what a reorganization does to the units it concerns.
type ReorgKind string

// The kinds of reorganization (sắp xếp đơn vị hành chính).
const (
	// ReorgMerge merges several units into one new or existing unit (nhập).
	ReorgMerge ReorgKind = "merge"
	// ReorgSplit distributes one commune's hamlets over several successors (chia, tách).
	ReorgSplit ReorgKind = "split"
	// ReorgRename gives a unit a new name or kind (đổi tên).
	ReorgRename ReorgKind = "rename"
	// ReorgMove puts a unit under another parent (điều chỉnh địa giới).
	ReorgMove ReorgKind = "move"
	// ReorgDissolveDistrict ends a district; its communes go to the province.
	ReorgDissolveDistrict ReorgKind = "dissolve_district"
)

// Valid tells whether k is a known kind.
func (k ReorgKind) Valid() bool {
	switch k {
	case ReorgMerge, ReorgSplit, ReorgRename, ReorgMove, ReorgDissolveDistrict:
		return true
	}
	return false
}

// UnitTarget is a unit a reorganization leads to: an existing unit named by ID, or a new one
// described by name, code, kind and parent.
type UnitTarget struct {
	ID       *int64   `json:"id,omitempty"`
	Name     string   `json:"name,omitempty"`
	Code     *string  `json:"code,omitempty"`
	Kind     UnitKind `json:"kind,omitempty"`
	ParentID *int64   `json:"parent_id,omitempty"`
}

// SplitPart is one successor of a split and the hamlets it takes.
type SplitPart struct {
	Into      UnitTarget `json:"into"`
	HamletIDs []int64    `json:"hamlet_ids"`
}

// ReorganizationInput is one act as an administrator records it, with its legal basis.
type ReorganizationInput struct {
	Kind ReorgKind `json:"kind"`
	// LegalNumber is the number of the resolution or decision, e.g. "1663/NQ-UBTVQH15".
	LegalNumber string `json:"legal_number"`
	LegalDate   string `json:"legal_date"`
	EffectiveOn string `json:"effective_on"`
	Note        string `json:"note,omitempty"`
	// UnitIDs are the units the act concerns: those merged, the one split, renamed, moved or
	// the district dissolved.
	UnitIDs []int64 `json:"unit_ids"`
	// Into is where a merge leads.
	Into *UnitTarget `json:"into,omitempty"`
	// Parts are the successors of a split.
	Parts []SplitPart `json:"parts,omitempty"`
	// Name and UnitKind are a rename's new name and kind.
	Name     string   `json:"name,omitempty"`
	UnitKind UnitKind `json:"unit_kind,omitempty"`
	// ParentID is a move's new parent.
	ParentID *int64 `json:"parent_id,omitempty"`
}

// UnitSummary names a unit with its level, kind and code, in a preview or a list.
type UnitSummary struct {
	ID    int64    `json:"id,omitempty"`
	Name  string   `json:"name"`
	Level Level    `json:"level"`
	Kind  UnitKind `json:"kind"`
	Code  *string  `json:"code"`
}

func refTo(u *Unit) UnitSummary {
	return UnitSummary{ID: u.ID, Name: u.Name, Level: u.Level, Kind: u.Kind, Code: u.Code}
}

// UnitChange is one line of a preview: a unit created, ended, moved or renamed.
type UnitChange struct {
	Change string      `json:"change"`
	Unit   UnitSummary `json:"unit"`
	// From and To are the parent before and after a move, or the successor of an ended unit.
	From *UnitSummary `json:"from,omitempty"`
	To   *UnitSummary `json:"to,omitempty"`
	// Name is a rename's new name.
	Name string `json:"name,omitempty"`
}

// UserBinding is a user who loses their unit in a reorganization, or has lost it already.
type UserBinding struct {
	ID       int64       `json:"id"`
	Username string      `json:"username"`
	FullName string      `json:"full_name"`
	Role     Role        `json:"role"`
	Unit     UnitSummary `json:"unit"`
}

// ReorganizationPreview is what applying an act would change.
type ReorganizationPreview struct {
	Kind        ReorgKind    `json:"kind"`
	LegalNumber string       `json:"legal_number"`
	LegalDate   Date         `json:"legal_date"`
	EffectiveOn Date         `json:"effective_on"`
	Changes     []UnitChange `json:"changes"`
	// OpenPetitions and PlannedDialogues count the records that pass to a successor or
	// another parent's hands.
	OpenPetitions    int `json:"open_petitions"`
	PlannedDialogues int `json:"planned_dialogues"`
	// UsersToRebind are the users bound to a unit the act ends.
	UsersToRebind []UserBinding `json:"users_to_rebind"`
}

// Reorganization is a recorded act. Acts are append-only: a mistaken act is corrected by
// another act.
type Reorganization struct {
	ID          int64           `json:"id"`
	Kind        ReorgKind       `json:"kind"`
	LegalNumber string          `json:"legal_number"`
	LegalDate   Date            `json:"legal_date"`
	EffectiveOn Date            `json:"effective_on"`
	Note        string          `json:"note"`
	SpecRaw     string          `json:"-" gorm:"column:spec"`
	OutcomeRaw  string          `json:"-" gorm:"column:outcome"`
	Spec        json.RawMessage `json:"spec" gorm:"-"`
	Outcome     json.RawMessage `json:"outcome" gorm:"-"`
	CreatedBy   int64           `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
}

// unitSlot is a unit an act leads to: existing (u set) or still to create (spec set).
type unitSlot struct {
	u      *Unit
	spec   *Unit
	parent *Unit
}

func (sl *unitSlot) ref() UnitSummary {
	if sl.u != nil {
		return refTo(sl.u)
	}
	return refTo(sl.spec)
}

// reorgStep is one change to one unit, in the order applying makes them.
type reorgStep struct {
	unit *Unit
	// to is the new parent of a move, or the successor holding an ended unit.
	to   *unitSlot
	ends bool
	// name and kind are a rename's.
	name string
	kind UnitKind
}

// reorgPlan is a checked act: the units it creates and the steps that change the others.
type reorgPlan struct {
	in         ReorganizationInput
	legalDate  Date
	effective  Date
	creates    []*unitSlot
	steps      []reorgStep
	lineage    [][2]any // predecessor *Unit, successor *unitSlot
	touched    []*Unit  // units whose records change hands
	successors map[int64]*unitSlot
}

var msgUnknownUnit = Msg("Không tìm thấy đơn vị.", "Unknown unit.")

// PreviewReorganization checks an act and tells what applying it would change; nothing is written.
func (s *Store) PreviewReorganization(ctx context.Context, actor Actor, in ReorganizationInput) (*ReorganizationPreview, error) {
	if !actor.Can(PermUnitsManage) {
		return nil, ErrForbidden
	}
	plan, err := s.planReorganization(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	return s.previewOf(ctx, plan)
}

// ApplyReorganization records an act and applies it in one transaction: every check passes
// and every change is made, or nothing is.
func (s *Store) ApplyReorganization(ctx context.Context, actor Actor, in ReorganizationInput) (*Reorganization, error) {
	if !actor.Can(PermUnitsManage) {
		return nil, ErrForbidden
	}
	var out *Reorganization
	err := s.WithTx(ctx, func(ctx context.Context) error {
		plan, err := s.planReorganization(ctx, actor, in)
		if err != nil {
			return err
		}
		if plan.effective > s.today() {
			return FieldError("effective_on", Msg("Chưa đến ngày có hiệu lực: ghi nhận và áp dụng từ ngày này.",
				"The act is not in force yet: apply it from its effective date."))
		}
		preview, err := s.previewOf(ctx, plan)
		if err != nil {
			return err
		}
		out, err = s.applyPlan(ctx, actor, plan, preview)
		return err
	})
	return out, err
}

// planReorganization checks an act against the units as they are and lists its steps. Every
// fault is reported, each under the field it concerns.
func (s *Store) planReorganization(ctx context.Context, actor Actor, in ReorganizationInput) (*reorgPlan, error) {
	v := &ValidationError{}
	p := &reorgPlan{in: in, successors: map[int64]*unitSlot{}}
	if !in.Kind.Valid() {
		v.Add("kind", Msg("Loại sắp xếp phải là merge, split, rename, move hoặc dissolve_district.",
			"The kind must be merge, split, rename, move or dissolve_district."))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.LegalNumber)); n == 0 || n > 100 {
		v.Add("legal_number", Msg("Ghi số văn bản (tối đa 100 ký tự), ví dụ 1663/NQ-UBTVQH15.",
			"Give the number of the legal act (at most 100 characters), e.g. 1663/NQ-UBTVQH15."))
	}
	p.legalDate, _ = requiredDateField(v, "legal_date", in.LegalDate)
	var ok bool
	if p.effective, ok = requiredDateField(v, "effective_on", in.EffectiveOn); ok && p.legalDate != "" && p.effective < p.legalDate {
		v.Add("effective_on", Msg("Ngày hiệu lực không được trước ngày ban hành.", "The act cannot take effect before it was adopted."))
	}
	sources := s.reorgSources(ctx, actor, v, in)
	if in.Kind.Valid() && len(sources) > 0 {
		var err error
		switch in.Kind {
		case ReorgMerge:
			err = s.planMerge(ctx, actor, v, p, sources)
		case ReorgSplit:
			err = s.planSplit(ctx, actor, v, p, sources)
		case ReorgRename:
			s.planRename(v, p, sources)
		case ReorgMove:
			err = s.planMove(ctx, actor, v, p, sources)
		case ReorgDissolveDistrict:
			err = s.planDissolve(ctx, v, p, sources)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// reorgSources loads the units an act concerns: live, seen by the actor, valid on the day.
func (s *Store) reorgSources(ctx context.Context, actor Actor, v *ValidationError, in ReorganizationInput) []*Unit {
	if len(in.UnitIDs) == 0 {
		v.Add("unit_ids", Msg("Chọn ít nhất một đơn vị.", "Choose at least one unit."))
		return nil
	}
	seen := map[int64]bool{}
	var out []*Unit
	for i, id := range in.UnitIDs {
		field := fmt.Sprintf("unit_ids[%d]", i)
		u, err := s.Unit(ctx, actor, id)
		switch {
		case err != nil:
			v.Add(field, msgUnknownUnit)
		case seen[id]:
			v.Add(field, Msg("Đơn vị bị lặp.", "The unit is listed twice."))
		case !u.Live():
			v.Add(field, Msg("Đơn vị "+u.Name+" đã kết thúc từ "+string(*u.ValidTo)+".", "Unit "+u.Name+" ended on "+string(*u.ValidTo)+"."))
		case u.ValidFrom != nil && string(*u.ValidFrom) > in.EffectiveOn:
			v.Add(field, Msg("Đơn vị "+u.Name+" chưa tồn tại vào ngày hiệu lực.", "Unit "+u.Name+" did not exist yet on the effective date."))
		default:
			seen[id] = true
			out = append(out, u)
		}
	}
	return out
}

// target resolves a unit an act leads to: an existing live unit of the level, or a new one
// whose code no unit ever held. defaultParent is where a new unit goes when no parent is named.
func (s *Store) target(ctx context.Context, actor Actor, v *ValidationError, field string, t *UnitTarget, level Level, defaultParent *int64, codes map[string]bool) *unitSlot {
	if t == nil {
		v.Add(field, msgRequired)
		return nil
	}
	if t.ID != nil {
		u, err := s.Unit(ctx, actor, *t.ID)
		switch {
		case err != nil:
			v.Add(field+".id", msgUnknownUnit)
		case !u.Live():
			v.Add(field+".id", msgUnitEnded)
		case u.Level != level:
			v.Add(field+".id", Msg("Đơn vị đích phải cùng cấp.", "The target must be of the same level."))
		default:
			return &unitSlot{u: u}
		}
		return nil
	}
	before := len(v.Fields)
	addPrefixed(v, field, func(w *ValidationError) { validateUnitName(w, t.Name) })
	kind := kindFor(v, field+".kind", level, t.Kind)
	code := trimPtr(t.Code)
	if code != nil {
		addPrefixed(v, field, func(w *ValidationError) { validateUnitCode(w, code) })
		var n int64
		if err := s.conn(ctx).Model(&Unit{}).Where("code = ?", *code).Count(&n).Error; err != nil {
			v.Add(field+".code", msgCodeUsed)
		} else if n > 0 || codes[*code] {
			v.Add(field+".code", Msg("Mã "+*code+" đã thuộc đơn vị khác; mã không bao giờ dùng lại.",
				"Code "+*code+" belongs to another unit; codes are never reused."))
		}
		codes[*code] = true
	}
	parentID := t.ParentID
	if parentID == nil {
		parentID = defaultParent
	}
	var parent *Unit
	if parentID != nil {
		pu, err := s.Unit(ctx, actor, *parentID)
		switch {
		case err != nil:
			v.Add(field+".parent_id", msgUnknownUnit)
		case !pu.Live():
			v.Add(field+".parent_id", msgParentEnded)
		case !level.mayHangUnder(pu.Level):
			v.Add(field+".parent_id", Msg("Cấp của đơn vị cấp trên không phù hợp.", "The parent's level does not fit this unit."))
		default:
			parent = pu
		}
	} else if len(level.parentLevels()) > 0 {
		v.Add(field+".parent_id", Msg("Đơn vị cấp này phải có đơn vị cấp trên.", "A unit of this level needs a parent."))
	}
	if len(v.Fields) > before {
		return nil
	}
	spec := &Unit{ParentID: parentID, Level: level, Name: strings.TrimSpace(t.Name), Code: code, Kind: kind, Version: 1}
	return &unitSlot{spec: spec, parent: parent}
}

// addPrefixed runs a field check and files its faults under prefix.
func addPrefixed(v *ValidationError, prefix string, check func(*ValidationError)) {
	tmp := &ValidationError{}
	check(tmp)
	for k, m := range tmp.Fields {
		v.Add(prefix+"."+k, m)
	}
}

// planMerge: every source ends and its live children move under the target.
func (s *Store) planMerge(ctx context.Context, actor Actor, v *ValidationError, p *reorgPlan, sources []*Unit) error {
	if len(sources) == 0 {
		return nil
	}
	level := sources[0].Level
	for i, u := range sources {
		if u.Level != level {
			v.Add(fmt.Sprintf("unit_ids[%d]", i), Msg("Các đơn vị sáp nhập phải cùng cấp.", "Merged units must be of one level."))
		}
	}
	into := s.target(ctx, actor, v, "into", p.in.Into, level, sources[0].ParentID, map[string]bool{})
	if into == nil {
		return nil
	}
	if into.u != nil {
		for _, u := range sources {
			if u.ID == into.u.ID {
				v.Add("into.id", Msg("Đơn vị đích không thể là một trong các đơn vị bị sáp nhập.", "The target cannot be one of the merged units."))
				return nil
			}
		}
	} else if len(sources) < 2 {
		v.Add("unit_ids", Msg("Sáp nhập vào đơn vị mới cần ít nhất hai đơn vị; một đơn vị thì dùng đổi tên.",
			"A merge into a new unit needs at least two units; for one, rename it."))
		return nil
	} else {
		p.creates = append(p.creates, into)
	}
	for _, u := range sources {
		children, err := s.liveChildren(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, c := range children {
			p.steps = append(p.steps, reorgStep{unit: c, to: into})
		}
		p.steps = append(p.steps, reorgStep{unit: u, to: into, ends: true})
		p.lineage = append(p.lineage, [2]any{u, into})
		p.touched = append(p.touched, u)
		p.successors[u.ID] = into
	}
	return nil
}

// planSplit: the commune's hamlets go to the parts; the commune ends.
func (s *Store) planSplit(ctx context.Context, actor Actor, v *ValidationError, p *reorgPlan, sources []*Unit) error {
	if len(sources) != 1 || sources[0].Level != LevelCommune {
		v.Add("unit_ids", Msg("Chia tách áp dụng cho đúng một xã.", "A split concerns exactly one commune."))
		return nil
	}
	src := sources[0]
	if len(p.in.Parts) < 2 {
		v.Add("parts", Msg("Chia tách cần ít nhất hai đơn vị kế thừa.", "A split needs at least two successors."))
		return nil
	}
	hamlets, err := s.liveChildren(ctx, src.ID)
	if err != nil {
		return err
	}
	of := map[int64]*Unit{}
	for _, h := range hamlets {
		of[h.ID] = h
	}
	codes := map[string]bool{}
	assigned := map[int64]bool{}
	slots := make([]*unitSlot, len(p.in.Parts))
	for i, part := range p.in.Parts {
		field := fmt.Sprintf("parts[%d]", i)
		slots[i] = s.target(ctx, actor, v, field+".into", &p.in.Parts[i].Into, LevelCommune, src.ParentID, codes)
		if slots[i] != nil && slots[i].u != nil && slots[i].u.ID == src.ID {
			v.Add(field+".into.id", Msg("Xã bị chia không thể là đơn vị kế thừa.", "The split commune cannot be its own successor."))
		}
		for _, id := range part.HamletIDs {
			switch {
			case of[id] == nil:
				v.Add(field+".hamlet_ids", Msg(fmt.Sprintf("Ấp %d không thuộc xã bị chia.", id), fmt.Sprintf("Hamlet %d is not in the split commune.", id)))
			case assigned[id]:
				v.Add(field+".hamlet_ids", Msg("Ấp "+of[id].Name+" được giao cho hai đơn vị.", "Hamlet "+of[id].Name+" is given to two successors."))
			default:
				assigned[id] = true
			}
		}
	}
	var left []string
	for _, h := range hamlets {
		if !assigned[h.ID] {
			left = append(left, h.Name)
		}
	}
	if len(left) > 0 {
		list := strings.Join(left, ", ")
		v.Add("parts", Msg("Ấp chưa thuộc xã nào: "+list+".", "Hamlets left without a commune: "+list+"."))
	}
	if v.Err() != nil {
		return nil
	}
	for i, part := range p.in.Parts {
		if slots[i].u == nil {
			p.creates = append(p.creates, slots[i])
		}
		for _, id := range part.HamletIDs {
			p.steps = append(p.steps, reorgStep{unit: of[id], to: slots[i]})
		}
		p.lineage = append(p.lineage, [2]any{src, slots[i]})
	}
	p.steps = append(p.steps, reorgStep{unit: src, to: slots[0], ends: true})
	p.touched = append(p.touched, src)
	p.successors[src.ID] = slots[0]
	return nil
}

// planRename gives one unit a new name, and kind if asked.
func (s *Store) planRename(v *ValidationError, p *reorgPlan, sources []*Unit) {
	if len(sources) != 1 {
		v.Add("unit_ids", Msg("Đổi tên áp dụng cho đúng một đơn vị.", "A rename concerns exactly one unit."))
		return
	}
	u := sources[0]
	validateUnitName(v, p.in.Name)
	kind := u.Kind
	if p.in.UnitKind != "" {
		kind = kindFor(v, "unit_kind", u.Level, p.in.UnitKind)
	}
	p.steps = append(p.steps, reorgStep{unit: u, name: strings.TrimSpace(p.in.Name), kind: kind})
}

// planMove puts one unit under another parent, refusing cycles.
func (s *Store) planMove(ctx context.Context, actor Actor, v *ValidationError, p *reorgPlan, sources []*Unit) error {
	if len(sources) != 1 {
		v.Add("unit_ids", Msg("Chuyển đơn vị áp dụng cho đúng một đơn vị.", "A move concerns exactly one unit."))
		return nil
	}
	u := sources[0]
	if p.in.ParentID == nil {
		v.Add("parent_id", msgRequired)
		return nil
	}
	np, err := s.Unit(ctx, actor, *p.in.ParentID)
	switch {
	case err != nil:
		v.Add("parent_id", msgUnknownUnit)
	case !np.Live():
		v.Add("parent_id", msgParentEnded)
	case strings.HasPrefix(np.Path, u.Path):
		v.Add("parent_id", Msg("Không thể chuyển đơn vị vào bên trong chính nó.", "A unit cannot move inside itself."))
	case u.ParentID != nil && *u.ParentID == np.ID:
		v.Add("parent_id", Msg("Đơn vị đã thuộc đơn vị cấp trên này.", "The unit is already under this parent."))
	case !u.Level.mayHangUnder(np.Level):
		v.Add("parent_id", Msg("Cấp của đơn vị cấp trên không phù hợp.", "The parent's level does not fit this unit."))
	default:
		p.steps = append(p.steps, reorgStep{unit: u, to: &unitSlot{u: np}})
		p.touched = append(p.touched, u)
	}
	return nil
}

// planDissolve ends a district; its communes go to its province.
func (s *Store) planDissolve(ctx context.Context, v *ValidationError, p *reorgPlan, sources []*Unit) error {
	if len(sources) != 1 || sources[0].Level != LevelDistrict {
		v.Add("unit_ids", Msg("Giải thể áp dụng cho đúng một huyện.", "Dissolving concerns exactly one district."))
		return nil
	}
	d := sources[0]
	province, err := s.unitByID(ctx, *d.ParentID)
	if err != nil {
		return err
	}
	slot := &unitSlot{u: province}
	communes, err := s.liveChildren(ctx, d.ID)
	if err != nil {
		return err
	}
	for _, c := range communes {
		p.steps = append(p.steps, reorgStep{unit: c, to: slot})
	}
	p.steps = append(p.steps, reorgStep{unit: d, to: slot, ends: true})
	p.lineage = append(p.lineage, [2]any{d, slot})
	p.touched = append(p.touched, d)
	p.successors[d.ID] = slot
	return nil
}

// liveChildren returns the live units directly under a unit.
func (s *Store) liveChildren(ctx context.Context, id int64) ([]*Unit, error) {
	var out []*Unit
	err := s.conn(ctx).Where("parent_id = ? AND valid_to IS NULL", id).Order("id").Find(&out).Error
	return out, err
}

// previewOf lists the changes of a checked act and counts what changes hands.
func (s *Store) previewOf(ctx context.Context, p *reorgPlan) (*ReorganizationPreview, error) {
	pv := &ReorganizationPreview{Kind: p.in.Kind, LegalNumber: strings.TrimSpace(p.in.LegalNumber), LegalDate: p.legalDate,
		EffectiveOn: p.effective, Changes: []UnitChange{}, UsersToRebind: []UserBinding{}}
	for _, c := range p.creates {
		pv.Changes = append(pv.Changes, UnitChange{Change: "created", Unit: c.ref()})
	}
	for _, st := range p.steps {
		ch := UnitChange{Unit: refTo(st.unit)}
		switch {
		case st.ends:
			ch.Change = "ends"
			to := st.to.ref()
			ch.To = &to
		case st.to != nil:
			ch.Change = "moves"
			if st.unit.ParentID != nil {
				if from, err := s.unitByID(ctx, *st.unit.ParentID); err == nil {
					r := refTo(from)
					ch.From = &r
				}
			}
			to := st.to.ref()
			ch.To = &to
		default:
			ch.Change = "renamed"
			ch.Name = st.name
		}
		pv.Changes = append(pv.Changes, ch)
	}
	if len(p.touched) == 0 {
		return pv, nil
	}
	paths := make([]string, len(p.touched))
	ended := []int64{}
	for i, u := range p.touched {
		paths[i] = u.Path
		if p.successors[u.ID] != nil {
			ended = append(ended, u.ID)
		}
	}
	cond, args := pathsSQL("path", paths)
	var n int64
	err := s.conn(ctx).Table("petitions").Where("state_type = 'open' AND hamlet_id IN (SELECT id FROM units WHERE "+cond+")", args...).Count(&n).Error
	if err != nil {
		return nil, err
	}
	pv.OpenPetitions = int(n)
	err = s.conn(ctx).Table("dialogues").Where("status = 'planned' AND commune_id IN (SELECT id FROM units WHERE "+cond+")", args...).Count(&n).Error
	if err != nil {
		return nil, err
	}
	pv.PlannedDialogues = int(n)
	if len(ended) > 0 {
		users, err := s.usersBoundTo(ctx, "users.unit_id IN ?", ended)
		if err != nil {
			return nil, err
		}
		pv.UsersToRebind = users
	}
	return pv, nil
}

// usersBoundTo lists the active users matching a condition on users and their unit.
func (s *Store) usersBoundTo(ctx context.Context, cond string, args ...any) ([]UserBinding, error) {
	var rows []struct {
		User
		UName  string
		ULevel Level
		UKind  UnitKind
		UCode  *string
	}
	err := s.conn(ctx).Table("users").
		Select("users.*, units.name AS u_name, units.level AS u_level, units.kind AS u_kind, units.code AS u_code").
		Joins("JOIN units ON units.id = users.unit_id").Where("users.active = ?", true).Where(cond, args...).
		Order("users.id").Scan(&rows).Error
	out := make([]UserBinding, len(rows))
	for i, r := range rows {
		out[i] = UserBinding{ID: r.ID, Username: r.Username, FullName: r.FullName, Role: r.Role,
			Unit: UnitSummary{ID: r.UnitID, Name: r.UName, Level: r.ULevel, Kind: r.UKind, Code: r.UCode}}
	}
	return out, err
}

// applyPlan writes a checked act: the act, new units, moves, renames, ends, lineage; monitors
// following an ended commune follow its successor too, and planned dialogues from the effective
// date on pass to the successor that will hold them.
func (s *Store) applyPlan(ctx context.Context, actor Actor, p *reorgPlan, pv *ReorganizationPreview) (*Reorganization, error) {
	spec, _ := json.Marshal(p.in)
	outcome, _ := json.Marshal(pv)
	act := &Reorganization{Kind: p.in.Kind, LegalNumber: pv.LegalNumber, LegalDate: p.legalDate, EffectiveOn: p.effective,
		Note: strings.TrimSpace(p.in.Note), SpecRaw: string(spec), OutcomeRaw: string(outcome), CreatedBy: actor.UserID, CreatedAt: s.now()}
	if err := s.conn(ctx).Create(act).Error; err != nil {
		return nil, err
	}
	for _, c := range p.creates {
		c.spec.ValidFrom = &p.effective
		heir, err := s.inheritSlug(ctx, c.spec, p.sourcesOf(c))
		if err != nil {
			return nil, err
		}
		if c.parent != nil {
			fresh, err := s.unitByID(ctx, c.parent.ID)
			if err != nil {
				return nil, err
			}
			c.parent = fresh
		}
		if err := s.insertUnit(ctx, c.spec, c.parent); err != nil {
			return nil, err
		}
		c.u = c.spec
		if heir != 0 {
			// References go on from where the predecessor of the same name stopped, so none repeats.
			err := s.conn(ctx).Exec(`INSERT INTO petition_counters (commune_id, year, last_seq)
				SELECT ?, year, last_seq FROM petition_counters WHERE commune_id = ?`, c.u.ID, heir).Error
			if err != nil {
				return nil, err
			}
		}
	}
	for _, st := range p.steps {
		if err := s.applyStep(ctx, act, st); err != nil {
			return nil, err
		}
	}
	for _, l := range p.lineage {
		pred, succ := l[0].(*Unit), l[1].(*unitSlot)
		err := s.conn(ctx).Exec(`INSERT INTO unit_lineage (predecessor_id, successor_id, reorganization_id, effective_on)
			VALUES (?, ?, ?, ?)`, pred.ID, succ.u.ID, act.ID, p.effective).Error
		if err != nil {
			return nil, err
		}
	}
	for predID, succ := range p.successors {
		if err := s.passOn(ctx, predID, succ.u.ID, p.effective); err != nil {
			return nil, err
		}
	}
	return s.reorganization(ctx, act.ID)
}

// applyStep makes one change to one unit, reading its path afresh: an earlier step may have
// moved it along with its parent.
func (s *Store) applyStep(ctx context.Context, act *Reorganization, st reorgStep) error {
	u, err := s.unitByID(ctx, st.unit.ID)
	if err != nil {
		return err
	}
	now := s.now()
	if !st.ends {
		// A live unit changing name or parent keeps what it was, for the records made before.
		err := s.conn(ctx).Exec(`INSERT INTO unit_names (unit_id, name, kind, parent_id, valid_to, reorganization_id)
			VALUES (?, ?, ?, ?, ?, ?)`, u.ID, u.Name, u.Kind, u.ParentID, act.EffectiveOn, act.ID).Error
		if err != nil {
			return err
		}
	}
	updates := map[string]any{"version": u.Version + 1, "updated_at": now}
	if st.name != "" {
		updates["name"], updates["kind"] = st.name, st.kind
	}
	if st.ends {
		updates["valid_to"] = act.EffectiveOn
	} else if st.to != nil {
		updates["parent_id"] = st.to.u.ID
	}
	if err := s.conn(ctx).Model(&Unit{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
		return err
	}
	if st.to == nil {
		return nil
	}
	to, err := s.unitByID(ctx, st.to.u.ID)
	if err != nil {
		return err
	}
	newPath := to.Path + strconv.FormatInt(u.ID, 10) + "/"
	if newPath == u.Path {
		return nil
	}
	return s.movePath(ctx, u.Path, newPath)
}

// passOn hands an ended unit's followers and future planned dialogues to its successor.
func (s *Store) passOn(ctx context.Context, predID, succID int64, effective Date) error {
	err := s.conn(ctx).Exec(`INSERT INTO monitor_communes (user_id, commune_id)
		SELECT m.user_id, ? FROM monitor_communes m WHERE m.commune_id = ?
			AND NOT EXISTS (SELECT 1 FROM monitor_communes o WHERE o.user_id = m.user_id AND o.commune_id = ?)`,
		succID, predID, succID).Error
	if err != nil {
		return err
	}
	succ, err := s.unitByID(ctx, succID)
	if err != nil || succ.Level != LevelCommune {
		return err
	}
	var ids []int64
	err = s.conn(ctx).Table("dialogues").Where("commune_id = ? AND status = 'planned' AND starts_at >= ?", predID, effective.Start()).
		Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return err
	}
	for _, id := range ids {
		err := s.appendEvent(ctx, dialogueLog, Actor{}, id, EventDialogueReorganized, "", "", "Chuyển cho "+succ.Name+" theo sắp xếp đơn vị hành chính",
			map[string]int64{"from_commune_id": predID, "to_commune_id": succID})
		if err != nil {
			return err
		}
	}
	return s.conn(ctx).Table("dialogues").Where("id IN ?", ids).
		Updates(map[string]any{"commune_id": succID, "updated_at": s.now(), "version": gorm.Expr("version + 1")}).Error
}

// reorganization returns one recorded act.
func (s *Store) reorganization(ctx context.Context, id int64) (*Reorganization, error) {
	var r Reorganization
	if err := s.conn(ctx).Table("reorganizations").Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	r.Spec, r.Outcome = json.RawMessage(r.SpecRaw), json.RawMessage(r.OutcomeRaw)
	return &r, nil
}

// Reorganization returns one recorded act; every signed-in user may read the acts, as they are
// public law.
func (s *Store) Reorganization(ctx context.Context, actor Actor, id int64) (*Reorganization, error) {
	return s.reorganization(ctx, id)
}

// Reorganizations lists the recorded acts, latest effective first.
func (s *Store) Reorganizations(ctx context.Context, actor Actor) ([]Reorganization, error) {
	var out []Reorganization
	if err := s.conn(ctx).Table("reorganizations").Order("effective_on DESC, id DESC").Limit(500).Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Spec, out[i].Outcome = json.RawMessage(out[i].SpecRaw), json.RawMessage(out[i].OutcomeRaw)
	}
	return out, nil
}

// UsersToRebind lists the active users in the actor's units bound to a unit a reorganization
// ended: they cannot work until an administrator rebinds them.
func (s *Store) UsersToRebind(ctx context.Context, actor Actor) ([]UserBinding, error) {
	if !actor.Can(PermUsersManage) {
		return nil, ErrForbidden
	}
	cond, args := actor.scopeSQL("units.path")
	return s.usersBoundTo(ctx, "units.valid_to IS NOT NULL AND "+cond, args...)
}

// RebindInput binds several users to one live unit in one step.
type RebindInput struct {
	UnitID  int64   `json:"unit_id"`
	UserIDs []int64 `json:"user_ids"`
}

// RebindUsers binds users the actor manages to one live unit, all or none.
func (s *Store) RebindUsers(ctx context.Context, actor Actor, in RebindInput) ([]UserBinding, error) {
	if !actor.Can(PermUsersManage) {
		return nil, ErrForbidden
	}
	var out []UserBinding
	err := s.WithTx(ctx, func(ctx context.Context) error {
		v := &ValidationError{}
		unit, err := s.Unit(ctx, actor, in.UnitID)
		if err != nil {
			v.Add("unit_id", msgUnknownUnit)
		} else if !unit.Live() {
			v.Add("unit_id", msgUnitEnded)
		}
		if len(in.UserIDs) == 0 {
			v.Add("user_ids", Msg("Chọn ít nhất một người dùng.", "Choose at least one user."))
		}
		for i, id := range in.UserIDs {
			u, err := s.userInScope(ctx, actor, id)
			if err != nil {
				v.Add(fmt.Sprintf("user_ids[%d]", i), Msg("Không tìm thấy người dùng.", "Unknown user."))
			} else if !actor.CanAssignRole(u.Role) {
				v.Add(fmt.Sprintf("user_ids[%d]", i), Msg("Bạn không được gán lại người dùng này.", "You may not rebind this user."))
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		err = s.conn(ctx).Model(&User{}).Where("id IN ?", in.UserIDs).
			Updates(map[string]any{"unit_id": unit.ID, "updated_at": s.now(), "version": gorm.Expr("version + 1")}).Error
		if err != nil {
			return err
		}
		out, err = s.usersBoundTo(ctx, "users.id IN ?", in.UserIDs)
		return err
	})
	return out, err
}

// MonitorCommunes returns the communes a monitoring official follows as an explicit set.
func (s *Store) MonitorCommunes(ctx context.Context, actor Actor, userID int64) ([]Unit, error) {
	if _, err := s.userInScope(ctx, actor, userID); err != nil {
		return nil, err
	}
	var out []Unit
	err := s.conn(ctx).Table("units").Joins("JOIN monitor_communes m ON m.commune_id = units.id").
		Where("m.user_id = ?", userID).Order("units.name, units.id").Find(&out).Error
	return out, err
}

// SetMonitorCommunes binds a monitoring official to an explicit set of live communes within the
// unit they are bound to; an empty set binds them to their whole unit again.
func (s *Store) SetMonitorCommunes(ctx context.Context, actor Actor, userID int64, communeIDs []int64) ([]Unit, error) {
	if !actor.Can(PermUsersManage) {
		if _, err := s.userInScope(ctx, actor, userID); err != nil {
			return nil, err
		}
		return nil, ErrForbidden
	}
	err := s.WithTx(ctx, func(ctx context.Context) error {
		u, err := s.userInScope(ctx, actor, userID)
		if err != nil {
			return err
		}
		if !actor.CanAssignRole(u.Role) || u.ID == actor.UserID {
			return ErrForbidden
		}
		v := &ValidationError{}
		if u.Role != RoleDistrictOfficial {
			v.Add("commune_ids", Msg("Chỉ cán bộ theo dõi được giao một nhóm xã.", "Only a monitoring official follows a set of communes."))
		}
		bound, err := s.unitByID(ctx, u.UnitID)
		if err != nil {
			return err
		}
		for i, id := range communeIDs {
			c, err := s.Unit(ctx, actor, id)
			if err != nil || c.Level != LevelCommune || !c.Live() || !strings.HasPrefix(c.Path, bound.Path) {
				v.Add(fmt.Sprintf("commune_ids[%d]", i), Msg("Xã không có hoặc không thuộc đơn vị của người dùng.",
					"No such live commune within the user's unit."))
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := s.conn(ctx).Exec("DELETE FROM monitor_communes WHERE user_id = ?", userID).Error; err != nil {
			return err
		}
		seen := map[int64]bool{}
		for _, id := range communeIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := s.conn(ctx).Exec("INSERT INTO monitor_communes (user_id, commune_id) VALUES (?, ?)", userID, id).Error; err != nil {
				return err
			}
		}
		// The sessions keep their old scope in no cache: the next request reads the new set.
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.MonitorCommunes(ctx, actor, userID)
}

// LineageLink is one step of a unit's history: the unit on the other side and the act.
type LineageLink struct {
	Unit             UnitSummary `json:"unit"`
	EffectiveOn      Date        `json:"effective_on"`
	ReorganizationID int64       `json:"reorganization_id"`
}

// Lineage is where a unit came from and what it became, and the names it had before.
type Lineage struct {
	Unit         Unit          `json:"unit"`
	Predecessors []LineageLink `json:"predecessors"`
	Successors   []LineageLink `json:"successors"`
	FormerNames  []FormerName  `json:"former_names"`
}

// FormerName is a name, kind and parent a unit had until a rename or a move.
type FormerName struct {
	Name     string   `json:"name"`
	Kind     UnitKind `json:"kind"`
	ParentID *int64   `json:"parent_id"`
	ValidTo  Date     `json:"valid_to"`
}

// UnitLineage returns the history of a unit the actor sees.
func (s *Store) UnitLineage(ctx context.Context, actor Actor, id int64) (*Lineage, error) {
	u, err := s.Unit(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	l := &Lineage{Unit: *u, Predecessors: []LineageLink{}, Successors: []LineageLink{}, FormerNames: []FormerName{}}
	for _, side := range []struct {
		mine, other string
		out         *[]LineageLink
	}{{"successor_id", "predecessor_id", &l.Predecessors}, {"predecessor_id", "successor_id", &l.Successors}} {
		var rows []struct {
			Unit
			LEffective Date
			LAct       int64
		}
		err := s.conn(ctx).Table("unit_lineage l").
			Select("units.*, l.effective_on AS l_effective, l.reorganization_id AS l_act").
			Joins("JOIN units ON units.id = l."+side.other).Where("l."+side.mine+" = ?", id).
			Order("units.id").Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for i := range rows {
			*side.out = append(*side.out, LineageLink{Unit: refTo(&rows[i].Unit), EffectiveOn: rows[i].LEffective, ReorganizationID: rows[i].LAct})
		}
	}
	err = s.conn(ctx).Table("unit_names").Select("name, kind, parent_id, valid_to").Where("unit_id = ?", id).
		Order("valid_to, id").Scan(&l.FormerNames).Error
	return l, err
}

// sourcesOf returns the units an act ends into the slot.
func (p *reorgPlan) sourcesOf(sl *unitSlot) []*Unit {
	var out []*Unit
	for _, l := range p.lineage {
		if l[1].(*unitSlot) == sl {
			out = append(out, l[0].(*Unit))
		}
	}
	return out
}

// inheritSlug gives a new commune the reference slug of a predecessor of the same name (the
// new xã Tân Thới goes on numbering TANTHOI-…), taking it from the predecessor, whose old
// references stay as they were written. It returns that predecessor's id, or 0.
func (s *Store) inheritSlug(ctx context.Context, u *Unit, preds []*Unit) (int64, error) {
	if u.Level != LevelCommune {
		return 0, nil
	}
	for _, p := range preds {
		if p.Slug == nil || Slug(p.Name) != Slug(u.Name) {
			continue
		}
		if err := s.conn(ctx).Model(&Unit{}).Where("id = ?", p.ID).Update("slug", nil).Error; err != nil {
			return 0, err
		}
		slug := *p.Slug
		u.Slug = &slug
		return p.ID, nil
	}
	return 0, nil
}
