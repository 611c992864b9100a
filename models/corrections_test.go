package models_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

func ptr[T any](v T) *T { return &v }

// correct corrects a petition at its current version.
func (pw *petitionWorld) correct(t *testing.T, a models.Actor, id int64, in models.PetitionCorrection) (*models.Petition, error) {
	t.Helper()
	cur, err := pw.s.Petition(context.Background(), models.SystemActor(), id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Version == nil {
		in.Version = &cur.Version
	}
	return pw.s.CorrectPetition(context.Background(), a, id, in)
}

// corrections returns the changes of the petition's correction events as the actor reads them.
func corrections(t *testing.T, s *models.Store, a models.Actor, id int64) []map[string]any {
	t.Helper()
	events, err := s.PetitionEvents(context.Background(), a, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, e := range events {
		if e.Kind != models.EventCorrected {
			continue
		}
		var d struct{ Changes []map[string]any }
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d.Changes...)
	}
	return out
}

// TestCorrectionsPerRole is the role table of corrections: commune staff correct, everyone else
// is refused; a secretary corrects neither the kind nor the petitioner of a denunciation.
func TestCorrectionsPerRole(t *testing.T) {
	all := "[hamlet_id topic_id kind channel content name phone address id_number]"
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		for _, tc := range []struct {
			name string
			a    models.Actor
			want string
		}{{"admin", pw.admin, all}, {"chair", pw.chair, all}, {"secretary", pw.secretary, all},
			{"district", pw.district, "[]"}, {"inspector", pw.inspect, "[]"}, {"chair of another commune", pw.chairB, ""}} {
			p := pw.log(t, nil)
			got, err := s.Petition(context.Background(), tc.a, p.ID)
			if tc.want == "" {
				if !errors.Is(err, models.ErrNotFound) {
					t.Errorf("%s: %v", tc.name, err)
				}
			} else if fmt.Sprint(got.Correctable) != tc.want {
				t.Errorf("%s: correctable %v, want %s", tc.name, got.Correctable, tc.want)
			}
			_, err = pw.correct(t, tc.a, p.ID, models.PetitionCorrection{HamletID: &pw.w.HamletA2.ID})
			switch {
			case tc.want == all && err != nil:
				t.Errorf("%s: %v", tc.name, err)
			case tc.want == "[]" && !errors.Is(err, models.ErrForbidden):
				t.Errorf("%s: %v, want forbidden", tc.name, err)
			case tc.want == "" && !errors.Is(err, models.ErrNotFound):
				t.Errorf("%s: %v, want not found", tc.name, err)
			}
		}
		den := pw.log(t, func(in *models.PetitionInput) { in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789" })
		got, _ := s.Petition(context.Background(), pw.secretary, den.ID)
		if fmt.Sprint(got.Correctable) != "[hamlet_id topic_id channel content]" {
			t.Errorf("secretary on a denunciation: %v", got.Correctable)
		}
		for _, in := range []models.PetitionCorrection{{Kind: ptr("kien_nghi")}, {PetitionerName: ptr("Người Khác")}} {
			if _, err := pw.correct(t, pw.secretary, den.ID, in); !errors.Is(err, models.ErrForbidden) {
				t.Errorf("secretary corrects a denouncer: %v", err)
			}
		}
		if _, err := pw.correct(t, pw.chair, den.ID, models.PetitionCorrection{PetitionerName: ptr("Trần Văn Tố")}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCorrectionIsOneEventAndMovesTheCounts corrects hamlet, topic, kind, channel, content and
// petitioner at once: one event lists each change before and after, the version moves, search
// finds the new text, the rollups follow, and a stale version changes nothing.
func TestCorrectionIsOneEventAndMovesTheCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, nil)
		gt, _ := s.TopicByCode(ctx, "GT")
		stale := p.Version
		got, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{HamletID: &pw.w.HamletA2.ID, TopicID: &gt.ID,
			Kind: ptr("phan_anh"), Channel: ptr("phone"), Content: ptr("Đường liên ấp Tân Bình sạt lở sau mưa lớn."),
			PetitionerPhone: ptr("0909 123 457"), Note: "Thư ký chọn nhầm ấp."})
		if err != nil {
			t.Fatal(err)
		}
		if got.HamletID != pw.w.HamletA2.ID || got.TopicID != gt.ID || got.Kind != "phan_anh" || got.Channel != "phone" ||
			got.Version != p.Version+1 || got.Petitioner.Phone != "0909 123 457" || got.CorrectedAt != nil {
			t.Fatalf("corrected %+v", got)
		}
		changes := corrections(t, s, pw.chair, p.ID)
		fields := []string{}
		for _, c := range changes {
			fields = append(fields, c["field"].(string))
		}
		if fmt.Sprint(fields) != "[hamlet_id topic_id kind channel content phone]" ||
			changes[0]["from"] != float64(pw.w.HamletA1.ID) || changes[0]["to"] != float64(pw.w.HamletA2.ID) ||
			changes[5]["from"] != "0909 123 456" || changes[5]["to"] != "0909 123 457" {
			t.Fatalf("changes %v", changes)
		}
		// The phone, the reception's deadline gone with the channel.
		if got.DueOn != nil || got.DueRule != nil {
			t.Errorf("a phone report keeps the reception's deadline %v", *got.DueOn)
		}
		found, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Q: "sat lo", HamletID: fmt.Sprint(pw.w.HamletA2.ID)})
		if err != nil || len(found) != 1 {
			t.Fatalf("search for the corrected content: %d %v", len(found), err)
		}
		expectRollupsRebuildTheSame(t, s)

		// A stale version: 409 with the current record, nothing written.
		_, err = s.CorrectPetition(ctx, pw.secretary, p.ID, models.PetitionCorrection{HamletID: &pw.w.HamletA1.ID, Version: &stale})
		if conflictReason(err) != "stale_version" {
			t.Fatalf("stale: %v", err)
		}
		after, _ := s.Petition(ctx, pw.chair, p.ID)
		if after.HamletID != pw.w.HamletA2.ID || after.Version != got.Version || len(corrections(t, s, pw.chair, p.ID)) != 6 {
			t.Fatal("a stale correction changed the petition")
		}
	})
}

// expectRollupsRebuildTheSame checks the rollups kept by the writes against counting every
// petition again.
func expectRollupsRebuildTheSame(t *testing.T, s *models.Store) {
	t.Helper()
	kept := rollupCells(t, s)
	if err := s.RebuildRollups(context.Background()); err != nil {
		t.Fatal(err)
	}
	rebuilt := rollupCells(t, s)
	if fmt.Sprint(kept) != fmt.Sprint(rebuilt) {
		t.Fatalf("rollups kept %v, rebuilt %v", kept, rebuilt)
	}
}

// TestCorrectionRules: every refusal names its field (or says to reopen) and changes nothing.
func TestCorrectionRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, func(in *models.PetitionInput) { in.Channel = "letter" })
		dialogue := heldDialogue(t, s, pw.w.CommuneA.ID, pw.w.SecretaryA.ID, "held", time.Now().Add(-2*time.Hour))
		atDialogue := pw.log(t, func(in *models.PetitionInput) { in.DialogueID, in.Channel = &dialogue, "" })
		anonymous := pw.log(t, func(in *models.PetitionInput) {
			in.Anonymous, in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress = true, "", "", ""
		})
		inactive, err := s.CreateTopic(ctx, models.SystemActor(), models.TopicInput{Code: "CU", NameVI: "Cũ", NameEN: "Old", ResponseDays: 5, PAPIDimension: "participation"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateTopic(ctx, models.SystemActor(), inactive.ID, models.TopicPatch{Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			id     int64
			in     models.PetitionCorrection
			fields string
		}{
			{"nothing named", p.ID, models.PetitionCorrection{}, "[fields]"},
			{"nothing changed", p.ID, models.PetitionCorrection{HamletID: &pw.w.HamletA1.ID, Content: ptr(" " + p.Content + " ")}, "[content hamlet_id]"},
			{"a hamlet of another commune", p.ID, models.PetitionCorrection{HamletID: &pw.w.HamletB1.ID}, "[hamlet_id]"},
			{"a commune for a hamlet", p.ID, models.PetitionCorrection{HamletID: &pw.w.CommuneA.ID}, "[hamlet_id]"},
			{"an inactive topic", p.ID, models.PetitionCorrection{TopicID: &inactive.ID}, "[topic_id]"},
			{"a complaint without identification", p.ID, models.PetitionCorrection{Kind: ptr("khieu_nai")}, "[id_number]"},
			{"a complaint without anyone named", p.ID, models.PetitionCorrection{Kind: ptr("khieu_nai"), PetitionerName: ptr("")}, "[id_number name]"},
			{"a short content and a bad phone", p.ID, models.PetitionCorrection{Content: ptr("ngắn"), PetitionerPhone: ptr("abc")}, "[content phone]"},
			{"an unknown kind and channel", p.ID, models.PetitionCorrection{Kind: ptr("x"), Channel: ptr("fax")}, "[channel kind]"},
			{"the channel of a dialogue's petition", atDialogue.ID, models.PetitionCorrection{Channel: ptr("phone")}, "[channel]"},
			{"an anonymous petitioner", anonymous.ID, models.PetitionCorrection{PetitionerName: ptr("Nguyễn Văn Ba")}, "[name]"},
			{"a bad identification number", p.ID, models.PetitionCorrection{PetitionerIDNumber: ptr("12-34")}, "[id_number]"},
		} {
			before, _ := s.Petition(ctx, pw.chair, tc.id)
			_, err := pw.correct(t, pw.secretary, tc.id, tc.in)
			f := fieldsOf(err)
			names := []string{}
			for k, m := range f {
				if m.VI == "" || m.EN == "" {
					t.Errorf("%s: field %s lacks a language", tc.name, k)
				}
				names = append(names, k)
			}
			if got := fmt.Sprint(sortedStrings(names)); got != tc.fields {
				t.Errorf("%s: fields %s, want %s (%v)", tc.name, got, tc.fields, err)
			}
			after, _ := s.Petition(ctx, pw.chair, tc.id)
			if after.Version != before.Version || after.HamletID != before.HamletID || after.Kind != before.Kind {
				t.Errorf("%s: a refused correction changed the petition", tc.name)
			}
		}
		// With the identification, the letter becomes a complaint with the complaint's deadline.
		got, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{Kind: ptr("khieu_nai"), PetitionerIDNumber: ptr("079 123 456 789")})
		if err != nil {
			t.Fatal(err)
		}
		if got.Petitioner.IDNumber != "079123456789" || got.DueRule == nil || *got.DueRule != models.RuleComplaintAccept {
			t.Fatalf("complaint %+v", got)
		}
		// Accepted, it keeps its kind.
		if _, err := s.AcceptPetition(ctx, pw.chair, p.ID, models.Acceptance{Version: &got.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := pw.correct(t, pw.chair, p.ID, models.PetitionCorrection{Kind: ptr("kien_nghi")}); fieldsOf(err)["kind"].VI == "" {
			t.Errorf("accepted complaint's kind: %v", err)
		}
		// Closed, it is reopened first.
		closed := pw.reach(t, models.StateClosed)
		_, err = pw.correct(t, pw.chair, closed.ID, models.PetitionCorrection{Content: ptr("Nội dung sửa lại cho đúng.")})
		if conflictReason(err) != "petition_not_open" {
			t.Fatalf("closed: %v", err)
		}
		if got, _ := s.Petition(ctx, pw.chair, closed.ID); len(got.Correctable) != 0 || got.Version != closed.Version {
			t.Fatalf("closed petition correctable %v", got.Correctable)
		}
		reopened := pw.mustMove(t, pw.chair, closed, models.TransitionInput{To: "reopened", Note: "Cần sửa nội dung."})
		if _, err := pw.correct(t, pw.chair, reopened.ID, models.PetitionCorrection{Content: ptr("Nội dung sửa lại cho đúng.")}); err != nil {
			t.Fatal(err)
		}
	})
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}

// TestCorrectionAfterTheAnswerOnTheBoard: before the answer a correction leaves no mark; after
// it, correcting what the board shows marks the petition corrected, correcting the petitioner
// does not.
func TestCorrectionAfterTheAnswerOnTheBoard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		board := func(ref string) *models.PublicPetition {
			pp, err := s.PublicPetition(ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			return pp
		}
		p := pw.log(t, nil)
		if _, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{Content: ptr("Đề nghị lắp đường ống nước sạch cho ấp Tân Bình.")}); err != nil {
			t.Fatal(err)
		}
		if board(p.Reference).CorrectedAt != nil {
			t.Fatal("a correction before the answer is shown as such")
		}
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Đã đưa vào kế hoạch."})
		if _, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{PetitionerName: ptr("Nguyễn Văn Bảy")}); err != nil {
			t.Fatal(err)
		}
		if board(p.Reference).CorrectedAt != nil {
			t.Fatal("correcting the petitioner is shown on the board")
		}
		got, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{Content: ptr("Đề nghị lắp đường ống nước sạch cho cả ấp Tân Bình.")})
		if err != nil {
			t.Fatal(err)
		}
		pp := board(p.Reference)
		if pp.CorrectedAt == nil || got.CorrectedAt == nil || !pp.CorrectedAt.Equal(*got.CorrectedAt) || !strings.Contains(*pp.Content, "cả ấp") {
			t.Fatalf("board after a corrected content: %+v", pp)
		}
	})
}

// TestCorrectedPetitionerStaysPrivate: the petitioner's details before and after a correction
// reach only who may know the petitioner; the board keeps masking a replaced name.
func TestCorrectedPetitionerStaysPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, func(in *models.PetitionInput) {
			in.Content = "Ông Nguyễn Văn Ba đề nghị lắp đường ống nước sạch cho ấp Tân Hòa."
		})
		if _, err := pw.correct(t, pw.secretary, p.ID, models.PetitionCorrection{PetitionerName: ptr("Nguyễn Văn Bảy"),
			PetitionerIDNumber: ptr("079123456789")}); err != nil {
			t.Fatal(err)
		}
		pp, err := s.PublicPetition(ctx, p.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(*pp.Content, "Ba") || !strings.Contains(*pp.Content, "***") {
			t.Fatalf("the board shows the former name: %s", *pp.Content)
		}
		raw, _ := json.Marshal(pp)
		for _, secret := range []string{"Bảy", "079123456789", "petitioner"} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the board shows %q", secret)
			}
		}

		// A denunciation corrected by the chair: its petitioner's changes stay hidden from the
		// secretary, even once the chair corrects its kind away from a denunciation.
		den := pw.log(t, func(in *models.PetitionInput) { in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789" })
		if _, err := pw.correct(t, pw.chair, den.ID, models.PetitionCorrection{PetitionerName: ptr("Trần Văn Tố")}); err != nil {
			t.Fatal(err)
		}
		if _, err := pw.correct(t, pw.chair, den.ID, models.PetitionCorrection{Kind: ptr("phan_anh")}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			a      models.Actor
			hidden bool
		}{{"chair", pw.chair, false}, {"secretary", pw.secretary, true}, {"inspector", pw.inspect, true}} {
			for _, c := range corrections(t, s, tc.a, den.ID) {
				if c["field"] != "name" {
					continue
				}
				if tc.hidden != (c["hidden"] == true) || tc.hidden && (c["from"] != nil || c["to"] != nil) {
					t.Errorf("%s reads the denouncer's change %v", tc.name, c)
				}
			}
		}
		// The petitioner of an ordinary petition: its commune's readers know it, so they read it.
		if c := corrections(t, s, pw.inspect, p.ID); c[0]["to"] != "Nguyễn Văn Bảy" {
			t.Errorf("inspector: %v", c)
		}
		// Private from the day it was a denunciation.
		if got, _ := s.Petition(ctx, pw.chair, den.ID); !got.Private {
			t.Error("a former denunciation became public")
		}
	})
}
