package models

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/papi-dialogue/papi/models/calendar"
	"gorm.io/gorm"
)

// What residents see on the public board, and what they never see, is decided here and only
// here; the Open311 endpoints of the api read through the same functions:
//
//   - only petitions not marked private, and never a denunciation (tố cáo), whose petitioner the
//     law protects (denunciations are private from the start anyway);
//   - never the petitioner's name, phone or address: PublicPetition has no field for them, and
//     should a secretary have typed them into the content or an answer, they are masked there
//     however they were spelled, as is every phone or identity-card number (public_mask.go);
//   - never the content of a complaint (khiếu nại);
//   - never a draft answer: only the published answer and the answer given on the spot.

// PublicPetition is a petition as the public board shows it.
type PublicPetition struct {
	Reference string       `json:"reference"`
	Commune   UnitRef      `json:"commune"`
	Hamlet    UnitRef      `json:"hamlet"`
	Topic     TopicRef     `json:"topic"`
	Kind      PetitionKind `json:"kind"`
	Channel   Channel      `json:"channel"`
	// Content is null for a complaint.
	Content    *string       `json:"content"`
	ReceivedAt time.Time     `json:"received_at"`
	ReceivedOn Date          `json:"received_on"`
	State      PetitionState `json:"state"`
	StateType  StateType     `json:"state_type"`
	// Responsible is the body handling it.
	Responsible string `json:"responsible"`
	DueOn       *Date  `json:"due_on"`
	Overdue     bool   `json:"overdue"`
	// AwaitingClosure tells that the answer is published and the petition waits for closure.
	AwaitingClosure bool       `json:"awaiting_closure"`
	OnsiteAnswer    string     `json:"onsite_answer"`
	Answer          *string    `json:"answer"`
	AnsweredAt      *time.Time `json:"answered_at"`
	ResolvedAt      *time.Time `json:"resolved_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	// CloseReason says why a closed petition was closed; DuplicateOf names the original of a
	// duplicate when the original is public itself.
	CloseReason *CloseReason `json:"close_reason"`
	DuplicateOf *string      `json:"duplicate_of"`
	UpdatedAt   time.Time    `json:"updated_at"`
	// TimesRaised is how many public petitions raise this matter: 1 and those linked to it
	// (links.go); the board lists a matter once, under its main petition.
	TimesRaised int `json:"times_raised"`
	// MainReference is the main petition a linked one follows, when that one is public.
	MainReference *string `json:"main_reference"`
	// PhotoIDs are the photos staff marked public, oldest first (see PublicPhotos); the board
	// and the petition's page show their thumbnails.
	PhotoIDs []int64 `json:"photo_ids"`
	// CorrectedAt is when staff corrected what the board shows after the answer was published
	// ("đã chỉnh sửa ngày …"); null when they did not (corrections.go).
	CorrectedAt *time.Time `json:"corrected_at"`
}

// petitionNames is a petition's ID and reference with the names of its commune, hamlet and
// topic, as the board and the overdue list read them: petitionNamesColumns, from the
// petitions p joined to their commune c, hamlet h and topic t.
type petitionNames struct {
	ID                                int64
	Reference                         string
	CommuneID                         int64
	CommuneName                       string
	HamletID                          int64
	HamletName                        string
	TopicID                           int64
	TopicCode, TopicName, TopicNameEN string
}

// petitionNamesColumns are the columns of a petitionNames.
const petitionNamesColumns = `p.id, p.reference, p.commune_id, c.name AS commune_name, p.hamlet_id, h.name AS hamlet_name,
	p.topic_id, t.code AS topic_code, t.name_vi AS topic_name, t.name_en AS topic_name_en`

// fields are the destinations of petitionNamesColumns in n, then more, appended to into.
func (n *petitionNames) fields(into []any, more ...any) []any {
	into = append(into, &n.ID, &n.Reference, &n.CommuneID, &n.CommuneName, &n.HamletID, &n.HamletName,
		&n.TopicID, &n.TopicCode, &n.TopicName, &n.TopicNameEN)
	return append(into, more...)
}

func (n *petitionNames) commune() UnitRef { return UnitRef{ID: n.CommuneID, Name: n.CommuneName} }
func (n *petitionNames) hamlet() UnitRef  { return UnitRef{ID: n.HamletID, Name: n.HamletName} }
func (n *petitionNames) topic() TopicRef {
	return TopicRef{ID: n.TopicID, Code: n.TopicCode, Name: n.TopicName, NameEN: n.TopicNameEN}
}

// publicRow is what the board reads of a petition, the petitioner included only to mask it.
type publicRow struct {
	petitionNames
	Kind                                            PetitionKind
	Channel                                         Channel
	Content                                         string
	ReceivedAt                                      time.Time
	State                                           PetitionState
	ResponsibleName                                 string
	DueOn                                           *Date
	OnsiteAnswer, Answer                            string
	AnsweredAt, ResolvedAt, ClosedAt                *time.Time
	CloseReason                                     *CloseReason
	DuplicateOfRef                                  *string
	UpdatedAt                                       time.Time
	PetitionerName, PetitionerPhone, PetitionerAddr string
	LinkedCount                                     int
	MainReference                                   *string
	PetitionerIDNumber                              string
	PetitionerFormer                                string
	CorrectedAt                                     *time.Time
	// PhotoIDs are the ids of the public photos, joined by commas (photoColumn); read by the
	// board and a petition's public page only.
	PhotoIDs *string
	// UnitsVersion is the units' version the board's statement read (unitsVersionColumn).
	UnitsVersion int64
}

// publicColumns are the columns of a publicRow.
const publicColumns = petitionNamesColumns + `, p.kind, p.channel,
	p.content, p.received_at, p.state, p.responsible_name, p.due_on, p.onsite_answer, p.answer,
	p.answered_at, p.resolved_at, p.closed_at, p.close_reason, o.reference AS duplicate_of_ref, p.updated_at,
	p.petitioner_name, p.petitioner_phone, p.petitioner_address AS petitioner_addr, p.petitioner_id_number,
	p.petitioner_former, p.corrected_at,
	(SELECT COUNT(*) FROM petitions l WHERE l.main_id = p.id AND l.private = FALSE AND l.kind <> 'to_cao') AS linked_count,
	(SELECT m.reference FROM petitions m WHERE m.id = p.main_id AND m.private = FALSE AND m.kind <> 'to_cao') AS main_reference`

// fields are the destinations of publicColumns in r, in their order, appended to into.
func (r *publicRow) fields(into []any) []any {
	return r.petitionNames.fields(into, &r.Kind, &r.Channel,
		&r.Content, &r.ReceivedAt, &r.State, &r.ResponsibleName, &r.DueOn, &r.OnsiteAnswer, &r.Answer,
		&r.AnsweredAt, &r.ResolvedAt, &r.ClosedAt, &r.CloseReason, &r.DuplicateOfRef, &r.UpdatedAt,
		&r.PetitionerName, &r.PetitionerPhone, &r.PetitionerAddr, &r.PetitionerIDNumber,
		&r.PetitionerFormer, &r.CorrectedAt, &r.LinkedCount, &r.MainReference)
}

// withPhotoFields are fields with the destination of photoColumn after them.
func (r *publicRow) withPhotoFields(into []any) []any {
	return append(r.fields(into), &r.PhotoIDs)
}

// boardFields are withPhotoFields with the destination of unitsVersionColumn after them.
func (r *publicRow) boardFields(into []any) []any {
	return append(r.withPhotoFields(into), &r.UnitsVersion)
}

// unitsVersionColumn is the units' version, read by a statement that resolved units from the
// process's copy (PublicPetitions).
const unitsVersionColumn = "(SELECT n FROM unit_scope_version WHERE id = 1) AS units_version"

// findPublic reads the rows of a publicQuery, scanned straight into their fields (GORM's
// reflection over every column of every row cost more than the board's SQL).
func findPublic(q *gorm.DB) ([]publicRow, error) {
	return findInto(q, (*publicRow).fields)
}

// findWithPhotos reads the rows of a publicQuery with the photos' ids, as boardQuery selects
// them.
func findWithPhotos(q *gorm.DB) ([]publicRow, error) {
	return findInto(q, (*publicRow).withPhotoFields)
}

// publicQuery selects the petitions the public may see, with the names the board shows.
func (s *Store) publicQuery(ctx context.Context) *gorm.DB {
	return s.conn(ctx).Table("petitions p").
		Select(publicColumns).
		Joins("JOIN units c ON c.id = p.commune_id").
		// The original of a duplicate is named only when the public may read it too.
		Joins("LEFT JOIN petitions o ON o.id = p.duplicate_of AND o.private = ? AND o.kind <> ?", false, KindDenunciation).
		Joins("JOIN units h ON h.id = p.hamlet_id").
		Joins("JOIN topics t ON t.id = p.topic_id").
		Where("p.private = ? AND p.kind <> ?", false, KindDenunciation)
}

// boardQuery is publicQuery with each petition's public photos (photoColumn), then the more
// columns given, in their order.
func (s *Store) boardQuery(ctx context.Context, more ...string) *gorm.DB {
	columns := publicColumns + ", " + s.dialect.photoColumn()
	for _, c := range more {
		columns += ", " + c
	}
	return s.publicQuery(ctx).Select(columns)
}

// photoColumn is the ids of a petition's public photos as one text ("12,15"), or NULL: read
// with the petition, the board spends no round trip of its own on them.
func (d Dialect) photoColumn() string {
	return `(SELECT ` + d.stringAgg() + `(CAST(a.id AS TEXT), ',') FROM attachments a
		WHERE a.petition_id = p.id AND ` + publicPhotoWhere + `) AS photo_ids`
}

// publicMatterOnce keeps a petition linked to a public main one off the board's lists: the matter
// shows once, under its main, with how many times it was raised.
const publicMatterOnce = "NOT EXISTS (SELECT 1 FROM petitions pm WHERE pm.id = p.main_id AND pm.private = FALSE AND pm.kind <> 'to_cao')"

// public turns a row into what the board shows, its texts as masking made them (maskMemo).
func (r *publicRow) public(today Date, t maskedTexts) PublicPetition {
	p := PublicPetition{Reference: r.Reference, Commune: r.commune(), Hamlet: r.hamlet(), Topic: r.topic(),
		Kind: r.Kind, Channel: r.Channel, ReceivedAt: r.ReceivedAt.UTC(), ReceivedOn: calendar.DateOf(r.ReceivedAt),
		State: r.State, StateType: r.State.Type(), Responsible: t.responsible, DueOn: r.DueOn,
		OnsiteAnswer: t.onsiteAnswer, UpdatedAt: r.UpdatedAt.UTC(), TimesRaised: 1 + r.LinkedCount, MainReference: r.MainReference,
		CorrectedAt: utcPtr(r.CorrectedAt)}
	p.Overdue, p.AwaitingClosure = Late(r.State, r.DueOn, today), AwaitingClosure(r.State)
	if r.Kind != KindComplaint {
		p.Content = &t.content
	}
	if r.AnsweredAt != nil {
		p.Answer = &t.answer
		at := r.AnsweredAt.UTC()
		p.AnsweredAt = &at
	}
	// Only the current outcome: a reopened petition shows neither.
	switch p.State {
	case StateResolved:
		p.ResolvedAt = utcPtr(r.ResolvedAt)
	case StateClosed:
		p.ClosedAt = utcPtr(r.ClosedAt)
		p.CloseReason, p.DuplicateOf = r.CloseReason, r.DuplicateOfRef
	}
	return p
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// PublicFilter selects petitions on a commune's public board.
type PublicFilter struct {
	Topic     string
	StateType string
	HamletID  string
	// As is the basis: "now" (default) shows what the commune holds now, its predecessors'
	// petitions included; "then" only the petitions made in the commune itself.
	As   string
	Page Page
}

// publicCommune returns a commune by id for the public: anything else is not found.
func (s *Store) publicCommune(ctx context.Context, id int64) (*Unit, error) {
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, err
	}
	return r.publicCommune(id)
}

// publicCommune is Store.publicCommune through r's cache.
func (r *scopeReader) publicCommune(id int64) (*Unit, error) {
	u, err := r.unit(id)
	if err != nil {
		return nil, err
	}
	if u.Level != LevelCommune {
		return nil, ErrNotFound
	}
	return u, nil
}

// PublicPetitions lists the public petitions of a commune, newest first, a keyset page at a time.
//
// The board has no session to read the units' versions with (ReadingWith), so it first trusts
// the units the process keeps and has its statement read the units' version beside the rows:
// when that is the version they were kept at, the page stands, in one statement. When the units
// changed meanwhile, or the page is empty and so says nothing, it starts again from a version
// read first, as every other read does.
func (s *Store) PublicPetitions(ctx context.Context, communeID int64, f PublicFilter) ([]PublicPetition, string, error) {
	if r, ok := s.keptScopes(ctx); ok {
		items, next, version, err := s.publicPetitions(ctx, r, communeID, f)
		if err != nil || version == r.version {
			return items, next, err
		}
	}
	r, err := s.scopes(ctx)
	if err != nil {
		return nil, "", err
	}
	items, next, _, err := s.publicPetitions(ctx, r, communeID, f)
	return items, next, err
}

// publicPetitions is PublicPetitions with the units as r resolves them; version is the units'
// version the page's statement read (0 for an empty page).
func (s *Store) publicPetitions(ctx context.Context, r *scopeReader, communeID int64, f PublicFilter) ([]PublicPetition, string, int64, error) {
	commune, err := r.publicCommune(communeID)
	if err != nil {
		return nil, "", 0, err
	}
	v := &ValidationError{}
	// Now, a commune's board shows what it holds: its predecessors' petitions follow their
	// hamlets. Then, or for an ended commune, the petitions made in it.
	// The page reads the units' version beside its rows (boardFields).
	q := s.boardQuery(ctx, unitsVersionColumn).Where("p.commune_id = ?", commune.ID)
	if parseBasis(v, f.As) == BasisNow && commune.Live() {
		sc, err := r.held([]string{commune.Path})
		if err != nil {
			return nil, "", 0, err
		}
		cond, args := sc.sql("p")
		q = s.boardQuery(ctx, unitsVersionColumn).Where(cond, args...)
	}
	q = q.Where(publicMatterOnce)
	if code := strings.TrimSpace(f.Topic); code != "" {
		t, err := s.TopicByCode(ctx, code)
		if err != nil {
			v.Add("topic", Msg("Lĩnh vực không tồn tại.", "Unknown topic."))
		} else {
			q = q.Where("p.topic_id = ?", t.ID)
		}
	}
	if f.StateType != "" {
		if !StateType(f.StateType).Valid() {
			v.Add("state_type", Msg("Loại trạng thái phải là open, fixed hoặc closed.", "The state type must be open, fixed or closed."))
		}
		q = q.Where("p.state_type = ?", f.StateType)
	}
	if id, ok := parseID(v, "hamlet_id", f.HamletID); ok {
		q = q.Where("p.hamlet_id = ?", id)
	}
	var after struct {
		At time.Time `json:"t"`
		ID int64     `json:"i"`
	}
	if err := f.Page.decode(&after); err != nil {
		v.Add("cursor", Msg("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."))
	}
	if err := v.Err(); err != nil {
		return nil, "", 0, err
	}
	if after.ID != 0 {
		q = q.Where("(p.received_at < ? OR (p.received_at = ? AND p.id < ?))", after.At, after.At, after.ID)
	}
	limit := f.Page.limit()
	rows, err := findInto(q.Order("p.received_at DESC, p.id DESC").Limit(limit+1), (*publicRow).boardFields)
	if err != nil {
		return nil, "", 0, err
	}
	rows, more := trimPage(rows, limit)
	out := s.publicOf(rows)
	if err := withPhotos(rows, out); err != nil {
		return nil, "", 0, err
	}
	next := ""
	if more {
		last := rows[len(rows)-1]
		next = encodeCursor(struct {
			At time.Time `json:"t"`
			ID int64     `json:"i"`
		}{last.ReceivedAt.UTC(), last.ID})
	}
	var version int64
	if len(rows) > 0 {
		version = rows[0].UnitsVersion
	}
	return out, next, version, nil
}

// PublicPetition returns a public petition by its reference; a private one, a denunciation or
// an unknown reference is not found.
func (s *Store) PublicPetition(ctx context.Context, reference string) (*PublicPetition, error) {
	ref := strings.ToUpper(strings.TrimSpace(reference))
	if ref == "" || len(ref) > 64 {
		return nil, ErrNotFound
	}
	rows, err := findWithPhotos(s.boardQuery(ctx).Where("p.reference = ?", ref).Limit(1))
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrNotFound
	}
	out := s.publicOf(rows)
	if err := withPhotos(rows, out); err != nil {
		return nil, err
	}
	return &out[0], nil
}

// PublicSummary is a commune's headline figures for the current year, from its public petitions.
type PublicSummary struct {
	Commune ReportUnit `json:"commune"`
	Period  Period     `json:"period"`
	AsOf    Date       `json:"as_of"`
	// Basis says whether the figures count the commune as it is now or as it was then.
	Basis   Basis   `json:"basis"`
	Figures Figures `json:"figures"`
}

// PublicCommuneSummary returns the figures of a commune's public board for the current year
// (in Vietnam): the same rules as the reports, over the petitions the public may see.
func (s *Store) PublicCommuneSummary(ctx context.Context, communeID int64, as string) (*PublicSummary, error) {
	commune, err := s.publicCommune(ctx, communeID)
	if err != nil {
		return nil, err
	}
	v := &ValidationError{}
	basis := parseBasis(v, as)
	if err := v.Err(); err != nil {
		return nil, err
	}
	period, err := ParsePeriod(PeriodInput{Period: string(PeriodYear)}, s.now())
	if err != nil {
		return nil, err
	}
	sum, err := s.summaryOf(ctx, commune, []string{commune.Path}, period, true, basis)
	if err != nil {
		return nil, err
	}
	return &PublicSummary{Commune: sum.Unit, Period: sum.Period, AsOf: sum.AsOf, Basis: sum.Basis, Figures: sum.Figures}, nil
}

// CommuneByRef returns the commune a public reference names: its official code, its slug or its
// id. An empty reference names no commune (nil); an unknown one, or a unit that is no commune,
// is ErrNotFound.
func (s *Store) CommuneByRef(ctx context.Context, ref string) (*Unit, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, nil
	}
	u, err := s.UnitByCodeOrID(ctx, ref)
	if err != nil {
		return nil, err
	}
	if u.Level != LevelCommune {
		return nil, ErrNotFound
	}
	return u, nil
}

// PublicSearch selects public petitions across communes; empty criteria select everything.
type PublicSearch struct {
	CommuneID *int64
	// References, when given, select those petitions (any case).
	References []string
	TopicIDs   []int64
	StateTypes []StateType
	// From and Before bound the time received: from From on, up to (not including) Before.
	From, Before *time.Time
	// Limit caps the answer; 0 means no cap.
	Limit int
	// Offset skips that many matches first, for numbered pages (Open311's page and page_size).
	Offset int
}

// OneMatterOnce tells whether the search lists each matter once, under its main petition: any
// search but one naming its references, which finds a linked petition by its own reference too.
func (q PublicSearch) OneMatterOnce() bool { return len(q.References) == 0 }

// SearchPublicPetitions returns the public petitions that match q, newest first; a matter raised
// by several linked petitions is listed once, under its main one (q.OneMatterOnce).
func (s *Store) SearchPublicPetitions(ctx context.Context, q PublicSearch) ([]PublicPetition, error) {
	db := s.publicQuery(ctx)
	if q.CommuneID != nil {
		db = db.Where("p.commune_id = ?", *q.CommuneID)
	}
	if q.OneMatterOnce() {
		db = db.Where(publicMatterOnce)
	}
	if len(q.References) > 0 {
		refs := make([]string, len(q.References))
		for i, r := range q.References {
			refs[i] = strings.ToUpper(strings.TrimSpace(r))
		}
		db = db.Where("p.reference IN ?", refs)
	}
	if len(q.TopicIDs) > 0 {
		db = db.Where("p.topic_id IN ?", q.TopicIDs)
	}
	if len(q.StateTypes) > 0 {
		db = db.Where("p.state_type IN ?", q.StateTypes)
	}
	if q.From != nil {
		db = db.Where("p.received_at >= ?", *q.From)
	}
	if q.Before != nil {
		db = db.Where("p.received_at < ?", *q.Before)
	}
	if q.Limit > 0 {
		db = db.Limit(q.Limit)
	}
	if q.Offset > 0 {
		db = db.Offset(q.Offset)
	}
	rows, err := findPublic(db.Order("p.received_at DESC, p.id DESC"))
	if err != nil {
		return nil, err
	}
	return s.publicOf(rows), nil
}

// publicOf turns rows into what the board shows, overdue as of today.
func (s *Store) publicOf(rows []publicRow) []PublicPetition {
	today := s.today()
	out := make([]PublicPetition, len(rows))
	m := new(petitionerMasker)
	for i := range rows {
		out[i] = rows[i].public(today, s.masks.masked(&rows[i], m))
	}
	return out
}

// RangeBound reads an optional end of a time range given as text (a day or a time, upper
// telling which end), under the calendar's one rule; nil when it is empty or bad, with a bad
// one named in v with format, or with the calendar's years when it parsed but lies outside them.
func RangeBound(v *ValidationError, field, s string, upper bool, format Message) *time.Time {
	return boundField(v, field, s, upper, format)
}

// PublicPhoto is a photo the public board shows with a public petition: never its file name,
// which may name a person.
type PublicPhoto struct {
	ID          int64  `json:"id"`
	ContentType string `json:"content_type"`
	Width       *int   `json:"width"`
	Height      *int   `json:"height"`
}

// publicPhotoWhere is what makes an attachment a of a public petition a public photo: marked
// public by staff, a photo, not removed or purged.
const publicPhotoWhere = "a.public = TRUE AND a.kind = '" + string(AttachmentPhoto) + "' AND a.removed_at IS NULL AND a.purged_at IS NULL"

// publicPhotos selects the photos the public may see: public photos (publicPhotoWhere) of a
// petition the board shows (never a private one or a denunciation).
func (s *Store) publicPhotos(ctx context.Context) *gorm.DB {
	return s.conn(ctx).Table("attachments a").Select("a.*").
		Joins("JOIN petitions p ON p.id = a.petition_id").
		Where(publicPhotoWhere).
		Where("p.private = ? AND p.kind <> ?", false, KindDenunciation)
}

// withPhotos gives each petition of the board the ids of its public photos, oldest first, from
// the photo column of its row.
func withPhotos(rows []publicRow, out []PublicPetition) error {
	for i, r := range rows {
		out[i].PhotoIDs = []int64{}
		if r.PhotoIDs == nil {
			continue
		}
		for _, f := range strings.Split(*r.PhotoIDs, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return fmt.Errorf("photo ids of %s: %w", r.Reference, err)
			}
			out[i].PhotoIDs = append(out[i].PhotoIDs, id)
		}
		slices.Sort(out[i].PhotoIDs) // the aggregate keeps no order
	}
	return nil
}

// PublicPhotos lists the public photos of a public petition, oldest first; an unknown or
// non-public reference is not found.
func (s *Store) PublicPhotos(ctx context.Context, reference string) ([]PublicPhoto, error) {
	if _, err := s.PublicPetition(ctx, reference); err != nil {
		return nil, err
	}
	var rows []Attachment
	if err := s.publicPhotos(ctx).Where("p.reference = ?", strings.ToUpper(strings.TrimSpace(reference))).
		Order("a.id").Limit(200).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]PublicPhoto, len(rows))
	for i, a := range rows {
		out[i] = PublicPhoto{ID: a.ID, ContentType: a.ContentType, Width: a.Width, Height: a.Height}
	}
	return out, nil
}

// OpenPublicPhoto returns a public photo with a reader of its file or thumbnail; any other
// attachment is not found.
func (s *Store) OpenPublicPhoto(ctx context.Context, id int64, thumb bool) (*PublicPhoto, io.ReadCloser, error) {
	var rows []Attachment
	if err := s.publicPhotos(ctx).Where("a.id = ?", id).Limit(1).Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, ErrNotFound
	}
	a := &rows[0]
	rc, err := s.openBlob(ctx, a, thumb)
	if err != nil {
		return nil, nil, err
	}
	return &PublicPhoto{ID: a.ID, ContentType: a.ContentType, Width: a.Width, Height: a.Height}, rc, nil
}
