package seed

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// demoDialogue is one dialogue of the demo, placed in time relative to the day the demo is loaded.
type demoDialogue struct {
	Commune  string
	Hamlets  []string
	Title    string
	Day      int    // days from the seeding day; negative is past
	Date     string // or a fixed day, "2024-05-16", for the demo's history
	Hour     int
	Hours    int
	Venue    string
	Agenda   []string
	Expected int
	// What happened to it.
	Status       models.DialogueStatus
	PostponeDays int // postponed by this many days before anything else
	Postponement string
	CancelReason string
	Counts       [4]int // residents, businesses, officials, women
	Register     []models.AttendeeInput
	Petitions    []demoPetition
	Minutes      string
}

// demoPetition is a petition raised at a demo dialogue, with its on-site answer if one was given.
type demoPetition struct {
	Hamlet, Kind, Topic, Content, Name, Answer string
	Anonymous                                  bool
}

// demoDialogues are a few dialogues in each state for the new xã Tân Thới and xã Tân Phú Đông.
var demoDialogues = []demoDialogue{
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hòa"}, Title: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn",
		Day: -62, Hour: 8, Hours: 3, Venue: "Nhà văn hóa ấp Tân Hòa", Expected: 60,
		Agenda: []string{"Báo cáo tiến độ làm đường bê tông liên ấp", "Người dân phát biểu ý kiến, kiến nghị", "Chủ tịch UBND xã trả lời, giải trình"},
		Status: models.DialogueClosed, Counts: [4]int{52, 4, 7, 23},
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
		Status: models.DialogueClosed,
		Register: []models.AttendeeInput{
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
		Status: models.DialogueHeld, Counts: [4]int{38, 2, 6, 15},
		Petitions: []demoPetition{
			{Hamlet: "Ấp Tân Thạnh", Kind: "phan_anh", Topic: "ANTT", Name: "Võ Văn Năm",
				Content: "Tình trạng trộm gà vịt ban đêm xảy ra nhiều ở tổ 5, người dân lo lắng.",
				Answer:  "Công an xã tăng cường tuần tra ban đêm, phối hợp tổ an ninh tự quản."},
		}},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Phong"}, Title: "Đối thoại với hộ kinh doanh ấp Tân Phong",
		Day: -1, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Phong", Expected: 30,
		Agenda: []string{"Phổ biến quy định đăng ký hộ kinh doanh", "Giải đáp thắc mắc về thuế khoán"},
		Status: models.DialogueHeld},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hòa"}, Title: "Đối thoại về chuyển đổi cây trồng ấp Tân Hòa",
		Day: 10, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Hòa", Expected: 70,
		Agenda: []string{"Giới thiệu mô hình trồng dừa xen ca cao", "Chính sách hỗ trợ giống", "Ý kiến của người dân"},
		Status: models.DialoguePlanned},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Lợi"}, Title: "Đối thoại về vệ sinh môi trường ấp Tân Lợi",
		Day: 12, Hour: 14, Hours: 2, Venue: "Nhà văn hóa ấp Tân Lợi", Expected: 45,
		Agenda: []string{"Thu gom rác thải sinh hoạt", "Xử lý chất thải chăn nuôi"},
		Status: models.DialoguePlanned, PostponeDays: 8, Postponement: "Trùng lịch tiêm phòng dịch bệnh cho gia súc"},
	{Commune: "Tân Thới", Hamlets: []string{"Ấp Tân Hưng"}, Title: "Đối thoại về đất đai ấp Tân Hưng",
		Day: -20, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Tân Hưng",
		Agenda: []string{"Cấp giấy chứng nhận quyền sử dụng đất"},
		Status: models.DialogueCancelled, CancelReason: "Ấp đã tổ chức họp dân cùng nội dung; gộp vào buổi đối thoại quý sau."},

	{Commune: "Tân Phú Đông", Hamlets: []string{"Ấp Phú Hòa"}, Title: "Đối thoại về điện chiếu sáng và môi trường ấp Phú Hòa",
		Day: -50, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Phú Hòa", Expected: 40,
		Agenda: []string{"Lắp đèn chiếu sáng đường liên ấp", "Thu gom rác dọc kênh"},
		Status: models.DialogueClosed, Counts: [4]int{33, 3, 5, 17},
		Minutes: "Người dân kiến nghị lắp thêm đèn chiếu sáng đoạn đê bao; Chủ tịch UBND xã trả lời: sẽ lắp 12 bóng đèn bằng nguồn xã hội hóa.\n" +
			"Kết luận: giao ban nhân dân ấp vận động người dân không xả rác xuống kênh."},
	{Commune: "Tân Phú Đông", Hamlets: []string{"Ấp Phú Xuân"}, Title: "Đối thoại về chính sách xã hội ấp Phú Xuân",
		Day: -2, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Phú Xuân", Expected: 35,
		Agenda: []string{"Rà soát hộ nghèo, cận nghèo", "Chế độ cho người có công"},
		Status: models.DialogueHeld,
		Register: []models.AttendeeInput{
			{Name: "Trần Thị Mỹ", Group: "resident", Gender: "female"},
			{Name: "Lý Văn Sang", Group: "resident", Gender: "male"},
			{Name: "Ngô Thị Bích", Group: "resident", Gender: "female"},
			{Name: "Đỗ Văn Lực", Group: "official", Gender: "male"},
		}},
	{Commune: "Tân Phú Đông", Hamlets: []string{"Ấp Phú Quý", "Ấp Phú Lợi"}, Title: "Đối thoại về thủ tục hành chính ấp Phú Quý, ấp Phú Lợi",
		Day: 7, Hour: 14, Hours: 2, Venue: "Hội trường UBND xã Tân Phú Đông", Expected: 60,
		Agenda: []string{"Hướng dẫn dịch vụ công trực tuyến", "Giải đáp vướng mắc về chứng thực"},
		Status: models.DialoguePlanned},
	{Commune: "Tân Phú Đông", Hamlets: []string{"Ấp Phú Lợi"}, Title: "Đối thoại ấp Phú Lợi quý III",
		Day: -30, Hour: 8, Hours: 2, Venue: "Nhà văn hóa ấp Phú Lợi",
		Status: models.DialogueCancelled, CancelReason: "Mưa bão, đường vào ấp bị ngập."},
}

// demoCommuneStaff names the demo's chair and secretary of each commune.
var demoCommuneStaff = map[string][2]string{
	"Tân Thới":     {"chair.tanthoi", "secretary.tanthoi"},
	"Tân Phú Đông": {"chair.tanphudong", "secretary.tanphudong"},
	"cũ/Tân Thới":  {"chair.tanthoi", "secretary.tanthoi"},
}

// loadDialogues adds the demo dialogues that are not there yet, moving each through the
// lifecycle as a commune would, each step on its day.
func (d *Demo) loadDialogues(ctx context.Context, s *models.Store) error {
	return d.loadDialogueList(ctx, s, demoDialogues)
}

// loadDialogueList adds the dialogues of a list that are not there yet.
func (d *Demo) loadDialogueList(ctx context.Context, s *models.Store, list []demoDialogue) error {
	today := s.Now().In(calendar.Zone)
	for _, dd := range list {
		commune := d.Units[dd.Commune]
		existing, _, err := s.Dialogues(ctx, models.SystemActor(), models.DialogueFilter{CommuneID: strconv.FormatInt(commune.ID, 10), Page: models.Page{Limit: 200}})
		if err != nil {
			return err
		}
		if hasDialogue(existing, dd.Title) {
			continue
		}
		staff := demoCommuneStaff[dd.Commune]
		chair, err := d.actor(staff[0])
		if err != nil {
			return err
		}
		secretary, err := d.actor(staff[1])
		if err != nil {
			return err
		}
		hamlets := make([]int64, len(dd.Hamlets))
		for i, h := range dd.Hamlets {
			hamlets[i] = d.Units[dd.Commune+"/"+h].ID
		}
		day := today.AddDate(0, 0, dd.Day)
		if dd.Date != "" {
			day, _ = time.ParseInLocation(time.DateOnly, dd.Date, calendar.Zone)
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), dd.Hour, 0, 0, 0, calendar.Zone)
		end := start.Add(time.Duration(dd.Hours) * time.Hour).Format(time.RFC3339)
		in := models.DialogueInput{CommuneID: commune.ID, HamletIDs: hamlets, Title: dd.Title, StartsAt: start.Format(time.RFC3339),
			EndsAt: &end, Venue: dd.Venue, Agenda: dd.Agenda, AllowOverlap: true}
		if dd.Expected > 0 {
			in.ExpectedAttendance = &dd.Expected
		}
		// Planned two weeks ahead, held at its start, attendance and petitions that evening,
		// closed the next day.
		dl, err := at(s, start.AddDate(0, 0, -14)).CreateDialogue(ctx, secretary, in)
		if err != nil {
			return fmt.Errorf("demo dialogue %q: %w", dd.Title, err)
		}
		if err := d.playDialogue(ctx, s, dd, dl, chair, secretary); err != nil {
			return fmt.Errorf("demo dialogue %q: %w", dd.Title, err)
		}
	}
	return nil
}

func hasDialogue(ds []*models.Dialogue, title string) bool {
	for _, d := range ds {
		if d.Title == title {
			return true
		}
	}
	return false
}

// playDialogue moves a new demo dialogue to the state the demo wants, each step on its day.
func (d *Demo) playDialogue(ctx context.Context, s *models.Store, dd demoDialogue, dl *models.Dialogue, chair, secretary models.Actor) error {
	start := dl.StartsAt
	move := func(when time.Time, a models.Actor, t models.DialogueTransition) error {
		t.AllowOverlap = true
		_, err := at(s, when).TransitionDialogue(ctx, a, dl.ID, t)
		return err
	}
	planned := start.AddDate(0, 0, -13)
	if dd.PostponeDays != 0 {
		later := start.AddDate(0, 0, dd.PostponeDays).Format(time.RFC3339)
		t := models.DialogueTransition{To: models.TransitionPostpone, NewStartsAt: later, Reason: dd.Postponement}
		if err := move(planned, chair, t); err != nil {
			return err
		}
	}
	held := start.Add(2 * time.Hour)
	switch dd.Status {
	case models.DialogueCancelled:
		return move(planned, chair, models.DialogueTransition{To: models.TransitionCancel, Reason: dd.CancelReason})
	case models.DialogueHeld, models.DialogueClosed:
		if err := move(held, secretary, models.DialogueTransition{To: models.TransitionHold}); err != nil {
			return err
		}
	default:
		return nil
	}
	evening := at(s, held.Add(4*time.Hour))
	if dd.Register != nil {
		people := dd.Register
		if _, _, err := evening.RecordAttendance(ctx, secretary, dl.ID, "", models.AttendanceInput{Attendees: &people}); err != nil {
			return err
		}
	} else if dd.Counts[0] > 0 {
		c := dd.Counts
		if _, _, err := evening.RecordAttendance(ctx, secretary, dl.ID, "", models.AttendanceInput{Residents: &c[0], Businesses: &c[1], Officials: &c[2], Women: &c[3]}); err != nil {
			return err
		}
	}
	if err := d.raisePetitions(ctx, evening, dd, dl, secretary); err != nil {
		return err
	}
	if dd.Status == models.DialogueClosed {
		return move(start.AddDate(0, 0, 1), chair, models.DialogueTransition{To: models.TransitionClose, Minutes: dd.Minutes})
	}
	return nil
}

// raisePetitions logs what residents raised at the dialogue, before it closes: the dialogue's own
// list, then the demo petitions said to come from it (those carry a petitioner's details).
func (d *Demo) raisePetitions(ctx context.Context, s *models.Store, dd demoDialogue, dl *models.Dialogue, secretary models.Actor) error {
	raised := map[string]bool{}
	for _, p := range dd.Petitions {
		hamlet := d.Units[dd.Commune+"/"+p.Hamlet]
		if hamlet == nil {
			return fmt.Errorf("petition %q: no hamlet %s", p.Content, p.Hamlet)
		}
		_, err := s.CreatePetition(ctx, secretary, models.PetitionInput{CommuneID: dl.CommuneID,
			HamletID: hamlet.ID, DialogueID: &dl.ID, Kind: p.Kind, TopicCode: p.Topic,
			Content: p.Content, PetitionerName: p.Name, Anonymous: p.Anonymous, OnsiteAnswer: p.Answer})
		if err != nil {
			return fmt.Errorf("petition %q: %w", p.Content, err)
		}
		raised[p.Content] = true
	}
	for _, dp := range demoPetitions {
		if dp.Dialogue != dd.Title || dp.Commune != dd.Commune || raised[dp.Content] {
			continue
		}
		in, err := d.petitionInput(dp)
		if err != nil {
			return err
		}
		received := dl.StartsAt.Add(time.Hour)
		in.DialogueID, in.Channel, in.ReceivedAt = &dl.ID, string(models.ChannelDialogue), &received
		if _, err := s.CreatePetition(ctx, secretary, in); err != nil {
			return fmt.Errorf("petition %q: %w", dp.Content, err)
		}
	}
	return nil
}

// communeFilter lists every petition of a demo commune.
func communeFilter(communeID int64) models.PetitionFilter {
	return models.PetitionFilter{CommuneID: strconv.FormatInt(communeID, 10), Page: models.Page{Limit: 200}}
}
