package notify_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
	"github.com/papi-dialogue/papi/notify"
)

func TestMain(m *testing.M) { dbtest.Main(m, removePapiBinary) }

// fixture is a fresh database with the dbtest world, a clock the test moves, and a log buffer.
type fixture struct {
	s         *models.Store
	w         *dbtest.World
	secretary models.Actor
	clock     time.Time
	logs      *bytes.Buffer
}

func newFixture(t *testing.T, s *models.Store) *fixture {
	f := &fixture{s: s, w: dbtest.NewWorld(t, s), clock: time.Now().UTC(), logs: &bytes.Buffer{}}
	f.secretary = f.w.Actor(t, s, f.w.SecretaryA)
	s.Now = func() time.Time { return f.clock }
	s.PublicURL = "https://papi.example.gov.vn"
	return f
}

// petition logs a petition of commune A whose petitioner agreed to the channel and contact.
func (f *fixture) petition(t *testing.T, channel, contact string) *models.Petition {
	t.Helper()
	p, err := f.s.CreatePetition(context.Background(), f.secretary, models.PetitionInput{
		CommuneID: f.w.CommuneA.ID, HamletID: f.w.HamletA1.ID, Channel: "reception", Kind: "kien_nghi", TopicCode: "NS",
		Content: "Đề nghị lắp đặt đường ống nước sạch cho ấp Tân Hòa.", PetitionerName: "Nguyễn Văn Ba",
		PetitionerPhone: "0909 123 456", Consent: models.ConsentInput{Agrees: true, Channel: channel, Contact: contact}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) sender(channels notify.Channels) *notify.Sender {
	sn := notify.NewSender(f.s, channels, slog.New(slog.NewTextHandler(f.logs, nil)))
	sn.Backoff, sn.MaxBackoff, sn.MaxAttempts, sn.Timeout = time.Minute, 10*time.Minute, 4, 5*time.Second
	return sn
}

func (f *fixture) status(t *testing.T) map[string]int {
	t.Helper()
	var rows []struct {
		Status string
		N      int
	}
	if err := f.s.Gorm().Raw("SELECT status, COUNT(*) AS n FROM notifications GROUP BY status").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out
}

func emailChannel(mb *mailbox) *notify.Email {
	host, port, _ := net.SplitHostPort(mb.addr)
	p, _ := strconv.Atoi(port)
	return notify.NewEmail(notify.SMTPConfig{Host: host, Port: p, Username: smtpUser, Password: smtpPassword,
		From: "UBND xã Tân Thới <noreply@tanthoi.gov.vn>", TLS: "starttls", TLSConfig: mb.client})
}

func TestEmailArrivesOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		mb := startMailbox(t, "127.0.0.1:0", nil, nil)
		p := f.petition(t, "email", "ba.nguyen@example.vn")
		sn := f.sender(notify.Channels{models.NotifyEmail: emailChannel(mb)})
		for i := 0; i < 2; i++ {
			if _, err := sn.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		got := mb.all()
		if len(got) != 1 {
			t.Fatalf("want one e-mail, got %d", len(got))
		}
		m := got[0]
		subject, _ := new(mimeDecoder).decode(m.Msg.Header.Get("Subject"))
		if m.To != "ba.nguyen@example.vn" || m.From != "noreply@tanthoi.gov.vn" || subject != "Đã tiếp nhận ý kiến "+p.Reference {
			t.Fatalf("envelope %s → %s, subject %q", m.From, m.To, subject)
		}
		body := decodeQP(t, m.Body)
		if !strings.Contains(body, "Ủy ban nhân dân Tân Thới đã tiếp nhận ý kiến của ông/bà, mã số "+p.Reference) ||
			!strings.Contains(body, "Ông/bà theo dõi kết quả xử lý tại: https://papi.example.gov.vn/public/p/"+p.Reference+"\n") || !strings.Contains(body, "/api/v1/public/opt-out/") {
			t.Fatalf("body %q", body)
		}
		if key := m.Msg.Header.Get("X-Idempotency-Key"); key == "" || !strings.Contains(m.Msg.Header.Get("Message-ID"), key) {
			t.Fatalf("idempotency headers: %v", m.Msg.Header)
		}
		if st := f.status(t); st[models.NotificationSent] != 1 || len(st) != 1 {
			t.Fatalf("outbox %v", st)
		}
		if testutil.ToFloat64(sentCounter(t, sn, "email")) != 1 {
			t.Fatal("sent counter")
		}
		if strings.Contains(f.logs.String(), "ba.nguyen") || strings.Contains(f.logs.String(), "Tân Thới") {
			t.Fatalf("personal data in the log: %s", f.logs)
		}
	})
}

func TestSMTPDownThenBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		serverTLS, clientTLS := selfSigned(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there yet: the server is down
		host, port, _ := net.SplitHostPort(addr)
		p, _ := strconv.Atoi(port)
		email := notify.NewEmail(notify.SMTPConfig{Host: host, Port: p, Username: smtpUser, Password: smtpPassword,
			From: "noreply@tanthoi.gov.vn", TLSConfig: clientTLS})
		f.petition(t, "email", "ba.nguyen@example.vn")
		sn := f.sender(notify.Channels{models.NotifyEmail: email})
		if _, err := sn.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if st := f.status(t); st[models.NotificationPending] != 1 {
			t.Fatalf("after the failed attempt: %v", st)
		}
		mb := startMailbox(t, addr, serverTLS, clientTLS)
		if n, _ := sn.RunOnce(context.Background()); n != 0 {
			t.Fatal("retried before the back-off")
		}
		f.clock = f.clock.Add(2 * time.Minute)
		if _, err := sn.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := mb.all(); len(got) != 1 || got[0].To != "ba.nguyen@example.vn" {
			t.Fatalf("after the server came back: %d", len(got))
		}
		if st := f.status(t); st[models.NotificationSent] != 1 {
			t.Fatalf("outbox %v", st)
		}
		if testutil.ToFloat64(retriedCounter(t, sn, "email")) != 1 {
			t.Fatal("retried counter")
		}
	})
}

func TestGateway500Then200(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		g := startGateway(t, 1)
		sms, err := notify.NewSMS(notify.SMSConfig{URL: g.srv.URL, Username: "key", Password: "secret", Brand: "UBND-TANTHOI"}, http.DefaultClient)
		if err != nil {
			t.Fatal(err)
		}
		p := f.petition(t, "sms", "")
		sn := f.sender(notify.Channels{models.NotifySMS: sms})
		sn.RunOnce(context.Background())
		f.clock = f.clock.Add(2 * time.Minute)
		sn.RunOnce(context.Background())
		f.clock = f.clock.Add(time.Hour)
		sn.RunOnce(context.Background())
		reqs := g.all()
		if len(reqs) != 2 {
			t.Fatalf("gateway saw %d requests, want 2 (500, then 200)", len(reqs))
		}
		if reqs[0]["RequestId"] != reqs[1]["RequestId"] || reqs[1]["Phone"] != "84909123456" ||
			reqs[1]["Brandname"] != "UBND-TANTHOI" || !strings.Contains(reqs[1]["Content"], p.Reference) {
			t.Fatalf("requests %v", reqs)
		}
		if st := f.status(t); st[models.NotificationSent] != 1 {
			t.Fatalf("outbox %v", st)
		}
	})
}

func TestRetriesThenFailedThenSendAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		g := startGateway(t, 4)
		sms, _ := notify.NewSMS(notify.SMSConfig{URL: g.srv.URL, Username: "key", Password: "secret"}, http.DefaultClient)
		f.petition(t, "sms", "")
		sn := f.sender(notify.Channels{models.NotifySMS: sms})
		var waits []time.Duration
		for i := 0; i < 4; i++ {
			sn.RunOnce(context.Background())
			var m models.Notification
			s.Gorm().First(&m)
			waits = append(waits, m.NextAttemptAt.Sub(f.clock).Round(time.Second))
			f.clock = f.clock.Add(time.Hour)
		}
		// Back-off doubles: 1m, 2m, 4m; the fourth attempt is the last.
		if waits[0] != time.Minute || waits[1] != 2*time.Minute || waits[2] != 4*time.Minute {
			t.Fatalf("back-off %v", waits)
		}
		if st := f.status(t); st[models.NotificationFailed] != 1 {
			t.Fatalf("outbox %v", st)
		}
		admin := f.w.Actor(t, s, f.w.Admin)
		failed, _, err := s.Notifications(context.Background(), admin, "failed", models.Page{})
		if err != nil || len(failed) != 1 || !strings.Contains(failed[0].LastError, "HTTP 500") {
			t.Fatalf("failed list %+v %v", failed, err)
		}
		if _, err := s.ResendNotification(context.Background(), admin, failed[0].ID); err != nil {
			t.Fatal(err)
		}
		sn.RunOnce(context.Background())
		if st := f.status(t); st[models.NotificationSent] != 1 || len(g.all()) != 5 {
			t.Fatalf("after sending again: %v, %d requests", st, len(g.all()))
		}
		if testutil.ToFloat64(failedCounter(t, sn, "sms")) != 1 || testutil.ToFloat64(retriedCounter(t, sn, "sms")) != 3 {
			t.Fatal("counters")
		}
	})
}

func TestNoChannelRecordsNotSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		f.petition(t, "zalo", "")
		sn := f.sender(notify.Channels{})
		if _, err := sn.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		var m models.Notification
		s.Gorm().First(&m)
		if m.Status != models.NotificationUnsent || !strings.Contains(m.LastError, "not configured") {
			t.Fatalf("message %s %q", m.Status, m.LastError)
		}
	})
}

func TestZaloTemplateWithTokenRenewal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		z := startZalo(t)
		admin := f.w.Actor(t, s, f.w.Admin)
		zero := 0
		if _, err := s.UpdateNotificationTemplate(context.Background(), admin, models.NoticeReceived, models.NotifyZalo, models.TemplateInput{
			Body: "UBND {commune} đã tiếp nhận ý kiến {reference}. Theo dõi tại {link}", ZaloTemplateID: "231456", Version: &zero}); err != nil {
			t.Fatal(err)
		}
		// A stored token Zalo no longer takes: renewed once, then the message goes.
		if err := s.SaveChannelToken(context.Background(), &models.ChannelToken{Channel: "zalo", AccessToken: "revoked",
			RefreshToken: "refresh-1", ExpiresAt: f.clock.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		zalo := notify.NewZalo(notify.ZaloConfig{APIURL: z.srv.URL + "/message/template", OAuthURL: z.srv.URL + "/v4/oa/access_token",
			AppID: "app-1", SecretKey: "zalo-secret", RefreshToken: "not-used"}, s, http.DefaultClient)
		p := f.petition(t, "zalo", "")
		f.petition(t, "zalo", "0912 000 111")
		sn := f.sender(notify.Channels{models.NotifyZalo: zalo})
		sn.RunOnce(context.Background())
		if len(z.messages) != 2 || z.renewals != 1 {
			t.Fatalf("zalo got %d messages after %d renewals", len(z.messages), z.renewals)
		}
		m := z.messages[0]
		data := m["template_data"].(map[string]any)
		if m["phone"] != "84909123456" || m["template_id"] != "231456" || data["reference"] != p.Reference ||
			data["commune"] != "Tân Thới" || m["tracking_id"] == "" || z.messages[1]["phone"] != "84912000111" {
			t.Fatalf("zalo message %v", m)
		}
		tok, err := s.LoadChannelToken(context.Background(), "zalo")
		if err != nil || tok.RefreshToken != z.refresh {
			t.Fatalf("stored tokens %+v %v", tok, err)
		}
	})
}

// blockingChannel delivers through next, then hangs as a process would that is killed before it
// records the delivery.
type blockingChannel struct {
	next      notify.Channel
	delivered chan struct{}
}

func (b *blockingChannel) Send(ctx context.Context, m *models.Notification) error {
	if err := b.next.Send(ctx, m); err != nil {
		return err
	}
	close(b.delivered)
	<-ctx.Done()
	return ctx.Err()
}

func TestSenderKilledMidDelivery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		mb := startMailbox(t, "127.0.0.1:0", nil, nil)
		f.petition(t, "email", "ba.nguyen@example.vn")
		block := &blockingChannel{next: emailChannel(mb), delivered: make(chan struct{})}
		dying := f.sender(notify.Channels{models.NotifyEmail: block})
		dying.Timeout = time.Minute
		ctx, kill := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { dying.RunOnce(ctx); close(done) }()
		select {
		case <-block.delivered:
		case <-done:
			t.Fatal("the first sender did not deliver")
		}
		kill()
		<-done
		if st := f.status(t); st[models.NotificationSending] != 1 {
			t.Fatalf("after the kill: %v", st)
		}
		// A new process: nothing until the dead one's lease runs out, then the message goes again.
		restarted := f.sender(notify.Channels{models.NotifyEmail: emailChannel(mb)})
		if n, _ := restarted.RunOnce(context.Background()); n != 0 {
			t.Fatal("taken while the lease holds")
		}
		f.clock = f.clock.Add(3 * time.Minute)
		restarted.RunOnce(context.Background())
		got := mb.all()
		if len(got) != 2 || got[0].Msg.Header.Get("X-Idempotency-Key") != got[1].Msg.Header.Get("X-Idempotency-Key") {
			t.Fatalf("want the message and one copy with the same key, got %d", len(got))
		}
		if st := f.status(t); st[models.NotificationSent] != 1 || len(st) != 1 {
			t.Fatalf("outbox %v", st)
		}
	})
}

func TestTwoSendersOnOnePostgres(t *testing.T) {
	if len(dbtest.Dialects(t)) < 2 {
		t.Skip("PostgreSQL not configured")
	}
	url := dbtest.NewDatabase(t, models.Postgres)
	open := func() *models.Store {
		s, err := models.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	f := newFixture(t, a)
	const n = 60
	for i := 0; i < n; i++ {
		f.petition(t, "sms", "")
	}
	g := startGateway(t, 0)
	var wg sync.WaitGroup
	for _, s := range []*models.Store{a, b} {
		sms, _ := notify.NewSMS(notify.SMSConfig{URL: g.srv.URL, Username: "key", Password: "secret"}, http.DefaultClient)
		sn := notify.NewSender(s, notify.Channels{models.NotifySMS: sms}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		sn.Batch = 3
		wg.Add(1)
		go func() {
			defer wg.Done()
			for idle := 0; idle < 3; {
				if k, _ := sn.RunOnce(context.Background()); k == 0 {
					idle++
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range g.all() {
		seen[r["RequestId"]]++
	}
	for key, c := range seen {
		if c != 1 {
			t.Errorf("message %s sent %d times", key, c)
		}
	}
	if len(seen) != n || len(g.all()) != n {
		t.Fatalf("%d distinct messages in %d requests, want %d", len(seen), len(g.all()), n)
	}
}

func TestConfigFromEnv(t *testing.T) {
	bad := map[string]map[string]string{
		"PAPI_PUBLIC_URL":   {"PAPI_PUBLIC_URL": "papi.example"},
		"PAPI_SMTP_FROM":    {"PAPI_SMTP_HOST": "smtp.example.vn", "PAPI_SMTP_FROM": "not an address"},
		"PAPI_SMTP_PORT":    {"PAPI_SMTP_HOST": "smtp.example.vn", "PAPI_SMTP_PORT": "x", "PAPI_SMTP_FROM": "a@b.vn"},
		"PAPI_SMTP_TLS":     {"PAPI_SMTP_HOST": "smtp.example.vn", "PAPI_SMTP_FROM": "a@b.vn", "PAPI_SMTP_TLS": "maybe"},
		"PAPI_SMS_URL":      {"PAPI_SMS_URL": "ftp://x"},
		"PAPI_SMS_BODY":     {"PAPI_SMS_URL": "https://sms.example.vn/send", "PAPI_SMS_BODY": "{{.To"},
		"PAPI_ZALO_APP_ID":  {"PAPI_ZALO_APP_ID": "1"},
		"PAPI_NOTIFY_LEASE": {"PAPI_NOTIFY_LEASE": "1s"},
	}
	for name, vars := range bad {
		_, err := notify.ConfigFromEnv(func(k string) string { return vars[k] })
		if err == nil || !strings.HasPrefix(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, err := notify.ConfigFromEnv(func(k string) string {
		return map[string]string{"PAPI_SMTP_HOST": "smtp.example.vn", "PAPI_SMTP_FROM": "UBND <noreply@example.vn>"}[k]
	})
	if err != nil || c.SMTP == nil || c.SMTP.Port != 587 || c.SMTP.TLS != "starttls" || c.SMS != nil || c.Zalo != nil {
		t.Fatalf("config %+v %v", c, err)
	}
}

// slowChannel delivers through next, each delivery taking the fixture's clock forward by step.
type slowChannel struct {
	next notify.Channel
	f    *fixture
	step time.Duration
}

func (c *slowChannel) Send(ctx context.Context, m *models.Notification) error {
	c.f.clock = c.f.clock.Add(c.step)
	return c.next.Send(ctx, m)
}

// TestBatchOutlivingItsClaimLeavesTheRest checks that a sender whose batch takes longer than its
// claim does not start a delivery the claim no longer covers, since another sender may have
// taken that message meanwhile: the rest goes in a later claim, each message once.
func TestBatchOutlivingItsClaimLeavesTheRest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		mb := startMailbox(t, "127.0.0.1:0", nil, nil)
		for i := 0; i < 4; i++ {
			f.petition(t, "email", "ba.nguyen@example.vn")
		}
		sn := f.sender(notify.Channels{models.NotifyEmail: &slowChannel{next: emailChannel(mb), f: f, step: 50 * time.Second}})
		sn.Lease, sn.Timeout = 2*time.Minute, 30*time.Second
		if n, err := sn.RunOnce(context.Background()); err != nil || n != 4 {
			t.Fatalf("claimed %d: %v", n, err)
		}
		// 0 s, 50 s and 100 s into a 120 s claim: two deliveries fit with their 30 s timeout.
		if got, st := len(mb.all()), f.status(t); got != 2 || st[models.NotificationSent] != 2 || st[models.NotificationSending] != 2 {
			t.Fatalf("after the first batch: %d delivered, outbox %v", got, st)
		}
		// Once the claim has run out, the two left go, in a claim of their own.
		f.clock = f.clock.Add(time.Minute)
		for i := 0; i < 3; i++ {
			sn.RunOnce(context.Background())
		}
		keys := map[string]int{}
		for _, m := range mb.all() {
			keys[m.Msg.Header.Get("X-Idempotency-Key")]++
		}
		if len(keys) != 4 || len(mb.all()) != 4 {
			t.Fatalf("%d messages for %d keys", len(mb.all()), len(keys))
		}
		if st := f.status(t); st[models.NotificationSent] != 4 {
			t.Fatalf("outbox %v", st)
		}
	})
}

// An official who chose SMS gets the assignment through the gateway once, as one plain GSM
// segment (IsUnicode "0"), while a resident's SMS goes as Unicode with its Vietnamese letters.
func TestOfficialSMSThroughTheGateway(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		g := startGateway(t, 0)
		sms, err := notify.NewSMS(notify.SMSConfig{URL: g.srv.URL, Username: "key", Password: "secret", Brand: "UBND-TANTHOI"}, http.DefaultClient)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Gorm().Exec("UPDATE users SET phone = ?, sms_notices = ? WHERE id = ?", "84912345678", true, f.w.SecretaryA.ID).Error; err != nil {
			t.Fatal(err)
		}
		p := f.petition(t, "sms", "")
		chair := f.w.Actor(t, s, f.w.ChairA)
		if _, err := s.TransitionPetition(context.Background(), chair, p.ID, models.TransitionInput{To: "assigned",
			ResponsibleUnitID: &f.w.CommuneA.ID, Version: &p.Version}); err != nil {
			t.Fatal(err)
		}
		sn := f.sender(notify.Channels{models.NotifySMS: sms})
		for i := 0; i < 2; i++ {
			if _, err := sn.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		var official, resident []map[string]string
		for _, r := range g.all() {
			if r["Phone"] == "84912345678" {
				official = append(official, r)
			} else {
				resident = append(resident, r)
			}
		}
		if len(official) != 1 || len(resident) != 1 {
			t.Fatalf("gateway saw %d official and %d resident messages", len(official), len(resident))
		}
		o := official[0]
		if o["IsUnicode"] != "0" || !models.IsGSM7(o["Content"]) || len(o["Content"]) > 160 ||
			!strings.HasPrefix(o["Content"], "PAPI Tan Thoi: y kien "+p.Reference) || !strings.Contains(o["RequestId"], "-sms") {
			t.Fatalf("official SMS %v", o)
		}
		if resident[0]["IsUnicode"] != "1" || !strings.Contains(resident[0]["Content"], "Tân Thới") {
			t.Fatalf("resident SMS %v", resident[0])
		}
		if st := f.status(t); st[models.NotificationSent] != 2 || len(st) != 1 {
			t.Fatalf("outbox %v", st)
		}
		if strings.Contains(f.logs.String(), "84912345678") {
			t.Fatalf("a phone number in the log: %s", f.logs)
		}
	})
}
