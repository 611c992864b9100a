package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// landOfficer adds the land officer of commune A, a user who signs in, and returns them.
func landOfficer(t *testing.T, pw *petitionWorld) (*models.User, models.Actor) {
	t.Helper()
	u, err := pw.s.CreateUser(context.Background(), models.SystemActor(), models.UserInput{Username: "land.a", Password: dbtest.Password,
		FullName: "Võ Văn Đất", Role: models.RoleSecretary, UnitID: pw.w.CommuneA.ID})
	if err != nil {
		t.Fatal(err)
	}
	return u, pw.w.Actor(t, pw.s, u)
}

func strp(s string) *string { return &s }

func TestAssigneesKeptByTheChair(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		land, _ := landOfficer(t, pw)
		a := pw.w.CommuneA.ID
		if _, err := s.CreateAssignee(ctx, pw.secretary, models.AssigneeInput{CommuneID: a, Name: strp("Tư pháp – hộ tịch")}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("secretary keeps assignees: %v", err)
		}
		// Every bad field is named, in both languages, and nothing is written.
		_, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: a, Name: strp("x"), UserID: &pw.w.SecretaryB.ID})
		f := fieldsOf(err)
		if f["name"].EN == "" || f["user_id"].VI == "" || len(f) != 2 {
			t.Fatalf("bad assignee: %v", err)
		}
		if _, err := s.CreateAssignee(ctx, pw.chairB, models.AssigneeInput{CommuneID: a, Name: strp("Địa chính")}); fieldsOf(err)["commune_id"].VI == "" {
			t.Fatalf("another commune's chair: %v", err)
		}
		if list, _ := s.Assignees(ctx, pw.chair, a, true); len(list) != 0 {
			t.Fatalf("refused writes left %d assignees", len(list))
		}
		// A function held by a user takes their name when it has none of its own.
		held, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: a, UserID: &land.ID})
		if err != nil || held.Name != "Võ Văn Đất" || held.User == nil || held.User.Username != "land.a" {
			t.Fatalf("held function: %+v %v", held, err)
		}
		fn, err := s.CreateAssignee(ctx, pw.admin, models.AssigneeInput{CommuneID: a, Name: strp("  Văn hóa –  xã hội ")})
		if err != nil || fn.Name != "Văn hóa – xã hội" || fn.UserID != nil {
			t.Fatalf("named function: %+v %v", fn, err)
		}
		if _, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: a, Name: strp("Văn hóa – xã hội")}); fieldsOf(err)["name"].VI == "" {
			t.Fatalf("same name twice: %v", err)
		}
		renamed, err := s.UpdateAssignee(ctx, pw.chair, held.ID, models.AssigneeInput{Name: strp("Địa chính – xây dựng"), Version: &held.Version})
		if err != nil || renamed.Name != "Địa chính – xây dựng" || renamed.UserID == nil || renamed.Version != 2 {
			t.Fatalf("rename: %+v %v", renamed, err)
		}
		if _, err := s.UpdateAssignee(ctx, pw.chair, held.ID, models.AssigneeInput{Name: strp("Địa chính"), Version: &held.Version}); conflictReason(err) != "stale_version" {
			t.Fatalf("stale rename: %v", err)
		}
		if _, err := s.Assignee(ctx, pw.chairB, held.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another commune sees the assignee: %v", err)
		}
		if err := s.DeleteAssignee(ctx, pw.chair, fn.ID); err != nil {
			t.Fatalf("delete unused: %v", err)
		}
		if list, _ := s.Assignees(ctx, pw.inspect, a, false); len(list) != 1 || list[0].ID != held.ID {
			t.Fatalf("list after delete: %+v", list)
		}
	})
}

func TestAssignmentToAnOfficerAndMyPetitions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		pw := newPetitionWorld(t, s)
		land, landActor := landOfficer(t, pw)
		officer, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: pw.w.CommuneA.ID, Name: strp("Địa chính – xây dựng"), UserID: &land.ID})
		if err != nil {
			t.Fatal(err)
		}
		justice, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: pw.w.CommuneA.ID, Name: strp("Tư pháp – hộ tịch")})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := s.CreateAssignee(ctx, pw.chairB, models.AssigneeInput{CommuneID: pw.w.CommuneB.ID, Name: strp("Địa chính")})
		if err != nil {
			t.Fatal(err)
		}
		p := pw.log(t, nil)
		_, err = pw.move(t, pw.secretary, p, models.TransitionInput{To: "assigned", AssigneeID: &foreign.ID})
		if fieldsOf(err)["assignee_id"].EN == "" {
			t.Fatalf("assigned to another commune's officer: %v", err)
		}
		_, err = pw.move(t, pw.secretary, p, models.TransitionInput{To: "referred", ResponsibleName: "Phòng TNMT", AssigneeID: &officer.ID})
		if fieldsOf(err)["assignee_id"].VI == "" {
			t.Fatalf("referred to an officer: %v", err)
		}
		got := pw.mustMove(t, pw.secretary, p, models.TransitionInput{To: "assigned", AssigneeID: &officer.ID})
		if got.AssigneeID == nil || *got.AssigneeID != officer.ID || got.ResponsibleName != officer.Name ||
			got.ResponsibleUnitID == nil || *got.ResponsibleUnitID != pw.w.CommuneA.ID || got.DueOn == nil {
			t.Fatalf("assigned: %+v", got)
		}
		other := pw.log(t, nil)
		mine := func(a models.Actor) string {
			items, _, err := s.Petitions(ctx, a, models.PetitionFilter{Assignee: "me", Page: models.Page{Limit: 50}})
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(len(items))
		}
		if mine(landActor) != "1" || mine(pw.secretary) != "0" {
			t.Fatalf("my petitions: land %s, secretary %s", mine(landActor), mine(pw.secretary))
		}
		if _, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{Assignee: "x"}); fieldsOf(err)["assignee"].EN == "" {
			t.Fatalf("bad assignee filter: %v", err)
		}
		// Handing it to another officer keeps both in the history, with who did it.
		if _, err := s.ReassignPetition(ctx, pw.secretary, other.ID, models.Reassignment{AssigneeID: &justice.ID, Version: &other.Version}); conflictReason(err) != "petition_not_assigned" {
			t.Fatalf("reassign a received petition: %v", err)
		}
		bad := models.Reassignment{AssigneeID: &foreign.ID, DueOn: "2001-01-01", Note: "", Version: &got.Version}
		_, err = s.ReassignPetition(ctx, pw.secretary, p.ID, bad)
		if f := fieldsOf(err); f["assignee_id"].VI == "" || f["due_on"].VI == "" {
			t.Fatalf("bad reassignment: %v", err)
		}
		if _, err := s.ReassignPetition(ctx, pw.inspect, p.ID, models.Reassignment{AssigneeID: &justice.ID, Version: &got.Version}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector reassigns: %v", err)
		}
		if after, _ := s.Petition(ctx, pw.chair, p.ID); after.Version != got.Version {
			t.Fatalf("refused reassignment changed the petition")
		}
		due := string(*got.DueOn)
		moved, err := s.ReassignPetition(ctx, pw.chair, p.ID, models.Reassignment{AssigneeID: &justice.ID, DueOn: due, Note: "Liên quan hộ tịch", Version: &got.Version})
		if err != nil || *moved.AssigneeID != justice.ID || moved.ResponsibleName != "Tư pháp – hộ tịch" {
			t.Fatalf("reassigned: %+v %v", moved, err)
		}
		if _, err := s.ReassignPetition(ctx, pw.chair, p.ID, models.Reassignment{AssigneeID: &officer.ID, Version: &got.Version}); conflictReason(err) != "stale_version" {
			t.Fatalf("stale reassignment: %v", err)
		}
		if mine(landActor) != "0" {
			t.Fatalf("the land officer still has it")
		}
		events, err := s.PetitionEvents(ctx, pw.chair, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for _, e := range events {
			if e.Kind == models.EventReassigned || e.Kind == models.EventDueChanged || (e.Kind == models.EventTransition && e.ToValue != nil && *e.ToValue == "assigned") {
				trail = append(trail, fmt.Sprintf("%s by %s", e.Kind, e.ActorName))
			}
		}
		if want := "[transition by secretary.a reassigned by chair.a due_changed by chair.a]"; fmt.Sprint(trail) != want {
			t.Fatalf("history %v, want %s", trail, want)
		}
		if err := s.DeleteAssignee(ctx, pw.chair, officer.ID); conflictReason(err) != "assignee_in_use" {
			t.Fatalf("delete an officer named in a history: %v", err)
		}
	})
}
