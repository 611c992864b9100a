package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// countRows counts the rows of the tables an import may touch.
func countRows(t *testing.T, e *testEnv) string {
	t.Helper()
	out := ""
	for _, tb := range []string{"units", "reorganizations", "unit_lineage", "unit_names", "users"} {
		var n int64
		if err := e.store.Gorm().Table(tb).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%s:%d ", tb, n)
	}
	return out
}

func TestImportUnitList(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.as(e.world.Admin)
		bad := "code;name;kind;parent_code\n" +
			"28601;Tân Hòa Mới;xa;82\n" +
			";Ấp Một;ap;28601\n" +
			"28570;Tân Thới;xa;\n" +
			"28604;;xa;82\n" +
			"28602;Foo;zz;82\n" +
			"28603;Bar;xa;77\n" +
			"28601;Lặp;xa;82\n"
		before := countRows(t, e)
		r := admin.do("POST", "/api/v1/units/import?dry_run=true", bad, "Content-Type", "text/csv")
		expect(t, r, 200)
		var res models.ImportResult
		r.decode(t, &res)
		lines := []int{}
		for _, p := range res.Problems {
			lines = append(lines, p.Line)
		}
		if fmt.Sprint(lines) != "[5 6 7 8]" || len(res.Created) != 2 || res.Unchanged != 1 || !res.DryRun {
			t.Fatalf("dry run %+v", res)
		}
		r = admin.do("POST", "/api/v1/units/import", bad, "Content-Type", "text/csv")
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["line 5"] == "" || f["line 8"] == "" {
			t.Fatalf("faults %v", f)
		}
		if after := countRows(t, e); after != before {
			t.Fatalf("a refused import changed rows: %s → %s", before, after)
		}
		good := "\ufeffcode,name,kind,parent_code\n28601,Tân Hòa Mới,xa,82\n,Ấp Một,ap,28601\n28570,Tân Thới,xa,\n"
		r = admin.upload("/api/v1/units/import", part{name: "units.csv", data: []byte(good)})
		expect(t, r, 200)
		r.decode(t, &res)
		if len(res.Created) != 2 || res.Unchanged != 1 {
			t.Fatalf("first import %+v", res)
		}
		once := countRows(t, e)
		r = admin.upload("/api/v1/units/import", part{name: "units.csv", data: []byte(good)})
		expect(t, r, 200)
		r.decode(t, &res)
		if len(res.Created) != 0 || len(res.Updated) != 0 || res.Unchanged != 3 || countRows(t, e) != once {
			t.Fatalf("second import changed something: %+v", res)
		}
		// Only administrators import.
		expect(t, e.as(e.world.DistrictOfficial).do("POST", "/api/v1/units/import", good, "Content-Type", "text/csv"), 403)
		expect(t, admin.do("POST", "/api/v1/units/import", "", "Content-Type", "text/csv"), 422)
	})
}

func TestImportReorganizationTableFromXLSX(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.as(e.world.Admin)
		book := func(rows [][]any) []byte {
			f := excelize.NewFile()
			for i, row := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
					t.Fatal(err)
				}
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		header := []any{"legal_number", "legal_date", "effective_on", "kind", "unit_code", "to_code", "to_name", "to_kind", "parent_code"}
		acts := book([][]any{header,
			{"1663/NQ-UBTVQH15", "2025-06-16", "2025-07-01", "merge", "28570", "28600", "Tân Thới", "xa", "82"},
			{"1663/NQ-UBTVQH15", "2025-06-16", "2025-07-01", "merge", "28573", "28600", "Tân Thới", "xa", "82"},
			{"202/2025/QH15", "2025-06-12", "2025-07-01", "rename", "82", "", "Đồng Tháp", "tinh", ""},
		})
		before := countRows(t, e)
		r := admin.upload("/api/v1/reorganizations/import?dry_run=true", part{name: "acts.xlsx", data: acts})
		expect(t, r, 200)
		var res models.ImportResult
		r.decode(t, &res)
		if len(res.Acts) != 2 || len(res.Problems) != 0 || countRows(t, e) != before {
			t.Fatalf("dry run %+v", res)
		}
		r = admin.upload("/api/v1/reorganizations/import", part{name: "acts.xlsx", data: acts})
		expect(t, r, 200)
		once := countRows(t, e)
		r = admin.upload("/api/v1/reorganizations/import", part{name: "acts.xlsx", data: acts})
		expect(t, r, 200)
		r.decode(t, &res)
		if len(res.Acts) != 0 || res.Unchanged != 2 || countRows(t, e) != once {
			t.Fatalf("second import %+v", res)
		}
		// A bad table: an unknown unit, and a split of an unknown commune, each named by its line.
		bad := book([][]any{header,
			{"5/NQ", "2025-06-16", "2025-07-01", "merge", "99999", "28700", "Mới", "xa", "82"},
			{"6/NQ", "2025-06-16", "2025-07-01", "split", "28571", "", "", "", ""},
		})
		r = admin.upload("/api/v1/reorganizations/import", part{name: "bad.xlsx", data: bad})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["line 2"] == "" || f["line 3"] == "" {
			t.Fatalf("faults %v", f)
		}
		if countRows(t, e) != once {
			t.Fatal("a refused table changed rows")
		}
	})
}

func TestImportSplitTable(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.as(e.world.Admin)
		header := "legal_number,legal_date,effective_on,kind,unit_code,hamlet,to_code,to_name,to_kind,parent_code\n"
		good := header +
			"7/NQ-UBTVQH15,2025-06-16,2025-07-01,split,28570,Ấp Tân Hòa,28601,Tân Thới Đông,xã,\n" +
			"7/NQ-UBTVQH15,2025-06-16,2025-07-01,split,28570,Ấp Tân Bình,28573,,,\n"
		before := countRows(t, e)
		r := admin.do("POST", "/api/v1/reorganizations/import?dry_run=true", good, "Content-Type", "text/csv")
		expect(t, r, 200)
		var res models.ImportResult
		r.decode(t, &res)
		if len(res.Acts) != 1 || res.Acts[0].Kind != models.ReorgSplit || len(res.Problems) != 0 || countRows(t, e) != before {
			t.Fatalf("dry run %+v", res)
		}
		// A hamlet the commune does not have: 422 naming the line, nothing changed.
		bad := header +
			"7/NQ-UBTVQH15,2025-06-16,2025-07-01,split,28570,Ấp Tân Hòa,28601,Tân Thới Đông,xã,\n" +
			"7/NQ-UBTVQH15,2025-06-16,2025-07-01,split,28570,Ấp Không Có,28573,,,\n"
		r = admin.do("POST", "/api/v1/reorganizations/import", bad, "Content-Type", "text/csv", "Accept-Language", "en")
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["line 3"] != "Commune Tân Thới has no hamlet Ấp Không Có." || len(f) != 1 {
			t.Fatalf("faults %v", f)
		}
		if countRows(t, e) != before {
			t.Fatal("a refused split changed rows")
		}
		r = admin.upload("/api/v1/reorganizations/import", part{name: "split.csv", data: []byte(good)})
		expect(t, r, 200)
		r.decode(t, &res)
		once := countRows(t, e)
		if len(res.Acts) != 1 || once == before {
			t.Fatalf("import %+v", res)
		}
		var parent int64
		e.store.Gorm().Raw("SELECT parent_id FROM units WHERE id = ?", e.world.HamletA2.ID).Scan(&parent)
		if parent != e.world.CommuneB.ID {
			t.Fatalf("Ấp Tân Bình went to %d", parent)
		}
		r = admin.upload("/api/v1/reorganizations/import", part{name: "split.csv", data: []byte(good)})
		expect(t, r, 200)
		r.decode(t, &res)
		if len(res.Acts) != 0 || res.Unchanged != 1 || countRows(t, e) != once {
			t.Fatalf("second import %+v", res)
		}
		// Only administrators import.
		expect(t, e.as(e.world.DistrictOfficial).do("POST", "/api/v1/reorganizations/import", good, "Content-Type", "text/csv"), 403)
	})
}

// TestExampleFilesLoadAsDocumented loads docs/examples/units.csv into a fresh province made as
// papi init makes it, then docs/examples/reorganizations.csv (a split and a rename): a dry run,
// the import, and the same file again changing nothing.
func TestExampleFilesLoadAsDocumented(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		_, admin, err := s.InitProvince(ctx, models.InitInput{ProvinceCode: "82", ProvinceName: "Đồng Tháp", Username: "admin",
			FullName: "Quản trị", Password: dbtest.Password})
		if err != nil {
			t.Fatal(err)
		}
		srv := New(s, Config{PublicRate: -1}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		e := &testEnv{t: t, store: s, srv: srv, h: srv.Handler()}
		c := e.as(admin)
		read := func(name string) []byte {
			b, err := os.ReadFile(filepath.Join("..", "docs", "examples", name))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		expect(t, c.upload("/api/v1/units/import", part{name: "units.csv", data: read("units.csv")}), 200)
		acts := read("reorganizations.csv")
		before := countRows(t, e)
		r := c.upload("/api/v1/reorganizations/import?dry_run=true", part{name: "reorganizations.csv", data: acts})
		expect(t, r, 200)
		var res models.ImportResult
		r.decode(t, &res)
		if len(res.Acts) != 2 || res.Acts[0].Kind != models.ReorgSplit || len(res.Problems) != 0 || countRows(t, e) != before {
			t.Fatalf("dry run %+v", res)
		}
		expect(t, c.upload("/api/v1/reorganizations/import", part{name: "reorganizations.csv", data: acts}), 200)
		var live []string
		s.Gorm().Raw("SELECT name FROM units WHERE level = 'commune' AND valid_to IS NULL ORDER BY code").Scan(&live)
		if strings.Join(live, ", ") != "Tân Thới Phú, Phú Thạnh" {
			t.Fatalf("communes after the acts: %v", live)
		}
		once := countRows(t, e)
		r = c.upload("/api/v1/reorganizations/import", part{name: "reorganizations.csv", data: acts})
		expect(t, r, 200)
		r.decode(t, &res)
		if len(res.Acts) != 0 || res.Unchanged != 2 || countRows(t, e) != once {
			t.Fatalf("second import %+v", res)
		}
	})
}
