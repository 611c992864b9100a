package api

import (
	"strings"
	"testing"
)

func TestCSVExportNeverCarriesAFormula(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		chair := e.as(w.ChairA)
		r := chair.do("POST", "/api/v1/petitions", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID,
			"channel": "reception", "kind": "kien_nghi", "topic_code": "GT", "content": "Đề nghị sửa đường liên ấp Tân Hòa.",
			"name": "=HYPERLINK(\"http://example.invalid\",\"Bấm\")", "phone": "+84 909 123 456", "address": "@ấp Tân Hòa"})
		expect(t, r, 201)
		r = chair.do("GET", "/api/v1/petitions/export?format=csv&personal=true", nil)
		expect(t, r, 200)
		rows := csvRows(t, r)
		if len(rows) != 2 {
			t.Fatalf("rows %q", rows)
		}
		row := strings.Join(rows[1], "|")
		for _, want := range []string{`'=HYPERLINK`, `'+84 909 123 456`, `'@ấp Tân Hòa`} {
			if !strings.Contains(row, want) {
				t.Fatalf("row %q lacks %q", row, want)
			}
		}
	})
}
