package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// importRows turns a table written as semicolon-separated lines, the header first, into rows
// numbered as in a file.
func importRows(table string) []models.ImportRow {
	lines := strings.Split(strings.TrimSpace(table), "\n")
	header := strings.Split(lines[0], ";")
	var rows []models.ImportRow
	for i, l := range lines[1:] {
		cells := map[string]string{}
		for j, v := range strings.Split(l, ";") {
			cells[header[j]] = v
		}
		rows = append(rows, models.ImportRow{Line: i + 2, Cells: cells})
	}
	return rows
}

const splitHeader = "legal_number;legal_date;effective_on;kind;unit_code;hamlet;to_code;to_name;to_kind;parent_code\n"

func TestImportSplitFromATable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w, ctx := dbtest.NewWorld(t, s), context.Background()
		admin := w.Actor(t, s, w.Admin)
		// Tân Thới's two hamlets: one to a new commune, one (named without diacritics) to Tân Phú.
		good := importRows(splitHeader +
			"7/NQ-UBTVQH15;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28601;Tân Thới Đông;xa;\n" +
			"7/NQ-UBTVQH15;2025-06-16;2025-07-01;split;28570;ap tan binh;28573;;;\n")
		before := rowCounts(t, s)
		res, err := s.ImportReorganizations(ctx, admin, good, true)
		if err != nil || len(res.Acts) != 1 || len(res.Problems) != 0 || res.Acts[0].Kind != models.ReorgSplit {
			t.Fatalf("dry run %+v %v", res, err)
		}
		if d := diffCounts(before, rowCounts(t, s)); d != "" {
			t.Fatalf("a dry run changed rows: %s", d)
		}
		if res, err = s.ImportReorganizations(ctx, admin, good, false); err != nil || len(res.Acts) != 1 {
			t.Fatalf("import %+v %v", res, err)
		}
		a, _ := s.Unit(ctx, admin, w.CommuneA.ID)
		a1, _ := s.Unit(ctx, admin, w.HamletA1.ID)
		a2, _ := s.Unit(ctx, admin, w.HamletA2.ID)
		east, err := s.UnitByCodeOrID(ctx, "28601")
		if err != nil || a.Live() || *a1.ParentID != east.ID || *a2.ParentID != w.CommuneB.ID || *east.ParentID != w.District.ID || east.Name != "Tân Thới Đông" {
			t.Fatalf("after the split: A %+v, A1 under %d, A2 under %d, new %+v (%v)", a, *a1.ParentID, *a2.ParentID, east, err)
		}
		once := rowCounts(t, s)
		res, err = s.ImportReorganizations(ctx, admin, good, false)
		if err != nil || len(res.Acts) != 0 || res.Unchanged != 1 {
			t.Fatalf("second import %+v %v", res, err)
		}
		if d := diffCounts(once, rowCounts(t, s)); d != "" {
			t.Fatalf("the same table twice changed rows: %s", d)
		}
	})
}

func TestImportSplitNamesEachBadLine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		w, ctx := dbtest.NewWorld(t, s), context.Background()
		admin := w.Actor(t, s, w.Admin)
		before := rowCounts(t, s)
		problems := func(table string) map[int]string {
			t.Helper()
			res, err := s.ImportReorganizations(ctx, admin, importRows(table), true)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int]string{}
			for _, p := range res.Problems {
				out[p.Line] += p.Reason.EN + " | "
			}
			if len(res.Acts) != 0 {
				t.Fatalf("a bad split was applied: %+v", res.Acts)
			}
			return out
		}
		// A hamlet of another commune and an unknown parent, each on its own line.
		got := problems(splitHeader +
			"7/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28601;Tân Thới Đông;xa;\n" +
			"7/NQ;2025-06-16;2025-07-01;split;28570;Ấp Phú Hữu;28602;Tân Thới Tây;xa;\n" +
			"7/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Bình;28603;Tân Thới Nam;xa;99\n")
		if !strings.Contains(got[3], "no hamlet Ấp Phú Hữu") || !strings.Contains(got[4], "No parent unit with code 99") || len(got) != 2 {
			t.Fatalf("problems %v", got)
		}
		// The split's own checks, on the line of the successor they concern: the commune as its
		// own successor; a hamlet given twice, which leaves another without a commune.
		got = problems(splitHeader +
			"8/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28601;Tân Thới Đông;xa;\n" +
			"8/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Bình;28570;;;\n")
		if !strings.Contains(got[3], "parts[1].into.id") || !strings.Contains(got[3], "own successor") || len(got) != 1 {
			t.Fatalf("problems %v", got)
		}
		got = problems(splitHeader +
			"9/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28601;Tân Thới Đông;xa;\n" +
			"9/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28602;Tân Thới Tây;xa;\n" +
			"9/NQ;2025-06-16;2025-07-01;split;99999;Ấp Tân Bình;28603;Tân Thới Nam;xa;\n")
		if !strings.Contains(got[2], "Hamlets left without a commune: Ấp Tân Bình") || !strings.Contains(got[3], "given to two successors") || !strings.Contains(got[4], "No unit with code 99999") {
			t.Fatalf("problems %v", got)
		}
		// Applied rather than tried, the same table is refused whole, by line.
		_, err := s.ImportReorganizations(ctx, admin, importRows(splitHeader+
			"9/NQ;2025-06-16;2025-07-01;split;28570;Ấp Tân Hòa;28601;Tân Thới Đông;xa;\n"), false)
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["line 2"].VI == "" {
			t.Fatalf("a split with one successor: %v", err)
		}
		if d := diffCounts(before, rowCounts(t, s)); d != "" {
			t.Fatalf("refused splits changed rows: %s", d)
		}
	})
}
