package models_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// An official's mobile number is a Vietnamese mobile number, kept as gateways take it; SMS may
// only be chosen with one; only the user and user managers read it; a refused change changes
// nothing.
func TestOfficialPhoneAndSMSChoice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		str := func(s string) *string { return &s }
		yes, no := true, false
		for phone, ok := range map[string]bool{"0912 345 678": true, "+84 912 345 678": true, "": true,
			"12345": false, "0912-345-67a": false, "02839123456789": false} {
			_, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Phone: str(phone)})
			var v *models.ValidationError
			if ok != (err == nil) || (!ok && (!errors.As(err, &v) || v.Fields["phone"].VI == "" || v.Fields["phone"].EN == "")) {
				t.Errorf("%q: %v", phone, err)
			}
		}
		// SMS needs a number: the secretary has none now (the checks above ran in any order).
		if _, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Phone: str("")}); err != nil {
			t.Fatal(err)
		}
		before, _ := s.User(ctx, pw.secretary, pw.w.SecretaryA.ID)
		_, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{SMSNotices: &yes, Email: str("thu.ky@tanthoi.gov.vn")})
		if f := fieldsOf(err); f["sms_notices"].VI == "" || len(f) != 1 {
			t.Fatalf("SMS without a number: %v", err)
		}
		if after, _ := s.User(ctx, pw.secretary, pw.w.SecretaryA.ID); after.Version != before.Version || after.Email != before.Email {
			t.Fatalf("a refused change changed %+v into %+v", before, after)
		}
		u, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Phone: str("0912 345 678"), SMSNotices: &yes})
		if err != nil || u.Phone != "84912345678" || !u.SMSNotices {
			t.Fatalf("%+v %v", u, err)
		}
		if _, err := s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Phone: str("")}); fieldsOf(err)["sms_notices"].VI == "" {
			t.Fatalf("number removed while SMS is chosen: %v", err)
		}
		if u, err = s.UpdateOwnContact(ctx, pw.secretary, models.ContactInput{Phone: str(""), SMSNotices: &no}); err != nil || u.Phone != "" || u.SMSNotices {
			t.Fatalf("both removed: %+v %v", u, err)
		}
		// User managers set it too; colleagues do not read it.
		u, err = s.UpdateUser(ctx, pw.admin, pw.w.SecretaryA.ID, models.UserPatch{Phone: str("0987654321"), SMSNotices: &yes})
		if err != nil || u.Phone != "84987654321" {
			t.Fatalf("admin sets the number: %+v %v", u, err)
		}
		for _, c := range []struct {
			reader models.Actor
			sees   bool
		}{{pw.secretary, true}, {pw.admin, true}, {pw.chair, false}, {pw.inspect, false}} {
			got, err := s.User(ctx, c.reader, pw.w.SecretaryA.ID)
			if err != nil || (got.Phone != "") != c.sees {
				t.Errorf("%s reads %q (%v), sees %v", c.reader.Role, got.Phone, err, c.sees)
			}
		}
		_, err = s.CreateUser(ctx, pw.admin, models.UserInput{Username: "dia.chinh", Password: "Mat-khau-rat-dai-2026", FullName: "Võ Văn Đất",
			Role: models.RoleSecretary, UnitID: pw.w.CommuneA.ID, Phone: "0912", SMSNotices: true})
		if f := fieldsOf(err); f["phone"].VI == "" || f["sms_notices"].VI == "" {
			t.Fatalf("new user with a bad number: %v", err)
		}
	})
}

// An official who chose SMS gets the assignment and the daily digest by SMS, each one GSM
// segment without diacritics, beside the e-mail; one who did not choose it gets none.
func TestOfficialsGetSMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		s.PublicURL = "https://papi.example.gov.vn"
		set := func(id int64, email, phone string, sms bool) {
			if err := s.Gorm().Exec("UPDATE users SET email = ?, phone = ?, sms_notices = ? WHERE id = ?", email, phone, sms, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		set(pw.w.SecretaryA.ID, "thu.ky@tanthoi.gov.vn", "84912345678", true)
		set(pw.w.InspectorA.ID, "", "84987654321", false)
		set(pw.w.ChairA.ID, "", "84901234567", true)
		p := pw.log(t, nil)
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.CommuneA.ID})
		var sms, mails []models.Notification
		s.Gorm().Where("event = ? AND channel = ?", "assigned", "sms").Find(&sms)
		s.Gorm().Where("event = ? AND channel = ?", "assigned", "email").Find(&mails)
		if len(sms) != 1 || len(mails) != 1 || sms[0].Recipient != "84912345678" || sms[0].UserID == nil || *sms[0].UserID != pw.w.SecretaryA.ID {
			t.Fatalf("assignment SMS %+v, e-mails %d", sms, len(mails))
		}
		body := sms[0].Body
		if !models.IsGSM7(body) || len(body) > models.OfficialSMSLimit || !strings.Contains(body, p.Reference) ||
			!strings.HasPrefix(body, "PAPI Tan Thoi: y kien "+p.Reference+" giao ") ||
			!strings.HasSuffix(body, "https://papi.example.gov.vn/petitions/"+strconv.FormatInt(p.ID, 10)) {
			t.Fatalf("assignment SMS %q (%d)", body, len(body))
		}
		// A long name of the responsible body is cut, the link kept.
		q := pw.log(t, nil)
		pw.mustMove(t, pw.chair, q, models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.CommuneA.ID,
			ResponsibleName: strings.Repeat("Công chức Địa chính – Xây dựng – Đô thị và Môi trường ", 3)})
		s.Gorm().Where("event = ? AND channel = ? AND petition_id = ?", "assigned", "sms", q.ID).Find(&sms)
		if len(sms) != 1 || len(sms[0].Body) > models.OfficialSMSLimit || !models.IsGSM7(sms[0].Body) ||
			!strings.HasSuffix(sms[0].Body, "/petitions/"+strconv.FormatInt(q.ID, 10)) || !strings.Contains(sms[0].Body, "Cong chuc Dia chinh") {
			t.Fatalf("long assignment SMS %+v", sms)
		}
		today := calendar.DateOf(time.Now())
		if err := s.Gorm().Exec("UPDATE petitions SET due_on = ? WHERE id = ?", today.AddDays(-3), p.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.QueueDailyDigest(ctx, today); err != nil {
			t.Fatal(err)
		}
		var digests []models.Notification
		s.Gorm().Where("event = ?", "digest").Find(&digests)
		if len(digests) != 1 || digests[0].Channel != models.NotifySMS || digests[0].Recipient != "84901234567" ||
			!strings.HasPrefix(digests[0].Body, "PAPI ngay "+string(today)+": ") || !strings.Contains(digests[0].Body, "1 y kien qua han") ||
			!strings.HasSuffix(digests[0].Body, "/petitions?overdue=true") || len(digests[0].Body) > models.OfficialSMSLimit {
			t.Fatalf("digest SMS %+v", digests)
		}
	})
}

// Plain SMS text drops Vietnamese diacritics and keeps to GSM letters.
func TestPlainSMS(t *testing.T) {
	for in, want := range map[string]string{
		"Ủy ban nhân dân xã Tân Thới": "Uy ban nhan dan xa Tan Thoi",
		"Đường ĐT 741…":               "Duong DT 741...",
		"hạn 15/12 – gấp":             "han 15/12   gap",
	} {
		if got := models.PlainSMS(in); got != want || !models.IsGSM7(got) {
			t.Errorf("PlainSMS(%q) = %q, want %q", in, got, want)
		}
	}
	if models.IsGSM7("Tân") || !models.IsGSM7("Tan Thoi: https://x.vn/p?a=1&b=2") {
		t.Error("IsGSM7")
	}
}
