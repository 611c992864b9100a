package models

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Export formats.
const (
	ExportCSV  = "csv"
	ExportXLSX = "xlsx"
)

// The exports the audit log knows.
const (
	ExportPetitions = "petitions"
	ExportSummary   = "summary"
)

// ExportAudit is one entry of the export log: who exported what, when, with which filters.
// Entries are only ever added.
type ExportAudit struct {
	ID         int64           `json:"id"`
	UserID     int64           `json:"user_id"`
	Username   string          `json:"username" gorm:"->"`
	UnitID     int64           `json:"unit_id"`
	Export     string          `json:"export"`
	Format     string          `json:"format"`
	Personal   bool            `json:"personal"`
	FiltersRaw string          `json:"-" gorm:"column:filters"`
	Filters    json.RawMessage `json:"filters" gorm:"-"`
	RemoteAddr string          `json:"remote_addr"`
	CreatedAt  time.Time       `json:"created_at"`
}

// TableName names the export log.
func (ExportAudit) TableName() string { return "export_audit" }

// audit records an export in the log.
func (s *Store) audit(ctx context.Context, actor Actor, export, format string, personal bool, filters any, remote string) error {
	raw, err := json.Marshal(filters)
	if err != nil {
		return err
	}
	return s.conn(ctx).Create(&ExportAudit{UserID: actor.UserID, UnitID: actor.UnitID, Export: export, Format: format,
		Personal: personal, FiltersRaw: string(raw), RemoteAddr: remote, CreatedAt: s.now()}).Error
}

// ExportLog lists the exports made from the units of the actor's subtree, newest first.
func (s *Store) ExportLog(ctx context.Context, actor Actor, p Page) ([]ExportAudit, string, error) {
	if !actor.Can(PermExportLogRead) {
		return nil, "", ErrForbidden
	}
	var after struct {
		At time.Time `json:"t"`
		ID int64     `json:"i"`
	}
	if err := p.decode(&after); err != nil {
		return nil, "", err
	}
	cond, args := actor.scopeSQL("path")
	q := s.conn(ctx).Table("export_audit a").Select("a.*, u.username").
		Joins("JOIN users u ON u.id = a.user_id").
		Where("a.unit_id IN (SELECT id FROM units WHERE "+cond+")", args...)
	if after.ID != 0 {
		q = q.Where("a.created_at < ? OR (a.created_at = ? AND a.id < ?)", after.At, after.At, after.ID)
	}
	var rows []ExportAudit
	if err := q.Order("a.created_at DESC, a.id DESC").Limit(p.limit() + 1).Scan(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, more := trimPage(rows, p.limit())
	for i := range rows {
		rows[i].Filters = json.RawMessage(rows[i].FiltersRaw)
		rows[i].CreatedAt = rows[i].CreatedAt.UTC()
	}
	next := ""
	if more {
		last := rows[len(rows)-1]
		next = encodeCursor(struct {
			At time.Time `json:"t"`
			ID int64     `json:"i"`
		}{last.CreatedAt, last.ID})
	}
	return rows, next, nil
}

// Vietnamese labels of the codes, for exports and printed reports.
var (
	kindLabels = map[PetitionKind]string{KindReport: "Phản ánh", KindRecommendation: "Kiến nghị",
		KindComplaint: "Khiếu nại", KindDenunciation: "Tố cáo"}
	channelLabels = map[Channel]string{ChannelDialogue: "Đối thoại", ChannelReception: "Tiếp công dân",
		ChannelLetter: "Đơn thư", ChannelPhone: "Điện thoại", ChannelOnline: "Trực tuyến"}
	stateLabels = map[PetitionState]string{StateReceived: "Đã tiếp nhận", StateAssigned: "Đã giao xử lý",
		StateInProgress: "Đang xử lý", StateReferred: "Chuyển cấp có thẩm quyền", StateAnswered: "Đã trả lời",
		StateResolved: "Đã giải quyết", StateClosed: "Đã đóng", StateReopened: "Mở lại"}
	stateTypeLabels    = map[StateType]string{TypeOpen: "Đang mở", TypeFixed: "Đã giải quyết", TypeClosed: "Đã đóng"}
	satisfactionLabels = map[Satisfaction]string{VerySatisfied: "Rất hài lòng", Satisfied: "Hài lòng",
		NotSatisfied: "Không hài lòng", SatisfactionUnknown: "Chưa rõ"}
)

// KindLabel names a petition kind in Vietnamese.
func KindLabel(k PetitionKind) string { return labelOr(kindLabels[k], string(k)) }

// ChannelLabel names a channel in Vietnamese.
func ChannelLabel(c Channel) string { return labelOr(channelLabels[c], string(c)) }

// StateLabel names a petition state in Vietnamese.
func StateLabel(s PetitionState) string { return labelOr(stateLabels[s], string(s)) }

// StateTypeLabel names a state type in Vietnamese.
func StateTypeLabel(t StateType) string { return labelOr(stateTypeLabels[t], string(t)) }

// SatisfactionLabel names a satisfaction level in Vietnamese.
func SatisfactionLabel(s Satisfaction) string { return labelOr(satisfactionLabels[s], string(s)) }

func labelOr(label, code string) string {
	if label == "" {
		return code
	}
	return label
}

// PetitionExportRow is one petition as an export lists it. Petitioner is set only in an export
// of personal data, and only where the exporter may know who raised the petition.
type PetitionExportRow struct {
	Reference    string
	Commune      string
	Hamlet       string
	TopicCode    string
	Topic        string
	Kind         PetitionKind
	Channel      Channel
	State        PetitionState
	StateType    StateType
	ReceivedAt   time.Time
	Responsible  string
	DueOn        *Date
	Overdue      bool
	AnsweredAt   *time.Time
	ResolvedAt   *time.Time
	ClosedAt     *time.Time
	Satisfaction *Satisfaction
	Private      bool
	Petitioner   *Petitioner
}

// Cell types of an export column, so CSV and XLSX writers format each value the same way.
const (
	CellText = "text"
	CellTime = "time"
	CellDate = "date"
)

// ExportColumn is one column of the petition export: its Vietnamese header and kind of cell.
type ExportColumn struct {
	Header string
	Type   string
	Width  float64
}

// PetitionExportColumns lists the columns of a petition export, the petitioner's last.
func PetitionExportColumns(personal bool) []ExportColumn {
	cols := []ExportColumn{
		{"Mã ý kiến", CellText, 22}, {"Xã", CellText, 20}, {"Ấp", CellText, 20}, {"Mã lĩnh vực", CellText, 10},
		{"Lĩnh vực", CellText, 22}, {"Loại", CellText, 12}, {"Kênh tiếp nhận", CellText, 15},
		{"Ngày tiếp nhận", CellTime, 17}, {"Trạng thái", CellText, 22}, {"Nhóm trạng thái", CellText, 15},
		{"Đơn vị xử lý", CellText, 26}, {"Hạn xử lý", CellDate, 12}, {"Quá hạn", CellText, 9},
		{"Ngày trả lời", CellTime, 17}, {"Ngày giải quyết", CellTime, 17}, {"Ngày đóng", CellTime, 17},
		{"Mức độ hài lòng", CellText, 16}, {"Không công khai", CellText, 10},
	}
	if personal {
		cols = append(cols, ExportColumn{"Họ tên người nêu", CellText, 24}, ExportColumn{"Điện thoại", CellText, 14},
			ExportColumn{"Địa chỉ", CellText, 30}, ExportColumn{"Số định danh", CellText, 16})
	}
	return cols
}

// Cells returns the row's values in the order of PetitionExportColumns: strings, times in
// Vietnam's wall clock, or nil for an empty cell.
func (r *PetitionExportRow) Cells(personal bool) []any {
	yesNo := func(b bool) string {
		if b {
			return "Có"
		}
		return "Không"
	}
	var due any
	if r.DueOn != nil {
		due = r.DueOn.Start().In(calendar.Zone)
	}
	sat := ""
	if r.Satisfaction != nil {
		sat = SatisfactionLabel(*r.Satisfaction)
	}
	cells := []any{r.Reference, r.Commune, r.Hamlet, r.TopicCode, r.Topic, KindLabel(r.Kind), ChannelLabel(r.Channel),
		r.ReceivedAt.In(calendar.Zone), StateLabel(r.State), StateTypeLabel(r.StateType), r.Responsible, due, yesNo(r.Overdue),
		localTime(r.AnsweredAt), localTime(r.ResolvedAt), localTime(r.ClosedAt), sat, yesNo(r.Private)}
	if personal {
		if r.Petitioner != nil {
			cells = append(cells, r.Petitioner.Name, r.Petitioner.Phone, r.Petitioner.Address, r.Petitioner.IDNumber)
		} else {
			cells = append(cells, "", "", "", "")
		}
	}
	return cells
}

func localTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.In(calendar.Zone)
}

// PetitionExportInput asks for an export of the petition list: the list's own filter, the
// format, and whether to include who raised each petition.
type PetitionExportInput struct {
	Filter     PetitionFilter
	Format     string
	Personal   string
	RemoteAddr string
}

// PetitionExport is a checked, logged export, ready to stream.
type PetitionExport struct {
	Format   string
	Personal bool
	store    *Store
	actor    Actor
	filter   PetitionFilter
	sort     string
}

// PreparePetitionExport checks an export request and writes it to the export log, before any
// row leaves: an export that cannot be logged does not happen.
func (s *Store) PreparePetitionExport(ctx context.Context, actor Actor, in PetitionExportInput) (*PetitionExport, error) {
	v := &ValidationError{}
	format := strings.ToLower(strings.TrimSpace(in.Format))
	if format == "" {
		format = ExportCSV
	}
	if format != ExportCSV && format != ExportXLSX {
		v.Add("format", Msg("Định dạng phải là csv hoặc xlsx.", "The format must be csv or xlsx."))
	}
	personal := false
	switch in.Personal {
	case "", "false", "0":
	case "true", "1":
		personal = true
	default:
		v.Add("personal", Msg("personal phải là true hoặc false.", "personal must be true or false."))
	}
	if personal && !actor.Can(PermPetitionsExportPersonal) {
		return nil, ErrForbidden
	}
	if in.Filter.Page.Cursor != "" {
		v.Add("cursor", Msg("Bản xuất gồm cả danh sách, không theo trang.", "An export holds the whole list, not a page."))
	}
	// The list's own checks, so an export takes exactly the filters the list takes.
	pq, err := s.filterPetitions(ctx, actor, in.Filter, v)
	if err != nil {
		return nil, err
	}
	sort := pq.sort
	if err := v.Err(); err != nil {
		return nil, err
	}
	f := in.Filter
	filters := map[string]string{}
	for k, val := range map[string]string{"unit_id": f.UnitID, "commune_id": f.CommuneID, "hamlet_id": f.HamletID,
		"dialogue_id": f.DialogueID, "topic": f.Topic, "kind": f.Kind, "status": f.State, "state_type": f.StateType,
		"overdue": f.Overdue, "from": f.From, "to": f.To, "q": f.Q, "sort": sort} {
		if val != "" {
			filters[k] = val
		}
	}
	if err := s.audit(ctx, actor, ExportPetitions, format, personal, filters, in.RemoteAddr); err != nil {
		return nil, err
	}
	return &PetitionExport{Format: format, Personal: personal, store: s, actor: actor, filter: in.Filter, sort: sort}, nil
}

// Each streams the export's rows in the list's order, one at a time, so memory stays flat
// whatever the number of rows.
func (e *PetitionExport) Each(ctx context.Context, emit func(*PetitionExportRow) error) error {
	s := e.store
	pq, err := s.filterPetitions(ctx, e.actor, e.filter, &ValidationError{})
	if err != nil {
		return err
	}
	q := pq.q.Scopes(pq.search).Order(petitionOrder(e.sort)).Select(`petitions.id, petitions.reference, c.name, h.name, t.code, t.name_vi, petitions.kind,
			petitions.channel, petitions.state, petitions.received_at, petitions.responsible_name, petitions.due_on,
			petitions.answered_at, petitions.resolved_at, petitions.closed_at, petitions.satisfaction, petitions.private,
			petitions.petitioner_name, petitions.petitioner_phone, petitions.petitioner_address, petitions.petitioner_id_number, c.path`).
		Joins("JOIN units c ON c.id = petitions.commune_id").
		Joins("JOIN units h ON h.id = petitions.hamlet_id").
		Joins("JOIN topics t ON t.id = petitions.topic_id")
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	today := s.today()
	var (
		p           Petition
		r           PetitionExportRow
		communePath string
		answered    dbTime
		resolved    dbTime
		closed      dbTime
		received    dbTime
	)
	for rows.Next() {
		p, r = Petition{}, PetitionExportRow{}
		if err := rows.Scan(&p.ID, &r.Reference, &r.Commune, &r.Hamlet, &r.TopicCode, &r.Topic, &p.Kind, &r.Channel,
			&p.State, &received, &r.Responsible, &p.DueOn, &answered, &resolved, &closed, &r.Satisfaction, &r.Private,
			&p.PetitionerName, &p.PetitionerPhone, &p.PetitionerAddress, &p.PetitionerIDNumber, &communePath); err != nil {
			return err
		}
		// The petition's own rules decide what is overdue and who may know the petitioner.
		p.finish(e.actor, e.actor.Sees(communePath), today)
		r.Kind, r.State, r.StateType, r.DueOn, r.Overdue = p.Kind, p.State, p.State.Type(), p.DueOn, p.Overdue
		r.ReceivedAt = received.Time
		r.AnsweredAt, r.ResolvedAt, r.ClosedAt = answered.ptr(), resolved.ptr(), closed.ptr()
		if e.Personal {
			r.Petitioner = p.Petitioner
		}
		if err := emit(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ptr returns the time, or nil when NULL.
func (t dbTime) ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}
