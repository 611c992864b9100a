package models

import (
	"context"
	"fmt"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// demoDialogue is one dialogue of the demo, placed in time relative to the day the demo is loaded.
type demoDialogue struct {
	Commune  string
	Hamlets  []string
	Title    string
	Day      int // days from the seeding day; negative is past
	Hour     int
	Hours    int
	Venue    string
	Agenda   []string
	Expected int
	// What happened to it.
	Status       DialogueStatus
	PostponeDays int // postponed by this many days before anything else
	Postponement string
	CancelReason string
	Counts       [4]int // residents, businesses, officials, women
	Register     []AttendeeInput
	Petitions    []demoPetition
	Minutes      string
}

// demoPetition is a petition raised at a demo dialogue, with its on-site answer if one was given.
type demoPetition struct {
	Hamlet, Kind, Topic, Content, Name, Answer string
	Anonymous                                  bool
}

// demoDialogues are a few dialogues in each state for Tân Thới and Tân Phú.
var demoDialogues = []demoDialogue{
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hòa"}, Title: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn",
		Day: -62, Hour: 8, Hours: 3, Venue: "Nhà văn hóa ấp Tân Hòa", Expected: 60,
		Agenda: []string{"Báo cáo tiến độ làm đường bê tông liên ấp", "Người dân phát biểu ý kiến, kiến nghị", "Chủ tịch UBND xã trả lời, giải trình"},
		Status: DialogueClosed, Counts: [4]int{52, 4, 7, 23},
		Petitions: []demoPetition{
			{Hamlet: "Ấp Tân Hòa", Kind: "phan_anh", Topic: "GT", Name: "Nguyễn Thị Lan",
				Content: "Đoạn đường từ cầu Tân Hòa đến trường tiểu học xuống cấp, mùa mưa ngập sâu, học sinh đi lại khó khăn.",
				Answer:  "Đoạn đường đã đưa vào kế hoạch nâng cấp năm nay; công chức địa chính - xây dựng khảo sát trong tháng tới."},
			{Hamlet: "Ấp Tân Hòa", Kind: "kien_nghi", Topic: "GT", Name: "Trần Văn Bảy",
				Content: "Đề nghị lắp biển báo giảm tốc độ trước chợ ấp Tân Hòa.",
				Answer:  "Xã sẽ lắp biển báo trong tuần."},
			{Hamlet: "Ấp Tân Hòa", Kind: "phan_anh", Topic: "ANTT", Anonymous: true,
				Content: "Thanh niên tụ tập chạy xe tốc độ cao trên đường đê vào ban đêm."},
		},
		Minutes: "Bà Nguyễn Thị Lan (tổ 3) phản ánh đoạn đường từ cầu Tân Hòa đến trường tiểu học xuống cấp, mùa mưa ngập sâu.\n" +
			"Chủ tịch UBND xã trả lời: đoạn đường đã đưa vào kế hoạch nâng cấp năm nay; UBND xã giao công chức địa chính - xây dựng khảo sát trong tháng tới.\n" +
			"Ông Trần Văn Bảy kiến nghị lắp biển báo giảm tốc độ trước chợ ấp; đã trả lời tại chỗ: xã sẽ lắp trong tuần.\n" +
			"Kết luận: các ý kiến đã được ghi nhận, phần lớn được trả lời tại chỗ, người dân thống nhất."},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Lợi", "Ấp Tân Hưng"}, Title: "Đối thoại về nước sạch và thủy lợi ấp Tân Lợi, ấp Tân Hưng",
		Day: -41, Hour: 14, Hours: 2, Venue: "Hội trường UBND xã Tân Thới", Expected: 40,
		Agenda: []string{"Thông tin kế hoạch nạo vét kênh mương nội đồng", "Lắng nghe ý kiến về nước sinh hoạt"},
		Status: DialogueClosed,
		Register: []AttendeeInput{
			{Name: "Phạm Văn Tư", Group: "resident", Gender: "male"},
			{Name: "Lê Thị Thu", Group: "resident", Gender: "female"},
			{Name: "Nguyễn Văn Út", Group: "resident", Gender: "male"},
			{Name: "Võ Thị Kim", Group: "resident", Gender: "female"},
			{Name: "Huỳnh Văn Phước", Group: "resident", Gender: "male"},
			{Name: "Cơ sở xay xát Phước Lộc", Group: "business", Gender: "unknown"},
			{Name: "Đặng Thị Ngọc", Group: "official", Gender: "female"},
			{Name: "Trương Văn Hải", Group: "official", Gender: "male"},
		},
		Minutes: "Người dân phản ánh kênh Ba Lợi bồi lắng, nước không về kịp vụ Đông Xuân; hộ dân cuối ấp Tân Hưng chưa có nước máy.\n" +
			"Chủ tịch UBND xã trả lời: kênh Ba Lợi được nạo vét trước ngày 15 tháng tới; việc kéo ống nước máy đã kiến nghị Trung tâm Nước sạch tỉnh.\n" +
			"Kết luận: UBND xã theo dõi, báo kết quả tại buổi đối thoại sau."},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Thạnh"}, Title: "Đối thoại về an ninh trật tự ấp Tân Thạnh",
		Day: -6, Hour: 19, Hours: 2, Venue: "Nhà văn hóa ấp Tân Thạnh", Expected: 50,
		Agenda: []string{"Tình hình an ninh trật tự trên địa bàn ấp", "Ý kiến của người dân về trộm cắp vặt"},
		Status: DialogueHeld, Counts: [4]int{38, 2, 6, 15},
		Petitions: []demoPetition{
			{Hamlet: "Ấp Tân Thạnh", Kind: "phan_anh", Topic: "ANTT", Name: "Võ Văn Năm",
				Content: "Tình trạng trộm gà vịt ban đêm xảy ra nhiều ở tổ 5, người dân lo lắng.",
				Answer:  "Công an xã tăng cường tuần tra ban đêm, phối hợp tổ an ninh tự quản."},
		}},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Phong"}, Title: "Đối thoại với hộ kinh doanh ấp Tân Phong",
		Day: -1, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Phong", Expected: 30,
		Agenda: []string{"Phổ biến quy định đăng ký hộ kinh doanh", "Giải đáp thắc mắc về thuế khoán"},
		Status: DialogueHeld},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hòa"}, Title: "Đối thoại về chuyển đổi cây trồng ấp Tân Hòa",
		Day: 10, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Hòa", Expected: 70,
		Agenda: []string{"Giới thiệu mô hình trồng dừa xen ca cao", "Chính sách hỗ trợ giống", "Ý kiến của người dân"},
		Status: DialoguePlanned},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Lợi"}, Title: "Đối thoại về vệ sinh môi trường ấp Tân Lợi",
		Day: 12, Hour: 14, Hours: 2, Venue: "Nhà văn hóa ấp Tân Lợi", Expected: 45,
		Agenda: []string{"Thu gom rác thải sinh hoạt", "Xử lý chất thải chăn nuôi"},
		Status: DialoguePlanned, PostponeDays: 8, Postponement: "Trùng lịch tiêm phòng dịch bệnh cho gia súc"},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hưng"}, Title: "Đối thoại về đất đai ấp Tân Hưng",
		Day: -20, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Hưng",
		Agenda: []string{"Cấp giấy chứng nhận quyền sử dụng đất"},
		Status: DialogueCancelled, CancelReason: "Ấp đã tổ chức họp dân cùng nội dung; gộp vào buổi đối thoại quý sau."},

	{Commune: "Tân Phú", Hamlets: []string{"Ấp Tân Quý"}, Title: "Đối thoại về điện chiếu sáng và môi trường ấp Tân Quý",
		Day: -50, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Quý", Expected: 40,
		Agenda: []string{"Lắp đèn chiếu sáng đường liên ấp", "Thu gom rác dọc kênh"},
		Status: DialogueClosed, Counts: [4]int{33, 3, 5, 17},
		Minutes: "Người dân kiến nghị lắp thêm đèn chiếu sáng đoạn đê bao; Chủ tịch UBND xã trả lời: sẽ lắp 12 bóng đèn bằng nguồn xã hội hóa.\n" +
			"Kết luận: giao ban nhân dân ấp vận động người dân không xả rác xuống kênh."},
	{Commune: "Tân Phú", Hamlets: []string{"Ấp Tân Ninh"}, Title: "Đối thoại về chính sách xã hội ấp Tân Ninh",
		Day: -2, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Ninh", Expected: 35,
		Agenda: []string{"Rà soát hộ nghèo, cận nghèo", "Chế độ cho người có công"},
		Status: DialogueHeld,
		Register: []AttendeeInput{
			{Name: "Trần Thị Mỹ", Group: "resident", Gender: "female"},
			{Name: "Lý Văn Sang", Group: "resident", Gender: "male"},
			{Name: "Ngô Thị Bích", Group: "resident", Gender: "female"},
			{Name: "Đỗ Văn Lực", Group: "official", Gender: "male"},
		}},
	{Commune: "Tân Phú", Hamlets: []string{"Ấp Tân Xuân", "Ấp Tân Thành"}, Title: "Đối thoại về thủ tục hành chính ấp Tân Xuân, ấp Tân Thành",
		Day: 7, Hour: 14, Hours: 2, Venue: "Hội trường UBND xã Tân Phú", Expected: 60,
		Agenda: []string{"Hướng dẫn dịch vụ công trực tuyến", "Giải đáp vướng mắc về chứng thực"},
		Status: DialoguePlanned},
	{Commune: "Tân Phú", Hamlets: []string{"Ấp Tân Thành"}, Title: "Đối thoại ấp Tân Thành quý III",
		Day: -30, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Thành",
		Status: DialogueCancelled, CancelReason: "Mưa bão, đường vào ấp bị ngập."},
}

// demoCommuneStaff names the demo's chair and secretary of each commune.
var demoCommuneStaff = map[string][2]string{
	"Tân Thới": {"chair.tanthoi", "secretary.tanthoi"},
	"Tân Phú":  {"chair.tanphu", "secretary.tanphu"},
}

// seedDemoDialogues adds the demo dialogues that are not there yet, moving each through the
// lifecycle as a commune would, then dates their history as if it had happened on the day.
func (s *Store) seedDemoDialogues(ctx context.Context, d *Demo) error {
	today := s.now().In(calendar.Zone)
	for _, dd := range demoDialogues {
		commune := d.Units[dd.Commune]
		var n int64
		if err := s.conn(ctx).Model(&Dialogue{}).Where("commune_id = ? AND title = ?", commune.ID, dd.Title).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		staff := demoCommuneStaff[dd.Commune]
		chair := ActorOf(d.Users[staff[0]], commune)
		secretary := ActorOf(d.Users[staff[1]], commune)
		hamlets := make([]int64, len(dd.Hamlets))
		for i, h := range dd.Hamlets {
			hamlets[i] = d.Units[dd.Commune+"/"+h].ID
		}
		day := today.AddDate(0, 0, dd.Day)
		start := time.Date(day.Year(), day.Month(), day.Day(), dd.Hour, 0, 0, 0, calendar.Zone)
		end := start.Add(time.Duration(dd.Hours) * time.Hour).Format(time.RFC3339)
		in := DialogueInput{CommuneID: commune.ID, HamletIDs: hamlets, Title: dd.Title, StartsAt: start.Format(time.RFC3339),
			EndsAt: &end, Venue: dd.Venue, Agenda: dd.Agenda, AllowOverlap: true}
		if dd.Expected > 0 {
			in.ExpectedAttendance = &dd.Expected
		}
		dl, err := s.CreateDialogue(ctx, secretary, in)
		if err != nil {
			return fmt.Errorf("demo dialogue %q: %w", dd.Title, err)
		}
		if err := s.playDemoDialogue(ctx, dd, dl.ID, chair, secretary); err != nil {
			return fmt.Errorf("demo dialogue %q: %w", dd.Title, err)
		}
		if err := s.backdateDemoDialogue(ctx, dl.ID, start); err != nil {
			return err
		}
	}
	return nil
}

// playDemoDialogue moves a new demo dialogue to the state the demo wants.
func (s *Store) playDemoDialogue(ctx context.Context, dd demoDialogue, id int64, chair, secretary Actor) error {
	move := func(a Actor, t DialogueTransition) error {
		t.AllowOverlap = true
		_, err := s.TransitionDialogue(ctx, a, id, t)
		return err
	}
	if dd.PostponeDays != 0 {
		d, err := s.dialogueInScope(ctx, chair, id)
		if err != nil {
			return err
		}
		later := d.StartsAt.AddDate(0, 0, dd.PostponeDays).Format(time.RFC3339)
		if err := move(chair, DialogueTransition{To: TransitionPostpone, NewStartsAt: later, Reason: dd.Postponement}); err != nil {
			return err
		}
	}
	switch dd.Status {
	case DialogueCancelled:
		return move(chair, DialogueTransition{To: TransitionCancel, Reason: dd.CancelReason})
	case DialogueHeld, DialogueClosed:
		if err := move(secretary, DialogueTransition{To: TransitionHold}); err != nil {
			return err
		}
	default:
		return nil
	}
	if dd.Register != nil {
		people := dd.Register
		if _, _, err := s.RecordAttendance(ctx, secretary, id, "", AttendanceInput{Attendees: &people}); err != nil {
			return err
		}
	} else if dd.Counts[0] > 0 {
		c := dd.Counts
		if _, _, err := s.RecordAttendance(ctx, secretary, id, "", AttendanceInput{Residents: &c[0], Businesses: &c[1], Officials: &c[2], Women: &c[3]}); err != nil {
			return err
		}
	}
	for _, p := range dd.Petitions {
		_, err := s.CreatePetition(ctx, secretary, PetitionInput{CommuneID: secretary.UnitID,
			HamletID: s.demoHamlet(ctx, secretary.UnitID, p.Hamlet), DialogueID: &id, Kind: p.Kind, TopicCode: p.Topic,
			Content: p.Content, PetitionerName: p.Name, Anonymous: p.Anonymous, OnsiteAnswer: p.Answer})
		if err != nil {
			return fmt.Errorf("petition %q: %w", p.Content, err)
		}
	}
	if dd.Status == DialogueClosed {
		return move(chair, DialogueTransition{To: TransitionClose, Minutes: dd.Minutes})
	}
	return nil
}

// backdateDemoDialogue dates a demo dialogue's record and history as if each step had happened
// on its day: planned two weeks ahead, held at its start, attendance that evening, closed the next day.
func (s *Store) backdateDemoDialogue(ctx context.Context, id int64, start time.Time) error {
	now := s.now().Truncate(time.Second)
	clamp := func(t time.Time) time.Time {
		if t.After(now) {
			return now
		}
		return t.UTC()
	}
	planned := clamp(start.AddDate(0, 0, -14))
	held := clamp(start.Add(2 * time.Hour))
	closed := clamp(start.AddDate(0, 0, 1))
	db := s.conn(ctx)
	steps := []struct {
		where string
		args  []any
		at    time.Time
	}{
		{"kind IN ?", []any{[]string{EventDialogueCreated, EventDialogueUpdated}}, planned},
		{"kind = ? AND to_status IN ?", []any{EventDialogueTransition, []string{TransitionPostpone, TransitionCancel}}, planned.Add(24 * time.Hour)},
		{"kind = ? AND to_status = ?", []any{EventDialogueTransition, TransitionHold}, held},
		{"kind = ?", []any{EventDialogueAttendance}, held.Add(4 * time.Hour)},
		{"kind = ? AND to_status = ?", []any{EventDialogueTransition, TransitionClose}, closed},
	}
	for _, st := range steps {
		err := db.Model(&DialogueEvent{}).Where("dialogue_id = ?", id).Where(st.where, st.args...).Update("created_at", clamp(st.at)).Error
		if err != nil {
			return err
		}
	}
	if err := db.Model(&Attendance{}).Where("dialogue_id = ?", id).Update("recorded_at", clamp(held.Add(4*time.Hour))).Error; err != nil {
		return err
	}
	updates := map[string]any{"created_at": planned}
	var d Dialogue
	if err := db.Where("id = ?", id).Take(&d).Error; err != nil {
		return err
	}
	if d.HeldAt != nil {
		updates["held_at"] = held
	}
	if d.ClosedAt != nil {
		updates["closed_at"] = closed
	}
	return db.Model(&Dialogue{}).Where("id = ?", id).Updates(updates).Error
}

// demoHamlet returns the id of the commune's hamlet of that name, or 0 (a validation error) if none.
func (s *Store) demoHamlet(ctx context.Context, communeID int64, name string) int64 {
	var ids []int64
	s.conn(ctx).Model(&Unit{}).Where("parent_id = ? AND name = ?", communeID, name).Limit(1).Pluck("id", &ids)
	if len(ids) == 0 {
		return 0
	}
	return ids[0]
}
