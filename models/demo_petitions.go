package models

import (
	"context"
	"fmt"
	"time"
)

// demoStep is one move of a demo petition, some days before the seeding day.
type demoStep struct {
	DaysAgo int
	By      string // demo username
	In      TransitionInput
	Draft   string // a draft answer saved instead of a transition
	Note    string // a note added instead of a transition
}

// demoPetitionCase is one petition of the demo and what happened to it since. Those raised at a
// demo dialogue may already exist (the dialogue demo logs some while the dialogue is held); they
// are found by their content and taken further.
type demoPetitionCase struct {
	Commune, Hamlet string
	Dialogue        string // title of the demo dialogue it was raised at, if any
	Channel         string
	Kind            PetitionKind
	Topic           string
	Content         string
	Name, Phone     string
	Anonymous       bool
	Onsite          string
	DaysAgo         int
	Steps           []demoStep
	DuplicateOf     string // content of the original, for a duplicate
}

func assign(days int, by, who string) demoStep {
	return demoStep{DaysAgo: days, By: by, In: TransitionInput{To: string(StateAssigned), ResponsibleName: who}}
}

func to(days int, by string, state PetitionState, note string) demoStep {
	return demoStep{DaysAgo: days, By: by, In: TransitionInput{To: string(state), Note: note}}
}

func answerIt(days int, answer string) demoStep {
	return demoStep{DaysAgo: days, By: "chair.tanthoi", In: TransitionInput{To: string(StateAnswered), Answer: answer}}
}

// demoPetitions cover every state in Tân Thới and Tân Phú, some of them overdue.
var demoPetitions = []demoPetitionCase{
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hòa", Dialogue: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn", Kind: KindReport, Topic: "GT",
		Content: "Đoạn đường từ cầu Tân Hòa đến trường tiểu học xuống cấp, mùa mưa ngập sâu, học sinh đi lại khó khăn.",
		Name:    "Nguyễn Thị Lan", Phone: "0918 234 567", DaysAgo: 62,
		Onsite: "Đoạn đường đã đưa vào kế hoạch nâng cấp năm nay; công chức địa chính - xây dựng khảo sát trong tháng tới.",
		Steps: []demoStep{assign(60, "secretary.tanthoi", "Công chức địa chính - xây dựng"), to(45, "secretary.tanthoi", StateInProgress, "Đã khảo sát, lập dự toán."),
			answerIt(20, "UBND xã đã bố trí kinh phí, thi công nâng nền đoạn đường trong tháng 12."),
			{DaysAgo: 5, By: "chair.tanthoi", In: TransitionInput{To: string(StateResolved), Satisfaction: string(Satisfied), Note: "Đã thi công xong."}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hòa", Dialogue: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn", Kind: KindRecommendation, Topic: "GT",
		Content: "Kiến nghị lắp biển báo giảm tốc độ trước chợ ấp Tân Hòa.", Name: "Trần Văn Bảy", DaysAgo: 62,
		Onsite: "Xã sẽ lắp biển báo trong tuần.",
		Steps: []demoStep{answerIt(61, "Xã sẽ lắp biển báo trong tuần."),
			{DaysAgo: 50, By: "chair.tanthoi", In: TransitionInput{To: string(StateResolved), Satisfaction: string(VerySatisfied)}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Lợi", Dialogue: "Đối thoại về nước sạch và thủy lợi ấp Tân Lợi, ấp Tân Hưng", Kind: KindRecommendation, Topic: "TL",
		Content: "Kênh Ba Lợi bồi lắng, nước không về kịp vụ Đông Xuân, đề nghị nạo vét.", Name: "Phạm Văn Tư", DaysAgo: 41,
		Onsite: "Kênh Ba Lợi được nạo vét trước ngày 15 tháng tới.",
		Steps:  []demoStep{assign(40, "secretary.tanthoi", "Tổ thủy lợi xã")}}, // overdue: due 30 days after assignment
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Dialogue: "Đối thoại về nước sạch và thủy lợi ấp Tân Lợi, ấp Tân Hưng", Kind: KindRecommendation, Topic: "NS",
		Content: "Các hộ cuối ấp Tân Hưng chưa có nước máy, phải dùng nước giếng nhiễm phèn.", Name: "Nguyễn Văn Út", DaysAgo: 41,
		Onsite: "Việc kéo ống nước máy đã kiến nghị Trung tâm Nước sạch tỉnh.",
		Steps: []demoStep{{DaysAgo: 39, By: "secretary.tanthoi", In: TransitionInput{To: string(StateReferred), ResponsibleName: "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh"}},
			to(20, "district", StateInProgress, "Trung tâm đã khảo sát tuyến ống.")}}, // overdue
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Thạnh", Dialogue: "Đối thoại về an ninh trật tự ấp Tân Thạnh", Kind: KindReport, Topic: "ANTT",
		Content: "Tình trạng trộm gà vịt ban đêm xảy ra nhiều ở tổ 5, người dân lo lắng.", Name: "Võ Văn Năm", DaysAgo: 6,
		Onsite: "Công an xã tăng cường tuần tra ban đêm, phối hợp tổ an ninh tự quản.",
		Steps:  []demoStep{assign(5, "secretary.tanthoi", "Công an xã"), to(4, "secretary.tanthoi", StateInProgress, "Đã bố trí tổ tuần tra.")}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Thạnh", Channel: "reception", Kind: KindDenunciation, Topic: "CB",
		Content: "Tố cáo cán bộ ấp thu tiền đóng góp làm đường không có biên lai.", Name: "Lê Văn Hậu", Phone: "0907 111 222", DaysAgo: 6,
		Steps: []demoStep{assign(5, "secretary.tanthoi", "Ủy ban Kiểm tra Đảng ủy xã"),
			{DaysAgo: 2, By: "inspector.tanthoi", Note: "Ban thanh tra nhân dân đề nghị được tham gia xác minh."}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Phong", Dialogue: "Đối thoại với hộ kinh doanh ấp Tân Phong", Kind: KindRecommendation, Topic: "TTHC",
		Content: "Đề nghị hướng dẫn rõ hồ sơ đăng ký hộ kinh doanh tại bộ phận một cửa.", Name: "Võ Thị Kim", DaysAgo: 1,
		Steps: []demoStep{{DaysAgo: 0, By: "secretary.tanthoi", Draft: "Bộ phận một cửa đã niêm yết mẫu hồ sơ và hướng dẫn tại trụ sở UBND xã."}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Lợi", Channel: "reception", Kind: KindComplaint, Topic: "DD",
		Content: "Khiếu nại việc đo đạc sai ranh giới thửa đất số 215, tờ bản đồ số 8.", Name: "Huỳnh Văn Phước", Phone: "0939 456 789", DaysAgo: 70,
		Steps: []demoStep{assign(68, "secretary.tanthoi", "Công chức địa chính - xây dựng"), to(60, "secretary.tanthoi", StateInProgress, ""),
			answerIt(30, "Đã đo đạc lại với sự chứng kiến của các hộ giáp ranh; ranh giới đúng theo hồ sơ địa chính."),
			{DaysAgo: 25, By: "chair.tanthoi", In: TransitionInput{To: string(StateClosed), Reason: string(ReasonExplained), Satisfaction: string(NotSatisfied)}},
			{DaysAgo: 10, By: "chair.tanthoi", In: TransitionInput{To: string(StateReopened), Note: "Hộ dân cung cấp thêm giấy tờ mua bán đất năm 1998."}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Channel: "phone", Kind: KindReport, Topic: "DIEN",
		Content: "Đèn đường trước nhà văn hóa ấp Tân Hưng bị hỏng hơn một tuần.", Name: "Đặng Thị Ngọc", DaysAgo: 3},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Channel: "online", Kind: KindReport, Topic: "DIEN",
		Content: "Đèn chiếu sáng trước nhà văn hóa ấp Tân Hưng không sáng.", Anonymous: true, DaysAgo: 2,
		DuplicateOf: "Đèn đường trước nhà văn hóa ấp Tân Hưng bị hỏng hơn một tuần.",
		Steps:       []demoStep{{DaysAgo: 1, By: "chair.tanthoi", In: TransitionInput{To: string(StateClosed), Reason: string(ReasonDuplicate)}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Phong", Channel: "letter", Kind: KindRecommendation, Topic: "MT",
		Content: "Rác thải tồn đọng dọc kênh ấp Tân Phong gây ô nhiễm, đề nghị bố trí điểm thu gom.", Name: "Trương Văn Hải", DaysAgo: 35,
		Steps: []demoStep{assign(33, "secretary.tanthoi", "Trưởng ấp Tân Phong"), to(25, "secretary.tanthoi", StateInProgress, "Đang liên hệ hợp tác xã vệ sinh môi trường.")}}, // overdue

	{Commune: "Tân Phú", Hamlet: "Ấp Tân Quý", Dialogue: "Đối thoại về điện chiếu sáng và môi trường ấp Tân Quý", Kind: KindRecommendation, Topic: "DIEN",
		Content: "Đề nghị lắp đèn chiếu sáng tuyến đường liên ấp Tân Quý.", Name: "Bùi Văn Sáu", DaysAgo: 50,
		Onsite: "Xã đã đưa vào danh mục công trình thắp sáng đường quê.",
		Steps: []demoStep{{DaysAgo: 48, By: "secretary.tanphu", In: TransitionInput{To: string(StateAssigned), ResponsibleName: "Điện lực huyện Tân Phú Đông"}},
			{DaysAgo: 15, By: "chair.tanphu", In: TransitionInput{To: string(StateAnswered), Answer: "Điện lực đã lắp 24 bóng đèn trên tuyến đường."}}}},
	{Commune: "Tân Phú", Hamlet: "Ấp Tân Ninh", Dialogue: "Đối thoại về chính sách xã hội ấp Tân Ninh", Kind: KindRecommendation, Topic: "CSXH",
		Content: "Đề nghị xem xét lại danh sách hộ cận nghèo năm nay của ấp Tân Ninh.", Name: "Ngô Thị Hạnh", DaysAgo: 2},
	{Commune: "Tân Phú", Hamlet: "Ấp Tân Xuân", Channel: "reception", Kind: KindComplaint, Topic: "TTHC",
		Content: "Hồ sơ chuyển mục đích sử dụng đất nộp từ ba tháng trước vẫn chưa có kết quả.", Name: "Dương Văn Lộc", DaysAgo: 80,
		Steps: []demoStep{{DaysAgo: 78, By: "secretary.tanphu", In: TransitionInput{To: string(StateReferred), ResponsibleName: "Phòng Tài nguyên và Môi trường huyện"}}}}, // overdue
	{Commune: "Tân Phú", Hamlet: "Ấp Tân Thành", Channel: "phone", Kind: KindReport, Topic: "ANTT",
		Content: "Tiếng loa karaoke của quán ở ấp Tân Thành gây ồn ào đến khuya.", Anonymous: true, DaysAgo: 20,
		Steps: []demoStep{{DaysAgo: 19, By: "chair.tanphu", In: TransitionInput{To: string(StateClosed), Reason: string(ReasonWithdrawn), Note: "Người phản ánh cho biết quán đã chấm dứt."}}}},
}

// seedDemoPetitions logs the demo petitions and walks each through its history, each step on the
// day it happened. A petition already there (same commune and content) is left alone.
func (s *Store) seedDemoPetitions(ctx context.Context, d *Demo) error {
	now := s.now()
	actorOf := func(username string) (Actor, error) {
		u, ok := d.Users[username]
		if !ok {
			return Actor{}, fmt.Errorf("demo petitions: no user %s", username)
		}
		unit, err := s.unitByID(ctx, u.UnitID)
		if err != nil {
			return Actor{}, err
		}
		return ActorOf(u, unit), nil
	}
	for _, dp := range demoPetitions {
		commune := d.Units[dp.Commune]
		hamlet := d.Units[dp.Commune+"/"+dp.Hamlet]
		if commune == nil || hamlet == nil {
			return fmt.Errorf("demo petition: no unit %s/%s", dp.Commune, dp.Hamlet)
		}
		var existing []Petition
		if err := s.conn(ctx).Where("commune_id = ? AND content = ?", commune.ID, dp.Content).Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		if len(existing) > 0 && (existing[0].Version > 1 || len(dp.Steps) == 0) {
			continue // already taken as far as the demo goes
		}
		secretary := "secretary.tanthoi"
		if dp.Commune == "Tân Phú" {
			secretary = "secretary.tanphu"
		}
		sec, err := actorOf(secretary)
		if err != nil {
			return err
		}
		// Each step runs on a copy of the store whose clock reads the day it happened.
		at := func(daysAgo int) *Store {
			past := *s
			t := now.Add(-time.Duration(daysAgo) * 24 * time.Hour)
			past.Now = func() time.Time { return t }
			return &past
		}
		in := PetitionInput{CommuneID: commune.ID, HamletID: hamlet.ID, Channel: dp.Channel, Kind: string(dp.Kind), TopicCode: dp.Topic,
			Content: dp.Content, PetitionerName: dp.Name, PetitionerPhone: dp.Phone, Anonymous: dp.Anonymous, OnsiteAnswer: dp.Onsite}
		if !dp.Anonymous {
			in.PetitionerAddress = dp.Hamlet
		}
		if dp.Dialogue != "" {
			var dlg Dialogue
			if err := s.conn(ctx).Where("commune_id = ? AND title = ?", commune.ID, dp.Dialogue).First(&dlg).Error; err != nil {
				return fmt.Errorf("demo petition: dialogue %q: %w", dp.Dialogue, err)
			}
			in.DialogueID, in.Channel, in.anyDialogueState = &dlg.ID, string(ChannelDialogue), true
			received := dlg.StartsAt.Add(time.Hour)
			in.ReceivedAt = &received
		}
		logger := at(dp.DaysAgo)
		if in.ReceivedAt != nil {
			// Logged right after the dialogue, by the clock of that day.
			loggedAt := in.ReceivedAt.Add(2 * time.Hour)
			logger = at(0)
			logger.Now = func() time.Time { return loggedAt }
		}
		var p *Petition
		if len(existing) > 0 {
			p = &existing[0]
		} else if p, err = logger.CreatePetition(ctx, sec, in); err != nil {
			return fmt.Errorf("demo petition %q: %w", dp.Content, err)
		}
		for _, st := range dp.Steps {
			a, err := actorOf(st.By)
			if err != nil {
				return err
			}
			past := at(st.DaysAgo)
			cur, _, err := past.petitionRow(ctx, SystemActor(), p.ID)
			if err != nil {
				return err
			}
			switch {
			case st.Draft != "":
				_, err = past.DraftAnswer(ctx, a, p.ID, AnswerDraft{Text: st.Draft, Version: &cur.Version})
			case st.Note != "":
				_, err = past.AddPetitionNote(ctx, a, p.ID, PetitionNote{Note: st.Note})
			default:
				step := st.In
				step.Version = &cur.Version
				if step.To == string(StateClosed) && dp.DuplicateOf != "" {
					var orig Petition
					if err := s.conn(ctx).Where("commune_id = ? AND content = ?", commune.ID, dp.DuplicateOf).First(&orig).Error; err != nil {
						return fmt.Errorf("demo petition: original of %q: %w", dp.Content, err)
					}
					step.DuplicateOf = &orig.ID
				}
				_, err = past.TransitionPetition(ctx, a, p.ID, step)
			}
			if err != nil {
				return fmt.Errorf("demo petition %q, step %s: %w", dp.Content, st.In.To, err)
			}
		}
	}
	return nil
}
