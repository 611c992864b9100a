package seed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand"
	"sort"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// SyntheticOptions sizes the synthetic data set.
type SyntheticOptions struct {
	// Communes is how many communes to create; about ten make a district, about a hundred a province.
	Communes int
	// Years is how many years of dialogues and petitions, ending today.
	Years int
	// PetitionsPerCommuneYear is the average number of petitions a commune logs in a year (default 60:
	// 3300 communes over 5 years make about a million).
	PetitionsPerCommuneYear int
	// Seed makes the data set reproducible.
	Seed int64
	// Progress receives a line as each batch of communes lands; nil prints nothing.
	Progress io.Writer
}

// SyntheticResult counts what Synthetic created.
type SyntheticResult struct {
	Provinces, Districts, Communes, Hamlets, Users int
	Dialogues, Petitions, Events                   int64
	// Merged counts the communes a reorganization ended part-way; Successors the communes
	// those merged into.
	Merged, Successors int
	// Photos counts the petitions' photos: one uploaded, the others sharing its file. None
	// without a blob store.
	Photos int64
}

// syntheticProvinceCode marks the synthetic provinces (SYN01, SYN02...), so a second run notices.
const syntheticProvinceCode = "SYN"

var (
	synSyllables = []string{"Tân", "Phú", "An", "Bình", "Hòa", "Thạnh", "Long", "Mỹ", "Phước", "Thới", "Hưng", "Lợi",
		"Đông", "Tây", "Nam", "Bắc", "Trung", "Vĩnh", "Hiệp", "Thuận", "Khánh", "Định", "Quới", "Xuân", "Điền", "Đức"}
	synHamletPrefix = []string{"Ấp", "Thôn", "Khu phố"}
	synFamily       = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương", "Lý"}
	synMiddle       = []string{"Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Đức", "Thị Kim", "Quốc", "Hoài"}
	synGiven        = []string{"An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Lộc", "Mai", "Nam", "Nga", "Phúc", "Sơn", "Tâm", "Thảo", "Trí", "Tuấn", "Vân", "Xuân", "Yến"}
	// synPetitions are what residents raise, by topic code; %s is a hamlet.
	synPetitions = map[string][]string{
		"GT":   {"Đường liên ấp qua %s xuống cấp, nhiều ổ gà, đề nghị sửa chữa trước mùa mưa.", "Cầu khỉ ở %s đã mục, học sinh đi lại nguy hiểm.", "Đề nghị lắp biển báo giảm tốc độ tại ngã ba %s."},
		"ANTT": {"Thanh niên tụ tập đua xe ban đêm trên tuyến đường %s.", "Tình trạng trộm cắp gà vịt tại %s tăng, đề nghị tăng cường tuần tra."},
		"NS":   {"Nước sạch chưa về tới %s, người dân phải dùng nước giếng nhiễm phèn.", "Áp lực nước máy ở %s yếu vào giờ cao điểm."},
		"TL":   {"Kênh thủy lợi %s bị bồi lắng, đề nghị nạo vét trước vụ Đông Xuân.", "Cống ngăn mặn ở %s bị hư, nước mặn tràn vào ruộng."},
		"DD":   {"Đề nghị công khai quy hoạch khu dân cư mới tại %s.", "Tranh chấp ranh giới đất giữa hai hộ ở %s chưa được giải quyết."},
		"MT":   {"Rác thải tồn đọng ven kênh %s gây ô nhiễm.", "Trại heo ở %s xả thải ra kênh, mùi hôi nặng."},
		"DIEN": {"Đề nghị lắp đèn chiếu sáng công cộng tuyến đường %s.", "Điện chập chờn ở %s làm hư thiết bị của người dân."},
		"CSXH": {"Đề nghị xem xét hỗ trợ hộ cận nghèo ở %s.", "Chậm chi trả trợ cấp người cao tuổi tại %s."},
		"TTHC": {"Thủ tục cấp giấy chứng nhận quyền sử dụng đất kéo dài, người dân %s phải đi lại nhiều lần.", "Đề nghị bộ phận một cửa hướng dẫn rõ hồ sơ cho người dân %s."},
		"YTGD": {"Trạm y tế thiếu thuốc thông thường, người dân %s phải lên huyện.", "Điểm trường %s xuống cấp, đề nghị sửa chữa phòng học."},
		"NN":   {"Đề nghị hỗ trợ giống lúa chịu mặn cho nông dân %s.", "Giá thu mua trái cây thấp, đề nghị xã hỗ trợ kết nối tiêu thụ cho %s."},
		"CB":   {"Cán bộ ấp %s thu tiền đóng góp không có biên lai.", "Cán bộ địa chính gây khó khăn khi người dân %s làm hồ sơ."},
		"VH":   {"Đề nghị sửa chữa nhà văn hóa %s.", "Tiếng loa karaoke ở %s gây ồn ào đến khuya."},
		"KHAC": {"Đề nghị xã tổ chức đối thoại định kỳ hơn tại %s.", "Người dân %s đề nghị được thông tin sớm về các khoản thu."},
	}
	synAnswers = []string{"Xã đã ghi nhận và sẽ đưa vào kế hoạch năm sau.", "UBND xã đã chỉ đạo khắc phục, dự kiến hoàn thành trong tháng.",
		"Nội dung đã được chuyển cơ quan có thẩm quyền giải quyết.", "Đã kiểm tra thực tế và giải thích cho người dân.",
		"Xã đã phối hợp với đơn vị cấp nước khảo sát tuyến ống.", "Công an xã đã tăng cường tuần tra vào ban đêm."}
	synTopicCodes = []string{"GT", "GT", "GT", "ANTT", "ANTT", "NS", "NS", "TL", "DD", "DD", "MT", "DIEN", "CSXH", "TTHC", "YTGD", "NN", "CB", "VH", "KHAC"}
)

// synIDs hands out ids ahead of the database so rows can reference each other without a
// round trip; the sequences are moved past them at the end.
type synIDs struct{ unit, user, dialogue, petition, event int64 }

// Synthetic generates a large, realistic data set: provinces, districts, communes and hamlets,
// their users, years of dialogues with attendance, and petitions in every state with their
// history. It writes in large batches (COPY on PostgreSQL) and reports progress as it goes.
func Synthetic(ctx context.Context, s *models.Store, opts SyntheticOptions) (*SyntheticResult, error) {
	if opts.Communes < 1 || opts.Years < 1 {
		return nil, errors.New("synthetic: --communes and --years must be at least 1")
	}
	if opts.PetitionsPerCommuneYear <= 0 {
		opts.PetitionsPerCommuneYear = 60
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	if _, err := s.UnitByCodeOrID(ctx, syntheticProvinceCode+"01"); err == nil {
		return nil, errors.New("synthetic: the synthetic data set is already loaded")
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	rng := rand.New(rand.NewSource(opts.Seed))
	var ids synIDs
	for _, t := range []struct {
		table string
		into  *int64
	}{{"units", &ids.unit}, {"users", &ids.user}, {"dialogues", &ids.dialogue}, {"petitions", &ids.petition}, {"petition_events", &ids.event}} {
		id, err := s.MaxID(ctx, t.table)
		if err != nil {
			return nil, err
		}
		*t.into = id
	}
	topics, err := s.Topics(ctx, false)
	if err != nil {
		return nil, err
	}
	topicByCode := map[string]models.Topic{}
	for _, t := range topics {
		topicByCode[t.Code] = t
	}
	hash, err := s.HashPassword(DemoPassword)
	if err != nil {
		return nil, err
	}
	g := &synGen{s: s, rng: rng, ids: &ids, opts: opts, topics: topicByCode, hash: hash, now: s.Now().UTC(),
		fold: map[string]string{}, slugs: map[string]int{}, before: ids.petition}
	if err := g.loadSlugs(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	res := &SyntheticResult{}
	// Administrative tree: about 100 communes a province, 10 a district.
	provinces := (opts.Communes + 99) / 100
	communesLeft := opts.Communes
	for p := 1; p <= provinces && communesLeft > 0; p++ {
		prov := g.unit(nil, models.LevelProvince, fmt.Sprintf("Tỉnh %s %02d", g.place(), p), fmt.Sprintf("%s%02d", syntheticProvinceCode, p))
		res.Provinces++
		g.user(prov, models.RoleAdmin, fmt.Sprintf("syn.admin.%02d", p))
		for d := 1; d <= 10 && communesLeft > 0; d++ {
			dist := g.unit(prov, models.LevelDistrict, fmt.Sprintf("Huyện %s", g.place()), "")
			res.Districts++
			g.user(dist, models.RoleDistrictOfficial, fmt.Sprintf("syn.district.%d", dist.ID))
			for c := 0; c < 10 && communesLeft > 0; c++ {
				g.commune(dist)
				communesLeft--
				res.Communes++
			}
		}
		if err := g.flushUnits(ctx); err != nil {
			return nil, err
		}
		// Dialogues and petitions, a province at a time so memory stays flat.
		for _, cm := range g.pendingCommunes {
			g.communeHistory(cm)
		}
		res.Hamlets += g.hamletCount
		g.hamletCount = 0
		g.pendingCommunes = nil
		if err := g.flushHistory(ctx, res); err != nil {
			return nil, err
		}
		el := time.Since(start).Round(time.Second)
		fmt.Fprintf(progress, "synthetic: %d/%d communes, %d petitions, %d events, %d dialogues (%s, %.0f petitions/s)\n",
			res.Communes, opts.Communes, res.Petitions, res.Events, res.Dialogues, el, float64(res.Petitions)/max(time.Since(start).Seconds(), 0.001))
	}
	res.Users = g.userCount
	fmt.Fprintln(progress, "synthetic: finishing")
	if err := s.FinishBulkInsert(ctx, syntheticTables...); err != nil {
		return nil, err
	}
	fmt.Fprintln(progress, "synthetic: merging communes part-way through")
	if err := mergeSome(ctx, s, opts, res); err != nil {
		return nil, err
	}
	if err := g.photos(ctx, progress, res); err != nil {
		return nil, err
	}
	// The rows came past the domain's writes, so the report rollups are counted afresh.
	fmt.Fprintln(progress, "synthetic: counting the report rollups")
	if err := s.RebuildRollups(ctx); err != nil {
		return nil, err
	}
	// and packed, so the first reports read packs (serve would pack them within seconds too).
	if _, err := s.PackRollups(ctx); err != nil {
		return nil, err
	}
	// The merges, the photos and the rollups wrote these tables after the statistics were
	// taken; without fresh ones PostgreSQL plans a province's report over the rollups three
	// times slower.
	if err := s.FinishBulkInsert(ctx, "units", "petitions", "petition_rollups", "hamlet_communes", "attachments"); err != nil {
		return nil, err
	}
	return res, nil
}

// syntheticTables are the tables the synthetic data set writes.
var syntheticTables = []string{"units", "users", "dialogues", "dialogue_hamlets", "dialogue_attendance", "petitions", "petition_events", "petition_counters"}

type synCommune struct {
	unit    *models.Unit
	hamlets []*models.Unit
	chair   int64
	sec     int64
}

// synGen holds the rows of the batch being generated.
type synGen struct {
	s      *models.Store
	rng    *rand.Rand
	ids    *synIDs
	opts   SyntheticOptions
	topics map[string]models.Topic
	hash   string
	now    time.Time
	fold   map[string]string
	slugs  map[string]int

	units, users                    [][]any
	dialogues, dHamlets, attendance [][]any
	petitions, events, counters     [][]any
	pendingCommunes                 []*synCommune
	hamletCount, userCount          int
	// first is the first commune made; its district is never merged, so its photo stays put.
	first *synCommune
	// before is the last petition id before this data set: photos go on its own petitions only.
	before int64
}

func (g *synGen) loadSlugs(ctx context.Context) error {
	units, err := g.s.Units(ctx, models.SystemActor(), true)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Slug != nil {
			g.slugs[*u.Slug]++
		}
	}
	return nil
}

func (g *synGen) pick(list []string) string { return list[g.rng.Intn(len(list))] }

func (g *synGen) place() string { return g.pick(synSyllables) + " " + g.pick(synSyllables) }

func (g *synGen) person() string {
	return g.pick(synFamily) + " " + g.pick(synMiddle) + " " + g.pick(synGiven)
}

func (g *synGen) folded(s string) string {
	if f, ok := g.fold[s]; ok {
		return f
	}
	f := models.Fold(s)
	if len(g.fold) < 200000 {
		g.fold[s] = f
	}
	return f
}

// dateValue is a due date as each dialect's bulk path wants it.
func (g *synGen) dateValue(d calendar.Date) any {
	if g.s.Dialect() == models.Postgres {
		t, _ := time.Parse(time.DateOnly, string(d))
		return t
	}
	return string(d)
}

func (g *synGen) unit(parent *models.Unit, level models.Level, name, code string) *models.Unit {
	g.ids.unit++
	u := &models.Unit{ID: g.ids.unit, Level: level, Name: name, Version: 1}
	prefix := "/"
	var parentID any
	if parent != nil {
		prefix = parent.Path
		parentID = parent.ID
		u.ParentID = &parent.ID
	}
	u.Path = fmt.Sprintf("%s%d/", prefix, u.ID)
	var codeV, slugV any
	if code != "" {
		codeV = code
	}
	if level == models.LevelCommune {
		base := models.Slug(name)
		g.slugs[base]++
		slug := base
		if k := g.slugs[base]; k > 1 {
			slug = fmt.Sprintf("%s%d", base, k)
		}
		u.Slug = &slug
		slugV = slug
	}
	u.Kind = models.UnitKinds(level)[0]
	g.units = append(g.units, []any{u.ID, parentID, string(level), name, codeV, slugV, u.Path, string(u.Kind), 1, g.now, g.now})
	return u
}

func (g *synGen) user(u *models.Unit, role models.Role, username string) int64 {
	g.ids.user++
	g.userCount++
	g.users = append(g.users, []any{g.ids.user, username, g.hash, g.person(), string(role), u.ID, true, 1, g.now, g.now})
	return g.ids.user
}

func (g *synGen) commune(dist *models.Unit) {
	c := g.unit(dist, models.LevelCommune, g.place(), "")
	cm := &synCommune{unit: c}
	n := 5 + g.rng.Intn(4)
	used := map[string]bool{}
	for i := 0; i < n; i++ {
		name := g.pick(synHamletPrefix) + " " + g.place()
		if used[name] {
			name = fmt.Sprintf("%s %d", name, i+1)
		}
		used[name] = true
		cm.hamlets = append(cm.hamlets, g.unit(c, models.LevelHamlet, name, ""))
		g.hamletCount++
	}
	slug := strings.ToLower(*c.Slug)
	cm.chair = g.user(c, models.RoleCommuneChair, "syn.chair."+slug)
	cm.sec = g.user(c, models.RoleSecretary, "syn.secretary."+slug)
	g.pendingCommunes = append(g.pendingCommunes, cm)
	if g.first == nil {
		g.first = cm
	}
}

func (g *synGen) flushUnits(ctx context.Context) error {
	if err := g.s.BulkInsert(ctx, "units", []string{"id", "parent_id", "level", "name", "code", "slug", "path", "kind", "version", "created_at", "updated_at"}, g.units); err != nil {
		return err
	}
	if err := g.s.BulkInsert(ctx, "users", []string{"id", "username", "password_hash", "full_name", "role", "unit_id", "active", "version", "created_at", "updated_at"}, g.users); err != nil {
		return err
	}
	g.units, g.users = nil, nil
	return nil
}

// communeHistory generates the commune's dialogues (about four a year) and petitions over the years.
func (g *synGen) communeHistory(cm *synCommune) {
	years := g.opts.Years
	span := time.Duration(years) * 365 * 24 * time.Hour
	from := g.now.Add(-span)
	// Dialogues: roughly quarterly; the last ones may still be held or planned.
	type dlg struct {
		id     int64
		at     time.Time
		hamlet *models.Unit
	}
	var held []dlg
	for at := from.Add(time.Duration(g.rng.Intn(60)) * 24 * time.Hour); at.Before(g.now.Add(30 * 24 * time.Hour)); at = at.Add(time.Duration(75+g.rng.Intn(30)) * 24 * time.Hour) {
		start := time.Date(at.Year(), at.Month(), at.Day(), 1, 0, 0, 0, time.UTC) // 08:00 in Vietnam
		g.ids.dialogue++
		h := cm.hamlets[g.rng.Intn(len(cm.hamlets))]
		status, heldAt, closedAt := "closed", any(start.Add(2*time.Hour)), any(start.Add(3*24*time.Hour))
		switch {
		case start.After(g.now):
			status, heldAt, closedAt = "planned", nil, nil
		case g.now.Sub(start) < 7*24*time.Hour:
			status, closedAt = "held", nil
		}
		var minutes any
		if status == "closed" {
			minutes = "Biên bản đối thoại với nhân dân " + h.Name + "."
		}
		g.dialogues = append(g.dialogues, []any{g.ids.dialogue, cm.unit.ID, "Đối thoại với nhân dân " + h.Name, start, start.Add(2 * time.Hour),
			"Nhà văn hóa " + h.Name, cm.chair, `["Thông tin tình hình địa phương","Lắng nghe ý kiến người dân"]`, 60, status,
			minutes, heldAt, closedAt, cm.sec, 1, start.Add(-14 * 24 * time.Hour), start})
		g.dHamlets = append(g.dHamlets, []any{g.ids.dialogue, h.ID})
		if status != "planned" {
			res, bus, off := 30+g.rng.Intn(50), g.rng.Intn(5), 5+g.rng.Intn(6)
			g.attendance = append(g.attendance, []any{g.ids.dialogue, res, bus, off, (res + bus + off) * (30 + g.rng.Intn(30)) / 100, cm.sec, start.Add(3 * time.Hour)})
			held = append(held, dlg{g.ids.dialogue, start, h})
		}
	}
	count := years * g.opts.PetitionsPerCommuneYear
	count = count*3/4 + g.rng.Intn(count/2+1)
	seq := map[int]int{}
	type pet struct {
		at  time.Time
		dlg *dlg
	}
	pets := make([]pet, count)
	for i := range pets {
		if len(held) > 0 && g.rng.Intn(10) < 4 {
			d := &held[g.rng.Intn(len(held))]
			pets[i] = pet{at: d.at, dlg: d}
		} else {
			pets[i] = pet{at: from.Add(time.Duration(g.rng.Int63n(int64(g.now.Sub(from)))))}
		}
	}
	// References follow the order received.
	sort.Slice(pets, func(a, b int) bool { return pets[a].at.Before(pets[b].at) })
	for _, p := range pets {
		g.petition(cm, p.at.Truncate(time.Second), p.dlg != nil, func() (int64, *models.Unit) {
			if p.dlg != nil {
				return p.dlg.id, p.dlg.hamlet
			}
			return 0, nil
		}, seq)
	}
	for year, n := range seq {
		g.counters = append(g.counters, []any{cm.unit.ID, year, n})
	}
}

var synKinds = []models.PetitionKind{models.KindReport, models.KindReport, models.KindReport, models.KindRecommendation, models.KindRecommendation, models.KindRecommendation, models.KindComplaint, models.KindDenunciation}
var synChannels = []models.Channel{models.ChannelReception, models.ChannelReception, models.ChannelLetter, models.ChannelPhone, models.ChannelOnline}

// petition generates one petition and its history; the older it is, the further it got.
func (g *synGen) petition(cm *synCommune, at time.Time, fromDialogue bool, dialogue func() (int64, *models.Unit), seq map[int]int) {
	g.ids.petition++
	id := g.ids.petition
	year := at.In(calendar.Zone).Year()
	seq[year]++
	ref := fmt.Sprintf("%s-%d-%04d", *cm.unit.Slug, year, seq[year])
	code := g.pick(synTopicCodes)
	topic := g.topics[code]
	hamlet := cm.hamlets[g.rng.Intn(len(cm.hamlets))]
	var dialogueID any
	channel := g.pick(toStrings(synChannels))
	if fromDialogue {
		did, h := dialogue()
		dialogueID, hamlet, channel = did, h, string(models.ChannelDialogue)
	}
	content := fmt.Sprintf(g.pick(synPetitions[code]), hamlet.Name)
	kind := synKinds[g.rng.Intn(len(synKinds))]
	if code == "CB" && g.rng.Intn(2) == 0 {
		kind = models.KindDenunciation
	}
	anonymous := g.rng.Intn(6) == 0
	name, phone, address := "", "", ""
	if !anonymous {
		name, address = g.person(), hamlet.Name
		if g.rng.Intn(2) == 0 {
			phone = fmt.Sprintf("09%08d", g.rng.Intn(100000000))
		}
	}
	onsite := ""
	if fromDialogue && g.rng.Intn(2) == 0 {
		onsite = g.pick(synAnswers)
	}
	age := g.now.Sub(at)
	days := int(age.Hours() / 24)
	// The path taken: older petitions went further. Some stall, which makes them overdue.
	var path []models.PetitionState
	r := g.rng.Intn(100)
	switch {
	case days < 3:
		path = []models.PetitionState{}
	case fromDialogue && onsite != "" && r < 40:
		path = []models.PetitionState{models.StateAnswered, models.StateResolved}
	case r < 8:
		path = []models.PetitionState{models.StateReferred, models.StateInProgress, models.StateAnswered, models.StateResolved}
	case r < 12:
		path = []models.PetitionState{models.StateClosed}
	case r < 15:
		path = []models.PetitionState{models.StateAssigned, models.StateAnswered, models.StateResolved, models.StateReopened, models.StateInProgress, models.StateAnswered, models.StateResolved}
	default:
		path = []models.PetitionState{models.StateAssigned, models.StateInProgress, models.StateAnswered, models.StateResolved}
	}
	// How far along: recent petitions stop early; about one in ten stalls whatever its age.
	steps := len(path)
	if days < 60 || g.rng.Intn(10) == 0 {
		steps = g.rng.Intn(len(path) + 1)
	}
	if steps == len(path) && len(path) > 0 && path[len(path)-1] == models.StateResolved && g.rng.Intn(8) == 0 {
		// Some answered petitions end closed as explained rather than resolved.
		path = append(path[:len(path)-1:len(path)-1], models.StateClosed)
	}
	path = path[:steps]
	state := models.StateReceived
	var (
		respUnit, respName, dueOn, answeredAt, answeredBy, resolvedAt, closedAt, closeReason, satisfaction, firstAnswered any
		answer, draft                                                                                                     string
	)
	t := at
	stepGap := func() time.Duration {
		maxDays := max(days/(len(path)+1), 1)
		return time.Duration(1+g.rng.Intn(maxDays)) * 24 * time.Hour / 2
	}
	g.event(id, cm.sec, models.EventCreated, "", string(models.StateReceived), "", fmt.Sprintf(`{"channel":%q,"kind":%q,"topic_id":%d}`, channel, kind, topic.ID), at)
	for _, next := range path {
		t = t.Add(stepGap())
		if t.After(g.now) {
			t = g.now.Add(-time.Minute)
		}
		actor := cm.chair
		data, note := "{}", ""
		switch next {
		case models.StateAssigned, models.StateReferred:
			actor = cm.sec
			if next == models.StateReferred {
				respName = "Phòng Tài nguyên và Môi trường huyện"
			} else {
				respName, respUnit = hamlet.Name, hamlet.ID
			}
			d := calendar.DateOf(t).AddDays(topic.ResponseDays)
			dueOn = g.dateValue(d)
			data = fmt.Sprintf(`{"responsible_name":%q,"due_on":%q}`, respName, d)
		case models.StateInProgress:
			actor = cm.sec
		case models.StateReopened:
			resolvedAt, closedAt, closeReason, satisfaction = nil, nil, nil, nil
			note = "Người dân phản ánh sự việc tái diễn."
		case models.StateAnswered:
			answer = g.pick(synAnswers)
			draft = answer
			answeredAt, answeredBy = t, cm.chair
			if firstAnswered == nil {
				firstAnswered = t
			}
			data = fmt.Sprintf(`{"answer":%q}`, answer)
		case models.StateResolved:
			resolvedAt = t
			satisfaction = []string{"very_satisfied", "satisfied", "satisfied", "not_satisfied", "unknown"}[g.rng.Intn(5)]
			data = fmt.Sprintf(`{"satisfaction":%q}`, satisfaction)
		case models.StateClosed:
			closedAt = t
			closeReason = []string{"explained", "not_competent", "withdrawn"}[g.rng.Intn(3)]
			satisfaction = "unknown"
			data = fmt.Sprintf(`{"reason":%q,"satisfaction":"unknown"}`, closeReason)
		}
		g.event(id, actor, models.EventTransition, string(state), string(next), note, data, t)
		state = next
	}
	parts := []string{strings.ToLower(ref), g.folded(content)}
	for _, extra := range []string{onsite, answer} {
		if extra != "" {
			parts = append(parts, g.folded(extra))
		}
	}
	search := strings.Join(parts, " ")
	private := kind == models.KindDenunciation
	g.petitions = append(g.petitions, []any{id, ref, cm.unit.ID, hamlet.ID, dialogueID, channel, string(kind), topic.ID, content,
		name, phone, address, anonymous, onsite, at, string(state), string(state.Type()), respUnit, orEmpty(respName), dueOn,
		draft, answer, answeredAt, firstAnswered, answeredBy, resolvedAt, closedAt, closeReason, nil, satisfaction, private, search,
		1 + len(path), cm.sec, at, t})
}

func orEmpty(v any) any {
	if v == nil {
		return ""
	}
	return v
}

func toStrings(cs []models.Channel) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func (g *synGen) event(petitionID, actorID int64, kind, from, to, note, data string, at time.Time) {
	g.ids.event++
	var f, t any
	if from != "" {
		f = from
	}
	if to != "" {
		t = to
	}
	g.events = append(g.events, []any{g.ids.event, petitionID, actorID, kind, f, t, note, data, at})
}

func (g *synGen) flushHistory(ctx context.Context, res *SyntheticResult) error {
	steps := []struct {
		table string
		cols  []string
		rows  *[][]any
	}{
		{"dialogues", []string{"id", "commune_id", "title", "starts_at", "ends_at", "venue", "chair_user_id", "agenda", "expected_attendance",
			"status", "minutes", "held_at", "closed_at", "created_by", "version", "created_at", "updated_at"}, &g.dialogues},
		{"dialogue_hamlets", []string{"dialogue_id", "hamlet_id"}, &g.dHamlets},
		{"dialogue_attendance", []string{"dialogue_id", "residents", "businesses", "officials", "women", "recorded_by", "recorded_at"}, &g.attendance},
		{"petitions", []string{"id", "reference", "commune_id", "hamlet_id", "dialogue_id", "channel", "kind", "topic_id", "content",
			"petitioner_name", "petitioner_phone", "petitioner_address", "anonymous", "onsite_answer", "received_at", "state", "state_type",
			"responsible_unit_id", "responsible_name", "due_on", "answer_draft", "answer", "answered_at", "first_answered_at", "answered_by", "resolved_at",
			"closed_at", "close_reason", "duplicate_of", "satisfaction", "private", "search_text", "version", "created_by", "created_at", "updated_at"}, &g.petitions},
		{"petition_events", []string{"id", "petition_id", "actor_id", "kind", "from_value", "to_value", "note", "data", "created_at"}, &g.events},
		{"petition_counters", []string{"commune_id", "year", "last_seq"}, &g.counters},
	}
	res.Dialogues += int64(len(g.dialogues))
	res.Petitions += int64(len(g.petitions))
	res.Events += int64(len(g.events))
	for _, st := range steps {
		if err := g.s.BulkInsert(ctx, st.table, st.cols, *st.rows); err != nil {
			return err
		}
		*st.rows = nil
	}
	return nil
}

// PetitionText returns a topic code and a realistic petition about the hamlet, drawn
// from the same mix as the synthetic data set; benchmarks log petitions like the real ones.
func PetitionText(rng *rand.Rand, hamlet string) (topic, content string) {
	topic = synTopicCodes[rng.Intn(len(synTopicCodes))]
	list := synPetitions[topic]
	return topic, fmt.Sprintf(list[rng.Intn(len(list))], hamlet)
}

// The photos spread over the petitions the public may see by id: one whose id is a multiple
// of photoEvery carries one, shown on the board unless its id is a multiple of hiddenEvery too
// (three in four are shown).
const (
	photoEvery  = 50
	hiddenEvery = 200
)

// photos gives the data set the photos a live commune has, so that the board reads them as it
// would there: the first commune's secretary uploads one to its newest public petition and its
// chair shows it on the board, then one statement gives the same file to about one in fifty of
// the other petitions the public may see. Without a blob store there are none.
func (g *synGen) photos(ctx context.Context, progress io.Writer, res *SyntheticResult) error {
	if g.s.Blobs == nil {
		fmt.Fprintln(progress, "synthetic: no blob store, so no photos")
		return nil
	}
	var petitionID int64
	err := g.s.Gorm().WithContext(ctx).Raw(`SELECT id FROM petitions WHERE commune_id = ? AND private = FALSE AND kind <> ?
		ORDER BY received_at DESC, id DESC LIMIT 1`, g.first.unit.ID, models.KindDenunciation).Scan(&petitionID).Error
	if err != nil {
		return err
	}
	if petitionID == 0 {
		fmt.Fprintln(progress, "synthetic: no public petition to photograph, so no photos")
		return nil
	}
	fmt.Fprintln(progress, "synthetic: attaching photos")
	a, err := g.uploadPhoto(ctx, petitionID)
	if err != nil {
		return fmt.Errorf("synthetic photo: %w", err)
	}
	// Attaching and publishing each wrote an event on the petition's history.
	res.Events += 2
	copies, err := copyPhoto(ctx, g.s, a, g.before)
	if err != nil {
		return fmt.Errorf("synthetic photos: %w", err)
	}
	res.Photos = 1 + copies
	return nil
}

// uploadPhoto attaches a photo to a petition of the first commune through the product's own
// upload, as its secretary, and publishes it as its chair.
func (g *synGen) uploadPhoto(ctx context.Context, petitionID int64) (*models.Attachment, error) {
	sec, err := g.actor(ctx, g.first.sec)
	if err != nil {
		return nil, err
	}
	chair, err := g.actor(ctx, g.first.chair)
	if err != nil {
		return nil, err
	}
	u, err := g.s.ReceiveUpload(bytes.NewReader(photoJPEG()), "anh-hien-truong.jpg", "file")
	if err != nil {
		return nil, err
	}
	defer u.Close()
	added, err := g.s.AttachFiles(ctx, sec, models.AttachmentTarget{PetitionID: petitionID}, []*models.Upload{u})
	if err != nil {
		return nil, err
	}
	yes := true
	return g.s.UpdateAttachment(ctx, chair, added[0].ID, models.AttachmentPatch{Public: &yes})
}

// actor is a synthetic user as they act.
func (g *synGen) actor(ctx context.Context, userID int64) (models.Actor, error) {
	u, err := g.s.User(ctx, models.SystemActor(), userID)
	if err != nil {
		return models.Actor{}, err
	}
	return g.s.LoadActor(ctx, u)
}

// photoJPEG draws the data set's photo: a 320×240 gradient, without metadata.
func photoJPEG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.SetRGBA(x, y, color.RGBA{R: uint8(x * 255 / 319), G: uint8(y * 255 / 239), B: 120, A: 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}) // writing to memory cannot fail
	return buf.Bytes()
}

// copyPhoto gives photo a's file to one in photoEvery of the petitions after id before that the
// public may see, in one statement: blobs are kept by their digest, so every row is backed by
// the one stored file. Each copy is added by whoever logged the petition, when they logged it,
// as a photo handed in at the desk would be.
func copyPhoto(ctx context.Context, s *models.Store, a *models.Attachment, before int64) (int64, error) {
	r := s.Gorm().WithContext(ctx).Exec(`INSERT INTO attachments (petition_id, kind, sha256, size, content_type, original_name,
			width, height, thumb_sha256, public, added_by, added_at)
		SELECT p.id, a.kind, a.sha256, a.size, a.content_type, a.original_name, a.width, a.height, a.thumb_sha256,
			p.id % ? <> 0, p.created_by, p.created_at
		FROM petitions p CROSS JOIN attachments a
		WHERE a.id = ? AND p.id > ? AND p.id <> a.petition_id AND p.id % ? = 0 AND p.private = FALSE AND p.kind <> ?`,
		hiddenEvery, a.ID, before, photoEvery, models.KindDenunciation)
	return r.RowsAffected, r.Error
}
