package api

import (
	"fmt"
	"sort"
	"strings"

	"github.com/papi-dialogue/papi/models"
)

// lawSheetName names the workbook's sheet of the law's clocks.
const lawSheetName = "Thời hạn theo luật"

// lawSheet writes the figures of the law's clocks: on time by kind and by rule, acceptance,
// extensions and the dialogue rules for the unit, then one row per commune. names gives each
// rule's words.
func lawSheet(w *sheetWriter, st *sheetStyles, sum *models.Summary, names map[string]string, title, subtitle string) {
	law := sum.Law
	if law == nil {
		return
	}
	w.set("A1", title, st.title)
	w.merge("A1", "E1")
	w.set("A2", subtitle, st.subtitle)
	w.merge("A2", "E2")
	w.row = 4
	w.lineStyled(st.header, "STT", "Chỉ tiêu", "Đúng hạn", "Tổng số", "Tỷ lệ")
	n := 0
	rateLine := func(label string, on, of int, r *float64) {
		n++
		w.lineEach([]int{st.label, st.label, st.number, st.number, st.percent}, n, label, on, of, rate(r))
	}
	countLine := func(label string, v any) {
		n++
		w.lineEach([]int{st.label, st.label, st.number, st.label, st.label}, n, label, v, "", "")
	}
	section := func(label string) { w.lineStyled(st.section, "", label, "", "", "") }
	section("I. Trả lời đúng hạn theo loại ý kiến")
	for _, k := range models.PetitionKinds() {
		o := law.OnTimeByKind[k]
		rateLine(models.KindLabel(k), o.OnTime, o.Answered, o.Rate)
	}
	section("II. Trả lời đúng hạn theo quy định về thời hạn")
	for _, code := range sortedRules(law.OnTimeByRule) {
		o := law.OnTimeByRule[code]
		label := names[code]
		if label == "" {
			label = "Không có hạn"
		}
		rateLine(label, o.OnTime, o.Answered, o.Rate)
	}
	section("III. Thụ lý khiếu nại, tố cáo và gia hạn")
	a := law.Acceptance
	rateLine("Thụ lý đúng hạn (trên số đã thụ lý và quá hạn thụ lý)", a.OnTime, a.Accepted+a.Overdue, a.Rate)
	countLine("Đã thụ lý", a.Accepted)
	countLine("Quá hạn chưa thụ lý", a.Overdue)
	countLine("Số ý kiến được gia hạn", law.Extensions.Petitions)
	countLine("Số lần gia hạn", law.Extensions.Extensions)
	section("IV. Quy định về đối thoại")
	d := law.Dialogues
	rateLine("Thông báo đúng hạn", d.NoticeOnTime, d.NoticeOnTime+d.NoticeLate, d.NoticeRate)
	rateLine("Công khai kết quả đúng hạn", d.ResultsOnTime, d.ResultsOnTime+d.ResultsLate, d.ResultsRate)
	countLine("Chưa công khai kết quả, còn trong hạn", d.ResultsPending)
	countLine("Buổi đối thoại do cử tri đề nghị", d.VoterRequested)
	countLine("Trong đó: đủ tỷ lệ cử tri luật định", d.VoterRequestedOwed)
	countLine(fmt.Sprintf("Buổi đối thoại đã tổ chức trong năm %d", d.Year), d.HeldInYear)
	countLine(fmt.Sprintf("Số xã chưa đủ %d buổi đối thoại trong năm %d", d.Required, d.Year), len(d.WithoutDialogue))
	if len(d.WithoutDialogue) > 0 {
		w.lineEach([]int{st.label, st.label, st.label, st.label, st.label}, "", withoutNames(d.WithoutDialogue), "", "", "")
	}
	w.row++
	lawLeague(w, st, sum)
	w.width("A", "A", 6)
	w.width("B", "B", 52)
	w.width("C", "O", 13)
	w.freeze(4)
}

// lawLeague writes one row per commune (or the unit itself) of the law's figures.
func lawLeague(w *sheetWriter, st *sheetStyles, sum *models.Summary) {
	w.lineStyled(st.header, "STT", "Xã", "Mã", "Đối thoại trong năm", "Chưa đủ số buổi", "Thông báo đúng hạn", "Thông báo chậm",
		"Kết quả đúng hạn", "Kết quả chậm", "Cử tri đề nghị", "Thụ lý đúng hạn", "Đã thụ lý", "Quá hạn thụ lý", "Tỷ lệ thụ lý đúng hạn", "Số lần gia hạn")
	rows := sum.Communes
	if len(rows) == 0 {
		rows = []models.CommuneFigures{{Commune: sum.Unit, Law: sum.Law}}
	}
	styles := []int{st.label, st.label, st.label, st.number, st.label, st.number, st.number, st.number, st.number, st.number,
		st.number, st.number, st.number, st.percent, st.number}
	for i, r := range rows {
		f := r.Law
		if f == nil {
			continue
		}
		code, missing := "", ""
		if r.Commune.Code != nil {
			code = *r.Commune.Code
		}
		if len(f.Dialogues.WithoutDialogue) > 0 {
			missing = "x"
		}
		d, a := f.Dialogues, f.Acceptance
		w.lineEach(styles, i+1, r.Commune.Name, code, d.HeldInYear, missing, d.NoticeOnTime, d.NoticeLate, d.ResultsOnTime, d.ResultsLate,
			d.VoterRequested, a.OnTime, a.Accepted, a.Overdue, rate(a.Rate), f.Extensions.Extensions)
	}
}

// sortedRules lists the rules counted, by code.
func sortedRules(m map[string]models.OnTimeRate) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// withoutNames lists the communes without their yearly dialogues, as one line.
func withoutNames(units []models.ReportUnit) string {
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = u.Name
	}
	return "Các xã: " + strings.Join(names, ", ")
}

// ruleNames maps each rule's code to its Vietnamese words.
func ruleNames(rules []models.DeadlineRule) map[string]string {
	out := make(map[string]string, len(rules))
	for _, r := range rules {
		out[r.Code] = r.NameVI
	}
	return out
}
