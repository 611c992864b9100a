package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// demoStep is one move of a demo petition, some days before the seeding day.
type demoStep struct {
	DaysAgo int
	By      string // demo username
	In      models.TransitionInput
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
	Kind            models.PetitionKind
	Topic           string
	Content         string
	Name, Phone     string
	IDNumber        string // the petitioner's identification: required for a complaint or denunciation
	Anonymous       bool
	Onsite          string
	DaysAgo         int
	Steps           []demoStep
	DuplicateOf     string // content of the original, for a duplicate
}

func assign(days int, by, who string) demoStep {
	return demoStep{DaysAgo: days, By: by, In: models.TransitionInput{To: string(models.StateAssigned), ResponsibleName: who}}
}

func to(days int, by string, state models.PetitionState, note string) demoStep {
	return demoStep{DaysAgo: days, By: by, In: models.TransitionInput{To: string(state), Note: note}}
}

func answerIt(days int, answer string) demoStep {
	return demoStep{DaysAgo: days, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateAnswered), Answer: answer}}
}

// demoPetitions cover every state in the new xã Tân Thới and xã Tân Phú Đông, some of them overdue.
var demoPetitions = []demoPetitionCase{
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hòa", Dialogue: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn", Kind: models.KindReport, Topic: "GT",
		Content: "Đoạn đường từ cầu Tân Hòa đến trường tiểu học xuống cấp, mùa mưa ngập sâu, học sinh đi lại khó khăn.",
		Name:    "Nguyễn Thị Lan", Phone: "0918 234 567", DaysAgo: 62,
		Onsite: "Đoạn đường đã đưa vào kế hoạch nâng cấp năm nay; công chức địa chính - xây dựng khảo sát trong tháng tới.",
		Steps: []demoStep{assign(60, "secretary.tanthoi", "Công chức địa chính - xây dựng"), to(45, "secretary.tanthoi", models.StateInProgress, "Đã khảo sát, lập dự toán."),
			answerIt(20, "UBND xã đã bố trí kinh phí, thi công nâng nền đoạn đường trong tháng 12."),
			{DaysAgo: 5, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateResolved), Satisfaction: string(models.Satisfied), Note: "Đã thi công xong."}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hòa", Dialogue: "Đối thoại với nhân dân ấp Tân Hòa về giao thông nông thôn", Kind: models.KindRecommendation, Topic: "GT",
		Content: "Kiến nghị lắp biển báo giảm tốc độ trước chợ ấp Tân Hòa.", Name: "Trần Văn Bảy", DaysAgo: 62,
		Onsite: "Xã sẽ lắp biển báo trong tuần.",
		Steps: []demoStep{answerIt(61, "Xã sẽ lắp biển báo trong tuần."),
			{DaysAgo: 50, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateResolved), Satisfaction: string(models.VerySatisfied)}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Lợi", Dialogue: "Đối thoại về nước sạch và thủy lợi ấp Tân Lợi, ấp Tân Hưng", Kind: models.KindRecommendation, Topic: "TL",
		Content: "Kênh Ba Lợi bồi lắng, nước không về kịp vụ Đông Xuân, đề nghị nạo vét.", Name: "Phạm Văn Tư", DaysAgo: 41,
		Onsite: "Kênh Ba Lợi được nạo vét trước ngày 15 tháng tới.",
		Steps:  []demoStep{assign(40, "secretary.tanthoi", "Tổ thủy lợi xã")}}, // overdue: due 30 days after assignment
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Dialogue: "Đối thoại về nước sạch và thủy lợi ấp Tân Lợi, ấp Tân Hưng", Kind: models.KindRecommendation, Topic: "NS",
		Content: "Các hộ cuối ấp Tân Hưng chưa có nước máy, phải dùng nước giếng nhiễm phèn.", Name: "Nguyễn Văn Út", DaysAgo: 41,
		Onsite: "Việc kéo ống nước máy đã kiến nghị Trung tâm Nước sạch tỉnh.",
		Steps: []demoStep{{DaysAgo: 39, By: "secretary.tanthoi", In: models.TransitionInput{To: string(models.StateReferred), ResponsibleName: "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh"}},
			to(20, "district", models.StateInProgress, "Trung tâm đã khảo sát tuyến ống.")}}, // overdue
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Thạnh", Dialogue: "Đối thoại về an ninh trật tự ấp Tân Thạnh", Kind: models.KindReport, Topic: "ANTT",
		Content: "Tình trạng trộm gà vịt ban đêm xảy ra nhiều ở tổ 5, người dân lo lắng.", Name: "Võ Văn Năm", DaysAgo: 6,
		Onsite: "Công an xã tăng cường tuần tra ban đêm, phối hợp tổ an ninh tự quản.",
		Steps:  []demoStep{assign(5, "secretary.tanthoi", "Công an xã"), to(4, "secretary.tanthoi", models.StateInProgress, "Đã bố trí tổ tuần tra.")}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Thạnh", Channel: "reception", Kind: models.KindDenunciation, Topic: "CB",
		Content: "Tố cáo cán bộ ấp thu tiền đóng góp làm đường không có biên lai.", Name: "Lê Văn Hậu", Phone: "0907 111 222", IDNumber: "082090001234", DaysAgo: 6,
		Steps: []demoStep{assign(5, "secretary.tanthoi", "Ủy ban Kiểm tra Đảng ủy xã"),
			{DaysAgo: 2, By: "inspector.tanthoi", Note: "Ban thanh tra nhân dân đề nghị được tham gia xác minh."}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Phong", Dialogue: "Đối thoại với hộ kinh doanh ấp Tân Phong", Kind: models.KindRecommendation, Topic: "TTHC",
		Content: "Đề nghị hướng dẫn rõ hồ sơ đăng ký hộ kinh doanh tại bộ phận một cửa.", Name: "Võ Thị Kim", DaysAgo: 1,
		Steps: []demoStep{{DaysAgo: 0, By: "secretary.tanthoi", Draft: "Bộ phận một cửa đã niêm yết mẫu hồ sơ và hướng dẫn tại trụ sở UBND xã."}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Lợi", Channel: "reception", Kind: models.KindComplaint, Topic: "DD",
		Content: "Khiếu nại việc đo đạc sai ranh giới thửa đất số 215, tờ bản đồ số 8.", Name: "Huỳnh Văn Phước", Phone: "0939 456 789", IDNumber: "082085004321", DaysAgo: 70,
		Steps: []demoStep{assign(68, "secretary.tanthoi", "Công chức địa chính - xây dựng"), to(60, "secretary.tanthoi", models.StateInProgress, ""),
			answerIt(30, "Đã đo đạc lại với sự chứng kiến của các hộ giáp ranh; ranh giới đúng theo hồ sơ địa chính."),
			{DaysAgo: 25, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateClosed), Reason: string(models.ReasonExplained), Satisfaction: string(models.NotSatisfied)}},
			{DaysAgo: 10, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateReopened), Note: "Hộ dân cung cấp thêm giấy tờ mua bán đất năm 1998."}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Channel: "phone", Kind: models.KindReport, Topic: "DIEN",
		Content: "Đèn đường trước nhà văn hóa ấp Tân Hưng bị hỏng hơn một tuần.", Name: "Đặng Thị Ngọc", DaysAgo: 3},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Hưng", Channel: "online", Kind: models.KindReport, Topic: "DIEN",
		Content: "Đèn chiếu sáng trước nhà văn hóa ấp Tân Hưng không sáng.", Anonymous: true, DaysAgo: 2,
		DuplicateOf: "Đèn đường trước nhà văn hóa ấp Tân Hưng bị hỏng hơn một tuần.",
		Steps:       []demoStep{{DaysAgo: 1, By: "chair.tanthoi", In: models.TransitionInput{To: string(models.StateClosed), Reason: string(models.ReasonDuplicate)}}}},
	{Commune: "Tân Thới", Hamlet: "Ấp Tân Phong", Channel: "letter", Kind: models.KindRecommendation, Topic: "MT",
		Content: "Rác thải tồn đọng dọc kênh ấp Tân Phong gây ô nhiễm, đề nghị bố trí điểm thu gom.", Name: "Trương Văn Hải", DaysAgo: 35,
		Steps: []demoStep{assign(33, "secretary.tanthoi", "Trưởng ấp Tân Phong"), to(25, "secretary.tanthoi", models.StateInProgress, "Đang liên hệ hợp tác xã vệ sinh môi trường.")}}, // overdue

	{Commune: "Tân Phú Đông", Hamlet: "Ấp Phú Hòa", Dialogue: "Đối thoại về điện chiếu sáng và môi trường ấp Phú Hòa", Kind: models.KindRecommendation, Topic: "DIEN",
		Content: "Đề nghị lắp đèn chiếu sáng tuyến đường liên ấp Phú Hòa.", Name: "Bùi Văn Sáu", DaysAgo: 50,
		Onsite: "Xã đã đưa vào danh mục công trình thắp sáng đường quê.",
		Steps: []demoStep{{DaysAgo: 48, By: "secretary.tanphudong", In: models.TransitionInput{To: string(models.StateAssigned), ResponsibleName: "Điện lực khu vực Tân Phú Đông"}},
			{DaysAgo: 15, By: "chair.tanphudong", In: models.TransitionInput{To: string(models.StateAnswered), Answer: "Điện lực đã lắp 24 bóng đèn trên tuyến đường."}}}},
	{Commune: "Tân Phú Đông", Hamlet: "Ấp Phú Xuân", Dialogue: "Đối thoại về chính sách xã hội ấp Phú Xuân", Kind: models.KindRecommendation, Topic: "CSXH",
		Content: "Đề nghị xem xét lại danh sách hộ cận nghèo năm nay của ấp Phú Xuân.", Name: "Ngô Thị Hạnh", DaysAgo: 2},
	{Commune: "Tân Phú Đông", Hamlet: "Ấp Phú Quý", Channel: "reception", Kind: models.KindComplaint, Topic: "TTHC",
		Content: "Hồ sơ chuyển mục đích sử dụng đất nộp từ ba tháng trước vẫn chưa có kết quả.", Name: "Dương Văn Lộc", IDNumber: "082070007777", DaysAgo: 80,
		Steps: []demoStep{{DaysAgo: 78, By: "secretary.tanphudong", In: models.TransitionInput{To: string(models.StateReferred), ResponsibleName: "Sở Nông nghiệp và Môi trường tỉnh"}}}}, // overdue
	{Commune: "Tân Phú Đông", Hamlet: "Ấp Phú Lợi", Channel: "phone", Kind: models.KindReport, Topic: "ANTT",
		Content: "Tiếng loa karaoke của quán ở ấp Phú Lợi gây ồn ào đến khuya.", Anonymous: true, DaysAgo: 20,
		Steps: []demoStep{{DaysAgo: 19, By: "chair.tanphudong", In: models.TransitionInput{To: string(models.StateClosed), Reason: string(models.ReasonWithdrawn), Note: "Người phản ánh cho biết quán đã chấm dứt."}}}},
}

// petitionInput is what the secretary logs for a demo petition, its dialogue aside.
func (d *Demo) petitionInput(dp demoPetitionCase) (models.PetitionInput, error) {
	commune := d.Units[dp.Commune]
	hamlet := d.Units[dp.Commune+"/"+dp.Hamlet]
	if commune == nil || hamlet == nil {
		return models.PetitionInput{}, fmt.Errorf("demo petition: no unit %s/%s", dp.Commune, dp.Hamlet)
	}
	in := models.PetitionInput{CommuneID: commune.ID, HamletID: hamlet.ID, Channel: dp.Channel, Kind: string(dp.Kind), TopicCode: dp.Topic,
		Content: dp.Content, PetitionerName: dp.Name, PetitionerPhone: dp.Phone, Anonymous: dp.Anonymous, OnsiteAnswer: dp.Onsite,
		PetitionerIDNumber: dp.IDNumber}
	if !dp.Anonymous {
		in.PetitionerAddress = dp.Hamlet
	}
	return in, nil
}

// loadPetitions logs the demo petitions not raised at a dialogue and walks each through its
// history, each step on the day it happened. A petition already taken further is left alone.
func (d *Demo) loadPetitions(ctx context.Context, s *models.Store) error {
	now := s.Now()
	daysAgo := func(n int) *models.Store { return at(s, now.Add(-time.Duration(n)*24*time.Hour)) }
	byContent := map[string]*models.Petition{}
	for _, c := range []string{"Tân Thới", "Tân Phú Đông"} {
		items, _, err := s.Petitions(ctx, models.SystemActor(), communeFilter(d.Units[c].ID))
		if err != nil {
			return err
		}
		for i := range items {
			byContent[c+"/"+items[i].Content] = &items[i]
		}
	}
	for _, dp := range demoPetitions {
		p := byContent[dp.Commune+"/"+dp.Content]
		if p != nil && (p.Version > 1 || len(dp.Steps) == 0) {
			continue // already taken as far as the demo goes
		}
		if p == nil {
			if dp.Dialogue != "" {
				return fmt.Errorf("demo petition %q: not logged at its dialogue", dp.Content)
			}
			secretary := demoCommuneStaff[dp.Commune][1]
			sec, err := d.actor(secretary)
			if err != nil {
				return err
			}
			in, err := d.petitionInput(dp)
			if err != nil {
				return err
			}
			if p, err = daysAgo(dp.DaysAgo).CreatePetition(ctx, sec, in); err != nil {
				return fmt.Errorf("demo petition %q: %w", dp.Content, err)
			}
			byContent[dp.Commune+"/"+dp.Content] = p
		}
		for _, st := range dp.Steps {
			if err := d.step(ctx, daysAgo(st.DaysAgo), dp, st, p.ID, byContent); err != nil {
				return fmt.Errorf("demo petition %q, step %s: %w", dp.Content, st.In.To, err)
			}
		}
	}
	return nil
}

// step takes one step of a demo petition's history on the store of its day.
func (d *Demo) step(ctx context.Context, s *models.Store, dp demoPetitionCase, st demoStep, id int64, byContent map[string]*models.Petition) error {
	a, err := d.actor(st.By)
	if err != nil {
		return err
	}
	cur, err := s.Petition(ctx, models.SystemActor(), id)
	if err != nil {
		return err
	}
	switch {
	case st.Draft != "":
		_, err = s.DraftAnswer(ctx, a, id, models.AnswerDraft{Text: st.Draft, Version: &cur.Version})
	case st.Note != "":
		_, err = s.AddPetitionNote(ctx, a, id, models.PetitionNote{Note: st.Note})
	default:
		in := st.In
		in.Version = &cur.Version
		if in.To == string(models.StateClosed) && dp.DuplicateOf != "" {
			orig := byContent[dp.Commune+"/"+dp.DuplicateOf]
			if orig == nil {
				return fmt.Errorf("no original %q", dp.DuplicateOf)
			}
			in.DuplicateOf = &orig.ID
		}
		_, err = s.TransitionPetition(ctx, a, id, in)
	}
	return err
}
