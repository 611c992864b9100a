package dbtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// ReportData is a World with a known history of dialogues and petitions, built through the
// models API with the clock moved to each moment; the report tests compute every figure of it
// by hand. See BuildReportData for the story.
type ReportData struct {
	s *models.Store
	// W is the world the history happens in.
	W                             *World
	Admin, District, ChairA, SecA models.Actor
	ChairB, SecB, ChairOther      models.Actor
	// Refs and IDs name each petition by its label in BuildReportData (A1, B2...).
	Refs map[string]string
	IDs  map[string]int64
	// Now is when the report is read: 10 April 2026, noon in Vietnam.
	Now time.Time
	// Petitioners holds every name, phone and address given, which no public answer may show.
	Petitioners []string
	// Secrets are texts the public must never see: a complaint's content, a denunciation's,
	// and a draft answer.
	KhieuNaiContent, ToCaoWords, DraftOnly string
}

// VN reads "2026-01-05 08:00" as Vietnam time.
func VN(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
	if err != nil {
		t.Fatal(err)
	}
	return at.UTC()
}

func (rw *ReportData) at(t testing.TB, s string) {
	at := VN(t, s)
	rw.s.Now = func() time.Time { return at }
}

// petition logs a petition at the moment it was received.
func (rw *ReportData) petition(t testing.TB, label, when string, a models.Actor, commune, hamlet *models.Unit,
	topic, kind, channel string, mod func(*models.PetitionInput)) {
	t.Helper()
	rw.at(t, when)
	received := VN(t, when)
	name := "Nguyễn Thị Petitioner" + label
	phone := fmt.Sprintf("0912 000 %03d", len(rw.Refs)+100)
	address := "Số " + label + " đường Petitioner"
	// A passport number: no identity-card shape the board masks anyway, so only keeping it off
	// the board keeps it private.
	idNumber := fmt.Sprintf("B%07d", len(rw.Refs)+4200100)
	in := models.PetitionInput{CommuneID: commune.ID, HamletID: hamlet.ID, Channel: channel, Kind: kind, TopicCode: topic,
		Content: "Nội dung ý kiến " + label + " của người dân về " + topic + ".", ReceivedAt: &received,
		PetitionerName: name, PetitionerPhone: phone, PetitionerAddress: address, PetitionerIDNumber: idNumber}
	if mod != nil {
		mod(&in)
	}
	p, err := rw.s.CreatePetition(context.Background(), a, in)
	if err != nil {
		t.Fatalf("petition %s: %v", label, err)
	}
	if in.PetitionerName != "" {
		rw.Petitioners = append(rw.Petitioners, in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress, in.PetitionerIDNumber)
	}
	rw.Refs[label], rw.IDs[label] = p.Reference, p.ID
}

// move takes a petition to another state at a moment.
func (rw *ReportData) move(t testing.TB, label, when string, a models.Actor, in models.TransitionInput) {
	t.Helper()
	rw.at(t, when)
	cur, err := rw.s.Petition(context.Background(), models.SystemActor(), rw.IDs[label])
	if err != nil {
		t.Fatal(err)
	}
	in.Version = &cur.Version
	if _, err := rw.s.TransitionPetition(context.Background(), a, cur.ID, in); err != nil {
		t.Fatalf("%s %s → %s: %v", label, cur.State, in.To, err)
	}
}

// dialogue plans a dialogue and takes it through the given steps, each at its moment.
func (rw *ReportData) dialogue(t testing.TB, chair models.Actor, commune, hamlet *models.Unit, starts string, steps ...func() (string, models.DialogueTransition, *models.AttendanceInput)) int64 {
	t.Helper()
	rw.at(t, "2025-12-01 08:00")
	d, err := rw.s.CreateDialogue(context.Background(), chair, models.DialogueInput{CommuneID: commune.ID, HamletIDs: []int64{hamlet.ID},
		Title: "Đối thoại với nhân dân " + hamlet.Name, StartsAt: VN(t, starts).Format(time.RFC3339), Venue: "Nhà văn hóa ấp", AllowOverlap: true})
	if err != nil {
		t.Fatalf("dialogue %s: %v", starts, err)
	}
	rw.dialogueSteps(t, chair, d.ID, steps...)
	return d.ID
}

// dialogueSteps takes a dialogue through steps, each at its moment.
func (rw *ReportData) dialogueSteps(t testing.TB, chair models.Actor, id int64, steps ...func() (string, models.DialogueTransition, *models.AttendanceInput)) {
	t.Helper()
	ctx := context.Background()
	for _, step := range steps {
		when, tr, att := step()
		rw.at(t, when)
		if att != nil {
			if _, _, err := rw.s.RecordAttendance(ctx, chair, id, "", *att); err != nil {
				t.Fatalf("attendance: %v", err)
			}
			continue
		}
		if _, err := rw.s.TransitionDialogue(ctx, chair, id, tr); err != nil {
			t.Fatalf("dialogue %d → %s: %v", id, tr.To, err)
		}
	}
}

func to(when, target string) func() (string, models.DialogueTransition, *models.AttendanceInput) {
	return func() (string, models.DialogueTransition, *models.AttendanceInput) {
		tr := models.DialogueTransition{To: target, Reason: "Trùng lịch họp của xã.", Minutes: "Biên bản đối thoại."}
		if target == models.TransitionPostpone {
			tr.NewStartsAt = strings.Replace(when, " ", "T", 1)
		}
		return when, tr, nil
	}
}

func postponeTo(when, newStart string) func() (string, models.DialogueTransition, *models.AttendanceInput) {
	return func() (string, models.DialogueTransition, *models.AttendanceInput) {
		return when, models.DialogueTransition{To: models.TransitionPostpone, NewStartsAt: strings.Replace(newStart, " ", "T", 1), Reason: "Mưa bão."}, nil
	}
}

func attend(when string, residents, businesses, officials, women int) func() (string, models.DialogueTransition, *models.AttendanceInput) {
	return func() (string, models.DialogueTransition, *models.AttendanceInput) {
		return when, models.DialogueTransition{}, &models.AttendanceInput{Residents: &residents, Businesses: &businesses, Officials: &officials, Women: &women}
	}
}

// BuildReportData builds the history the report tests check, around the first quarter of 2026
// (1 January to 31 March, Vietnam time). The report is read on 10 April 2026 at noon.
func BuildReportData(t testing.TB, s *models.Store, w *World) *ReportData {
	t.Helper()
	rw := &ReportData{s: s, W: w, Refs: map[string]string{}, IDs: map[string]int64{},
		Admin: w.Actor(t, s, w.Admin), District: w.Actor(t, s, w.DistrictOfficial),
		ChairA: w.Actor(t, s, w.ChairA), SecA: w.Actor(t, s, w.SecretaryA),
		ChairB: w.Actor(t, s, w.ChairB), SecB: w.Actor(t, s, w.SecretaryB),
		ChairOther: w.Actor(t, s, w.ChairOther)}
	A, B, O := w.CommuneA, w.CommuneB, w.OtherCommune
	A1, A2, B1 := w.HamletA1, w.HamletA2, w.HamletB1

	// Dialogues of commune A.
	dA1 := rw.dialogue(t, rw.ChairA, A, A1, "2026-02-01 08:00",
		to("2026-02-01 10:00", models.TransitionHold), attend("2026-02-01 11:00", 40, 5, 6, 20))
	rw.dialogue(t, rw.ChairA, A, A2, "2026-03-15 08:00", // held, minutes never closed: overdue
		to("2026-03-15 10:00", models.TransitionHold), attend("2026-03-15 11:00", 30, 2, 4, 15))
	rw.dialogue(t, rw.ChairA, A, A1, "2026-03-20 08:00", postponeTo("2026-03-18 08:00", "2026-03-28 08:00"))
	rw.dialogue(t, rw.ChairA, A, A2, "2026-01-01 00:30", to("2025-12-20 08:00", models.TransitionCancel))
	rw.dialogue(t, rw.ChairA, A, A1, "2026-04-05 08:00", // after the quarter
		to("2026-04-05 10:00", models.TransitionHold), attend("2026-04-05 11:00", 10, 0, 1, 5))
	rw.dialogue(t, rw.ChairA, A, A2, "2025-12-31 23:00", // before the quarter
		to("2025-12-31 23:30", models.TransitionHold), attend("2026-01-01 08:00", 99, 9, 9, 9))
	// Dialogues of commune B.
	dB1 := rw.dialogue(t, rw.ChairB, B, B1, "2026-02-14 08:00",
		to("2026-02-14 10:00", models.TransitionHold), attend("2026-02-14 11:00", 50, 0, 5, 30))
	rw.dialogue(t, rw.ChairB, B, B1, "2026-03-31 20:00", to("2026-04-08 09:00", models.TransitionHold)) // held late: not yet overdue
	rw.dialogue(t, rw.ChairB, B, B1, "2026-04-01 00:30")                                                // first minutes after the quarter
	// The other district's commune.
	rw.dialogue(t, rw.ChairOther, O, w.HamletOther, "2026-02-02 08:00")

	// Petitions of commune A.
	rw.petition(t, "A1", "2026-01-01 00:00", rw.SecA, A, A1, "NS", "kien_nghi", "reception", nil)
	rw.move(t, "A1", "2026-01-02 09:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Ban quản lý ấp", DueOn: "2026-01-20"})
	rw.move(t, "A1", "2026-01-10 00:00", rw.ChairA, models.TransitionInput{To: "answered", Answer: "Đã lắp đường ống."})
	rw.move(t, "A1", "2026-01-12 00:00", rw.ChairA, models.TransitionInput{To: "resolved", Satisfaction: "not_satisfied"})

	rw.petition(t, "A2", "2026-02-01 08:00", rw.SecA, A, A1, "GT", "phan_anh", "dialogue", func(in *models.PetitionInput) {
		in.DialogueID = &dA1
		in.OnsiteAnswer = "Xã sẽ lắp biển báo trong tuần."
	})
	rw.dialogueSteps(t, rw.ChairA, dA1, to("2026-02-02 09:00", models.TransitionClose))
	rw.move(t, "A2", "2026-02-01 10:00", rw.ChairA, models.TransitionInput{To: "answered", Answer: "Đã lắp biển báo."})
	rw.move(t, "A2", "2026-02-03 08:00", rw.ChairA, models.TransitionInput{To: "closed", Reason: "explained"})

	rw.KhieuNaiContent = "Khiếu nại về quyết định thu hồi đất KHIEUNAI-SECRET."
	rw.petition(t, "A3", "2026-02-10 08:00", rw.SecA, A, A2, "GT", "khieu_nai", "letter", func(in *models.PetitionInput) {
		in.Content = rw.KhieuNaiContent
	})
	rw.move(t, "A3", "2026-02-11 08:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Địa chính xã", DueOn: "2026-02-20"})
	rw.move(t, "A3", "2026-02-12 08:00", rw.SecA, models.TransitionInput{To: "in_progress"})
	rw.move(t, "A3", "2026-02-26 08:00", rw.ChairA, models.TransitionInput{To: "answered", Answer: "Đã trả lời bằng văn bản."})

	rw.petition(t, "A4", "2026-03-01 08:00", rw.SecA, A, A1, "ANTT", "phan_anh", "phone", nil)
	rw.move(t, "A4", "2026-03-02 08:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleUnitID: &A1.ID, DueOn: "2026-03-10"})

	rw.ToCaoWords = "TOCAO-SECRET tố cáo cán bộ"
	rw.petition(t, "A5", "2026-03-05 08:00", rw.SecA, A, A1, "ANTT", "to_cao", "letter", func(in *models.PetitionInput) {
		in.Content = rw.ToCaoWords + " nhận tiền của dân."
	})
	rw.move(t, "A5", "2026-03-05 10:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Thanh tra huyện", DueOn: "2026-05-01"})

	rw.petition(t, "A6", "2026-03-31 23:30", rw.SecA, A, A2, "NS", "kien_nghi", "online", nil) // last half hour of the quarter
	rw.petition(t, "A7", "2026-04-01 00:30", rw.SecA, A, A2, "NS", "kien_nghi", "online", nil) // first half hour after it
	rw.petition(t, "A8", "2025-12-31 23:59", rw.SecA, A, A1, "GT", "phan_anh", "reception", nil)
	rw.move(t, "A8", "2026-01-01 08:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Ban giao thông", DueOn: "2026-01-10"})

	rw.petition(t, "A9", "2026-01-15 08:00", rw.SecA, A, A1, "DIEN", "kien_nghi", "reception", nil)
	rw.move(t, "A9", "2026-01-15 09:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Điện lực", DueOn: "2026-01-25"})
	rw.move(t, "A9", "2026-01-20 08:00", rw.ChairA, models.TransitionInput{To: "answered", Answer: "Đã báo điện lực."})
	rw.move(t, "A9", "2026-01-21 08:00", rw.ChairA, models.TransitionInput{To: "resolved", Satisfaction: "not_satisfied"})
	rw.move(t, "A9", "2026-01-22 08:00", rw.ChairA, models.TransitionInput{To: "reopened", Note: "Đèn lại hỏng."})
	rw.move(t, "A9", "2026-01-22 09:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Điện lực", DueOn: "2026-01-30"})
	rw.move(t, "A9", "2026-02-05 08:00", rw.ChairA, models.TransitionInput{To: "answered", Answer: "Đã thay đèn mới."})
	rw.move(t, "A9", "2026-02-06 08:00", rw.ChairA, models.TransitionInput{To: "resolved", Satisfaction: "very_satisfied"})

	rw.petition(t, "A10", "2026-03-20 08:00", rw.SecA, A, A2, "GT", "phan_anh", "reception", func(in *models.PetitionInput) { in.Private = true })
	rw.move(t, "A10", "2026-03-21 08:00", rw.ChairA, models.TransitionInput{To: "closed", Reason: "withdrawn"})

	rw.petition(t, "A11", "2026-02-20 08:00", rw.SecA, A, A1, "MT", "phan_anh", "reception", nil)
	rw.move(t, "A11", "2026-02-20 09:00", rw.SecA, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ môi trường", DueOn: "2026-04-30"})
	rw.move(t, "A11", "2026-02-21 08:00", rw.SecA, models.TransitionInput{To: "in_progress"})
	rw.DraftOnly = "DRAFT-SECRET bản nháp chưa công bố"
	rw.at(t, "2026-02-22 08:00")
	cur, _ := s.Petition(context.Background(), models.SystemActor(), rw.IDs["A11"])
	if _, err := s.DraftAnswer(context.Background(), rw.SecA, cur.ID, models.AnswerDraft{Text: rw.DraftOnly, Version: &cur.Version}); err != nil {
		t.Fatal(err)
	}

	// Petitions of commune B.
	rw.petition(t, "B1", "2026-01-05 06:00", rw.SecB, B, B1, "NS", "kien_nghi", "reception", nil)
	rw.move(t, "B1", "2026-01-05 09:00", rw.SecB, models.TransitionInput{To: "assigned", ResponsibleName: "Cấp nước", DueOn: "2026-01-15"})
	// 06:00 on 16 January in Vietnam is still 15 January in UTC: late all the same.
	rw.move(t, "B1", "2026-01-16 06:00", rw.ChairB, models.TransitionInput{To: "answered", Answer: "Đã nối ống."})
	rw.move(t, "B1", "2026-01-17 06:00", rw.ChairB, models.TransitionInput{To: "resolved", Satisfaction: "satisfied"})

	rw.petition(t, "B2", "2026-02-14 08:00", rw.SecB, B, B1, "TL", "kien_nghi", "dialogue", func(in *models.PetitionInput) {
		in.DialogueID = &dB1
		in.OnsiteAnswer = "Sẽ báo huyện nạo vét."
	})
	rw.dialogueSteps(t, rw.ChairB, dB1, to("2026-02-15 09:00", models.TransitionClose))
	rw.move(t, "B2", "2026-02-14 10:00", rw.SecB, models.TransitionInput{To: "referred", ResponsibleName: "Phòng Nông nghiệp huyện", DueOn: "2026-03-01"})

	rw.petition(t, "B3", "2026-03-31 20:00", rw.SecB, B, B1, "TL", "kien_nghi", "phone", nil)
	rw.move(t, "B3", "2026-04-02 08:00", rw.ChairB, models.TransitionInput{To: "answered", Answer: "Đã kiểm tra cống."})

	rw.petition(t, "B4", "2026-03-10 08:00", rw.SecB, B, B1, "MT", "kien_nghi", "reception", func(in *models.PetitionInput) {
		in.Anonymous, in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress, in.PetitionerIDNumber = true, "", "", "", ""
	})
	rw.move(t, "B4", "2026-03-12 08:00", rw.ChairB, models.TransitionInput{To: "answered", Answer: "Đã thu gom rác."})
	rw.move(t, "B4", "2026-03-13 08:00", rw.ChairB, models.TransitionInput{To: "resolved", Satisfaction: "satisfied"})
	rw.move(t, "B4", "2026-04-08 08:00", rw.ChairB, models.TransitionInput{To: "reopened", Note: "Rác tồn đọng trở lại."})

	// The other district's commune, and the other province's.
	rw.petition(t, "O1", "2026-02-02 08:00", rw.ChairOther, O, w.HamletOther, "KHAC", "kien_nghi", "reception", nil)
	farChair := w.Actor(t, s, w.FarAdmin)
	rw.petition(t, "F1", "2026-02-02 08:00", farChair, w.FarCommune, w.FarHamlet, "GT", "kien_nghi", "reception", nil)

	rw.Now = VN(t, "2026-04-10 12:00")
	rw.at(t, "2026-04-10 12:00")
	return rw
}
