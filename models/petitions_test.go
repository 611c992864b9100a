package models_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// petitionWorld is the dbtest world with the actors a petition test needs.
type petitionWorld struct {
	s                                          *models.Store
	w                                          *dbtest.World
	admin, district, chair, secretary, inspect models.Actor
	chairB, chairOther                         models.Actor
}

func newPetitionWorld(t *testing.T, s *models.Store) *petitionWorld {
	w := dbtest.NewWorld(t, s)
	return &petitionWorld{s: s, w: w,
		admin: w.Actor(t, s, w.Admin), district: w.Actor(t, s, w.DistrictOfficial),
		chair: w.Actor(t, s, w.ChairA), secretary: w.Actor(t, s, w.SecretaryA), inspect: w.Actor(t, s, w.InspectorA),
		chairB: w.Actor(t, s, w.ChairB), chairOther: w.Actor(t, s, w.ChairOther)}
}

// log creates a petition in commune A as its secretary.
func (pw *petitionWorld) log(t *testing.T, mod func(*models.PetitionInput)) *models.Petition {
	t.Helper()
	in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID, Channel: "reception",
		Kind: "kien_nghi", TopicCode: "NS", Content: "Đề nghị lắp đặt đường ống nước sạch cho ấp Tân Hòa.",
		PetitionerName: "Nguyễn Văn Ba", PetitionerPhone: "0909 123 456", PetitionerAddress: "Ấp Tân Hòa"}
	if mod != nil {
		mod(&in)
	}
	p, err := pw.s.CreatePetition(context.Background(), pw.secretary, in)
	if err != nil {
		t.Fatalf("create petition: %v", err)
	}
	return p
}

func (pw *petitionWorld) move(t *testing.T, a models.Actor, p *models.Petition, in models.TransitionInput) (*models.Petition, error) {
	t.Helper()
	cur, err := pw.s.Petition(context.Background(), models.SystemActor(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.Version == nil {
		in.Version = &cur.Version
	}
	return pw.s.TransitionPetition(context.Background(), a, p.ID, in)
}

func (pw *petitionWorld) mustMove(t *testing.T, a models.Actor, p *models.Petition, in models.TransitionInput) *models.Petition {
	t.Helper()
	out, err := pw.move(t, a, p, in)
	if err != nil {
		t.Fatalf("%s → %s: %v", p.State, in.To, err)
	}
	return out
}

// heldDialogue inserts a held dialogue of the commune directly.
func heldDialogue(t *testing.T, s *models.Store, communeID, createdBy int64, status string, startsAt time.Time) int64 {
	t.Helper()
	var id int64
	err := s.Gorm().Raw(`INSERT INTO dialogues (commune_id, title, starts_at, status, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, communeID, "Đối thoại ấp Tân Hòa", startsAt, status, createdBy, time.Now().UTC(), time.Now().UTC()).Scan(&id).Error
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func conflictReason(err error) string {
	var c *models.ConflictError
	if errors.As(err, &c) {
		return c.Reason
	}
	return ""
}

func fieldsOf(err error) map[string]models.Message {
	var v *models.ValidationError
	if errors.As(err, &v) {
		return v.Fields
	}
	return nil
}

// reach drives a new petition to the given state along a legal path, as the commune chair.
func (pw *petitionWorld) reach(t *testing.T, state models.PetitionState) *models.Petition {
	t.Helper()
	p := pw.log(t, nil)
	chair := pw.chair
	step := func(in models.TransitionInput) { p = pw.mustMove(t, chair, p, in) }
	switch state {
	case models.StateReceived:
	case models.StateAssigned:
		step(models.TransitionInput{To: "assigned", ResponsibleName: "Tổ cấp nước"})
	case models.StateInProgress:
		step(models.TransitionInput{To: "assigned", ResponsibleName: "Tổ cấp nước"})
		step(models.TransitionInput{To: "in_progress"})
	case models.StateReferred:
		step(models.TransitionInput{To: "referred", ResponsibleName: "Phòng Tài nguyên huyện"})
	case models.StateAnswered:
		step(models.TransitionInput{To: "answered", Answer: "Đã đưa vào kế hoạch năm sau."})
	case models.StateResolved:
		step(models.TransitionInput{To: "answered", Answer: "Đã sửa xong."})
		step(models.TransitionInput{To: "resolved", Satisfaction: "satisfied"})
	case models.StateClosed:
		step(models.TransitionInput{To: "closed", Reason: "withdrawn"})
	case models.StateReopened:
		step(models.TransitionInput{To: "answered", Answer: "Đã sửa xong."})
		step(models.TransitionInput{To: "resolved"})
		step(models.TransitionInput{To: "reopened", Note: "Người dân báo ống lại vỡ."})
	}
	if p.State != state {
		t.Fatalf("reached %s, want %s", p.State, state)
	}
	return p
}

// fieldsFor returns the extra fields each target needs.
func fieldsFor(to models.PetitionState) models.TransitionInput {
	in := models.TransitionInput{To: string(to)}
	switch to {
	case models.StateAssigned, models.StateReferred:
		in.ResponsibleName = "Tổ cấp nước"
	case models.StateAnswered:
		in.Answer = "Câu trả lời chính thức."
	case models.StateClosed:
		in.Reason = "explained"
	case models.StateReopened:
		in.Note = "Mở lại theo đề nghị."
	}
	return in
}

// TestLifecycleEveryEdge tries every (from, to) pair for every role: the machine's edges with
// the role's rule succeed, everything else is refused with the right error.
func TestLifecycleEveryEdge(t *testing.T) {
	legal := map[models.PetitionState][]models.PetitionState{
		"received":    {"answered", "assigned", "referred", "closed"},
		"assigned":    {"in_progress", "referred", "answered"},
		"in_progress": {"answered", "referred"},
		"referred":    {"in_progress", "answered"},
		"answered":    {"resolved", "closed", "reopened"},
		"resolved":    {"reopened"},
		"closed":      {"reopened"},
		"reopened":    {"assigned", "in_progress", "answered"},
	}
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		roles := map[string]models.Actor{"admin": pw.admin, "district_official": pw.district, "commune_chair": pw.chair,
			"secretary": pw.secretary, "inspector": pw.inspect}
		mayRole := func(role string, from, to models.PetitionState) bool {
			switch role {
			case "admin", "commune_chair":
				return true
			case "secretary":
				return to == "assigned" || to == "in_progress" || to == "referred"
			case "district_official":
				return from == "referred" && to == "in_progress"
			}
			return false
		}
		for _, from := range models.PetitionStates() {
			for _, to := range models.PetitionStates() {
				isLegal := false
				for _, l := range legal[from] {
					isLegal = isLegal || l == to
				}
				for role, a := range roles {
					p := pw.reach(t, from)
					out, err := pw.move(t, a, p, fieldsFor(to))
					switch {
					case !isLegal:
						if conflictReason(err) != "illegal_transition" {
							t.Errorf("%s: %s → %s: got %v, want illegal_transition", role, from, to, err)
						}
					case !mayRole(role, from, to):
						if !errors.Is(err, models.ErrForbidden) {
							t.Errorf("%s: %s → %s: got %v, want forbidden", role, from, to, err)
						}
					default:
						if err != nil || out.State != to || out.StateType != to.Type() {
							t.Errorf("%s: %s → %s: got %v", role, from, to, err)
						}
					}
					if err != nil {
						after, _ := s.Petition(context.Background(), models.SystemActor(), p.ID)
						if after.Version != p.Version || after.State != from {
							t.Errorf("%s: refused %s → %s changed the petition", role, from, to)
						}
					}
				}
			}
		}
	})
}

func TestAllowedTransitionsPerRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, nil)
		get := func(a models.Actor) []models.PetitionState {
			got, err := s.Petition(ctx, a, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.AllowedTransitions
		}
		if got := fmt.Sprint(get(pw.chair)); got != "[answered assigned referred closed]" {
			t.Errorf("chair: %s", got)
		}
		if got := fmt.Sprint(get(pw.secretary)); got != "[assigned referred]" {
			t.Errorf("secretary: %s", got)
		}
		if got := fmt.Sprint(get(pw.inspect)); got != "[]" {
			t.Errorf("inspector: %s", got)
		}
		if got := fmt.Sprint(get(pw.district)); got != "[]" {
			t.Errorf("district: %s", got)
		}
		ref := pw.reach(t, models.StateReferred)
		got, _ := s.Petition(ctx, pw.district, ref.ID)
		if fmt.Sprint(got.AllowedTransitions) != "[in_progress]" {
			t.Errorf("district on referred: %v", got.AllowedTransitions)
		}
	})
}

func TestTransitionFieldsAndDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC) } // 11 March in Vietnam
		p := pw.log(t, nil)
		_, err := pw.move(t, pw.secretary, p, models.TransitionInput{To: "assigned"})
		if _, ok := fieldsOf(err)["responsible"]; !ok {
			t.Fatalf("assigned without responsible: %v", err)
		}
		_, err = pw.move(t, pw.secretary, p, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ", DueOn: "2026-03-01"})
		if _, ok := fieldsOf(err)["due_on"]; !ok {
			t.Fatalf("due date in the past: %v", err)
		}
		// The default due date is today in Vietnam plus the topic's 30 days.
		a := pw.mustMove(t, pw.secretary, p, models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.HamletA1.ID})
		if a.DueOn == nil || *a.DueOn != "2026-04-10" || a.ResponsibleName != "Ấp Tân Hòa" || a.Version != 2 {
			t.Fatalf("assigned: due %v name %q version %d", a.DueOn, a.ResponsibleName, a.Version)
		}
		_, err = pw.move(t, pw.chair, a, models.TransitionInput{To: "answered"})
		if _, ok := fieldsOf(err)["answer"]; !ok {
			t.Fatalf("answered without answer or draft: %v", err)
		}
		if _, err := s.DraftAnswer(ctx, pw.secretary, p.ID, models.AnswerDraft{Text: "Dự kiến lắp đặt trong quý II.", Version: &a.Version}); err != nil {
			t.Fatal(err)
		}
		ans := pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered"})
		if ans.Answer != "Dự kiến lắp đặt trong quý II." || ans.AnsweredAt == nil {
			t.Fatalf("published answer %q", ans.Answer)
		}
		_, err = pw.move(t, pw.chair, ans, models.TransitionInput{To: "closed"})
		if _, ok := fieldsOf(err)["reason"]; !ok {
			t.Fatalf("closed without reason: %v", err)
		}
		_, err = pw.move(t, pw.chair, ans, models.TransitionInput{To: "closed", Reason: "duplicate"})
		if _, ok := fieldsOf(err)["duplicate_of"]; !ok {
			t.Fatalf("duplicate without original: %v", err)
		}
	})
}

func TestDuplicateCannotReopen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		orig := pw.log(t, nil)
		dup := pw.log(t, nil)
		_, err := pw.move(t, pw.chair, dup, models.TransitionInput{To: "closed", Reason: "duplicate", DuplicateOf: &dup.ID})
		if _, ok := fieldsOf(err)["duplicate_of"]; !ok {
			t.Fatalf("duplicate of itself: %v", err)
		}
		closed := pw.mustMove(t, pw.chair, dup, models.TransitionInput{To: "closed", Reason: "duplicate", DuplicateOf: &orig.ID, Satisfaction: "unknown"})
		if closed.DuplicateOf == nil || *closed.DuplicateOf != orig.ID || *closed.Satisfaction != "unknown" {
			t.Fatalf("closed: %+v", closed)
		}
		if len(closed.AllowedTransitions) != 0 {
			t.Fatalf("duplicate offers %v", closed.AllowedTransitions)
		}
		_, err = pw.move(t, pw.chair, closed, models.TransitionInput{To: "reopened", Note: "thử"})
		if conflictReason(err) != "illegal_transition" {
			t.Fatalf("reopen duplicate: %v", err)
		}
		// Another reason may reopen, and reopening clears the closure.
		w := pw.reach(t, models.StateClosed)
		r := pw.mustMove(t, pw.chair, w, models.TransitionInput{To: "reopened", Note: "Người dân đề nghị xem lại."})
		if r.ClosedAt != nil || r.CloseReason != nil || r.StateType != models.TypeOpen {
			t.Fatalf("reopened: %+v", r)
		}
	})
}

func TestStaleVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		p := pw.log(t, nil)
		old := p.Version
		pw.mustMove(t, pw.secretary, p, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ"})
		_, err := pw.move(t, pw.secretary, p, models.TransitionInput{To: "referred", ResponsibleName: "Huyện", Version: &old})
		if conflictReason(err) != "stale_version" {
			t.Fatalf("stale: %v", err)
		}
		_, err = s.DraftAnswer(context.Background(), pw.secretary, p.ID, models.AnswerDraft{Text: "Nháp", Version: &old})
		if conflictReason(err) != "stale_version" {
			t.Fatalf("stale draft: %v", err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		future := time.Now().Add(48 * time.Hour)
		_, err := s.CreatePetition(ctx, pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneB.ID, HamletID: pw.w.HamletA1.ID,
			Channel: "fax", Kind: "gop_y", TopicCode: "ZZZ", Content: "ngắn", ReceivedAt: &future,
			Anonymous: true, PetitionerName: "Ai đó", PetitionerPhone: "abc"})
		f := fieldsOf(err)
		for _, k := range []string{"commune_id", "hamlet_id", "channel", "kind", "topic_id", "content", "received_at", "anonymous", "phone"} {
			if _, ok := f[k]; !ok {
				t.Errorf("no error for %s: %v", k, err)
			}
		}
		if f["content"].VI != "Nội dung từ 10 đến 4000 ký tự." || f["content"].EN != "The content is 10 to 4000 characters." {
			t.Errorf("content message %+v", f["content"])
		}
		if _, err := s.CreatePetition(ctx, pw.district, models.PetitionInput{}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("district official logs: %v", err)
		}
		if _, err := s.CreatePetition(ctx, pw.inspect, models.PetitionInput{}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("inspector logs: %v", err)
		}
		var n int64
		s.Gorm().Table("petitions").Count(&n)
		if n != 0 {
			t.Fatalf("rejected writes left %d petitions", n)
		}
	})
}

func TestDialoguePetition(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		start := time.Date(2026, 1, 2, 1, 30, 0, 0, time.UTC)
		held := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.ChairA.ID, "held", start)
		planned := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.ChairA.ID, "planned", start)
		foreign := heldDialogue(t, s, pw.w.CommuneB.ID, pw.w.ChairB.ID, "held", start)
		p := pw.log(t, func(in *models.PetitionInput) { in.DialogueID, in.Channel = &held, "" })
		if p.Channel != "dialogue" || !p.ReceivedAt.Equal(start) || p.Reference != "TANTHOI-2026-0001" {
			t.Fatalf("dialogue petition: %s %s %s", p.Channel, p.ReceivedAt, p.Reference)
		}
		for _, id := range []int64{planned, foreign} {
			id := id
			_, err := s.CreatePetition(ctx, pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID,
				DialogueID: &id, Kind: "phan_anh", TopicCode: "GT", Content: "Đường vào ấp bị sạt lở nghiêm trọng."})
			if _, ok := fieldsOf(err)["dialogue_id"]; !ok {
				t.Errorf("dialogue %d: %v", id, err)
			}
		}
		_, err := s.CreatePetition(ctx, pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID,
			DialogueID: &held, Channel: "letter", Kind: "phan_anh", TopicCode: "GT", Content: "Đường vào ấp bị sạt lở nghiêm trọng."})
		if _, ok := fieldsOf(err)["channel"]; !ok {
			t.Errorf("dialogue with channel letter: %v", err)
		}
	})
}

// TestReferencesUniqueUnderConcurrency logs petitions from 20 goroutines at once.
func TestReferencesUniqueUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			refs []string
		)
		received := time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC) // 1 January 2026 in Vietnam
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				p, err := s.CreatePetition(context.Background(), pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneA.ID,
					HamletID: pw.w.HamletA2.ID, Channel: "phone", Kind: "phan_anh", TopicCode: "ANTT",
					Content: fmt.Sprintf("Phản ánh số %d về trật tự ban đêm.", i), ReceivedAt: &received})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				refs = append(refs, p.Reference)
				mu.Unlock()
			}(i)
		}
		wg.Wait()
		sort.Strings(refs)
		for i, r := range refs {
			if want := fmt.Sprintf("TANTHOI-2026-%04d", i+1); r != want {
				t.Fatalf("references %v", refs)
			}
		}
	})
}

func TestPetitionScopeAndPrivacy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		plain := pw.log(t, nil)
		denounce := pw.log(t, func(in *models.PetitionInput) {
			in.Kind, in.TopicCode, in.Content = "to_cao", "CB", "Tố cáo cán bộ địa chính nhận tiền khi làm sổ đỏ."
			in.PetitionerIDNumber = "079123456789"
		})
		anon := pw.log(t, func(in *models.PetitionInput) {
			in.Anonymous, in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress = true, "", "", ""
		})
		if _, err := s.Petition(ctx, pw.chairB, plain.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("other commune reads: %v", err)
		}
		if _, err := s.Petition(ctx, pw.chairOther, plain.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("other district reads: %v", err)
		}
		seen := func(a models.Actor, id int64) (*models.Petitioner, bool) {
			p, err := s.Petition(ctx, a, id)
			if err != nil {
				t.Fatal(err)
			}
			return p.Petitioner, p.PetitionerHidden
		}
		for name, a := range map[string]models.Actor{"secretary": pw.secretary, "inspector": pw.inspect, "district": pw.district, "chair": pw.chair, "admin": pw.admin} {
			if who, _ := seen(a, plain.ID); who == nil || who.Name != "Nguyễn Văn Ba" {
				t.Errorf("%s does not see the petitioner", name)
			}
			who, hidden := seen(a, denounce.ID)
			mayKnow := name == "chair" || name == "admin"
			if (who != nil) != mayKnow || hidden == mayKnow {
				t.Errorf("%s sees denouncer: %v hidden %v", name, who, hidden)
			}
			if who, hidden := seen(a, anon.ID); who != nil || hidden {
				t.Errorf("%s: anonymous shows %v %v", name, who, hidden)
			}
		}
		items, _, err := s.Petitions(ctx, pw.district, models.PetitionFilter{Kind: "to_cao"})
		if err != nil || len(items) != 1 || items[0].Petitioner != nil || !items[0].PetitionerHidden {
			t.Fatalf("list shows denouncer to district: %v %+v", err, items)
		}
		if items, _, _ := s.Petitions(ctx, pw.chairB, models.PetitionFilter{}); len(items) != 0 {
			t.Errorf("commune B lists %d petitions of A", len(items))
		}
	})
}

func TestSearchFolding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		water := pw.log(t, func(in *models.PetitionInput) { in.Content = "Xin hỗ trợ NƯỚC SẠCH cho khu dân cư." })
		road := pw.log(t, func(in *models.PetitionInput) {
			in.TopicCode, in.Content = "GT", "Đường liên ấp xuống cấp, nhiều ổ gà."
		})
		pw.log(t, func(in *models.PetitionInput) {
			in.TopicCode, in.Content = "ANTT", "Tụ tập gây ồn ào ban đêm 100% mỗi tối."
		})
		find := func(q string) []int64 {
			items, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range items {
				ids = append(ids, p.ID)
			}
			return ids
		}
		if got := find("nuoc sach"); len(got) != 1 || got[0] != water.ID {
			t.Errorf("nuoc sach: %v", got)
		}
		if got := find("DUONG"); len(got) != 1 || got[0] != road.ID {
			t.Errorf("DUONG: %v", got)
		}
		if got := find("đường Ổ GÀ"); len(got) != 1 || got[0] != road.ID {
			t.Errorf("đường Ổ GÀ: %v", got)
		}
		if got := find(road.Reference); len(got) != 1 {
			t.Errorf("reference: %v", got)
		}
		if got := find("%"); len(got) != 1 {
			t.Errorf("%% is literal: %v", got)
		}
		for _, q := range []string{"_", `\`, "0_%"} {
			if got := find(q); len(got) != 0 {
				t.Errorf("%q is literal: %v", q, got)
			}
		}
		// Paging through a search gives every match once, newest first.
		all := find("ap")
		var paged []int64
		cursor := ""
		for {
			items, next, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Q: "ap", Page: models.Page{Limit: 1, Cursor: cursor}})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range items {
				paged = append(paged, p.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(all) < 2 || fmt.Sprint(all) != fmt.Sprint(paged) {
			t.Errorf("search pages %v, all %v", paged, all)
		}
		if got := find(strings.ToLower(water.Reference)); len(got) != 1 || got[0] != water.ID {
			t.Errorf("whole reference: %v", got)
		}
		pw.mustMove(t, pw.chair, water, models.TransitionInput{To: "answered", Answer: "Tuyến ống sẽ thi công vào tháng Sáu."})
		if got := find("thi cong"); len(got) != 1 || got[0] != water.ID {
			t.Errorf("answer text: %v", got)
		}
	})
}

func TestOverdueWithMovedClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.Now = func() time.Time { return time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC) }
		p := pw.log(t, nil)
		p = pw.mustMove(t, pw.secretary, p, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ", DueOn: "2026-05-10"})
		done := pw.log(t, nil)
		done = pw.mustMove(t, pw.secretary, done, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ", DueOn: "2026-05-10"})
		done = pw.mustMove(t, pw.chair, done, models.TransitionInput{To: "answered", Answer: "Xong."})
		pw.mustMove(t, pw.chair, done, models.TransitionInput{To: "resolved"})
		// Answered late, still open: awaiting closure, never late.
		waiting := pw.log(t, nil)
		waiting = pw.mustMove(t, pw.secretary, waiting, models.TransitionInput{To: "assigned", ResponsibleName: "Tổ", DueOn: "2026-05-10"})
		overdue := func() []int64 {
			items, _, err := s.Petitions(ctx, pw.district, models.PetitionFilter{Overdue: "true"})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, it := range items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		// 10 May 23:59 in Vietnam is still the due day.
		s.Now = func() time.Time { return time.Date(2026, 5, 10, 16, 59, 0, 0, time.UTC) }
		if got := overdue(); len(got) != 0 {
			t.Fatalf("overdue on its due day: %v", got)
		}
		// 11 May 00:00 in Vietnam (10 May 17:00 UTC): one day late, but the resolved one is not.
		s.Now = func() time.Time { return time.Date(2026, 5, 10, 17, 0, 0, 0, time.UTC) }
		if got := overdue(); len(got) != 2 || got[0] != waiting.ID || got[1] != p.ID {
			t.Fatalf("overdue: %v", got)
		}
		// Its answer published a day late, it stops being late and awaits closure.
		waiting = pw.mustMove(t, pw.chair, waiting, models.TransitionInput{To: "answered", Answer: "Trả lời muộn."})
		if waiting.Overdue || !waiting.AwaitingClosure {
			t.Fatalf("answered after its due date: overdue %v, awaiting closure %v", waiting.Overdue, waiting.AwaitingClosure)
		}
		if got := overdue(); len(got) != 1 || got[0] != p.ID {
			t.Fatalf("overdue: %v", got)
		}
		got, _ := s.Petition(ctx, pw.chair, p.ID)
		if !got.Overdue || got.AwaitingClosure {
			t.Fatal("single read not overdue")
		}
		items, _, _ := s.Petitions(ctx, pw.chair, models.PetitionFilter{Overdue: "false"})
		if len(items) != 2 || items[0].ID != waiting.ID || items[1].ID != done.ID {
			t.Fatalf("not overdue: %+v", items)
		}
		// Reopened, it owes a new answer: late again.
		waiting = pw.mustMove(t, pw.chair, waiting, models.TransitionInput{To: "reopened", Note: "Chưa thỏa đáng."})
		if !waiting.Overdue || waiting.AwaitingClosure {
			t.Fatalf("reopened: overdue %v, awaiting closure %v", waiting.Overdue, waiting.AwaitingClosure)
		}
	})
}

func TestListKeysetStableUnderInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		base := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 7; i++ {
			at := base.Add(time.Duration(i%3) * time.Hour) // ties on received_at, broken by id
			pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt = &at })
		}
		for _, sortKey := range []string{"", "received_at", "due_on"} {
			seen := map[int64]bool{}
			cursor := ""
			pages := 0
			for {
				items, next, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Sort: sortKey, Page: models.Page{Limit: 3, Cursor: cursor}})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if seen[it.ID] {
						t.Fatalf("sort %q: %d twice", sortKey, it.ID)
					}
					seen[it.ID] = true
				}
				if pages == 0 {
					// New petitions arrive while the client pages: they sort first, so no page shifts.
					late := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
					pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt = &late })
				}
				pages++
				if next == "" {
					break
				}
				cursor = next
			}
			if sortKey == "" && len(seen) != 7 {
				t.Fatalf("newest-first paging saw %d of 7", len(seen))
			}
		}
		if _, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Sort: "due_on", Page: models.Page{Cursor: "nonsense"}}); fieldsOf(err)["cursor"].EN == "" {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

// TestEventsAreAppendOnly proves the history grows with every change and that the database
// refuses to update or delete an event.
func TestEventsAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.reach(t, models.StateReopened)
		if _, err := s.AddPetitionNote(ctx, pw.inspect, p.ID, models.PetitionNote{Note: "Ban thanh tra nhân dân đã kiểm tra hiện trường."}); err != nil {
			t.Fatal(err)
		}
		events, err := s.PetitionEvents(ctx, pw.inspect, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		if fmt.Sprint(kinds) != "[created transition transition transition note]" {
			t.Fatalf("events %v", kinds)
		}
		if e := events[3]; *e.FromValue != "resolved" || *e.ToValue != "reopened" || e.Note == "" || e.ActorName != "chair.a" {
			t.Fatalf("reopen event %+v", e)
		}
		if err := s.Gorm().Exec("UPDATE petition_events SET note = 'sửa' WHERE id = ?", events[0].ID).Error; err == nil {
			t.Fatal("an event was updated")
		}
		if err := s.Gorm().Exec("DELETE FROM petition_events WHERE id = ?", events[0].ID).Error; err == nil {
			t.Fatal("an event was deleted")
		}
		again, _ := s.PetitionEvents(ctx, pw.inspect, p.ID)
		if len(again) != len(events) || again[0].Note != events[0].Note {
			t.Fatal("history changed")
		}
		if _, err := s.PetitionEvents(ctx, pw.chairB, p.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("foreign events: %v", err)
		}
	})
}

func TestDueDateRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.reach(t, models.StateAssigned)
		if _, err := s.ChangeDueDate(ctx, pw.district, p.ID, models.DueDateChange{DueOn: "2099-01-01", Version: &p.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("district on assigned: %v", err)
		}
		if _, err := s.ChangeDueDate(ctx, pw.inspect, p.ID, models.DueDateChange{DueOn: "2099-01-01", Version: &p.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector: %v", err)
		}
		got, err := s.ChangeDueDate(ctx, pw.secretary, p.ID, models.DueDateChange{DueOn: "2099-01-01", Note: "Chờ kinh phí", Version: &p.Version})
		if err != nil || *got.DueOn != "2099-01-01" {
			t.Fatalf("secretary: %v", err)
		}
		r := pw.reach(t, models.StateReferred)
		got, err = s.ChangeDueDate(ctx, pw.district, r.ID, models.DueDateChange{DueOn: "2099-02-01", Note: "Huyện gia hạn", Version: &r.Version})
		if err != nil || *got.DueOn != "2099-02-01" {
			t.Fatalf("district on referred: %v", err)
		}
		if _, err := s.ChangeDueDate(ctx, pw.district, r.ID, models.DueDateChange{DueOn: "01/02/2099", Version: &got.Version}); fieldsOf(err)["due_on"].VI == "" {
			t.Fatalf("bad date: %v", err)
		}
		if _, err := s.DraftAnswer(ctx, pw.inspect, r.ID, models.AnswerDraft{Text: "Nháp", Version: &got.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector drafts: %v", err)
		}
		events, _ := s.PetitionEvents(ctx, pw.chair, r.ID)
		last := events[len(events)-1]
		if last.Kind != "due_changed" || *last.ToValue != "2099-02-01" {
			t.Fatalf("due event %+v", last)
		}
	})
}

func TestMinutesListPetitionsRaised(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		start := time.Now().Add(-2 * time.Hour).UTC()
		held := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.ChairA.ID, "held", start)
		at := func(in *models.PetitionInput) { in.DialogueID, in.Channel = &held, "dialogue" }
		pw.log(t, func(in *models.PetitionInput) { at(in); in.OnsiteAnswer = "Xã sẽ khảo sát trong tuần." })
		pw.log(t, func(in *models.PetitionInput) {
			at(in)
			in.Anonymous, in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress = true, "", "", ""
		})
		pw.log(t, func(in *models.PetitionInput) {
			at(in)
			in.Kind, in.TopicCode, in.Content = "to_cao", "CB", "Tố cáo cán bộ thu tiền sai quy định."
			in.PetitionerIDNumber = "079123456789"
		})
		pw.log(t, nil) // not raised at the dialogue
		d, err := s.Dialogue(ctx, pw.chair, held)
		if err != nil {
			t.Fatal(err)
		}
		if d.PetitionsCount != 3 {
			t.Fatalf("petitions_count %d", d.PetitionsCount)
		}
		m, err := s.DialogueMinutes(ctx, pw.chair, held)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Petitions) != 3 {
			t.Fatalf("minutes list %d petitions", len(m.Petitions))
		}
		first := m.Petitions[0]
		if first.Petitioner != "Nguyễn Văn Ba" || first.OnSiteAnswer != "Xã sẽ khảo sát trong tuần." || first.Kind != "Kiến nghị" ||
			first.Topic != "Nước sạch" || first.Hamlet != "Ấp Tân Hòa" {
			t.Fatalf("first %+v", first)
		}
		if m.Petitions[1].Petitioner != "" || m.Petitions[2].Petitioner != "" {
			t.Fatalf("anonymity not respected: %+v", m.Petitions[1:])
		}
	})
}

// TestEventLogsAreAppendOnly asks the database itself to change the petition and dialogue
// histories and the export audit log: the triggers refuse every UPDATE and DELETE, whatever code sends them, and
// the rows stay as written.
func TestEventLogsAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		p := pw.log(t, nil)
		db := s.Gorm()
		if err := db.Exec(`INSERT INTO export_audit (user_id, unit_id, export, format, personal) VALUES (?, ?, 'petitions', 'csv', ?)`,
			pw.w.ChairA.ID, pw.w.CommuneA.ID, true).Error; err != nil {
			t.Fatal(err)
		}
		d, err := s.CreateDialogue(context.Background(), pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID,
			HamletIDs: []int64{pw.w.HamletA1.ID}, Title: "Đối thoại", StartsAt: "2026-03-20T08:00"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ table, where string }{
			{"petition_events", fmt.Sprintf("petition_id = %d", p.ID)},
			{"dialogue_events", fmt.Sprintf("dialogue_id = %d", d.ID)},
			{"export_audit", fmt.Sprintf("user_id = %d", pw.w.ChairA.ID)},
		} {
			count := func() (n int64, notes string) {
				t.Helper()
				col := "note"
				if c.table == "export_audit" {
					col = "remote_addr"
				}
				if err := db.Raw("SELECT COUNT(*), COALESCE(MAX("+col+"), '') FROM "+c.table+" WHERE "+c.where).Row().Scan(&n, &notes); err != nil {
					t.Fatal(err)
				}
				return n, notes
			}
			before, beforeText := count()
			if before == 0 {
				t.Fatalf("%s: no row to change", c.table)
			}
			for _, stmt := range []string{
				"UPDATE " + c.table + " SET created_at = created_at WHERE " + c.where,
				"UPDATE " + c.table + " SET id = id + 1000 WHERE " + c.where,
				"DELETE FROM " + c.table + " WHERE " + c.where,
				"DELETE FROM " + c.table,
			} {
				err := db.Exec(stmt).Error
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: the database accepted %q: %v", c.table, stmt, err)
				}
			}
			if after, afterText := count(); after != before || afterText != beforeText {
				t.Errorf("%s changed: %d rows %q, then %d rows %q", c.table, before, beforeText, after, afterText)
			}
		}
	})
}

// TestHamletUserSeesOnlyTheHamlet covers a user bound to a hamlet: the hamlet's petitions only,
// and no petitioner details, which belong to the commune and above.
func TestHamletUserSeesOnlyTheHamlet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		mine := pw.log(t, nil)
		other := pw.log(t, func(in *models.PetitionInput) { in.HamletID = pw.w.HamletA2.ID })
		u, err := s.CreateUser(ctx, models.SystemActor(), models.UserInput{Username: "inspector.hamlet", Password: dbtest.Password,
			FullName: "Tổ trưởng", Role: models.RoleInspector, UnitID: pw.w.HamletA1.ID})
		if err != nil {
			t.Fatal(err)
		}
		a := pw.w.Actor(t, s, u)
		items, _, err := s.Petitions(ctx, a, models.PetitionFilter{})
		if err != nil || len(items) != 1 || items[0].ID != mine.ID || items[0].Petitioner != nil || !items[0].PetitionerHidden {
			t.Fatalf("hamlet list: %v %+v", err, items)
		}
		if _, err := s.Petition(ctx, a, other.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("other hamlet: %v", err)
		}
		got, err := s.Petition(ctx, a, mine.ID)
		if err != nil || got.Petitioner != nil {
			t.Fatalf("hamlet read: %v %+v", err, got.Petitioner)
		}
	})
}

func TestAnsweredOnTheSpot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		p := pw.log(t, func(in *models.PetitionInput) { in.OnsiteAnswer = "Xã sẽ lắp biển báo trong tuần." })
		got := pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered"})
		if got.Answer != "Xã sẽ lắp biển báo trong tuần." || got.AnsweredBy == nil {
			t.Fatalf("answered on the spot: %+v", got)
		}
	})
}

func TestAnswerGivenDuringTheDialogueIsItsOnSiteAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		held := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.ChairA.ID, "held", time.Now().Add(-time.Hour).UTC())
		closed := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.ChairA.ID, "held", time.Now().Add(-3*time.Hour).UTC())
		at := func(id int64) func(*models.PetitionInput) {
			return func(in *models.PetitionInput) { in.DialogueID, in.Channel = &id, "dialogue" }
		}
		during := pw.log(t, at(held))
		later := pw.log(t, at(closed))
		elsewhere := pw.log(t, nil)
		if err := s.Gorm().Exec("UPDATE dialogues SET status = 'closed' WHERE id = ?", closed).Error; err != nil {
			t.Fatal(err)
		}
		answer := "UBND xã sẽ gia cố đoạn sạt lở trong tháng này."
		got := pw.mustMove(t, pw.chair, during, models.TransitionInput{To: "answered", Answer: answer})
		if got.OnsiteAnswer != answer || got.Answer != answer {
			t.Fatalf("answered during the dialogue: onsite %q, answer %q", got.OnsiteAnswer, got.Answer)
		}
		for _, p := range []*models.Petition{later, elsewhere} {
			got := pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: answer})
			if got.OnsiteAnswer != "" {
				t.Fatalf("%s answered after its dialogue or outside one got an on-site answer", got.Reference)
			}
		}
		m, err := s.DialogueMinutes(ctx, pw.chair, held)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Petitions) != 1 || m.Petitions[0].OnSiteAnswer != answer {
			t.Fatalf("minutes %+v", m.Petitions)
		}
	})
}

// TestSearchPathsAgree runs one search through each of its strategies (the newest rows, a short
// list from the trigram index, a walk of the list's index) and expects the same pages. The
// strategies are PostgreSQL's; on SQLite it checks the matches and says it compared nothing.
func TestSearchPathsAgree(t *testing.T) {
	dbtest.EachSerial(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		base := time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC)
		var want []int64
		for i := 0; i < 9; i++ {
			at := base.Add(time.Duration(i%4) * time.Hour)
			content := "Đường liên ấp số " + fmt.Sprint(i) + " xuống cấp."
			if i%3 == 0 {
				content = "Nước sạch chưa về tổ " + fmt.Sprint(i) + "."
			}
			p := pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt, in.Content = &at, content })
			if i%3 != 0 {
				want = append(want, p.ID)
			}
		}
		// Newer petitions without the words, so the newest rows hold no match.
		for i := 0; i < 3; i++ {
			at := base.Add(24 * time.Hour)
			pw.log(t, func(in *models.PetitionInput) { in.ReceivedAt, in.Content = &at, "An ninh trật tự ban đêm." })
		}
		pages := func(sortKey string) []int64 {
			var ids []int64
			cursor := ""
			for {
				items, next, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Q: "duong cap", Sort: sortKey, Page: models.Page{Limit: 2, Cursor: cursor}})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range items {
					ids = append(ids, p.ID)
				}
				if next == "" {
					return ids
				}
				cursor = next
			}
		}
		expected := map[string]string{}
		for _, sortKey := range []string{"", "received_at"} {
			expected[sortKey] = fmt.Sprint(pages(sortKey))
		}
		if got := strings.Count(expected[""], " ") + 1; got != len(want) {
			t.Fatalf("found %s, want %d petitions", expected[""], len(want))
		}
		if s.Dialect() == models.SQLite {
			t.Skip("SQLite searches one way only (no trigram index): the matches are checked, there are no strategies to compare")
		}
		for _, tune := range []struct {
			windows []int
			pool    int
		}{{[]int{2}, 100}, {[]int{2}, 3}, {[]int{1000}, 3}} {
			restore := models.SetSearchTuning(tune.windows, tune.pool)
			for _, sortKey := range []string{"", "received_at"} {
				if got := fmt.Sprint(pages(sortKey)); got != expected[sortKey] {
					t.Errorf("windows %v pool %d sort %q: %s, want %s", tune.windows, tune.pool, sortKey, got, expected[sortKey])
				}
			}
			restore()
		}
	})
}

// TestIdempotentCreateUnderRetries sends the same Idempotency-Key from ten goroutines at once:
// one petition, one reference taken from the counter, every caller gets it, and all but one
// are told it was replayed.
func TestIdempotentCreateUnderRetries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID,
			Channel: "online", Kind: "kien_nghi", TopicCode: "MT", Content: "Đề nghị thu gom rác hai lần mỗi tuần."}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			refs    = map[string]int{}
			created int
		)
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, replayed, err := s.CreatePetitionOnce(context.Background(), pw.secretary, "retry-1", in)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				refs[fmt.Sprintf("%d %s", p.ID, p.Reference)]++
				if !replayed {
					created++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		var n, seq int64
		s.Gorm().Table("petitions").Count(&n)
		s.Gorm().Table("petition_counters").Where("commune_id = ?", pw.w.CommuneA.ID).Select("last_seq").Scan(&seq)
		if len(refs) != 1 || created != 1 || n != 1 || seq != 1 {
			t.Fatalf("answers %v, %d created, %d petitions, counter at %d", refs, created, n, seq)
		}
		// The same key with another request is refused by name and creates nothing.
		other := in
		other.Content = "Một ý kiến khác hẳn, về đèn đường."
		var verr *models.ValidationError
		if _, _, err := s.CreatePetitionOnce(context.Background(), pw.secretary, "retry-1", other); !errors.As(err, &verr) || verr.Fields["Idempotency-Key"].VI == "" {
			t.Fatalf("reused key: %v", err)
		}
	})
}
