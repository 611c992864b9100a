package seed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// The demo tells a real reorganization. By Resolution 1663/NQ-UBTVQH15 (16 June 2025), from
// 1 July 2025 the new xã Tân Thới is formed from the old xã Tân Thới, Tân Phú and Tân Thạnh of
// huyện Tân Phú Đông, tỉnh Tiền Giang, and the new xã Tân Phú Đông from Phú Thạnh, Phú Đông and
// Phú Tân; the district goes, and by Resolution 202/2025/QH15 Tiền Giang and Đồng Tháp become one
// tỉnh Đồng Tháp, which keeps code 82. The demo records the province as renamed (the old Đồng
// Tháp holds no demo data). Commune codes and hamlet names other than the old Tân Thới's are
// illustrative, not the official list.
const (
	demoProvinceCode = "82"
	demoActCommunes  = "1663/NQ-UBTVQH15"
	demoActProvince  = "202/2025/QH15"
	demoEffective    = "2025-07-01"
)

// demoOldCommunes are the communes of huyện Tân Phú Đông before 1 July 2025.
var demoOldCommunes = []struct {
	Name, Code string
	Hamlets    []string
}{
	{"Tân Thới", "28567", []string{"Ấp Tân Hòa", "Ấp Tân Lợi", "Ấp Tân Hưng", "Ấp Tân Thạnh", "Ấp Tân Phong"}},
	{"Tân Phú", "28570", []string{"Ấp Tân Quý", "Ấp Tân Ninh", "Ấp Tân Xuân", "Ấp Tân Thành"}},
	{"Tân Thạnh", "28573", []string{"Ấp Thạnh Hòa", "Ấp Thạnh Lợi", "Ấp Thạnh Phú"}},
	{"Phú Thạnh", "28576", []string{"Ấp Phú Hòa", "Ấp Phú Xuân", "Ấp Phú Quý", "Ấp Phú Lợi", "Ấp Phú Thới", "Ấp Phú Hiệp"}},
	{"Phú Đông", "28579", []string{"Ấp Đông Hòa", "Ấp Đông Thạnh"}},
	{"Phú Tân", "28582", []string{"Ấp Tân Phước", "Ấp Tân Hiệp"}},
}

// demoHistoryDialogues are the old xã Tân Thới's dialogues of 2024, whose minutes still print
// "xã Tân Thới, huyện Tân Phú Đông, tỉnh Tiền Giang".
var demoHistoryDialogues = []demoDialogue{
	{Commune: "cũ/Tân Thới", Hamlets: []string{"Ấp Tân Hòa"}, Title: "Đối thoại về giao thông nông thôn ấp Tân Hòa năm 2024",
		Date: "2024-05-16", Hour: 8, Hours: 3, Venue: "Nhà văn hóa ấp Tân Hòa", Expected: 50,
		Agenda: []string{"Kế hoạch bê tông hóa đường liên ấp 2024", "Người dân phát biểu ý kiến, kiến nghị"},
		Status: models.DialogueClosed, Counts: [4]int{41, 2, 6, 19},
		Petitions: []demoPetition{
			{Hamlet: "Ấp Tân Hòa", Kind: "kien_nghi", Topic: "GT", Name: "Lê Văn Tám",
				Content: "Đề nghị nâng nền đoạn đường đal trước chùa Tân Hòa, mùa nước nổi bị ngập.",
				Answer:  "Đoạn đường đã có trong kế hoạch bê tông hóa năm 2024; xã khởi công trong quý III."},
			{Hamlet: "Ấp Tân Hòa", Kind: "phan_anh", Topic: "ANTT", Anonymous: true,
				Content: "Xe tải chở cát chạy quá tải trên đường liên ấp vào ban đêm."},
		},
		Minutes: "Ông Lê Văn Tám kiến nghị nâng nền đoạn đường trước chùa Tân Hòa; Chủ tịch UBND xã trả lời tại chỗ.\n" +
			"Kết luận: UBND xã phối hợp Công an xã kiểm tra xe quá tải trên đường liên ấp."},
	{Commune: "cũ/Tân Thới", Hamlets: []string{"Ấp Tân Lợi", "Ấp Tân Hưng"}, Title: "Đối thoại về nước sạch ấp Tân Lợi, ấp Tân Hưng năm 2024",
		Date: "2024-10-22", Hour: 14, Hours: 2, Venue: "Hội trường UBND xã Tân Thới", Expected: 60,
		Agenda: []string{"Tiến độ kéo ống nước máy về các ấp", "Người dân phát biểu ý kiến, kiến nghị"},
		Status: models.DialogueClosed, Counts: [4]int{48, 1, 5, 27},
		Petitions: []demoPetition{
			{Hamlet: "Ấp Tân Lợi", Kind: "kien_nghi", Topic: "NS", Name: "Phan Thị Út",
				Content: "Đề nghị kéo đường ống nước sạch về tổ 5 ấp Tân Lợi, bà con đang dùng nước giếng nhiễm phèn."},
		},
		Minutes: "Bà Phan Thị Út kiến nghị kéo ống nước sạch về tổ 5 ấp Tân Lợi; UBND xã ghi nhận, kiến nghị Trung tâm Nước sạch tỉnh.\n" +
			"Kết luận: xã theo dõi và trả lời người dân bằng văn bản."},
}

// storyApplied tells whether the demo's 2025 reorganization is recorded already.
func storyApplied(ctx context.Context, s *models.Store) (bool, error) {
	acts, err := s.Reorganizations(ctx, models.SystemActor())
	if err != nil {
		return false, err
	}
	for _, a := range acts {
		if a.LegalNumber == demoActCommunes {
			return true, nil
		}
	}
	return false, nil
}

// loadHistory builds huyện Tân Phú Đông of tỉnh Tiền Giang as it was, its 2024 work, and the
// reorganization of 1 July 2025, each on its day.
func (d *Demo) loadHistory(ctx context.Context, s *models.Store) error {
	if err := d.loadOldUnits(ctx, s); err != nil {
		return err
	}
	for _, u := range []DemoUser{
		{"admin", models.RoleAdmin, "cũ/Tiền Giang", "Quản trị hệ thống"},
		{"chair.tanthoi", models.RoleCommuneChair, "cũ/Tân Thới", "Trần Minh Tâm"},
		{"secretary.tanthoi", models.RoleSecretary, "cũ/Tân Thới", "Lê Thị Hoa"},
		{"secretary.tanphu", models.RoleSecretary, "cũ/Tân Phú", "Huỳnh Thị Mai"},
	} {
		if err := d.demoUser(ctx, at(s, vnTime("2024-01-02 08:00")), u); err != nil {
			return err
		}
	}
	if err := d.loadDialogueList(ctx, s, demoHistoryDialogues); err != nil {
		return err
	}
	water, err := d.historyPetitions(ctx, s)
	if err != nil {
		return err
	}
	if err := d.reorganize(ctx, at(s, vnTime(demoEffective+" 08:00"))); err != nil {
		return err
	}
	// From the effective date the new commune's chair carries on the old commune's open petition.
	chair, err := s.UserByUsername(ctx, "chair.tanthoi")
	if err != nil {
		return err
	}
	a, err := s.LoadActor(ctx, chair)
	if err != nil {
		return err
	}
	later := at(s, vnTime("2025-08-12 09:00"))
	cur, err := later.Petition(ctx, a, water)
	if err != nil {
		return err
	}
	_, err = later.TransitionPetition(ctx, a, water, models.TransitionInput{To: string(models.StateAnswered), Version: &cur.Version,
		Answer: "Trung tâm Nước sạch tỉnh đã đưa tổ 5 ấp Tân Lợi vào đợt kéo ống tháng 10; xã sẽ thông báo ngày đấu nối."})
	return err
}

// vnTime reads "2006-01-02 15:04" as Vietnam time.
func vnTime(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, calendar.Zone)
	return t
}

// loadOldUnits finds or creates the province, the district and its six communes as they were.
func (d *Demo) loadOldUnits(ctx context.Context, s *models.Store) error {
	all, err := s.Units(ctx, models.SystemActor(), true)
	if err != nil {
		return err
	}
	find := func(parent *models.Unit, level models.Level, name, code string, kind models.UnitKind) (*models.Unit, error) {
		for i := range all {
			u := &all[i]
			if u.Level == level && u.Name == name && ((parent == nil && u.ParentID == nil) ||
				(parent != nil && u.ParentID != nil && *u.ParentID == parent.ID)) {
				return u, nil
			}
		}
		in := models.UnitInput{Level: level, Name: name, Kind: kind}
		if code != "" {
			in.Code = &code
		}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		return s.CreateUnit(ctx, models.SystemActor(), in)
	}
	province, err := find(nil, models.LevelProvince, "Tiền Giang", demoProvinceCode, "tinh")
	if err != nil {
		return err
	}
	district, err := find(province, models.LevelDistrict, "Tân Phú Đông", "861", "huyen")
	if err != nil {
		return err
	}
	d.Units["cũ/Tiền Giang"], d.Units["cũ/huyện Tân Phú Đông"] = province, district
	for _, c := range demoOldCommunes {
		commune, err := find(district, models.LevelCommune, c.Name, c.Code, "xa")
		if err != nil {
			return err
		}
		d.Units["cũ/"+c.Name] = commune
		for _, h := range c.Hamlets {
			hamlet, err := find(commune, models.LevelHamlet, h, "", "ap")
			if err != nil {
				return err
			}
			d.Units["cũ/"+c.Name+"/"+h] = hamlet
		}
	}
	return nil
}

// demoUser finds or creates a demo user bound to a unit of d.Units.
func (d *Demo) demoUser(ctx context.Context, s *models.Store, du DemoUser) error {
	u, err := s.UserByUsername(ctx, du.Username)
	if errors.Is(err, models.ErrNotFound) {
		u, err = s.CreateUser(ctx, models.SystemActor(), models.UserInput{Username: du.Username, Password: DemoPassword,
			FullName: du.FullName, Role: du.Role, UnitID: d.Units[du.Unit].ID})
	}
	if err != nil {
		return fmt.Errorf("demo user %s: %w", du.Username, err)
	}
	d.Users[du.Username] = u
	return nil
}

// historyPetitions logs the old communes' petitions still open on 1 July 2025 and returns the
// one the new Tân Thới answers: the water petition of the October 2024 dialogue.
func (d *Demo) historyPetitions(ctx context.Context, s *models.Store) (int64, error) {
	sec, err := d.actor("secretary.tanthoi")
	if err != nil {
		return 0, err
	}
	old := d.Units["cũ/Tân Thới"]
	items, _, err := s.Petitions(ctx, models.SystemActor(), communeFilter(old.ID))
	if err != nil {
		return 0, err
	}
	var water *models.Petition
	for i := range items {
		if strings.Contains(items[i].Content, "nước sạch") {
			water = &items[i]
		}
	}
	if water == nil {
		return 0, errors.New("demo: the 2024 water petition is missing")
	}
	day := at(s, vnTime("2024-10-23 09:00"))
	if _, err := day.TransitionPetition(ctx, sec, water.ID, models.TransitionInput{To: string(models.StateAssigned), Version: &water.Version,
		ResponsibleName: "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh", DueOn: "2025-03-31"}); err != nil {
		return 0, err
	}
	// The old Tân Phú's bridge, reported in April 2025 and still open at the merger: overdue.
	tanphu, err := d.actor("secretary.tanphu")
	if err != nil {
		return 0, err
	}
	april := at(s, vnTime("2025-04-10 09:00"))
	p, err := april.CreatePetition(ctx, tanphu, models.PetitionInput{CommuneID: d.Units["cũ/Tân Phú"].ID,
		HamletID: d.Units["cũ/Tân Phú/Ấp Tân Ninh"].ID, Channel: "reception", Kind: string(models.KindReport), TopicCode: "GT",
		Content: "Cầu khỉ bắc qua rạch ấp Tân Ninh đã mục, học sinh qua lại rất nguy hiểm.", PetitionerName: "Cao Văn Đực",
		PetitionerAddress: "Ấp Tân Ninh"})
	if err != nil {
		return 0, err
	}
	_, err = april.TransitionPetition(ctx, tanphu, p.ID, models.TransitionInput{To: string(models.StateAssigned), Version: &p.Version,
		ResponsibleName: "Ban giao thông xã", DueOn: "2025-05-10"})
	return water.ID, err
}

// reorganize records the acts of 1 July 2025 and rebinds the Tân Thới staff to the new commune;
// secretary.tanphu is left for an administrator to rebind.
func (d *Demo) reorganize(ctx context.Context, s *models.Store) error {
	admin, err := d.actor("admin")
	if err != nil {
		return err
	}
	province := d.Units["cũ/Tiền Giang"].ID
	merge := func(name, code string, olds ...string) models.ReorganizationInput {
		ids := make([]int64, len(olds))
		for i, o := range olds {
			ids[i] = d.Units["cũ/"+o].ID
		}
		return models.ReorganizationInput{Kind: models.ReorgMerge, LegalNumber: demoActCommunes, LegalDate: "2025-06-16",
			EffectiveOn: demoEffective, UnitIDs: ids, Into: &models.UnitTarget{Name: name, Code: &code, Kind: "xa", ParentID: &province},
			Note: "Sắp xếp đơn vị hành chính cấp xã của tỉnh Đồng Tháp năm 2025"}
	}
	acts := []models.ReorganizationInput{
		merge("Tân Thới", "28600", "Tân Thới", "Tân Phú", "Tân Thạnh"),
		merge("Tân Phú Đông", "28603", "Phú Thạnh", "Phú Đông", "Phú Tân"),
		{Kind: models.ReorgDissolveDistrict, LegalNumber: demoActProvince, LegalDate: "2025-06-12", EffectiveOn: demoEffective,
			UnitIDs: []int64{d.Units["cũ/huyện Tân Phú Đông"].ID}, Note: "Chính quyền địa phương hai cấp: không còn cấp huyện"},
		{Kind: models.ReorgRename, LegalNumber: demoActProvince, LegalDate: "2025-06-12", EffectiveOn: demoEffective,
			UnitIDs: []int64{province}, Name: "Đồng Tháp", Note: "Hợp nhất tỉnh Tiền Giang và tỉnh Đồng Tháp thành tỉnh Đồng Tháp"},
	}
	for _, act := range acts {
		if _, err := s.ApplyReorganization(ctx, admin, act); err != nil {
			return fmt.Errorf("demo reorganization %s: %w", act.Kind, err)
		}
	}
	units, err := s.Units(ctx, models.SystemActor(), false)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Level == models.LevelCommune && u.Name == "Tân Thới" && u.ParentID != nil && *u.ParentID == province {
			_, err := s.RebindUsers(ctx, admin, models.RebindInput{UnitID: u.ID,
				UserIDs: []int64{d.Users["chair.tanthoi"].ID, d.Users["secretary.tanthoi"].ID}})
			return err
		}
	}
	return errors.New("demo: the new xã Tân Thới is missing")
}
