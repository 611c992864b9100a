package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// reportRoutes registers the reports and the log of exports.
func (s *Server) reportRoutes(authed *gin.RouterGroup) {
	authed.GET("/reports/summary", s.summaryReport)
	authed.GET("/reports/summary.xlsx", s.summaryWorkbook)
	authed.GET("/reports/series", s.seriesReport)
	authed.GET("/reports/overdue", s.overdueReport)
	authed.GET("/reports/exports", s.exportLog)
}

// summaryInput reads the parameters of a summary: unit, period and league order.
func summaryInput(c *gin.Context) models.SummaryInput {
	return models.SummaryInput{UnitID: c.Query("unit_id"), Sort: c.Query("sort"), As: c.Query("as"), Period: models.PeriodInput{
		Period: c.Query("period"), Year: c.Query("year"), Month: c.Query("month"), From: c.Query("from"), To: c.Query("to")}}
}

func (s *Server) summaryReport(c *gin.Context) {
	sum, err := s.store.SummaryReport(c.Request.Context(), actor(c), summaryInput(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	encodedValue(c, http.StatusOK, sum)
}

// seriesReport answers a unit's figures month by month over a period, in one request.
func (s *Server) seriesReport(c *gin.Context) {
	in := summaryInput(c)
	series, err := s.store.SeriesReport(c.Request.Context(), actor(c), models.SeriesInput{UnitID: in.UnitID, Period: in.Period, As: in.As})
	if err != nil {
		s.fail(c, err)
		return
	}
	encodedValue(c, http.StatusOK, series)
}

func (s *Server) overdueReport(c *gin.Context) {
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.OverduePetitions(c.Request.Context(), actor(c), models.OverdueInput{UnitID: c.Query("unit_id"), Page: pg})
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) exportLog(c *gin.Context) {
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.ExportLog(c.Request.Context(), actor(c), pg)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// attachment sets the headers of a download.
func attachment(c *gin.Context, contentType, filename string) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
}

func (s *Server) summaryWorkbook(c *gin.Context) {
	sum, err := s.store.SummaryExport(c.Request.Context(), actor(c), summaryInput(c), auditAddr(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	rules, err := s.store.DeadlineRules(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := summaryXLSX(sum, ruleNames(rules))
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	attachment(c, xlsxType, fmt.Sprintf("bao-cao-%d-%s-%s.xlsx", sum.Unit.ID, sum.Period.From, sum.Period.To))
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		s.log.ErrorContext(c.Request.Context(), "write workbook", "request_id", c.GetString(ctxRequestID), "error", err)
	}
}

// sheetStyles are the cell styles of the report workbook.
type sheetStyles struct {
	title, subtitle, header, section, label, number, percent, decimal, date, total int
}

func newSheetStyles(f *excelize.File) (*sheetStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	pct, dec, day := "0.0%", "0.0", "dd/mm/yyyy"
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Font: &excelize.Font{Italic: true, Size: 11}, Alignment: &excelize.Alignment{Horizontal: "center"}},
		{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: border},
		{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Border: border},
		{Border: border, Alignment: &excelize.Alignment{WrapText: true}},
		{Border: border, NumFmt: 3},
		{Border: border, CustomNumFmt: &pct},
		{Border: border, CustomNumFmt: &dec},
		{CustomNumFmt: &day, Alignment: &excelize.Alignment{Horizontal: "left"}},
		{Font: &excelize.Font{Bold: true}, Border: border, NumFmt: 3},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return &sheetStyles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9]}, nil
}

// wallClock turns an instant into a time whose UTC fields are Vietnam's wall clock: a workbook
// has no time zones, and excelize counts from UTC.
func wallClock(t time.Time) time.Time {
	l := t.In(calendar.Zone)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// dayOf is a "2006-01-02" day as a workbook date.
func dayOf(d string) any {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t
}

// rate is a rate cell: the fraction, or empty when nothing was counted.
func rate(r *float64) any {
	if r == nil {
		return ""
	}
	return *r
}

// summaryXLSX lays the summary out as a district office would type it: a title with the unit
// and the period, the figures with Vietnamese headings, and one row per commune.
func summaryXLSX(sum *models.Summary, rules map[string]string) (*excelize.File, error) {
	f := excelize.NewFile()
	st, err := newSheetStyles(f)
	if err != nil {
		return nil, err
	}
	const main, league = "Tổng hợp", "Theo xã"
	if err := f.SetSheetName("Sheet1", main); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(league); err != nil {
		return nil, err
	}
	title := "BÁO CÁO KẾT QUẢ ĐỐI THOẠI VÀ GIẢI QUYẾT Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN"
	subtitle := fmt.Sprintf("%s — %s (từ %s đến %s)", sum.Unit.Name, sum.Period.Label.VI,
		vnDate(sum.Period.From), vnDate(sum.Period.To))
	w := &sheetWriter{f: f, sheet: main, err: nil}
	summarySheet(w, st, sum, title, subtitle)
	w.sheet, w.row = league, 1
	leagueSheet(w, st, sum, title, subtitle)
	if sum.Law != nil {
		if _, err := f.NewSheet(lawSheetName); err != nil {
			return nil, err
		}
		w.sheet, w.row = lawSheetName, 1
		lawSheet(w, st, sum, rules, title, subtitle)
	}
	if w.err != nil {
		return nil, w.err
	}
	f.SetActiveSheet(0)
	return f, nil
}

// summarySheet writes the main sheet: the unit's figures, section by section, with the
// Vietnamese headings of a typed report.
func summarySheet(w *sheetWriter, st *sheetStyles, sum *models.Summary, title, subtitle string) {
	w.set("A1", title, st.title)
	w.merge("A1", "C1")
	w.set("A2", subtitle, st.subtitle)
	w.merge("A2", "C2")
	w.set("A3", "Số liệu tính đến ngày", 0)
	w.set("B3", dayOf(string(sum.AsOf)), st.date)
	w.set("A4", "Cách tính theo đơn vị", 0)
	w.set("B4", sum.Basis.Label().VI, 0)
	w.row = 5
	w.line(st.header, st.header, "STT", "Chỉ tiêu", "Số liệu")
	fig := &sum.Figures
	p := &fig.Petitions
	n := 0
	item := func(label string, v any, style int) {
		n++
		w.line(st.label, style, n, label, v)
	}
	section := func(label string) { w.line(st.section, st.section, "", label, "") }
	section("I. Đối thoại")
	item("Tổng số buổi đối thoại", fig.Dialogues.Total, st.number)
	item("Đã tổ chức (kể cả đã kết thúc)", fig.Dialogues.TookPlace, st.number)
	item("Đã kết thúc, có biên bản", fig.Dialogues.Closed, st.number)
	item("Đã tổ chức, chưa có biên bản", fig.Dialogues.Held, st.number)
	item("Trong đó: quá hạn biên bản", fig.Dialogues.MinutesOverdue, st.number)
	item("Dự kiến", fig.Dialogues.Planned, st.number)
	item("Đã hoãn ít nhất một lần", fig.Dialogues.Postponed, st.number)
	item("Đã hủy", fig.Dialogues.Cancelled, st.number)
	section("II. Tham dự (lượt người)")
	item("Người dân", fig.Attendance.Residents, st.number)
	item("Doanh nghiệp", fig.Attendance.Businesses, st.number)
	item("Cán bộ", fig.Attendance.Officials, st.number)
	item("Tổng số lượt người", fig.Attendance.Total, st.number)
	item("Trong đó: nữ", fig.Attendance.Women, st.number)
	section("III. Ý kiến, kiến nghị")
	item("Tổng số ý kiến tiếp nhận trong kỳ", p.Total, st.number)
	item("Trả lời tại chỗ", p.AnsweredOnTheSpot, st.number)
	item("Trả lời bằng văn bản", p.AnsweredInWriting, st.number)
	item("Trong đó: trả lời đúng hạn", p.OnTime.OnTime, st.number)
	item("Tỷ lệ trả lời đúng hạn", rate(p.OnTime.Rate), st.percent)
	item("Đã giải quyết", p.Resolved, st.number)
	item("Đã đóng", p.Closed, st.number)
	item("Đang xử lý (mở)", p.Open, st.number)
	item("Trong đó: quá hạn (chưa trả lời)", p.OverdueOpen, st.number)
	item("Trong đó: đã trả lời, chờ đóng", p.AwaitingClosure, st.number)
	item("Số ngày đến khi trả lời lần đầu (trung vị)", medianCell(p.MedianDaysToFirstAnswer), st.decimal)
	item("Số ngày đến khi hoàn thành (trung vị)", medianCell(p.MedianDaysToClosure), st.decimal)
	item("Tỷ lệ hài lòng (trên số ý kiến có đánh giá)", rate(p.Satisfied.Rate), st.percent)
	section("IV. Theo lĩnh vực")
	for _, t := range p.ByTopic {
		item(t.Name, t.Count, st.number)
	}
	section("V. Theo loại")
	for _, k := range models.PetitionKinds() {
		item(models.KindLabel(k), p.ByKind[k], st.number)
	}
	section("VI. Theo kênh tiếp nhận")
	for _, ch := range []models.Channel{models.ChannelDialogue, models.ChannelReception, models.ChannelLetter, models.ChannelPhone, models.ChannelOnline} {
		item(models.ChannelLabel(ch), p.ByChannel[ch], st.number)
	}
	section("VII. Theo trạng thái")
	for _, state := range models.PetitionStates() {
		item(models.StateLabel(state), p.ByState[state], st.number)
	}
	section("VIII. Mức độ hài lòng")
	for _, sat := range []models.Satisfaction{models.VerySatisfied, models.Satisfied, models.NotSatisfied, models.SatisfactionUnknown} {
		item(models.SatisfactionLabel(sat), p.Satisfaction[sat], st.number)
	}
	w.width("A", "A", 6)
	w.width("B", "B", 48)
	w.width("C", "C", 14)
	w.freeze(5)
}

// leagueSheet writes the league: one row per commune, then the unit's totals.
func leagueSheet(w *sheetWriter, st *sheetStyles, sum *models.Summary, title, subtitle string) {
	headers := []string{"STT", "Xã", "Mã", "Buổi đối thoại đã tổ chức", "Quá hạn biên bản", "Lượt người tham dự",
		"Tổng số ý kiến", "Trả lời tại chỗ", "Trả lời bằng văn bản", "Đúng hạn", "Tỷ lệ đúng hạn",
		"Đã giải quyết", "Đã đóng", "Đang mở", "Quá hạn", "Ngày trả lời (trung vị)", "Ngày hoàn thành (trung vị)", "Tỷ lệ hài lòng"}
	last := cellName(len(headers), 1)
	w.set("A1", title, st.title)
	w.merge("A1", last)
	w.set("A2", subtitle, st.subtitle)
	w.merge("A2", cellName(len(headers), 2))
	w.row = 4
	hdr := make([]any, len(headers))
	for i, h := range headers {
		hdr[i] = h
	}
	w.lineStyled(st.header, hdr...)
	rows := sum.Communes
	if len(rows) == 0 {
		rows = []models.CommuneFigures{{Commune: sum.Unit, Figures: sum.Figures}}
	}
	styles := []int{st.label, st.label, st.label, st.number, st.number, st.number, st.number, st.number, st.number,
		st.number, st.percent, st.number, st.number, st.number, st.number, st.decimal, st.decimal, st.percent}
	for i, r := range rows {
		code := ""
		if r.Commune.Code != nil {
			code = *r.Commune.Code
		}
		w.lineEach(styles, leagueCells(i+1, r.Commune.Name, code, &r.Figures)...)
	}
	totals := append([]int{st.section, st.section, st.section}, styles[3:]...)
	w.lineEach(totals, leagueCells(0, "Tổng cộng", "", &sum.Figures)...)
	w.width("A", "A", 5)
	w.width("B", "B", 24)
	w.width("C", "C", 9)
	w.width("D", cellCol(len(headers)), 13)
	w.freeze(4)
}

// leagueCells is one line of the league sheet; n 0 leaves the number out (the totals line).
func leagueCells(n int, name, code string, f *models.Figures) []any {
	p := &f.Petitions
	var num any = n
	if n == 0 {
		num = ""
	}
	return []any{num, name, code, f.Dialogues.TookPlace, f.Dialogues.MinutesOverdue, f.Attendance.Total,
		p.Total, p.AnsweredOnTheSpot, p.AnsweredInWriting, p.OnTime.OnTime, rate(p.OnTime.Rate),
		p.Resolved, p.Closed, p.Open, p.OverdueOpen, medianCell(p.MedianDaysToFirstAnswer), medianCell(p.MedianDaysToClosure),
		rate(p.Satisfied.Rate)}
}

func medianCell(m *float64) any {
	if m == nil {
		return ""
	}
	return *m
}

// vnDate writes "2026-03-31" as 31/03/2026.
func vnDate(d string) string { return calendar.Date(d).Format("02/01/2006") }

// sheetWriter writes rows one after another, keeping the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (w *sheetWriter) set(cell string, v any, style int) {
	if w.err != nil {
		return
	}
	if w.err = w.f.SetCellValue(w.sheet, cell, v); w.err == nil && style != 0 {
		w.err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
}

func (w *sheetWriter) merge(from, to string) {
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, from, to)
	}
}

func (w *sheetWriter) width(from, to string, width float64) {
	if w.err == nil {
		w.err = w.f.SetColWidth(w.sheet, from, to, width)
	}
}

func (w *sheetWriter) freeze(rows int) {
	if w.err == nil {
		w.err = w.f.SetPanes(w.sheet, &excelize.Panes{Freeze: true, YSplit: rows, TopLeftCell: cellName(1, rows+1), ActivePane: "bottomLeft"})
	}
}

// line writes a row whose first two cells take one style and the rest another.
func (w *sheetWriter) line(labelStyle, valueStyle int, values ...any) {
	styles := make([]int, len(values))
	for i := range styles {
		styles[i] = valueStyle
		if i < 2 {
			styles[i] = labelStyle
		}
	}
	w.lineEach(styles, values...)
}

func (w *sheetWriter) lineStyled(style int, values ...any) {
	styles := make([]int, len(values))
	for i := range styles {
		styles[i] = style
	}
	w.lineEach(styles, values...)
}

func (w *sheetWriter) lineEach(styles []int, values ...any) {
	for i, v := range values {
		w.set(cellName(i+1, w.row), v, styles[i])
	}
	w.row++
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func cellCol(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}
