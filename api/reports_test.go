package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// reportEnv is a test environment holding the known history of dbtest.BuildReportData.
func reportEnv(t *testing.T, e *testEnv) *dbtest.ReportData {
	t.Helper()
	return dbtest.BuildReportData(t, e.store, e.world)
}

func TestSummaryAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rd := reportEnv(t, e)
		district := e.as(e.world.DistrictOfficial)

		r := district.do("GET", "/api/v1/reports/summary?period=q1&year=2026&sort=-overdue_open", nil)
		expect(t, r, 200)
		var sum models.Summary
		r.decode(t, &sum)
		p := sum.Figures.Petitions
		if sum.Unit.ID != e.world.District.ID || sum.Period.Kind != "q1" || sum.Period.Label.VI != "Quý I năm 2026" || sum.AsOf != "2026-04-10" ||
			p.Total != 13 || p.OverdueOpen != 2 || p.AwaitingClosure != 2 || p.OnTime.OnTime != 5 || p.OnTime.Answered != 7 || *p.MedianDaysToFirstAnswer != 5 ||
			sum.Figures.Attendance.Total != 142 || sum.Sort != "-overdue_open" {
			t.Fatalf("summary %s", r.Body)
		}
		// One late petition each (A4, B2; A3 awaits closure): the tie goes by name.
		if len(sum.Communes) != 2 || sum.Communes[0].Commune.Name != "Tân Phú" || sum.Communes[0].Figures.Petitions.OverdueOpen != 1 ||
			sum.Communes[1].Figures.Petitions.AwaitingClosure != 1 {
			t.Fatalf("league %+v", sum.Communes)
		}
		// Every key the dashboard reads is there, zeros included.
		raw := r.Body.String()
		for _, key := range []string{`"by_kind":{`, `"to_cao":1`, `"reopened":1`, `"minutes_overdue":1`, `"satisfied":{"satisfied":2,"rated":3,"rate":0.6667}`,
			`"on_time":{"on_time":5,"answered":7,"rate":0.7143}`, `"label":{"vi":"Quý I năm 2026"`} {
			if !strings.Contains(raw, key) {
				t.Errorf("summary lacks %s", key)
			}
		}

		// The chair of A sees only A; a foreign unit is a field error; bad input names the field.
		chair := e.as(e.world.ChairA)
		r = chair.do("GET", "/api/v1/reports/summary?period=q1&year=2026", nil)
		expect(t, r, 200)
		if m := r.m(t); len(m["communes"].([]any)) != 0 {
			t.Fatalf("a commune's report has a league: %v", m["communes"])
		}
		r = chair.do("GET", fmt.Sprintf("/api/v1/reports/summary?unit_id=%d", e.world.CommuneB.ID), nil)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["unit_id"] == "" {
			t.Fatalf("fields %v", f)
		}
		chair.lang = "en"
		r = chair.do("GET", "/api/v1/reports/summary?period=month&month=13&sort=x", nil)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["month"] != "The month must be between 1 and 12." || f["sort"] == "" {
			t.Fatalf("fields %v", f)
		}
		expect(t, e.anon().do("GET", "/api/v1/reports/summary", nil), 401)

		// The overdue list: longest overdue first: A8, B2, then A4 (A3 is answered: not late).
		r = district.do("GET", "/api/v1/reports/overdue?limit=2", nil)
		expect(t, r, 200)
		var page struct {
			Items      []models.OverduePetition `json:"items"`
			NextCursor string                   `json:"next_cursor"`
		}
		r.decode(t, &page)
		if len(page.Items) != 2 || page.Items[0].Reference != rd.Refs["A8"] || page.Items[0].DaysOverdue != 90 || page.NextCursor == "" {
			t.Fatalf("overdue %s", r.Body)
		}
		r = district.do("GET", "/api/v1/reports/overdue?limit=2&cursor="+url.QueryEscape(page.NextCursor), nil)
		r.decode(t, &page)
		if len(page.Items) != 1 || page.Items[0].Reference != rd.Refs["A4"] || page.NextCursor != "" {
			t.Fatalf("overdue page 2 %s", r.Body)
		}
		expect(t, district.do("GET", "/api/v1/reports/overdue?cursor=garbage", nil), 422)
	})
}

func TestSummaryWorkbook(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		dbtest.BuildReportData(t, e.store, e.world)
		admin := e.as(e.world.Admin)
		r := admin.do("GET", "/api/v1/reports/summary.xlsx?period=q1&year=2026", nil)
		expect(t, r, 200)
		if ct := r.Header().Get("Content-Type"); ct != xlsxType {
			t.Fatalf("content type %q", ct)
		}
		if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
			t.Fatalf("disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := strings.Join(f.GetSheetList(), ","); got != "Tổng hợp,Theo xã,Thời hạn theo luật" {
			t.Fatalf("sheets %s", got)
		}
		cell := func(sheet, ref string) string {
			v, err := f.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if !strings.HasPrefix(cell("Tổng hợp", "A1"), "BÁO CÁO KẾT QUẢ ĐỐI THOẠI") ||
			cell("Tổng hợp", "A2") != "Tiền Giang — Quý I năm 2026 (từ 01/01/2026 đến 31/03/2026)" {
			t.Fatalf("title %q / %q", cell("Tổng hợp", "A1"), cell("Tổng hợp", "A2"))
		}
		// The as-of date is a real date cell shown as dd/mm/yyyy.
		if got := cell("Tổng hợp", "B3"); got != "10/04/2026" {
			t.Fatalf("as of %q", got)
		}
		rows, err := f.GetRows("Tổng hợp")
		if err != nil {
			t.Fatal(err)
		}
		values := map[string]string{}
		for _, row := range rows {
			if len(row) >= 3 {
				values[row[1]] = row[2]
			}
		}
		for label, want := range map[string]string{
			"Tổng số ý kiến tiếp nhận trong kỳ": "14",
			"Tổng số lượt người":                "142",
			// A4, B2 and O1 (received at the desk, never acknowledged); A3 and B3 are answered.
			"Trong đó: quá hạn (chưa trả lời)": "3",
			"Trong đó: đã trả lời, chờ đóng":   "2",

			"Tỷ lệ trả lời đúng hạn":                      "71.4%",
			"Tỷ lệ hài lòng (trên số ý kiến có đánh giá)": "66.7%",
			"Số ngày đến khi trả lời lần đầu (trung vị)":  "5.0",
			"Giao thông": "3",
			"Tố cáo":     "1",
			"Mở lại":     "1",
		} {
			if values[label] != want {
				t.Errorf("%s = %q, want %q", label, values[label], want)
			}
		}
		league, err := f.GetRows("Theo xã")
		if err != nil {
			t.Fatal(err)
		}
		// Title, subtitle, a blank line, the header, three communes and the totals.
		if len(league) != 8 || league[3][1] != "Xã" || league[4][1] != "Tân Phú" || league[5][1] != "Tân Tây" ||
			league[6][1] != "Tân Thới" || league[7][1] != "Tổng cộng" || league[7][6] != "14" || league[6][10] != "75.0%" {
			t.Fatalf("league sheet %q", league)
		}
		// The workbook is in the export log.
		r = admin.do("GET", "/api/v1/reports/exports", nil)
		expect(t, r, 200)
		if body := r.Body.String(); !strings.Contains(body, `"export":"summary"`) || !strings.Contains(body, `"format":"xlsx"`) {
			t.Fatalf("export log %s", body)
		}
	})
}

// csvRows reads a CSV export, checking its byte order mark.
func csvRows(t *testing.T, r response) [][]string {
	t.Helper()
	body := r.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no BOM: %q", body[:min(20, len(body))])
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPetitionExport(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		rd := reportEnv(t, e)
		district := e.as(e.world.DistrictOfficial)

		r := district.do("GET", "/api/v1/petitions/export", nil)
		expect(t, r, 200)
		if ct := r.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		rows := csvRows(t, r)
		// Header and the 15 petitions of communes A and B, newest first.
		if len(rows) != 16 || rows[0][0] != "Mã ý kiến" || rows[0][7] != "Ngày tiếp nhận" || len(rows[0]) != 18 {
			t.Fatalf("csv %d rows, header %v", len(rows), rows[0])
		}
		byRef := map[string][]string{}
		for _, row := range rows[1:] {
			byRef[row[0]] = row
		}
		a3 := byRef[rd.Refs["A3"]]
		if a3 == nil || a3[1] != "Tân Thới" || a3[4] != "Giao thông" || a3[5] != "Khiếu nại" || a3[6] != "Đơn thư" ||
			a3[7] != "10/02/2026 08:00" || a3[8] != "Đã trả lời" || a3[10] != "Địa chính xã" || a3[11] != "20/02/2026" ||
			a3[12] != "Không" || a3[13] != "26/02/2026 08:00" { // answered: awaiting closure, not late
			t.Fatalf("A3 row %q", a3)
		}
		if b1 := byRef[rd.Refs["B1"]]; b1[16] != "Hài lòng" || b1[14] != "17/01/2026 06:00" {
			t.Fatalf("B1 row %q", b1)
		}
		if strings.Contains(r.Body.String(), "Petitioner") {
			t.Fatal("an export without personal data names a petitioner")
		}
		for _, s := range rd.Petitioners {
			if strings.HasPrefix(s, "B42") && strings.Contains(r.Body.String(), s) {
				t.Fatalf("an export without personal data holds identification number %s", s)
			}
		}

		// The list's filters apply: resolved petitions of commune A.
		r = district.do("GET", fmt.Sprintf("/api/v1/petitions/export?status=resolved&commune_id=%d", e.world.CommuneA.ID), nil)
		expect(t, r, 200)
		if rows := csvRows(t, r); len(rows) != 3 {
			t.Fatalf("filtered export: %d rows", len(rows))
		}
		// The word search of the list too.
		r = district.do("GET", "/api/v1/petitions/export?q=khieunai-secret", nil)
		expect(t, r, 200)
		if rows := csvRows(t, r); len(rows) != 2 || rows[1][0] != rd.Refs["A3"] {
			t.Fatalf("searched export: %q", rows)
		}
		// Bad filters are refused before any byte of the file.
		r = district.do("GET", "/api/v1/petitions/export?format=pdf&status=lost&from=yesterday", nil)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["format"] == "" || f["status"] == "" || f["from"] == "" {
			t.Fatalf("fields %v", f)
		}

		// Personal data: the district official gets names, but not a denouncer's.
		r = district.do("GET", "/api/v1/petitions/export?personal=true", nil)
		expect(t, r, 200)
		rows = csvRows(t, r)
		if len(rows[0]) != 22 || rows[0][18] != "Họ tên người nêu" || rows[0][21] != "Số định danh" {
			t.Fatalf("personal header %v", rows[0])
		}
		for _, row := range rows[1:] {
			switch row[0] {
			case rd.Refs["A1"]:
				if row[18] != "Nguyễn Thị PetitionerA1" || row[20] != "Số A1 đường Petitioner" || !strings.HasPrefix(row[21], "B") {
					t.Fatalf("A1 petitioner %q", row[18:])
				}
			case rd.Refs["A5"]:
				if row[18] != "" || row[19] != "" || row[20] != "" || row[21] != "" {
					t.Fatalf("a denouncer was exported to a district official: %q", row[18:])
				}
			}
		}
		// The chair of A may see the denouncer of A5.
		r = e.as(e.world.ChairA).do("GET", "/api/v1/petitions/export?personal=true&kind=to_cao", nil)
		expect(t, r, 200)
		if rows := csvRows(t, r); len(rows) != 2 || rows[1][18] != "Nguyễn Thị PetitionerA5" {
			t.Fatalf("chair's to_cao export %q", rows)
		}
		// A secretary may not export personal data, and the refusal is not logged as an export.
		secretary := e.as(e.world.SecretaryA)
		expect(t, secretary.do("GET", "/api/v1/petitions/export?personal=true", nil), 403)
		expect(t, secretary.do("GET", "/api/v1/petitions/export", nil, "X-Forwarded-For", "203.0.113.5"), 200)

		// The export log: who, when, which filters, personal or not.
		r = e.as(e.world.Admin).do("GET", "/api/v1/reports/exports", nil)
		expect(t, r, 200)
		var log struct {
			Items []struct {
				Username   string            `json:"username"`
				RemoteAddr string            `json:"remote_addr"`
				Format     string            `json:"format"`
				Personal   bool              `json:"personal"`
				Filters    map[string]string `json:"filters"`
			} `json:"items"`
		}
		r.decode(t, &log)
		if len(log.Items) != 6 {
			t.Fatalf("export log %s", r.Body)
		}
		chairs := log.Items[1]
		if log.Items[0].Username != "secretary.a" || log.Items[0].Personal || log.Items[0].RemoteAddr != "192.0.2.1 (X-Forwarded-For: 203.0.113.5)" || chairs.Username != "chair.a" || !chairs.Personal ||
			chairs.Filters["kind"] != "to_cao" || log.Items[3].Filters["q"] != "khieunai-secret" || log.Items[4].Filters["status"] != "resolved" {
			t.Fatalf("export log %+v", log.Items)
		}
		expect(t, e.as(e.world.ChairA).do("GET", "/api/v1/reports/exports", nil), 403)

		// XLSX: the same rows, dates as dates.
		r = district.do("GET", "/api/v1/petitions/export?format=xlsx&sort=received_at", nil)
		expect(t, r, 200)
		f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		xrows, err := f.GetRows("Ý kiến")
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) != 16 || xrows[1][0] != rd.Refs["A8"] || xrows[1][7] != "31/12/2025 23:59" || xrows[2][0] != rd.Refs["A1"] {
			t.Fatalf("xlsx rows %q", xrows[:3])
		}
		raw, _ := f.GetCellValue("Ý kiến", "H2", excelize.Options{RawCellValue: true})
		if !strings.HasPrefix(raw, "46022.") { // 31/12/2025 as an Excel serial day
			t.Fatalf("received_at is not a date cell: %q", raw)
		}
	})
}

// TestReportPermissions checks every role on the report and export endpoints, on its own units
// and on foreign ones.
func TestReportPermissions(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		for _, role := range models.Roles() {
			c := e.as(userOf(e.world, role))
			tg := targetsFor(e.world, role)
			own, foreign := tg.commune[0].ID, tg.commune[1].ID
			personal := 403
			if role == models.RoleAdmin || role == models.RoleDistrictOfficial || role == models.RoleCommuneChair {
				personal = 200
			}
			logRead := 403
			if role == models.RoleAdmin || role == models.RoleDistrictOfficial {
				logRead = 200
			}
			for path, want := range map[string]int{
				fmt.Sprintf("/api/v1/reports/summary?unit_id=%d", own):          200,
				fmt.Sprintf("/api/v1/reports/summary?unit_id=%d", foreign):      422,
				fmt.Sprintf("/api/v1/reports/summary.xlsx?unit_id=%d", own):     200,
				fmt.Sprintf("/api/v1/reports/summary.xlsx?unit_id=%d", foreign): 422,
				fmt.Sprintf("/api/v1/reports/series?unit_id=%d", own):           200,
				fmt.Sprintf("/api/v1/reports/series?unit_id=%d", foreign):       422,
				fmt.Sprintf("/api/v1/reports/overdue?unit_id=%d", own):          200,
				fmt.Sprintf("/api/v1/reports/overdue?unit_id=%d", foreign):      422,
				fmt.Sprintf("/api/v1/petitions/export?unit_id=%d", own):         200,
				fmt.Sprintf("/api/v1/petitions/export?unit_id=%d", foreign):     422,
				"/api/v1/petitions/export?personal=true":                        personal,
				"/api/v1/reports/exports":                                       logRead,
			} {
				if r := c.do("GET", path, nil); r.Code != want {
					t.Errorf("%s GET %s: %d, want %d", role, path, r.Code, want)
				}
			}
		}
		for _, path := range []string{"/api/v1/reports/summary", "/api/v1/reports/summary.xlsx", "/api/v1/reports/series", "/api/v1/reports/overdue",
			"/api/v1/petitions/export", "/api/v1/reports/exports"} {
			expect(t, e.anon().do("GET", path, nil), 401)
		}
	})
}

// TestSeriesAPI checks the month-by-month series: one request, each month equal to that month's
// own summary, months cut to a custom range, none after today, and the cap.
func TestSeriesAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		reportEnv(t, e)
		district := e.as(e.world.DistrictOfficial)
		series := func(query string) models.Series {
			t.Helper()
			r := district.do("GET", "/api/v1/reports/series?"+query, nil)
			expect(t, r, 200)
			var s models.Series
			r.decode(t, &s)
			return s
		}
		// The year so far (today is 10 April 2026): January to April, each as its own summary.
		year := series("period=year&year=2026")
		if year.Unit.ID != e.world.District.ID || year.Period.Kind != "year" || len(year.Months) != 4 {
			t.Fatalf("year series: %+v", year)
		}
		total := 0
		for i, m := range year.Months {
			var sum models.Summary
			district.do("GET", fmt.Sprintf("/api/v1/reports/summary?period=month&year=2026&month=%d", i+1), nil).decode(t, &sum)
			got, _ := json.Marshal(m.Figures)
			want, _ := json.Marshal(sum.Figures)
			if m.Period.Kind != "month" || m.Period.Month != i+1 || string(got) != string(want) {
				t.Fatalf("month %d of the series %+v differs from its summary %+v", i+1, m, sum.Figures)
			}
			if i < 3 {
				total += m.Figures.Petitions.Total
			}
		}
		if total != 13 { // the first quarter's 13 petitions, month by month
			t.Fatalf("the first quarter's months add up to %d petitions", total)
		}
		// A custom range: its first and last months cut to it.
		custom := series("from=2026-02-15&to=2026-04-05")
		var spans []string
		for _, m := range custom.Months {
			spans = append(spans, string(m.Period.Kind)+":"+m.Period.From+".."+m.Period.To)
		}
		if fmt.Sprint(spans) != "[custom:2026-02-15..2026-02-28 month:2026-03-01..2026-03-31 custom:2026-04-01..2026-04-05]" {
			t.Fatalf("custom spans %v", spans)
		}
		if next := series("period=year&year=2027"); len(next.Months) != 0 || next.Unit.ID != e.world.District.ID {
			t.Fatalf("a year to come has months: %+v", next)
		}
		r := district.do("GET", "/api/v1/reports/series?from=2020-01-01&to=2026-01-01", nil)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["to"] == "" {
			t.Fatalf("fields %v", f)
		}
		expect(t, district.do("GET", "/api/v1/reports/series?period=month&month=13", nil), 422)
	})
}
