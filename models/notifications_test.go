package models_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// outbox returns every message of the outbox, oldest first.
func outbox(t *testing.T, s *models.Store) []models.Notification {
	t.Helper()
	var out []models.Notification
	if err := s.Gorm().Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func consenting(ch, contact string) func(*models.PetitionInput) {
	return func(in *models.PetitionInput) {
		in.Consent = models.ConsentInput{Agrees: true, Channel: ch, Contact: contact}
	}
}

func TestResidentNoticeRules(t *testing.T) {
	now := time.Now()
	base := func(mod func(p *models.Petition)) *models.Petition {
		p := &models.Petition{Kind: models.KindRecommendation, ContactConsent: true, ContactChannel: "sms", ContactAddress: "84909123456"}
		if mod != nil {
			mod(p)
		}
		return p
	}
	cases := []struct {
		name     string
		p        *models.Petition
		explicit bool
		want     string
	}{
		{"consented", base(nil), false, ""},
		{"no consent", base(func(p *models.Petition) { p.ContactConsent = false }), false, "no_consent"},
		{"opted out", base(func(p *models.Petition) { p.OptedOutAt = &now }), false, "opted_out"},
		{"opted out, chair sends", base(func(p *models.Petition) { p.OptedOutAt = &now }), true, "opted_out"},
		{"anonymous", base(func(p *models.Petition) { p.Anonymous = true }), false, "anonymous"},
		{"no contact", base(func(p *models.Petition) { p.ContactAddress = "" }), false, "no_contact"},
		{"unknown channel", base(func(p *models.Petition) { p.ContactChannel = "fax" }), false, "no_contact"},
		{"denunciation", base(func(p *models.Petition) { p.Kind = models.KindDenunciation }), false, "denunciation"},
		{"denunciation, chair sends", base(func(p *models.Petition) { p.Kind = models.KindDenunciation }), true, ""},
		{"complaint", base(func(p *models.Petition) { p.Kind = models.KindComplaint }), false, ""},
	}
	for _, c := range cases {
		if got := models.ResidentNoticeBlocked(c.p, c.explicit); got != c.want {
			t.Errorf("%s: blocked %q, want %q", c.name, got, c.want)
		}
	}
}

func TestNormalizePhoneAndMask(t *testing.T) {
	for in, want := range map[string]string{"0909 123 456": "84909123456", "+84 909.123.456": "84909123456", "84909123456": "84909123456",
		"12345": "", "0909-123-45a": "", "090912345678": ""} {
		got, ok := models.NormalizePhone(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if m := models.MaskContact("84909123456"); m != "84*******56" {
		t.Errorf("mask phone: %q", m)
	}
	if m := models.MaskContact("ba.nguyen@example.vn"); m != "b***@example.vn" {
		t.Errorf("mask email: %q", m)
	}
}

func TestConsentAtIntake(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		cases := []struct {
			name   string
			mod    func(*models.PetitionInput)
			fields []string
		}{
			{"anonymous cannot consent", func(in *models.PetitionInput) {
				in.PetitionerName, in.PetitionerPhone, in.PetitionerAddress, in.Anonymous = "", "", "", true
				in.Consent = models.ConsentInput{Agrees: true, Channel: "sms", Contact: "0909123456"}
			}, []string{"consent"}},
			{"bad email", consenting("email", "not an address"), []string{"contact"}},
			{"bad channel", consenting("fax", "0909123456"), []string{"contact_channel"}},
			{"bad phone", consenting("zalo", "12"), []string{"contact"}},
		}
		for _, c := range cases {
			in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID, Channel: "reception",
				Kind: "kien_nghi", TopicCode: "NS", Content: "Đề nghị lắp đặt đường ống nước sạch cho ấp Tân Hòa.",
				PetitionerName: "Nguyễn Văn Ba", PetitionerPhone: "0909 123 456"}
			c.mod(&in)
			_, err := s.CreatePetition(ctx, pw.secretary, in)
			var v *models.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("%s: want a validation error, got %v", c.name, err)
			}
			for _, f := range c.fields {
				if _, ok := v.Fields[f]; !ok {
					t.Errorf("%s: field %s not named: %v", c.name, f, v.Fields)
				}
			}
		}
		if n := len(outbox(t, s)); n != 0 {
			t.Fatalf("rejected petitions wrote %d messages", n)
		}

		// SMS with no contact given: the petitioner's phone, in the form gateways take.
		p := pw.log(t, consenting("sms", ""))
		if p.Consent == nil || !p.Consent.Agrees || p.Consent.Contact != "84909123456" || p.Consent.Channel != models.NotifySMS {
			t.Fatalf("consent as recorded: %+v", p.Consent)
		}
		msgs := outbox(t, s)
		if len(msgs) != 1 || msgs[0].Event != models.NoticeReceived || msgs[0].Recipient != "84909123456" ||
			msgs[0].Status != models.NotificationPending || msgs[0].PetitionID == nil || *msgs[0].PetitionID != p.ID {
			t.Fatalf("outbox after intake: %+v", msgs)
		}
		if !strings.Contains(msgs[0].Body, p.Reference) || !strings.Contains(msgs[0].Body, "Tân Thới") ||
			!strings.Contains(msgs[0].Body, "/api/v1/public/opt-out/") {
			t.Errorf("message body: %q", msgs[0].Body)
		}
		// No consent, no message; a reader who may not see the petitioner sees no consent either.
		pw.log(t, nil)
		if n := len(outbox(t, s)); n != 1 {
			t.Fatalf("a petition without consent wrote a message: %d", n)
		}
		// A reader who may not know the petitioner does not see the consent either.
		d := pw.log(t, func(in *models.PetitionInput) {
			in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789"
			in.Consent = models.ConsentInput{Agrees: true, Channel: "sms"}
		})
		seen, err := s.Petition(ctx, pw.secretary, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if seen.Consent != nil {
			t.Fatalf("the secretary sees a denouncer's contact: %+v", seen.Consent)
		}
		if seen, _ = s.Petition(ctx, pw.chair, d.ID); seen.Consent == nil {
			t.Fatal("the chair does not see the consent")
		}
	})
}

func TestOutboxFollowsTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		rollback := errors.New("roll back")
		err := s.WithTx(ctx, func(ctx context.Context) error {
			in := models.PetitionInput{CommuneID: pw.w.CommuneA.ID, HamletID: pw.w.HamletA1.ID, Channel: "reception",
				Kind: "kien_nghi", TopicCode: "NS", Content: "Đề nghị lắp đặt đường ống nước sạch cho ấp Tân Hòa.",
				PetitionerPhone: "0909123456", Consent: models.ConsentInput{Agrees: true, Channel: "sms"}}
			if _, err := s.CreatePetition(ctx, pw.secretary, in); err != nil {
				return err
			}
			if n := len(outbox(t, s)); n != 0 {
				t.Errorf("the message is visible before the commit: %d", n)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if n := len(outbox(t, s)); n != 0 {
			t.Fatalf("a rolled-back petition left %d messages", n)
		}

		// Answer and close: one message each, the answer in it; a stale transition writes none.
		p := pw.log(t, consenting("email", "ba.nguyen@example.vn"))
		stale := 99
		if _, err := pw.move(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Xã sẽ lắp đặt trong quý III.", Version: &stale}); err == nil {
			t.Fatal("a stale transition went through")
		}
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Xã sẽ lắp đặt trong quý III."})
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "closed", Reason: "explained"})
		msgs := outbox(t, s)
		if len(msgs) != 3 {
			t.Fatalf("want received, answered, closed; got %d", len(msgs))
		}
		if msgs[1].Event != models.NoticeAnswered || !strings.Contains(msgs[1].Body, "Xã sẽ lắp đặt trong quý III.") ||
			msgs[1].Subject == "" || msgs[1].Channel != models.NotifyEmail || msgs[1].Recipient != "ba.nguyen@example.vn" {
			t.Errorf("answered message: %+v", msgs[1])
		}
		if msgs[2].Event != models.NoticeClosed {
			t.Errorf("closed message: %+v", msgs[2])
		}
		keys := map[string]bool{}
		for _, m := range msgs {
			if keys[m.IdempotencyKey] || m.IdempotencyKey == "" {
				t.Errorf("key %q not unique", m.IdempotencyKey)
			}
			keys[m.IdempotencyKey] = true
		}
	})
}

func TestDenunciationOnlyByTheChair(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, func(in *models.PetitionInput) {
			in.Kind, in.PetitionerIDNumber = "to_cao", "079123456789"
			in.Consent = models.ConsentInput{Agrees: true, Channel: "sms"}
		})
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Đã xác minh, xử lý theo quy định."})
		if n := len(outbox(t, s)); n != 0 {
			t.Fatalf("a denunciation wrote %d messages by itself", n)
		}
		if err := s.SendResidentNotice(ctx, pw.secretary, p.ID, models.NoticeAnswered); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("secretary sends: %v", err)
		}
		if err := s.SendResidentNotice(ctx, pw.chair, p.ID, models.NoticeClosed); err == nil {
			t.Fatal("the chair told of a closing that did not happen")
		}
		if err := s.SendResidentNotice(ctx, pw.chair, p.ID, models.NoticeAnswered); err != nil {
			t.Fatal(err)
		}
		msgs := outbox(t, s)
		if len(msgs) != 1 || msgs[0].Event != models.NoticeAnswered {
			t.Fatalf("chair's message: %+v", msgs)
		}
		events, err := s.PetitionEvents(ctx, pw.chair, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := events[len(events)-1]; last.Kind != models.EventNoticeSent {
			t.Errorf("last event %s", last.Kind)
		}
	})
}

func TestConsentChangeAndOptOut(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		p := pw.log(t, nil)
		if _, err := s.UpdateConsent(ctx, pw.inspect, p.ID, models.ConsentInput{Agrees: true, Channel: "sms"}, &p.Version); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("inspector changes consent: %v", err)
		}
		stale := p.Version + 5
		if _, err := s.UpdateConsent(ctx, pw.secretary, p.ID, models.ConsentInput{Agrees: true, Channel: "sms"}, &stale); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale consent change: %v", err)
		}
		p, err := s.UpdateConsent(ctx, pw.secretary, p.ID, models.ConsentInput{Agrees: true, Channel: "zalo"}, &p.Version)
		if err != nil {
			t.Fatal(err)
		}
		if p.Consent == nil || p.Consent.Channel != models.NotifyZalo || p.Consent.Contact != "84909123456" {
			t.Fatalf("consent: %+v", p.Consent)
		}
		events, _ := s.PetitionEvents(ctx, pw.secretary, p.ID)
		last := events[len(events)-1]
		if last.Kind != models.EventConsentChanged || strings.Contains(string(last.Data), "8490") {
			t.Fatalf("consent event %s %s", last.Kind, last.Data)
		}
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: "Xã sẽ lắp đặt trong quý III."})
		if n := len(outbox(t, s)); n != 1 {
			t.Fatalf("after consenting and answering: %d messages", n)
		}
		// Opting out by the link cancels what waits and stops what would follow.
		var token string
		if err := s.Gorm().Table("petitions").Where("id = ?", p.ID).Pluck("opt_out_token", &token).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.OptOut(ctx, strings.Repeat("0", 32)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		ref, err := s.OptOut(ctx, token)
		if err != nil || ref != p.Reference {
			t.Fatalf("opt out: %q %v", ref, err)
		}
		if msgs := outbox(t, s); msgs[0].Status != models.NotificationCancelled {
			t.Fatalf("waiting message not cancelled: %s", msgs[0].Status)
		}
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "closed", Reason: "explained"})
		if n := len(outbox(t, s)); n != 1 {
			t.Fatalf("a message was written after the opt-out: %d", n)
		}
		// A reply keyword from the phone opts out every petition of that number.
		q := pw.log(t, consenting("sms", "0912 000 111"))
		n, err := s.OptOutByContact(ctx, models.NotifySMS, "+84912000111")
		if err != nil || n != 1 {
			t.Fatalf("opt out by contact: %d %v", n, err)
		}
		if n, err := s.OptOutByReply(ctx, models.NotifySMS, "0912000111", "cảm ơn"); n != 0 || err != nil {
			t.Fatalf("a reply that is no keyword: %d %v", n, err)
		}
		for _, kw := range []string{"TỪ CHỐI", "tu choi", "Hủy", "STOP."} {
			if !models.IsOptOutReply(kw) {
				t.Errorf("%q is an opt-out reply", kw)
			}
		}
		q, _ = s.Petition(ctx, pw.secretary, q.ID)
		if q.Consent == nil || !q.Consent.OptedOut || q.Consent.Agrees {
			t.Fatalf("after keyword: %+v", q.Consent)
		}
	})
}

func TestAssignmentTellsTheUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		if err := s.Gorm().Exec("UPDATE users SET email = ? WHERE id = ?", "secretary.a@example.vn", pw.w.SecretaryA.ID).Error; err != nil {
			t.Fatal(err)
		}
		p := pw.log(t, nil)
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.CommuneA.ID})
		items, _, unread, err := s.MyNotifications(ctx, pw.secretary, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if unread != 1 || len(items) != 1 || items[0].PetitionID == nil || *items[0].PetitionID != p.ID || !strings.Contains(items[0].Title, p.Reference) {
			t.Fatalf("secretary's list: %d %+v", unread, items)
		}
		if _, _, n, _ := s.MyNotifications(ctx, pw.chair, models.Page{}); n != 0 {
			t.Fatalf("the assigning chair was told: %d", n)
		}
		msgs := outbox(t, s)
		if len(msgs) != 1 || msgs[0].Event != models.NoticeAssigned || msgs[0].Recipient != "secretary.a@example.vn" {
			t.Fatalf("assignment e-mails: %+v", msgs)
		}
		if err := s.MarkNotificationsRead(ctx, pw.inspect, items[0].ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another user marks it read: %v", err)
		}
		if err := s.MarkNotificationsRead(ctx, pw.secretary, 0); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadNotifications(ctx, pw.secretary); n != 0 {
			t.Fatalf("unread after reading all: %d", n)
		}
	})
}

func TestClaimRetryFailResend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			pw.log(t, consenting("sms", ""))
		}
		first, err := s.ClaimNotifications(ctx, 2, time.Minute)
		if err != nil || len(first) != 2 {
			t.Fatalf("claim: %d %v", len(first), err)
		}
		second, err := s.ClaimNotifications(ctx, 5, time.Minute)
		if err != nil || len(second) != 1 || second[0].ID == first[0].ID || second[0].ID == first[1].ID {
			t.Fatalf("second claim: %+v %v", second, err)
		}
		if err := s.MarkNotificationSent(ctx, &first[0]); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkNotificationRetry(ctx, &first[1], s.Now().Add(time.Hour), "gateway 500"); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.ClaimNotifications(ctx, 5, time.Minute); len(again) != 0 {
			t.Fatalf("claimed before its time: %+v", again)
		}
		// A sender that died mid-delivery: its lease runs out and the message is taken again.
		base := time.Now()
		s.Now = func() time.Time { return base.Add(2 * time.Hour) }
		again, err := s.ClaimNotifications(ctx, 5, time.Minute)
		if err != nil || len(again) != 2 {
			t.Fatalf("after the lease and the back-off: %+v %v", again, err)
		}
		// The old claim of the reclaimed message no longer counts.
		if err := s.MarkNotificationSent(ctx, &second[0]); err != nil {
			t.Fatal(err)
		}
		for _, m := range again {
			if err := s.MarkNotificationFailed(ctx, &m, "gave up"); err != nil {
				t.Fatal(err)
			}
		}
		failed, _, err := s.Notifications(ctx, pw.admin, "failed", models.Page{})
		if err != nil || len(failed) != 2 || failed[0].MaskedRecipient != "84*******56" || failed[0].LastError != "gave up" {
			t.Fatalf("failed list: %+v %v", failed, err)
		}
		if _, _, err := s.Notifications(ctx, pw.chair, "failed", models.Page{}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("chair lists the outbox: %v", err)
		}
		if _, err := s.ResendNotification(ctx, pw.admin, first[0].ID); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("resending a sent message: %v", err)
		}
		re, err := s.ResendNotification(ctx, pw.admin, failed[0].ID)
		if err != nil || re.Status != models.NotificationPending || re.Attempts != 0 || re.IdempotencyKey != failed[0].IdempotencyKey {
			t.Fatalf("resend: %+v %v", re, err)
		}
		oldest, err := s.OldestWaiting(ctx)
		if err != nil || oldest.IsZero() {
			t.Fatalf("oldest waiting: %v %v", oldest, err)
		}
	})
}

func TestTemplates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		list, err := s.NotificationTemplates(ctx, pw.admin)
		if err != nil || len(list) != 13 || list[0].Event != models.NoticeReceived {
			t.Fatalf("templates: %d %v", len(list), err)
		}
		if _, err := s.NotificationTemplates(ctx, pw.chair); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("chair reads templates: %v", err)
		}
		zero := 0
		_, err = s.UpdateNotificationTemplate(ctx, pw.admin, models.NoticeAnswered, models.NotifyZalo,
			models.TemplateInput{Body: "Trả lời {reference}: {answer} {secret}" + strings.Repeat("x", 400), Version: &zero})
		var v *models.ValidationError
		if !errors.As(err, &v) || v.Fields["body"] == (models.Message{}) || v.Fields["zalo_template_id"] == (models.Message{}) {
			t.Fatalf("bad template: %v", err)
		}
		tpl, err := s.UpdateNotificationTemplate(ctx, pw.admin, models.NoticeAnswered, models.NotifyZalo,
			models.TemplateInput{Body: "Ý kiến {reference} đã được trả lời: {answer}", ZaloTemplateID: "231456", Version: &zero})
		if err != nil || !tpl.Custom || tpl.Version != 1 {
			t.Fatalf("save template: %+v %v", tpl, err)
		}
		if _, err := s.UpdateNotificationTemplate(ctx, pw.admin, models.NoticeAnswered, models.NotifyZalo,
			models.TemplateInput{Body: "x {reference}", ZaloTemplateID: "231456", Version: &zero}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale template: %v", err)
		}
		// A long answer is shortened so the Zalo message stays within 400 characters.
		p := pw.log(t, consenting("zalo", ""))
		pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "answered", Answer: strings.Repeat("Xã sẽ sửa đường. ", 200)})
		msgs := outbox(t, s)
		m := msgs[len(msgs)-1]
		if m.TemplateID != "231456" || utf8.RuneCountInString(m.Body) > 400 || !strings.HasPrefix(m.Body, "Ý kiến "+p.Reference) {
			t.Fatalf("zalo message: %q %d", m.Body, utf8.RuneCountInString(m.Body))
		}
		params := m.TemplateParams()
		if params["reference"] != p.Reference || params["answer"] == "" || len(params) != 2 {
			t.Fatalf("zalo params: %v", params)
		}
	})
}

func TestDailyDigest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		if err := s.Gorm().Exec("UPDATE users SET email = ? WHERE id = ?", "chair.a@example.vn", pw.w.ChairA.ID).Error; err != nil {
			t.Fatal(err)
		}
		today := calendar.DateOf(time.Now())
		soon := pw.log(t, nil)
		pw.mustMove(t, pw.chair, soon, models.TransitionInput{To: "assigned", ResponsibleName: "Ban địa chính", DueOn: string(today.AddDays(2))})
		late := pw.log(t, nil)
		pw.mustMove(t, pw.chair, late, models.TransitionInput{To: "assigned", ResponsibleName: "Ban địa chính"})
		if err := s.Gorm().Exec("UPDATE petitions SET due_on = ? WHERE id = ?", today.AddDays(-4), late.ID).Error; err != nil {
			t.Fatal(err)
		}
		far := pw.log(t, nil)
		pw.mustMove(t, pw.chair, far, models.TransitionInput{To: "assigned", ResponsibleName: "Ban địa chính", DueOn: string(today.AddDays(20))})
		n, err := s.QueueDailyDigest(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		// Chair A and the district official follow commune A; chair B and the other chair have nothing due.
		if n != 2 {
			t.Fatalf("digests written: %d", n)
		}
		if again, err := s.QueueDailyDigest(ctx, today); err != nil || again != 0 {
			t.Fatalf("second run of the day: %d %v", again, err)
		}
		items, _, _, _ := s.MyNotifications(ctx, pw.chair, models.Page{})
		if len(items) != 1 || !strings.Contains(items[0].Title, "1 ý kiến sắp đến hạn, 1 ý kiến quá hạn") ||
			!strings.Contains(items[0].Body, soon.Reference) || !strings.Contains(items[0].Body, late.Reference) ||
			strings.Contains(items[0].Body, far.Reference) {
			t.Fatalf("chair's digest: %+v", items)
		}
		if items, _, _, _ := s.MyNotifications(ctx, pw.chairB, models.Page{}); len(items) != 0 {
			t.Fatalf("chair B got a digest: %+v", items)
		}
		var mails []models.Notification
		s.Gorm().Where("event = ?", "digest").Find(&mails)
		if len(mails) != 1 || mails[0].Recipient != "chair.a@example.vn" || !strings.Contains(mails[0].Body, late.Reference) {
			t.Fatalf("digest e-mails: %+v", mails)
		}
	})
}

// TestDigestCountsDueSoonInWorkingDays writes the digest of Wednesday 29 April 2026: the next
// two days are public holidays (30 April, 1 May) and a weekend follows, so the three working
// days of the due_soon window end on Wednesday 6 May. The digest lists what the petition list's
// due_soon filter lists that day, and follows an admin's extra day off.
func TestDigestCountsDueSoonInWorkingDays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		day := calendar.DateFor(2026, 4, 29)
		s.Now = func() time.Time { return day.Start().Add(9 * time.Hour) }
		due := map[string]*models.Petition{}
		for _, d := range []string{"2026-04-28", "2026-05-04", "2026-05-06", "2026-05-07"} {
			p := pw.log(t, nil)
			pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "assigned", ResponsibleName: "Ban địa chính", DueOn: "2026-06-30"})
			if err := s.Gorm().Exec("UPDATE petitions SET due_on = ? WHERE id = ?", d, p.ID).Error; err != nil {
				t.Fatal(err)
			}
			due[d] = p
		}
		digest := func(d calendar.Date) string {
			t.Helper()
			if _, err := s.QueueDailyDigest(ctx, d); err != nil {
				t.Fatal(err)
			}
			var n models.UserNotification
			if err := s.Gorm().Where("user_id = ? AND event = ?", pw.w.ChairA.ID, "digest").Order("id DESC").First(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n.Title + "\n" + n.Body
		}
		listed := func() map[string]bool {
			items, _, err := s.Petitions(ctx, pw.chair, models.PetitionFilter{DueSoon: "true", Page: models.Page{Limit: 200}})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, p := range items {
				out[p.Reference] = true
			}
			return out
		}
		check := func(text string, soon []string, notListed []string) {
			t.Helper()
			inList := listed()
			for _, d := range soon {
				if !strings.Contains(text, due[d].Reference+": hạn "+d+", sắp đến hạn") || !inList[due[d].Reference] {
					t.Errorf("due %s: not due soon in the digest or the list:\n%s", d, text)
				}
			}
			for _, d := range notListed {
				if strings.Contains(text, due[d].Reference) || inList[due[d].Reference] {
					t.Errorf("due %s: listed as due soon:\n%s", d, text)
				}
			}
			if !strings.Contains(text, due["2026-04-28"].Reference+": hạn 2026-04-28, quá hạn") {
				t.Errorf("the late petition is missing:\n%s", text)
			}
		}
		text := digest(day)
		check(text, []string{"2026-05-04", "2026-05-06"}, []string{"2026-05-07"})
		if !strings.Contains(text, "Ngày 2026-04-29: 2 ý kiến sắp đến hạn, 1 ý kiến quá hạn") {
			t.Errorf("digest title:\n%s", text)
		}
		// A Government decision gives Monday 4 May off: the window reaches Thursday 7 May.
		off := false
		if _, err := s.SetCalendarDay(ctx, pw.admin, "2026-05-04", models.CalendarDecision{Working: &off, LegalBasis: "Thông báo nghỉ bù"}); err != nil {
			t.Fatal(err)
		}
		next := calendar.DateFor(2026, 4, 30)
		s.Now = func() time.Time { return next.Start().Add(9 * time.Hour) }
		check(digest(next), []string{"2026-05-04", "2026-05-06", "2026-05-07"}, nil)
	})
}

// TestMessageLinks checks where messages point: a petition's public permalink, its commune's
// board when the petition is kept off the public board, and the signed-in page for officials.
func TestMessageLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		s.PublicURL = "https://papi.example.gov.vn/"
		public := pw.log(t, consenting("email", "ba.nguyen@example.vn"))
		private := pw.log(t, func(in *models.PetitionInput) {
			consenting("email", "ba.nguyen@example.vn")(in)
			in.Private = true
		})
		if err := s.Gorm().Exec("UPDATE users SET email = ? WHERE id = ?", "thu.ky@example.vn", pw.w.SecretaryA.ID).Error; err != nil {
			t.Fatal(err)
		}
		pw.mustMove(t, pw.chair, public, models.TransitionInput{To: "assigned", ResponsibleUnitID: &pw.w.CommuneA.ID, DueOn: "2030-01-31"})
		want := map[string]string{
			"petition-" + strconv.FormatInt(public.ID, 10) + "-received":  "https://papi.example.gov.vn/public/p/" + public.Reference + "\n",
			"petition-" + strconv.FormatInt(private.ID, 10) + "-received": "https://papi.example.gov.vn/public/" + strconv.FormatInt(pw.w.CommuneA.ID, 10) + "\n",
			"petition-" + strconv.FormatInt(public.ID, 10) + "-assigned":  "https://papi.example.gov.vn/petitions/" + strconv.FormatInt(public.ID, 10) + "\n",
		}
		for _, m := range outbox(t, s) {
			k := "petition-" + strconv.FormatInt(*m.PetitionID, 10) + "-" + string(m.Event)
			if link, ok := want[k]; !ok || !strings.Contains(m.Body, link) {
				t.Errorf("%s: %q lacks %q", k, m.Body, link)
			}
			delete(want, k)
		}
		if len(want) != 0 {
			t.Errorf("messages not written: %v", want)
		}
		if r, _ := s.PetitionReceipt(context.Background(), pw.secretary, private.ID); r == nil || r.Link != "" {
			t.Errorf("a private petition's receipt carries a link: %+v", r)
		}
	})
}

// TestAssignmentTellsTheOfficerNamed checks who hears of an assignment: the user who holds the
// named officer's function, not the whole commune; on a hand-over, the new holder.
func TestAssignmentTellsTheOfficerNamed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		pw := newPetitionWorld(t, s)
		ctx := context.Background()
		for id, email := range map[int64]string{pw.w.SecretaryA.ID: "thu.ky@tanthoi.gov.vn", pw.w.InspectorA.ID: "thanh.tra@tanthoi.gov.vn"} {
			if err := s.Gorm().Exec("UPDATE users SET email = ? WHERE id = ?", email, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		officer := func(name string, holder int64) *models.Assignee {
			a, err := s.CreateAssignee(ctx, pw.chair, models.AssigneeInput{CommuneID: pw.w.CommuneA.ID, Name: &name, UserID: &holder})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		land, culture := officer("Công chức địa chính", pw.w.SecretaryA.ID), officer("Công chức văn hóa", pw.w.InspectorA.ID)
		told := func() map[int64]int {
			var rows []models.UserNotification
			s.Gorm().Where("event = ?", "assigned").Find(&rows)
			out := map[int64]int{}
			for _, r := range rows {
				out[r.UserID]++
			}
			return out
		}
		mailed := func() []string {
			var to []string
			s.Gorm().Table("notifications").Where("event = ?", "assigned").Order("id").Pluck("recipient", &to)
			return to
		}
		p := pw.log(t, nil)
		p = pw.mustMove(t, pw.chair, p, models.TransitionInput{To: "assigned", AssigneeID: &land.ID})
		if got := told(); len(got) != 1 || got[pw.w.SecretaryA.ID] != 1 {
			t.Fatalf("after the assignment: %v", got)
		}
		if got := mailed(); len(got) != 1 || got[0] != "thu.ky@tanthoi.gov.vn" {
			t.Fatalf("e-mails: %v", got)
		}
		if _, err := s.ReassignPetition(ctx, pw.chair, p.ID, models.Reassignment{AssigneeID: &culture.ID, Version: &p.Version}); err != nil {
			t.Fatal(err)
		}
		if got := told(); len(got) != 2 || got[pw.w.InspectorA.ID] != 1 {
			t.Fatalf("after the hand-over: %v", got)
		}
		if got := mailed(); len(got) != 2 || got[1] != "thanh.tra@tanthoi.gov.vn" {
			t.Fatalf("e-mails: %v", got)
		}
	})
}
