package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/papi-dialogue/papi/api"
	"github.com/papi-dialogue/papi/models"
)

// unitsCommand loads a province's unit list from a CSV or XLSX file through the same import as
// POST /units/import, so the command line and the API accept the same files by the same rules.
func unitsCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, e env) error {
	if len(args) == 0 || args[0] != "import" {
		return errors.New("units: the only subcommand is import (papi units import --help)")
	}
	fs := flag.NewFlagSet("units import", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "check the file and say what would change, changing nothing")
	synopsis := "units import [--dry-run] FILE.csv|FILE.xlsx\n\n" +
		"Loads a province's units under those already in the database (the province made by papi init),\n" +
		"as POST /units/import does. The first line names the columns code,name,kind,parent_code. kind\n" +
		"is the unit's kind, its code or Vietnamese word: xa (xã), phuong (phường), dac_khu (đặc khu) for a\n" +
		"commune, ap (ấp), thon (thôn), ban (bản), to_dan_pho (tổ dân phố), khu_pho (khu phố) for a hamlet,\n" +
		"huyen, quan, thi_xa, thanh_pho for a district; code is a commune's official 5-digit code (a hamlet\n" +
		"may have none); parent_code is the code of the unit above. CSV in UTF-8, commas or semicolons,\n" +
		"with or without a byte-order mark; or an XLSX workbook's first sheet. A unit already there with\n" +
		"the same code (a hamlet: its commune and name) is left alone or has its name and kind corrected,\n" +
		"so a file can be loaded again after it grows. A file with any bad row loads nothing; every bad\n" +
		"row is listed by line number."
	if err := parseFlags(fs, synopsis, args[1:], e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("units import: name one CSV or XLSX file (papi units import --help)")
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("units import: %w", err)
	}
	rows, err := api.ImportTable(data)
	if err != nil {
		return fmt.Errorf("units import: %s: not a CSV or XLSX table with a header line: %w", fs.Arg(0), err)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := store.ImportUnits(ctx, models.SystemActor(), rows, *dryRun)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return badRows(e, fs.Arg(0), problemsOf(verr))
	}
	if err != nil {
		return fmt.Errorf("units import: %w", err)
	}
	if len(res.Problems) > 0 {
		return badRows(e, fs.Arg(0), res.Problems)
	}
	printImport(e, res)
	return nil
}

// problemsOf turns the "line N" fields of a refused import back into its bad rows.
func problemsOf(verr *models.ValidationError) []models.ImportProblem {
	var out []models.ImportProblem
	for f, m := range verr.Fields {
		n, _ := strconv.Atoi(strings.TrimPrefix(f, "line "))
		out = append(out, models.ImportProblem{Line: n, Reason: m})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// badRows lists every bad row by line on stderr and fails the command.
func badRows(e env, file string, problems []models.ImportProblem) error {
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "line %d: %s\n", p.Line, p.Reason.EN)
	}
	return fmt.Errorf("units import: %s: %d bad rows (listed above); nothing was loaded", file, len(problems))
}

// printImport says what an import changed, or would change on a dry run, one unit a line.
func printImport(e env, res *models.ImportResult) {
	created, updated := "created", "corrected"
	if res.DryRun {
		created, updated = "would create", "would correct"
	}
	for _, u := range res.Created {
		fmt.Fprintf(e.stdout, "%s %s\n", created, unitLine(u))
	}
	for _, u := range res.Updated {
		fmt.Fprintf(e.stdout, "%s %s\n", updated, unitLine(u))
	}
	fmt.Fprintf(e.stdout, "%s %d units, %s %d; %d already loaded\n", created, len(res.Created), updated, len(res.Updated), res.Unchanged)
}

// unitLine names a unit as a person reads it: level, code, kind and name.
func unitLine(u models.UnitSummary) string {
	code := ""
	if u.Code != nil {
		code = " " + *u.Code
	}
	return fmt.Sprintf("%s%s %s %s", u.Level, code, u.Kind.Word(), u.Name)
}
