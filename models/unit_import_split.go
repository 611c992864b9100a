package models

import (
	"context"
	"regexp"
	"strconv"
)

// importSplit applies a split from its lines in a reorganization table: one line per hamlet of
// the split commune (unit_code), naming the hamlet (column hamlet: its code, or its name in that
// commune) and the successor it goes to: to_code of an existing commune, or to_code, to_name,
// to_kind and parent_code (by default the split commune's parent) of a new one. The lines with
// one to_code (without a code, one to_name) make one successor. A split whose commune has ended
// already is in force and counts as unchanged. The split's own checks (every hamlet placed, no
// hamlet twice, codes never reused) are those of ApplyReorganization; each fault is reported on
// the first line of the successor it concerns.
func (s *Store) importSplit(ctx context.Context, actor Actor, g []ImportRow, res *ImportResult) error {
	first := g[0]
	badAt := func(line int, m Message) { res.Problems = append(res.Problems, ImportProblem{Line: line, Reason: m}) }
	code := first.cell("unit_code")
	src, err := s.UnitByCodeOrID(ctx, code)
	if err != nil || code == "" {
		badAt(first.Line, Msg("Không có đơn vị mã "+code+".", "No unit with code "+code+"."))
		return nil
	}
	if !src.Live() {
		res.Unchanged++
		return nil
	}
	hamlets, err := s.liveChildren(ctx, src.ID)
	if err != nil {
		return err
	}
	in := ReorganizationInput{Kind: ReorgSplit, LegalNumber: first.cell("legal_number"),
		LegalDate: first.cell("legal_date"), EffectiveOn: first.cell("effective_on"), UnitIDs: []int64{src.ID}}
	partOf := map[string]int{}
	var partLines []int
	fine := true
	for _, r := range g {
		h := hamletNamed(hamlets, r.cell("hamlet"))
		if h == nil {
			badAt(r.Line, Msg("Xã "+src.Name+" không có ấp "+r.cell("hamlet")+".", "Commune "+src.Name+" has no hamlet "+r.cell("hamlet")+"."))
			fine = false
			continue
		}
		key := "code:" + r.cell("to_code")
		if r.cell("to_code") == "" {
			key = "name:" + r.cell("to_name")
		}
		i, seen := partOf[key]
		if !seen {
			pid, ok := s.importParent(ctx, r, badAt)
			if !ok {
				fine = false
				continue
			}
			i = len(in.Parts)
			partOf[key] = i
			in.Parts = append(in.Parts, SplitPart{Into: s.importTarget(ctx, r, pid)})
			partLines = append(partLines, r.Line)
		}
		in.Parts[i].HamletIDs = append(in.Parts[i].HamletIDs, h.ID)
	}
	if !fine {
		return nil
	}
	return s.applyImported(ctx, actor, in, func(field string) int {
		if m := partField.FindStringSubmatch(field); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(partLines) {
				return partLines[i]
			}
		}
		return first.Line
	}, res)
}

// partField reads the successor's index from a split's field name, e.g. parts[1].into.code.
var partField = regexp.MustCompile(`^parts\[(\d+)\]`)

// importParent reads a line's parent_code: nil when empty, false (a problem on the line) when
// no unit has that code.
func (s *Store) importParent(ctx context.Context, r ImportRow, badAt func(int, Message)) (*int64, bool) {
	pc := r.cell("parent_code")
	if pc == "" {
		return nil, true
	}
	p, err := s.UnitByCodeOrID(ctx, pc)
	if err != nil {
		badAt(r.Line, Msg("Không có đơn vị cấp trên mã "+pc+".", "No parent unit with code "+pc+"."))
		return nil, false
	}
	return &p.ID, true
}

// hamletNamed finds a hamlet among a commune's by its code, its name, or its name with
// diacritics, case and spacing folded; nil when none or the cell is empty.
func hamletNamed(hamlets []*Unit, ref string) *Unit {
	if ref == "" {
		return nil
	}
	for _, h := range hamlets {
		if (h.Code != nil && *h.Code == ref) || h.Name == ref {
			return h
		}
	}
	folded := Fold(ref)
	for _, h := range hamlets {
		if Fold(h.Name) == folded {
			return h
		}
	}
	return nil
}
