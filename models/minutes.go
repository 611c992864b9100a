package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Minutes is what the printed minutes (biên bản) of a dialogue show, ready for a template.
type Minutes struct {
	Dialogue *Dialogue
	// Authority and AuthorityUnit are the two lines of the issuing body, in capitals:
	// "ỦY BAN NHÂN DÂN" over "XÃ TÂN THỚI".
	Authority, AuthorityUnit string
	// CommuneName is the commune as a sentence names it, e.g. "xã Tân Thới".
	CommuneName string
	// Place is the commune with the units above it as they were on the day of the dialogue, e.g.
	// "xã Tân Thới, huyện Tân Phú Đông, tỉnh Tiền Giang" for a 2024 dialogue, whatever they are now.
	Place string
	// PlaceDate is the line under the motto, e.g. "Tân Thới, ngày 15 tháng 3 năm 2026": the
	// commune and the day of the dialogue, which is when minutes are made, even if typed in later.
	PlaceDate string
	// StartsAt and EndsAt read like "08 giờ 00 phút, ngày 15 tháng 3 năm 2026"; EndsAt may be empty.
	StartsAt, EndsAt string
	Hamlets          string
	Venue            string
	Chair            string
	Secretary        string
	Attendance       []MinutesCount
	Total, Women     int
	HasAttendance    bool
	Agenda           []string
	Petitions        []MinutesPetition
	Text             string
	// Draft marks minutes printed before the dialogue is closed.
	Draft bool
}

// MinutesCount is one line of attendance by group.
type MinutesCount struct {
	Label string
	Count int
}

// MinutesPetition is one petition raised at a dialogue as the minutes print it. Petitioner is
// empty when the petitioner asked for anonymity or the law protects them (denunciations).
type MinutesPetition struct {
	Reference    string
	Kind         string
	Topic        string
	Hamlet       string
	Petitioner   string
	Content      string
	OnSiteAnswer string
}

// petitionCounts returns how many petitions were raised at each of the dialogues.
func (s *Store) petitionCounts(ctx context.Context, dialogueIDs []int64) (map[int64]int, error) {
	var rows []struct {
		DialogueID int64
		N          int
	}
	err := s.conn(ctx).Table("petitions").Select("dialogue_id, count(*) AS n").
		Where("dialogue_id IN ?", dialogueIDs).Group("dialogue_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.DialogueID] = r.N
	}
	return out, nil
}

// petitionKindLabels name the petition kinds as the minutes print them.
var petitionKindLabels = map[PetitionKind]string{
	KindReport:         "Phản ánh",
	KindRecommendation: "Kiến nghị",
	KindComplaint:      "Khiếu nại",
	KindDenunciation:   "Tố cáo",
}

// minutesPetitions returns every petition raised at a dialogue with its on-site answer, in the
// order raised. Only the petitioner's name is printed, and never for one who asked for anonymity
// or for a denunciation, whose petitioner the law protects.
func (s *Store) minutesPetitions(ctx context.Context, dialogueID int64) ([]MinutesPetition, error) {
	var rows []struct {
		Reference      string
		Kind           PetitionKind
		Topic          string
		Hamlet         string
		Anonymous      bool
		PetitionerName string
		Content        string
		OnsiteAnswer   string
	}
	err := s.conn(ctx).Table("petitions").
		Select("petitions.reference, petitions.kind, topics.name_vi AS topic, units.name AS hamlet, petitions.anonymous, "+
			"petitions.petitioner_name, petitions.content, petitions.onsite_answer").
		Joins("JOIN topics ON topics.id = petitions.topic_id").
		Joins("JOIN units ON units.id = petitions.hamlet_id").
		Where("petitions.dialogue_id = ?", dialogueID).
		Order("petitions.received_at, petitions.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]MinutesPetition, len(rows))
	for i, r := range rows {
		out[i] = MinutesPetition{Reference: r.Reference, Kind: petitionKindLabels[r.Kind], Topic: r.Topic, Hamlet: r.Hamlet,
			Content: r.Content, OnSiteAnswer: r.OnsiteAnswer}
		if !r.Anonymous && r.Kind != KindDenunciation {
			out[i].Petitioner = r.PetitionerName
		}
	}
	return out, nil
}

// VietnameseDate writes a date the way Vietnamese documents do: "ngày 15 tháng 3 năm 2026".
func VietnameseDate(t time.Time) string {
	t = t.In(calendar.Zone)
	return fmt.Sprintf("ngày %02d tháng %d năm %d", t.Day(), int(t.Month()), t.Year())
}

// VietnameseTime writes a time the way Vietnamese minutes do: "08 giờ 00 phút, ngày 15 tháng 3 năm 2026".
func VietnameseTime(t time.Time) string {
	l := t.In(calendar.Zone)
	return fmt.Sprintf("%02d giờ %02d phút, %s", l.Hour(), l.Minute(), VietnameseDate(t))
}

// communeTitle splits a commune's name into its kind and proper name: "Tân Thới" is a "xã";
// a name that already says "Phường ..." or "Thị trấn ..." keeps its own kind.
func communeTitle(name string) (kind, proper string) {
	folded := Fold(name)
	for _, k := range []string{"xã", "phường", "thị trấn"} {
		fk := Fold(k)
		if strings.HasPrefix(folded, fk+" ") {
			rest := strings.TrimSpace(string([]rune(name)[len([]rune(k)):]))
			return k, rest
		}
	}
	return "xã", name
}

// DialogueMinutes gathers the minutes of a held or closed dialogue the actor sees.
// A held dialogue's minutes print as a draft.
func (s *Store) DialogueMinutes(ctx context.Context, actor Actor, id int64) (*Minutes, error) {
	d, err := s.Dialogue(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if d.Status != DialogueHeld && d.Status != DialogueClosed {
		return nil, &ConflictError{Reason: "minutes_unavailable",
			Message: Msg("Biên bản chỉ có khi buổi đối thoại đã tổ chức.", "Minutes exist only once the dialogue is held.")}
	}
	commune, err := s.unitByID(ctx, d.CommuneID)
	if err != nil {
		return nil, err
	}
	kind, proper := communeTitle(commune.Name)
	place, err := s.placeAt(ctx, commune.ID, calendar.DateOf(d.StartsAt))
	if err != nil {
		return nil, err
	}
	m := &Minutes{
		Place:         place,
		Dialogue:      d,
		Authority:     "ỦY BAN NHÂN DÂN",
		AuthorityUnit: strings.ToUpper(kind + " " + proper),
		CommuneName:   kind + " " + proper,
		StartsAt:      VietnameseTime(d.StartsAt),
		Venue:         d.Venue,
		Agenda:        d.Agenda,
		Draft:         d.Status != DialogueClosed,
	}
	m.PlaceDate = proper + ", " + VietnameseDate(d.StartsAt)
	if d.EndsAt != nil {
		m.EndsAt = VietnameseTime(*d.EndsAt)
	}
	names := make([]string, len(d.Hamlets))
	for i, h := range d.Hamlets {
		names[i] = h.Name
	}
	m.Hamlets = strings.Join(names, ", ")
	if d.Chair != nil {
		m.Chair = d.Chair.FullName
	}
	if a := d.Attendance; a != nil {
		m.HasAttendance = true
		m.Attendance = []MinutesCount{
			{"Người dân", a.Residents},
			{"Doanh nghiệp, hộ kinh doanh", a.Businesses},
			{"Cán bộ, công chức", a.Officials},
		}
		m.Total, m.Women = a.Total, a.Women
	}
	if m.Secretary, err = s.minutesSecretary(ctx, d); err != nil {
		return nil, err
	}
	if d.Minutes != nil {
		m.Text = *d.Minutes
	}
	if m.Petitions, err = s.minutesPetitions(ctx, d.ID); err != nil {
		return nil, err
	}
	return m, nil
}

// minutesSecretary names who signs as secretary: the secretary who recorded the attendance,
// else the commune's only active secretary, else nobody (a blank line to sign on).
func (s *Store) minutesSecretary(ctx context.Context, d *Dialogue) (string, error) {
	if d.Attendance != nil {
		var u User
		res := s.conn(ctx).Where("id = ?", d.Attendance.RecordedByID).Limit(1).Find(&u)
		if res.Error != nil {
			return "", res.Error
		}
		if res.RowsAffected == 1 && u.Role == RoleSecretary {
			return u.FullName, nil
		}
	}
	var names []string
	err := s.conn(ctx).Model(&User{}).Where("unit_id = ? AND role = ? AND active = ?", d.CommuneID, RoleSecretary, true).
		Order("id").Limit(2).Pluck("full_name", &names).Error
	if err != nil || len(names) != 1 {
		return "", err
	}
	return names[0], nil
}

// placeAt names a unit and the units above it as they were on a day: an ended unit keeps its
// name and parent, and a unit renamed or moved since has its former name and parent in
// unit_names.
func (s *Store) placeAt(ctx context.Context, id int64, day Date) (string, error) {
	var parts []string
	for depth := 0; depth < 8; depth++ {
		u, err := s.unitByID(ctx, id)
		if err != nil {
			return "", err
		}
		var former []FormerName
		err = s.conn(ctx).Table("unit_names").Select("name, kind, parent_id, valid_to").
			Where("unit_id = ? AND valid_to > ?", id, day).Order("valid_to, id").Limit(1).Scan(&former).Error
		if err != nil {
			return "", err
		}
		name, kind, parent := u.Name, u.Kind, u.ParentID
		if len(former) == 1 {
			name, kind, parent = former[0].Name, former[0].Kind, former[0].ParentID
		}
		if w := kind.Word(); w != "" && !strings.HasPrefix(Fold(name), Fold(w)+" ") {
			name = w + " " + name
		}
		parts = append(parts, name)
		if parent == nil {
			break
		}
		id = *parent
	}
	return strings.Join(parts, ", "), nil
}
