package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ImportRow is one line of an imported table: its line number in the file (the header is line
// 1) and its cells by column name.
type ImportRow struct {
	Line  int
	Cells map[string]string
}

// cell reads a cell trimmed and in NFC, so a name typed on any system matches the one stored.
func (r ImportRow) cell(name string) string { return norm.NFC.String(strings.TrimSpace(r.Cells[name])) }

// kindCell reads a unit kind by its code (phuong) or as Vietnamese writes it (phường, Phường).
func (r ImportRow) kindCell(name string) UnitKind {
	return UnitKind(strings.ReplaceAll(Fold(r.cell(name)), " ", "_"))
}

// ImportProblem is a bad row: its line and why.
type ImportProblem struct {
	Line   int     `json:"line"`
	Reason Message `json:"reason"`
}

// ImportResult says what an import did, or would do on a dry run.
type ImportResult struct {
	DryRun    bool          `json:"dry_run"`
	Created   []UnitSummary `json:"created"`
	Updated   []UnitSummary `json:"updated"`
	Unchanged int           `json:"unchanged"`
	// Acts are the reorganizations applied (or that would be), in file order.
	Acts     []ReorganizationPreview `json:"acts"`
	Problems []ImportProblem         `json:"problems"`
}

// errDryRun rolls back the transaction of a dry run.
var errDryRun = errors.New("dry run")

// importTx runs an import in one transaction: kept when it is no dry run and found no problem,
// rolled back otherwise, so a dry run sees exactly what applying would do.
func (s *Store) importTx(ctx context.Context, dryRun bool, fn func(ctx context.Context, res *ImportResult) error) (*ImportResult, error) {
	res := &ImportResult{DryRun: dryRun, Created: []UnitSummary{}, Updated: []UnitSummary{}, Acts: []ReorganizationPreview{}, Problems: []ImportProblem{}}
	err := s.WithTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx, res); err != nil {
			return err
		}
		if dryRun || len(res.Problems) > 0 {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Line < res.Problems[j].Line })
	if !dryRun && len(res.Problems) > 0 {
		v := &ValidationError{}
		for _, p := range res.Problems {
			v.Add(fmt.Sprintf("line %d", p.Line), p.Reason)
		}
		return nil, v
	}
	return res, nil
}

// kindLevel finds the level of an official kind; a city (thanh_pho) is a province with a
// two-digit code, else a district.
func kindLevel(kind UnitKind, code string) (Level, bool) {
	if kind == "thanh_pho" {
		if len(code) == 2 {
			return LevelProvince, true
		}
		return LevelDistrict, true
	}
	for _, l := range []Level{LevelProvince, LevelDistrict, LevelCommune, LevelHamlet} {
		for _, k := range unitKinds[l] {
			if k == kind {
				return l, true
			}
		}
	}
	return "", false
}

// ImportUnits loads a province's official unit list: columns code, name, kind (its code or
// Vietnamese word) and parent_code (a hamlet without a code is known by its commune and name). A unit already there with the
// same code is left alone, or has its name and kind corrected; a new one is created under its
// parent, from the file or the database. Every bad row is reported by line; with any, nothing
// changes. Loading the same file twice changes nothing the second time.
func (s *Store) ImportUnits(ctx context.Context, actor Actor, rows []ImportRow, dryRun bool) (*ImportResult, error) {
	if !actor.Can(PermUnitsManage) {
		return nil, ErrForbidden
	}
	return s.importTx(ctx, dryRun, func(ctx context.Context, res *ImportResult) error {
		all, err := s.Units(ctx, actor, true)
		if err != nil {
			return err
		}
		byCode := map[string]*Unit{}
		for i := range all {
			if all[i].Code != nil {
				byCode[*all[i].Code] = &all[i]
			}
		}
		seen := map[string]int{}
		for _, r := range rows {
			if err := s.importUnit(ctx, actor, r, byCode, seen, res); err != nil {
				return err
			}
		}
		return nil
	})
}

// importUnit applies one row of a unit list.
func (s *Store) importUnit(ctx context.Context, actor Actor, r ImportRow, byCode map[string]*Unit, seen map[string]int, res *ImportResult) error {
	bad := func(vi, en string) {
		res.Problems = append(res.Problems, ImportProblem{Line: r.Line, Reason: Msg(vi, en)})
	}
	code, name, kind, parentCode := r.cell("code"), r.cell("name"), r.kindCell("kind"), r.cell("parent_code")
	level, ok := kindLevel(kind, code)
	switch {
	case name == "":
		bad("Thiếu tên.", "The name is missing.")
		return nil
	case !ok:
		bad("Loại đơn vị không hợp lệ: "+r.cell("kind")+".", "Unknown unit kind: "+r.cell("kind")+".")
		return nil
	case code == "" && level == LevelCommune:
		bad("Xã thiếu mã chính thức (5 chữ số).", "A commune needs its official 5-digit code.")
		return nil
	case code != "" && OfficialCodeProblem(level, code).EN != "":
		m := OfficialCodeProblem(level, code)
		bad("Mã "+code+": "+m.VI, "Code "+code+": "+m.EN)
		return nil
	case code != "" && seen[code] > 0:
		bad(fmt.Sprintf("Mã %s đã có ở dòng %d.", code, seen[code]), fmt.Sprintf("Code %s is already on line %d.", code, seen[code]))
		return nil
	}
	if code != "" {
		seen[code] = r.Line
	}
	var parent *Unit
	if parentCode != "" {
		if parent = byCode[parentCode]; parent == nil {
			bad("Không có đơn vị cấp trên mã "+parentCode+".", "No parent unit with code "+parentCode+".")
			return nil
		}
	}
	if existing := s.importMatch(ctx, code, name, level, parent, byCode); existing != nil {
		return s.importCorrect(ctx, actor, r, existing, name, kind, parent, res)
	}
	in := UnitInput{Level: level, Name: name, Kind: kind}
	if code != "" {
		// A code held by a unit outside the importer's units is refused here, before the
		// database would abort the transaction on it.
		var n int64
		if err := s.conn(ctx).Model(&Unit{}).Where("code = ?", code).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			bad("Mã "+code+" đã thuộc đơn vị khác.", "Code "+code+" belongs to another unit.")
			return nil
		}
		in.Code = &code
	}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	u, err := s.CreateUnit(ctx, actor, in)
	var verr *ValidationError
	if errors.As(err, &verr) {
		for f, m := range verr.Fields {
			res.Problems = append(res.Problems, ImportProblem{Line: r.Line, Reason: Msg(f+": "+m.VI, f+": "+m.EN)})
		}
		return nil
	}
	if err != nil {
		return err
	}
	if code != "" {
		byCode[code] = u
	}
	res.Created = append(res.Created, refTo(u))
	return nil
}

// importMatch finds the unit a row describes: by its code, or a codeless hamlet by its commune
// and name.
func (s *Store) importMatch(ctx context.Context, code, name string, level Level, parent *Unit, byCode map[string]*Unit) *Unit {
	if code != "" {
		return byCode[code]
	}
	if parent == nil {
		return nil
	}
	var u Unit
	res := s.conn(ctx).Where("parent_id = ? AND level = ? AND name = ?", parent.ID, level, name).Limit(1).Find(&u)
	if res.Error != nil || res.RowsAffected == 0 {
		return nil
	}
	return &u
}

// importCorrect leaves a known unit alone or corrects its name and kind; a different parent is
// a move, which only a reorganization act makes.
func (s *Store) importCorrect(ctx context.Context, actor Actor, r ImportRow, u *Unit, name string, kind UnitKind, parent *Unit, res *ImportResult) error {
	if parent != nil && (u.ParentID == nil || *u.ParentID != parent.ID) {
		res.Problems = append(res.Problems, ImportProblem{Line: r.Line, Reason: Msg(
			"Đơn vị "+u.Name+" đang thuộc đơn vị cấp trên khác; chuyển đơn vị bằng một quyết định sắp xếp.",
			"Unit "+u.Name+" lies under another parent; move it with a reorganization act.")})
		return nil
	}
	if u.Name == name && u.Kind == kind {
		res.Unchanged++
		return nil
	}
	if !u.Live() {
		res.Problems = append(res.Problems, ImportProblem{Line: r.Line, Reason: msgUnitEnded})
		return nil
	}
	err := s.conn(ctx).Model(&Unit{}).Where("id = ?", u.ID).
		Updates(map[string]any{"name": name, "kind": kind, "version": u.Version + 1, "updated_at": s.now()}).Error
	if err != nil {
		return err
	}
	u.Name, u.Kind = name, kind
	res.Updated = append(res.Updated, refTo(u))
	return nil
}

// ImportReorganizations loads a reorganization table, one line per unit an act concerns:
// legal_number, legal_date, effective_on, kind (merge, split, rename, move, dissolve_district),
// unit_code, and for a merge to_code, to_name, to_kind and parent_code (the new unit's parent),
// for a split the same for each successor plus hamlet (one line per hamlet of the split
// commune, see importSplit), for a rename to_name and to_kind, for a move parent_code. Lines of
// one act share its legal number and to_code (a merge) or unit_code. Acts apply in file order,
// each checked as the API checks it; an act already in force is counted unchanged, so the same
// file twice changes nothing the second time.
func (s *Store) ImportReorganizations(ctx context.Context, actor Actor, rows []ImportRow, dryRun bool) (*ImportResult, error) {
	if !actor.Can(PermUnitsManage) {
		return nil, ErrForbidden
	}
	return s.importTx(ctx, dryRun, func(ctx context.Context, res *ImportResult) error {
		for _, g := range groupActs(rows) {
			importAct := s.importAct
			if ReorgKind(g[0].cell("kind")) == ReorgSplit {
				importAct = s.importSplit
			}
			if err := importAct(ctx, actor, g, res); err != nil {
				return err
			}
		}
		return nil
	})
}

// groupActs gathers the lines of each act, in the order the acts first appear.
func groupActs(rows []ImportRow) [][]ImportRow {
	var order []string
	groups := map[string][]ImportRow{}
	for _, r := range rows {
		kind := ReorgKind(r.cell("kind"))
		key := r.cell("legal_number") + "|" + string(kind) + "|" + r.cell("unit_code")
		if kind == ReorgMerge {
			key = r.cell("legal_number") + "|merge|" + r.cell("to_code") + "|" + r.cell("to_name")
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], r)
	}
	out := make([][]ImportRow, len(order))
	for i, k := range order {
		out[i] = groups[k]
	}
	return out
}

// importAct applies the act of a group of lines, unless it is in force already.
func (s *Store) importAct(ctx context.Context, actor Actor, g []ImportRow, res *ImportResult) error {
	first := g[0]
	in := ReorganizationInput{Kind: ReorgKind(first.cell("kind")), LegalNumber: first.cell("legal_number"),
		LegalDate: first.cell("legal_date"), EffectiveOn: first.cell("effective_on")}
	var units []*Unit
	for _, r := range g {
		u, err := s.UnitByCodeOrID(ctx, r.cell("unit_code"))
		if err != nil || r.cell("unit_code") == "" {
			res.Problems = append(res.Problems, ImportProblem{Line: r.Line, Reason: Msg("Không có đơn vị mã "+r.cell("unit_code")+".",
				"No unit with code "+r.cell("unit_code")+".")})
			return nil
		}
		units = append(units, u)
		in.UnitIDs = append(in.UnitIDs, u.ID)
	}
	pid, ok := s.importParent(ctx, first, func(line int, m Message) {
		res.Problems = append(res.Problems, ImportProblem{Line: line, Reason: m})
	})
	if !ok {
		return nil
	}
	if s.actInForce(ctx, in.Kind, units, first, pid) {
		res.Unchanged++
		return nil
	}
	switch in.Kind {
	case ReorgMerge:
		into := s.importTarget(ctx, first, pid)
		in.Into = &into
	case ReorgRename:
		in.Name, in.UnitKind = first.cell("to_name"), first.kindCell("to_kind")
	case ReorgMove:
		in.ParentID = pid
	}
	return s.applyImported(ctx, actor, in, func(string) int { return first.Line }, res)
}

// importTarget reads the unit a line's act leads to: the existing unit of to_code, or a new
// one of to_code, to_name and to_kind under the parent pid.
func (s *Store) importTarget(ctx context.Context, r ImportRow, pid *int64) UnitTarget {
	code := r.cell("to_code")
	if code == "" {
		return UnitTarget{Name: r.cell("to_name"), Kind: r.kindCell("to_kind"), ParentID: pid}
	}
	if existing, err := s.UnitByCodeOrID(ctx, code); err == nil {
		return UnitTarget{ID: &existing.ID}
	}
	return UnitTarget{Name: r.cell("to_name"), Code: &code, Kind: r.kindCell("to_kind"), ParentID: pid}
}

// applyImported previews and applies an imported act; each fault the act's checks find is a
// problem on the line lineOf names for its field.
func (s *Store) applyImported(ctx context.Context, actor Actor, in ReorganizationInput, lineOf func(field string) int, res *ImportResult) error {
	pv, err := s.PreviewReorganization(ctx, actor, in)
	if err == nil {
		_, err = s.ApplyReorganization(ctx, actor, in)
	}
	var verr *ValidationError
	if errors.As(err, &verr) {
		names := make([]string, 0, len(verr.Fields))
		for f := range verr.Fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			res.Problems = append(res.Problems, ImportProblem{Line: lineOf(f), Reason: Msg(f+": "+verr.Fields[f].VI, f+": "+verr.Fields[f].EN)})
		}
		return nil
	}
	if err != nil {
		return err
	}
	res.Acts = append(res.Acts, *pv)
	return nil
}

// actInForce tells whether an act's effect already holds: its merged or dissolved units ended,
// its renamed unit named so, its moved unit under the parent.
func (s *Store) actInForce(ctx context.Context, kind ReorgKind, units []*Unit, r ImportRow, parentID *int64) bool {
	switch kind {
	case ReorgMerge, ReorgDissolveDistrict:
		for _, u := range units {
			if u.Live() {
				return false
			}
		}
		return true
	case ReorgRename:
		return units[0].Name == r.cell("to_name")
	case ReorgMove:
		return parentID != nil && units[0].ParentID != nil && *units[0].ParentID == *parentID
	}
	return false
}
