package api

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
)

// logConsenting logs a petition of commune A whose petitioner agreed to SMS.
func logConsenting(t *testing.T, c *client, e *testEnv, kind string) map[string]any {
	t.Helper()
	r := c.do("POST", "/api/v1/petitions", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID,
		"channel": "reception", "kind": kind, "topic_code": "NS", "content": "Đề nghị sửa đường ống nước ấp Tân Hòa.",
		"name": "Nguyễn Văn Ba", "phone": "0909 123 456", "id_number": "079123456789", "consent": map[string]any{"agrees": true, "channel": "sms"}})
	expect(t, r, 201)
	return r.m(t)
}

func TestConsentAndOptOutOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		bad := sec.do("POST", "/api/v1/petitions", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID,
			"channel": "reception", "kind": "kien_nghi", "topic_code": "NS", "content": "Đề nghị sửa đường ống nước ấp Tân Hòa.",
			"anonymous": true, "consent": map[string]any{"agrees": true, "channel": "email", "contact": "x"}})
		expect(t, bad, 422)
		if f := fieldErrors(t, bad); f["consent"] == "" {
			t.Fatalf("fields: %v", f)
		}
		p := logConsenting(t, sec, e, "kien_nghi")
		consent := p["consent"].(map[string]any)
		if consent["contact"] != "84909123456" || consent["channel"] != "sms" {
			t.Fatalf("consent: %v", consent)
		}
		id := int64(p["id"].(float64))
		r := sec.do("PUT", fmt.Sprintf("/api/v1/petitions/%d/consent", id), map[string]any{"agrees": true, "channel": "email",
			"contact": "ba@example.vn", "version": p["version"]})
		expect(t, r, 200)
		if c := r.m(t)["consent"].(map[string]any); c["channel"] != "email" {
			t.Fatalf("after change: %v", c)
		}
		var token string
		if err := e.store.Gorm().Table("petitions").Where("id = ?", id).Pluck("opt_out_token", &token).Error; err != nil {
			t.Fatal(err)
		}
		page := e.anon().do("GET", "/api/v1/public/opt-out/"+token, nil)
		expect(t, page, 200)
		if !strings.Contains(page.Body.String(), "<form method=\"post\">") {
			t.Fatalf("opt-out page: %s", page.Body)
		}
		expect(t, e.anon().do("POST", "/api/v1/public/opt-out/"+strings.Repeat("a", 32), nil), 404)
		done := e.anon().do("POST", "/api/v1/public/opt-out/"+token, nil, "Accept", "application/json")
		expect(t, done, 200)
		if done.m(t)["reference"] != p["reference"] {
			t.Fatalf("opt-out: %s", done.Body)
		}
		got := sec.do("GET", fmt.Sprintf("/api/v1/petitions/%d", id), nil).m(t)["consent"].(map[string]any)
		if got["opted_out"] != true || got["agrees"] != false {
			t.Fatalf("after opt-out: %v", got)
		}
	})
}

// TestNotificationPermissions checks the notification endpoints for every role.
func TestNotificationPermissions(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair := e.as(e.world.ChairA)
		den := logConsenting(t, chair, e, "to_cao")
		denID := int64(den["id"].(float64))
		var failedID int64
		if err := e.store.Gorm().Raw(`INSERT INTO notifications (idempotency_key, event, channel, recipient, body, status, attempts,
			next_attempt_at, last_error) VALUES ('k1', 'received', 'sms', '84909123456', 'x', 'failed', 8, CURRENT_TIMESTAMP, 'gateway 500')
			RETURNING id`).Scan(&failedID).Error; err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, method string
			path         func() string
			body         any
			want         map[models.Role]int
		}{
			{"list outbox", "GET", func() string { return "/api/v1/outbox?status=failed" }, nil,
				map[models.Role]int{models.RoleAdmin: 200}},
			{"resend", "POST", func() string { return fmt.Sprintf("/api/v1/outbox/%d/resend", failedID) }, nil,
				map[models.Role]int{models.RoleAdmin: 200}},
			{"templates", "GET", func() string { return "/api/v1/notification-templates" }, nil,
				map[models.Role]int{models.RoleAdmin: 200}},
			{"edit template", "PUT", func() string { return "/api/v1/notification-templates/closed/sms" },
				map[string]any{"body": "Ý kiến {reference} đã đóng.", "version": 0}, map[models.Role]int{models.RoleAdmin: 200}},
			{"my notifications", "GET", func() string { return "/api/v1/notifications" }, nil,
				map[models.Role]int{models.RoleAdmin: 200, models.RoleDistrictOfficial: 200, models.RoleCommuneChair: 200,
					models.RoleSecretary: 200, models.RoleInspector: 200}},
			{"chair sends a denunciation's message", "POST", func() string { return fmt.Sprintf("/api/v1/petitions/%d/notices", denID) },
				map[string]any{"event": "received"}, map[models.Role]int{models.RoleAdmin: 202, models.RoleCommuneChair: 202,
					models.RoleSecretary: 403, models.RoleInspector: 403, models.RoleDistrictOfficial: 403}},
			{"change consent of a denunciation", "PUT", func() string { return fmt.Sprintf("/api/v1/petitions/%d/consent", denID) },
				map[string]any{"agrees": false, "version": 999}, map[models.Role]int{models.RoleAdmin: 409, models.RoleCommuneChair: 409,
					models.RoleSecretary: 403, models.RoleInspector: 403, models.RoleDistrictOfficial: 403}},
		}
		for _, role := range models.Roles() {
			c := e.as(userOf(e.world, role))
			for _, tc := range cases {
				if tc.name == "resend" {
					e.store.Gorm().Exec("UPDATE notifications SET status = 'failed' WHERE id = ?", failedID)
				}
				want, ok := tc.want[role]
				if !ok {
					want = 403
				}
				if tc.name == "edit template" && role == models.RoleAdmin {
					e.store.Gorm().Exec("DELETE FROM notification_templates")
				}
				r := c.do(tc.method, tc.path(), tc.body)
				if r.Code != want {
					t.Errorf("%s as %s: %d, want %d (%s)", tc.name, role, r.Code, want, r.Body.String())
				}
			}
		}
		admin := e.as(e.world.Admin)
		expect(t, admin.do("GET", "/api/v1/outbox?status=lost", nil), 422)
		var list struct {
			Items []map[string]any `json:"items"`
		}
		admin.do("GET", "/api/v1/outbox?status=pending", nil).decode(t, &list)
		for _, m := range list.Items {
			if strings.Contains(fmt.Sprint(m), "84909123456") {
				t.Fatalf("the outbox list shows a whole phone number: %v", m)
			}
		}
		r := admin.do("PUT", "/api/v1/notification-templates/answered/zalo", map[string]any{"body": "{answer} {nope}", "version": 0})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["body"] == "" || f["zalo_template_id"] == "" {
			t.Fatalf("fields: %v", f)
		}
		expect(t, admin.do("PUT", "/api/v1/notification-templates/answered/fax", map[string]any{"body": "x"}), 404)
	})
}

func TestAssigneeNotificationList(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair, sec := e.as(e.world.ChairA), e.as(e.world.SecretaryA)
		p := logConsenting(t, sec, e, "kien_nghi")
		expect(t, chair.do("POST", fmt.Sprintf("/api/v1/petitions/%v/transitions", p["id"]), map[string]any{
			"to": "assigned", "responsible_unit_id": e.world.CommuneA.ID, "version": p["version"]}), 200)
		var mine struct {
			Items  []map[string]any `json:"items"`
			Unread int              `json:"unread"`
		}
		sec.do("GET", "/api/v1/notifications", nil).decode(t, &mine)
		if mine.Unread != 1 || len(mine.Items) != 1 || mine.Items[0]["event"] != "assigned" {
			t.Fatalf("secretary's list: %+v", mine)
		}
		expect(t, sec.do("POST", "/api/v1/notifications/read", map[string]any{"id": mine.Items[0]["id"]}), 204)
		sec.do("GET", "/api/v1/notifications", nil).decode(t, &mine)
		if mine.Unread != 0 {
			t.Fatalf("unread after reading: %d", mine.Unread)
		}
	})
}

func TestReceiptAndMinutesCarryQRCodes(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		e.store.PublicURL = "https://papi.example.gov.vn"
		sec := e.as(e.world.SecretaryA)
		p := logConsenting(t, sec, e, "kien_nghi")
		r := sec.do("GET", fmt.Sprintf("/api/v1/petitions/%v/receipt", p["id"]), nil)
		expect(t, r, 200)
		page := r.Body.String()
		link := fmt.Sprintf("https://papi.example.gov.vn/public/p/%s", p["reference"])
		for _, want := range []string{"PHIẾU TIẾP NHẬN Ý KIẾN, KIẾN NGHỊ", p["reference"].(string), "Nguyễn Văn Ba", "XÃ TÂN THỚI",
			`<svg class="qr"`, `aria-label="` + link + `"`, "Quét mã hoặc truy cập " + link} {
			if !strings.Contains(page, want) {
				t.Errorf("receipt lacks %q", want)
			}
		}
		if csp := r.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(page, "<script") {
			t.Errorf("receipt policy %q", csp)
		}
		// A denunciation is never public: no QR code, and the secretary does not see who raised it.
		d := logConsenting(t, e.as(e.world.ChairA), e, "to_cao")
		page = sec.do("GET", fmt.Sprintf("/api/v1/petitions/%v/receipt", d["id"]), nil).Body.String()
		if strings.Contains(page, "<svg") || strings.Contains(page, "Nguyễn Văn Ba") {
			t.Errorf("denunciation receipt: %s", page)
		}
		expect(t, e.as(e.world.SecretaryB).do("GET", fmt.Sprintf("/api/v1/petitions/%v/receipt", p["id"]), nil), 404)

		var id int64
		now := time.Now().UTC()
		if err := e.store.Gorm().Raw(`INSERT INTO dialogues (commune_id, title, starts_at, status, created_by, created_at, updated_at)
			VALUES (?, 'Đối thoại ấp Tân Hòa', ?, 'held', ?, ?, ?) RETURNING id`, e.world.CommuneA.ID, now.Add(-time.Hour),
			e.world.ChairA.ID, now, now).Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		r = sec.do("GET", fmt.Sprintf("/api/v1/dialogues/%d/minutes", id), nil)
		expect(t, r, 200)
		board := fmt.Sprintf("https://papi.example.gov.vn/public/%d", e.world.CommuneA.ID)
		if !strings.Contains(r.Body.String(), `<svg class="qr"`) || !strings.Contains(r.Body.String(), `aria-label="`+board+`"`) {
			t.Errorf("minutes lack the QR code of %s", board)
		}
	})
}

func TestReplyKeywordOptsOut(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		p := logConsenting(t, e.as(e.world.SecretaryA), e, "kien_nghi")
		// Without a configured token the route does not exist.
		expect(t, e.anon().do("POST", "/api/v1/public/replies/sms", map[string]any{"from": "84909123456", "text": "TU CHOI"}), 404)
		e.h = New(e.store, Config{ReplyToken: "reply-secret"}, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler()
		anon := e.anon()
		expect(t, anon.do("POST", "/api/v1/public/replies/sms", map[string]any{"from": "84909123456", "text": "TU CHOI"},
			"Authorization", "Bearer wrong"), 404)
		r := anon.do("POST", "/api/v1/public/replies/sms", map[string]any{"from": "0909 123 456", "text": "Cảm ơn"}, "Authorization", "Bearer reply-secret")
		expect(t, r, 200)
		if r.m(t)["opted_out"] != float64(0) {
			t.Fatalf("a thank-you opted out: %s", r.Body)
		}
		expect(t, anon.do("POST", "/api/v1/public/replies/sms", map[string]any{"text": "TU CHOI"}, "Authorization", "Bearer reply-secret"), 422)
		r = anon.do("POST", "/api/v1/public/replies/sms", map[string]any{"from": "0909 123 456", "text": "Từ chối"}, "Authorization", "Bearer reply-secret")
		expect(t, r, 200)
		if r.m(t)["opted_out"] != float64(1) {
			t.Fatalf("keyword reply: %s", r.Body)
		}
		got := e.as(e.world.SecretaryA).do("GET", fmt.Sprintf("/api/v1/petitions/%v", p["id"]), nil).m(t)["consent"].(map[string]any)
		if got["opted_out"] != true {
			t.Fatalf("after the reply: %v", got)
		}
	})
}
