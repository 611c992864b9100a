package models_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// countPetitions counts every stored petition, to show that a refused write changed nothing.
func countPetitions(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	if err := s.Gorm().Table("petitions").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIntakeIdentificationFromJuly2026(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.Now = func() time.Time { return dbtest.VN(t, "2026-07-03 09:00") }
		complaint := func(received string, mod func(*models.PetitionInput)) (*models.Petition, error) {
			at := dbtest.VN(t, received)
			in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID, Channel: "reception",
				Kind: "khieu_nai", TopicCode: "DD", Content: "Khiếu nại quyết định thu hồi đất nông nghiệp của xã.",
				PetitionerName: "Trần Văn Khiếu", ReceivedAt: &at}
			if mod != nil {
				mod(&in)
			}
			return s.CreatePetition(ctx, pw.secretary, in)
		}
		before := countPetitions(t, s)
		// From 1 July 2026 (in Vietnam: 00:30 on 1 July is 30 June in UTC) a complaint needs an ID.
		_, err := complaint("2026-07-01 00:30", nil)
		if f := fieldsOf(err); f["id_number"].EN == "" || len(f) != 1 {
			t.Fatalf("complaint without identification: %v", err)
		}
		_, err = complaint("2026-07-02 08:00", func(in *models.PetitionInput) { in.Kind, in.PetitionerName = "to_cao", "" })
		if f := fieldsOf(err); f["id_number"].VI == "" || f["name"].VI == "" {
			t.Fatalf("denunciation without name or identification: %v", err)
		}
		_, err = complaint("2026-07-02 08:00", func(in *models.PetitionInput) {
			in.Anonymous, in.PetitionerName = true, ""
		})
		if f := fieldsOf(err); f["id_number"].VI == "" || f["name"].VI == "" {
			t.Fatalf("anonymous complaint: %v", err)
		}
		if n := countPetitions(t, s); n != before {
			t.Fatalf("refused writes stored %d petitions", n-before)
		}
		// The day before, and a report on the same day, need none.
		if _, err := complaint("2026-06-30 23:30", nil); err != nil {
			t.Fatalf("complaint of 30 June: %v", err)
		}
		if _, err := complaint("2026-07-02 08:00", func(in *models.PetitionInput) { in.Kind = "phan_anh" }); err != nil {
			t.Fatalf("report of 2 July: %v", err)
		}
		// With one, the number is kept, spaces removed, and shown with the petitioner.
		p, err := complaint("2026-07-02 08:00", func(in *models.PetitionInput) { in.PetitionerIDNumber = " 079 123 456 789 " })
		if err != nil {
			t.Fatal(err)
		}
		if p.Petitioner == nil || p.Petitioner.IDNumber != "079123456789" {
			t.Fatalf("petitioner %+v", p.Petitioner)
		}
		for _, a := range []models.Actor{pw.chair, pw.inspect, pw.district} {
			got, err := s.Petition(ctx, a, p.ID)
			if err != nil || got.Petitioner == nil || got.Petitioner.IDNumber != "079123456789" {
				t.Fatalf("%s reads %+v (%v)", a.Role, got.Petitioner, err)
			}
		}
	})
}

func TestIntakeFieldsAreChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.Now = func() time.Time { return dbtest.VN(t, "2026-12-02 09:00") }
		base := func(mod func(*models.PetitionInput)) models.PetitionInput {
			at := dbtest.VN(t, "2026-11-30 08:00")
			in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID, Channel: "letter",
				Kind: "kien_nghi", TopicCode: "GT", Content: "Đề nghị sửa đoạn đường đất ấp Tân Hòa bị sạt lở.",
				PetitionerName: "Lê Thị Thư", ReceivedAt: &at}
			mod(&in)
			return in
		}
		cases := []struct {
			name   string
			mod    func(*models.PetitionInput)
			fields []string
		}{
			{"bad identification", func(in *models.PetitionInput) { in.PetitionerIDNumber = "12345" }, []string{"id_number"}},
			{"anonymous with identification", func(in *models.PetitionInput) {
				in.Anonymous, in.PetitionerName, in.PetitionerIDNumber = true, "", "079123456789"
			}, []string{"id_number"}},
			{"document after the day received", func(in *models.PetitionInput) {
				in.IncomingNumber, in.IncomingDate = "125/UBND", "2026-12-01"
			}, []string{"incoming_date"}},
			{"bad document", func(in *models.PetitionInput) {
				in.IncomingNumber, in.IncomingDate = "<script>", "30/11/2026"
			}, []string{"incoming_date", "incoming_number"}},
			{"document of a phone call", func(in *models.PetitionInput) {
				in.Channel, in.IncomingNumber, in.IncomingDate = "phone", "12", "2026-11-28"
			}, []string{"incoming_date", "incoming_number"}},
			{"received tomorrow", func(in *models.PetitionInput) {
				at := dbtest.VN(t, "2026-12-03 08:00")
				in.ReceivedAt = &at
			}, []string{"received_at"}},
			{"everything at once", func(in *models.PetitionInput) {
				at := dbtest.VN(t, "2026-12-03 08:00")
				in.ReceivedAt, in.PetitionerIDNumber, in.IncomingNumber, in.Kind = &at, "x", strings.Repeat("9", 60), "?"
			}, []string{"id_number", "incoming_number", "kind", "received_at"}},
		}
		before := countPetitions(t, s)
		for _, tc := range cases {
			_, err := s.CreatePetition(ctx, pw.secretary, base(tc.mod))
			f := fieldsOf(err)
			var got []string
			for k, m := range f {
				if m.VI == "" || m.EN == "" {
					t.Errorf("%s: %s has no message in both languages", tc.name, k)
				}
				got = append(got, k)
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
			}
		}
		if n := countPetitions(t, s); n != before {
			t.Fatalf("refused writes stored %d petitions", n-before)
		}
		// A letter that came on Monday, logged on Wednesday, with its incoming document.
		p, err := s.CreatePetition(ctx, pw.secretary, base(func(in *models.PetitionInput) {
			in.IncomingNumber, in.IncomingDate = "125/UBND", "2026-11-28"
		}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Petition(ctx, pw.chair, p.ID)
		if err != nil || got.IncomingNumber != "125/UBND" || got.IncomingDate == nil || *got.IncomingDate != "2026-11-28" ||
			!got.ReceivedAt.Equal(dbtest.VN(t, "2026-11-30 08:00")) || got.Channel != "letter" {
			t.Fatalf("letter %+v (%v)", got, err)
		}
	})
}

func TestReceiptOfALetter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.Now = func() time.Time { return dbtest.VN(t, "2026-12-02 09:00") }
		at := dbtest.VN(t, "2026-11-30 08:00")
		p, err := s.CreatePetition(ctx, pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID,
			Channel: "letter", Kind: "khieu_nai", TopicCode: "DD", Content: "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất.",
			PetitionerName: "Lê Thị Thư", PetitionerPhone: "0912 345 678", PetitionerIDNumber: "079123456789", ReceivedAt: &at,
			IncomingNumber: "125/UBND", IncomingDate: "2026-11-28",
			Consent: models.ConsentInput{Agrees: true, Channel: "sms"}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.PetitionReceipt(ctx, pw.chair, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Letter != "số 125/UBND ngày 28/11/2026" || r.IDNumber != "********6789" || r.Petitioner != "Lê Thị Thư" ||
			r.Channel != "Đơn thư" || r.Topic == "" || r.DueOn == "" || r.ReceivedBy == "" || !strings.Contains(r.Notice, "SMS") ||
			strings.Contains(r.Notice, "345") {
			t.Fatalf("receipt %+v", r)
		}
	})
}

// A petition raised at a dialogue is received when the dialogue took place: a complaint from
// paper minutes of 2024 typed up today needs no identification, one raised at a dialogue held
// after 1 July 2026 does, and the rule is checked with the other fields.
func TestIdentificationAtADialogueCountsFromItsDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		held := func(startsAt string) int64 {
			start, err := time.Parse(time.RFC3339, startsAt)
			if err != nil {
				t.Fatal(err)
			}
			s.Now = func() time.Time { return start.Add(-24 * time.Hour) }
			d, err := s.CreateDialogue(ctx, pw.secretary, models.DialogueInput{CommuneID: pw.w.CommuneA.ID, HamletIDs: []int64{pw.w.HamletA1.ID},
				Title: "Đối thoại " + startsAt, StartsAt: startsAt, Venue: "Nhà văn hóa ấp", AllowOverlap: true})
			if err != nil {
				t.Fatal(err)
			}
			s.Now = func() time.Time { return start.Add(5 * time.Minute) }
			if _, err := s.TransitionDialogue(ctx, pw.chair, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		old, recent := held("2024-05-10T08:00:00+07:00"), held("2026-11-30T08:00:00+07:00")
		s.Now = func() time.Time { return dbtest.VN(t, "2026-12-02 09:00") }
		raise := func(dialogueID int64, id string) (*models.Petition, error) {
			return s.CreatePetition(ctx, pw.secretary, models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID,
				DialogueID: &dialogueID, Kind: "khieu_nai", TopicCode: "DD", Content: "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất.",
				PetitionerName: "Lê Thị Hoa", PetitionerIDNumber: id})
		}
		if p, err := raise(old, ""); err != nil || p.Petitioner.IDNumber != "" {
			t.Fatalf("complaint of a 2024 dialogue typed up now: %v", err)
		}
		before := countPetitions(t, s)
		if _, err := raise(recent, ""); fieldsOf(err)["id_number"].VI == "" {
			t.Fatalf("complaint of a dialogue of 30 November 2026 without identification: %v", err)
		}
		if n := countPetitions(t, s); n != before {
			t.Fatalf("a refused complaint stored %d petitions", n-before)
		}
		if p, err := raise(recent, "079123456789"); err != nil || p.Petitioner.IDNumber != "079123456789" {
			t.Fatalf("complaint with identification: %v", err)
		}
	})
}
