package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/papi-dialogue/papi/models"
)

// unitsCommand loads a province's communes and hamlets from a CSV file.
func unitsCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	if len(args) == 0 || args[0] != "import" {
		return errors.New("units: the only subcommand is import (papi units import --help)")
	}
	fs := flag.NewFlagSet("units import", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "check the file and say what would be created, changing nothing")
	synopsis := "units import [--dry-run] FILE.csv\n\n" +
		"Loads districts, communes and hamlets under units already in the database (the province made by\n" +
		"papi init). The first line names the columns: level,code,name,parent_code and, optionally, kind.\n" +
		"level is district, commune or hamlet; a commune's code is its official 5-digit code; parent_code\n" +
		"is the code of the unit above it (a hamlet's commune); kind is xa, phuong or dac_khu for a commune,\n" +
		"ap, thon, ban, to_dan_pho or khu_pho for a hamlet (or the Vietnamese word), xa and ap when empty. Commas or semicolons separate the columns; UTF-8, with or\n" +
		"without a byte-order mark. Rows already loaded are skipped, so a file can be loaded again after\n" +
		"it grows. A file with any bad row loads nothing; every bad row is listed by line number."
	if err := parseFlags(fs, synopsis, args[1:], e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("units import: name one CSV file (papi units import --help)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("units import: %w", err)
	}
	defer f.Close()
	rows, err := readUnitRows(f)
	if err != nil {
		return fmt.Errorf("units import: %s: %w", fs.Arg(0), err)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	plan, err := planUnitImport(ctx, store, rows)
	if err != nil {
		return err
	}
	if len(plan.problems) > 0 {
		for _, p := range plan.problems {
			fmt.Fprintln(e.stderr, p)
		}
		return fmt.Errorf("units import: %s: %d bad rows (listed above); nothing was loaded", fs.Arg(0), len(plan.problems))
	}
	verb := "created"
	if *dryRun {
		verb = "would create"
	} else if err := plan.apply(ctx, store); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s; %d rows already loaded\n", verb, plan.summary(), plan.present)
	return nil
}

// unitRow is one line of a unit file.
type unitRow struct {
	line                   int
	level                  models.Level
	code, name, parentCode string
	kind                   models.UnitKind
	parentID               int64 // set when the parent is already in the database
	parentRow              *unitRow
	created                *models.Unit
	present                bool // already in the database: skipped
}

var unitColumns = []string{"level", "code", "name", "parent_code"}

// unitKind reads the optional kind column: the kind's code (phuong) or its Vietnamese word
// (phường); empty is the level's default (xã, ấp).
func unitKind(l models.Level, v string) (models.UnitKind, bool) {
	if v == "" {
		return "", true
	}
	for _, k := range models.UnitKinds(l) {
		if strings.EqualFold(v, string(k)) || strings.EqualFold(norm.NFC.String(v), k.Word()) {
			return k, true
		}
	}
	return models.UnitKind(v), false
}

// readUnitRows reads a unit file: a header naming the columns, then one unit a line.
func readUnitRows(r io.Reader) ([]*unitRow, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	firstLine, _, _ := strings.Cut(string(head), "\n")
	if strings.Count(firstLine, ";") > strings.Count(firstLine, ",") {
		cr.Comma = ';' // spreadsheets in a Vietnamese locale save with semicolons
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range unitColumns {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("line 1: the header must name the columns %s; it has no %q", strings.Join(unitColumns, ","), c)
		}
	}
	var rows []*unitRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err // csv.ParseError already names the line
		}
		line, _ := cr.FieldPos(0)
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		rows = append(rows, &unitRow{line: line, level: models.Level(strings.ToLower(cell("level"))),
			code: cell("code"), name: norm.NFC.String(cell("name")), parentCode: cell("parent_code"), kind: models.UnitKind(cell("kind"))})
	}
}

// unitPlan is a checked unit file: what it would create, what is already there, what is wrong.
type unitPlan struct {
	rows     []*unitRow
	problems []string
	present  int
}

// sameName compares unit names as a person would: case, spacing and Unicode form aside.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(norm.NFC.String(a)), " "), strings.Join(strings.Fields(norm.NFC.String(b)), " "))
}

// planUnitImport checks every row against the file and the database before anything is written,
// so a file with a bad row changes nothing and every bad row is reported at once.
func planUnitImport(ctx context.Context, store *models.Store, rows []*unitRow) (*unitPlan, error) {
	existing, err := store.Units(ctx, models.SystemActor(), true)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*models.Unit{}
	for i := range existing {
		if u := &existing[i]; u.Code != nil {
			byCode[*u.Code] = u
		}
	}
	plan := &unitPlan{}
	fileCodes := map[string]*unitRow{}
	bad := func(r *unitRow, format string, args ...any) {
		plan.problems = append(plan.problems, fmt.Sprintf("line %d: %s", r.line, fmt.Sprintf(format, args...)))
	}
	for _, r := range rows {
		checkUnitRow(r, bad)
		if r.code == "" {
			continue
		}
		if first, ok := fileCodes[r.code]; ok {
			bad(r, "code %s is already used on line %d", r.code, first.line)
			continue
		}
		fileCodes[r.code] = r
		if u, ok := byCode[r.code]; ok {
			if u.Level != r.level || !sameName(u.Name, r.name) {
				bad(r, "code %s already belongs to the %s %q", r.code, u.Level, u.Name)
			} else {
				r.present = true
			}
		}
	}
	for _, r := range rows {
		plan.resolveParent(r, byCode, fileCodes, existing, bad)
	}
	for _, r := range rows {
		if r.present {
			plan.present++
		} else {
			plan.rows = append(plan.rows, r)
		}
	}
	return plan, nil
}

// checkUnitRow checks what a row says on its own: level, name, code.
func checkUnitRow(r *unitRow, bad func(*unitRow, string, ...any)) {
	switch r.level {
	case models.LevelDistrict, models.LevelCommune, models.LevelHamlet:
	case models.LevelProvince:
		bad(r, "level: provinces are created by papi init, not imported")
	default:
		bad(r, "level: want district, commune or hamlet, not %q", r.level)
	}
	if k, ok := unitKind(r.level, string(r.kind)); ok {
		r.kind = k
	} else if r.level.Valid() {
		words := []string{}
		for _, k := range models.UnitKinds(r.level) {
			words = append(words, string(k)+" ("+k.Word()+")")
		}
		bad(r, "kind: a %s is one of %s, not %q", r.level, strings.Join(words, ", "), r.kind)
	}
	if r.name == "" {
		bad(r, "name: empty")
	} else if len([]rune(r.name)) > 200 {
		bad(r, "name: longer than 200 characters")
	}
	if r.level == models.LevelCommune && r.code == "" {
		bad(r, "code: a commune needs its official 5-digit code")
	} else if m := models.OfficialCodeProblem(r.level, r.code); r.code != "" && m.EN != "" {
		bad(r, "code %q: %s", r.code, m.EN)
	}
	if r.parentCode == "" {
		bad(r, "parent_code: empty; name the code of the unit above this one")
	}
}

// resolveParent finds a row's parent in the database or the file and checks the levels fit.
// A hamlet without a code counts as already loaded when its commune has a hamlet of that name.
func (p *unitPlan) resolveParent(r *unitRow, byCode map[string]*models.Unit, fileCodes map[string]*unitRow,
	existing []models.Unit, bad func(*unitRow, string, ...any)) {
	if r.parentCode == "" {
		return
	}
	var parentLevel models.Level
	if u, ok := byCode[r.parentCode]; ok {
		r.parentID, parentLevel = u.ID, u.Level
	} else if pr, ok := fileCodes[r.parentCode]; ok && pr != r {
		r.parentRow, parentLevel = pr, pr.level
	} else {
		bad(r, "parent_code %s: no unit has this code, in the database or in the file", r.parentCode)
		return
	}
	if r.level.Valid() && !r.level.MayHangUnder(parentLevel) {
		bad(r, "parent_code %s: a %s cannot sit under a %s", r.parentCode, r.level, parentLevel)
		return
	}
	if r.code == "" && r.parentID != 0 {
		for i := range existing {
			u := &existing[i]
			if u.ParentID != nil && *u.ParentID == r.parentID && u.Level == r.level && sameName(u.Name, r.name) {
				r.present = true
				return
			}
		}
	}
}

// apply creates the planned units in one transaction, parents before children.
func (p *unitPlan) apply(ctx context.Context, store *models.Store) error {
	rank := map[models.Level]int{models.LevelDistrict: 0, models.LevelCommune: 1, models.LevelHamlet: 2}
	sort.SliceStable(p.rows, func(i, j int) bool { return rank[p.rows[i].level] < rank[p.rows[j].level] })
	return store.WithTx(ctx, func(ctx context.Context) error {
		for _, r := range p.rows {
			parentID := r.parentID
			if r.parentRow != nil {
				if r.parentRow.created == nil {
					return fmt.Errorf("units import: line %d: parent on line %d was not created", r.line, r.parentRow.line)
				}
				parentID = r.parentRow.created.ID
			}
			in := models.UnitInput{ParentID: &parentID, Level: r.level, Name: r.name, Kind: r.kind}
			if r.code != "" {
				in.Code = &r.code
			}
			u, err := store.CreateUnit(ctx, models.SystemActor(), in)
			if err != nil {
				return commandError(fmt.Sprintf("units import: line %d", r.line), err)
			}
			r.created = u
		}
		return nil
	})
}

// summary counts the planned units by level.
func (p *unitPlan) summary() string {
	n := map[models.Level]int{}
	for _, r := range p.rows {
		n[r.level]++
	}
	return fmt.Sprintf("%d districts, %d communes, %d hamlets", n[models.LevelDistrict], n[models.LevelCommune], n[models.LevelHamlet])
}
