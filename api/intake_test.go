package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestIntakeAtTheDesk records petitions from the desk as the intake screen sends them: a walk-in
// complaint that needs identification, a letter logged two days late, its receipt, and a retry.
func TestIntakeAtTheDesk(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		e.store.Now = func() time.Time { return dbtest.VN(t, "2026-12-02 09:00") }
		e.store.PublicURL = "https://papi.example.gov.vn"
		sec := e.as(e.world.SecretaryA)
		body := func(extra map[string]any) map[string]any {
			b := map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID, "channel": "reception",
				"kind": "khieu_nai", "topic_code": "DD", "content": "Khiếu nại việc thu hồi đất làm đường liên ấp.",
				"name": "Trần Văn Khiếu", "phone": "0912 345 678", "address": "Ấp Tân Hòa"}
			for k, v := range extra {
				b[k] = v
			}
			return b
		}
		// Without identification the complaint is refused, the field named in either language.
		r := sec.do("POST", "/api/v1/petitions", body(nil))
		expect(t, r, 422)
		if f := fieldErrors(t, r); !strings.Contains(f["id_number"], "số định danh") {
			t.Fatalf("fields %v", f)
		}
		r = sec.do("POST", "/api/v1/petitions", body(map[string]any{"id_number": "12-34", "received_at": "2030-01-01T00:00:00Z",
			"channel": "phone", "incoming_number": "12/UBND"}), "Accept-Language", "en")
		expect(t, r, 422)
		if f := fieldErrors(t, r); !strings.Contains(f["id_number"], "identification number") || f["received_at"] == "" ||
			!strings.Contains(f["incoming_number"], "only for letters") {
			t.Fatalf("fields %v", f)
		}
		var n int64
		e.store.Gorm().Table("petitions").Count(&n)
		if n != 0 {
			t.Fatalf("refused intakes stored %d petitions", n)
		}

		// With it, once, however often the desk retries.
		walkIn := body(map[string]any{"id_number": "079123456789", "consent": map[string]any{"agrees": true, "channel": "sms"}})
		r = sec.do("POST", "/api/v1/petitions", walkIn, "Idempotency-Key", "desk-1")
		expect(t, r, 201)
		p := r.m(t)
		r = sec.do("POST", "/api/v1/petitions", walkIn, "Idempotency-Key", "desk-1")
		expect(t, r, 200)
		if r.m(t)["id"] != p["id"] {
			t.Fatal("a retried intake made a second petition")
		}
		pet := p["petitioner"].(map[string]any)
		if pet["id_number"] != "079123456789" || p["consent"].(map[string]any)["agrees"] != true {
			t.Fatalf("walk-in %v", p)
		}

		// A letter that came on Monday 30 November, logged on Wednesday, with its document.
		r = sec.do("POST", "/api/v1/petitions", body(map[string]any{"channel": "letter", "kind": "kien_nghi", "topic_code": "GT",
			"content": "Đề nghị sửa đoạn đường đất ấp Tân Hòa bị sạt lở.", "received_at": "2026-11-30T08:00:00+07:00",
			"incoming_number": "125/UBND", "incoming_date": "2026-11-28"}), "Idempotency-Key", "desk-2")
		expect(t, r, 201)
		letter := r.m(t)
		if letter["incoming_number"] != "125/UBND" || letter["incoming_date"] != "2026-11-28" || letter["received_at"] != "2026-11-30T01:00:00Z" {
			t.Fatalf("letter %v", letter)
		}
		r = sec.do("GET", fmt.Sprintf("/api/v1/petitions/%v/receipt", letter["id"]), nil)
		expect(t, r, 200)
		page := r.Body.String()
		for _, want := range []string{letter["reference"].(string), "Văn bản đến: số 125/UBND ngày 28/11/2026", "Hình thức: Đơn thư",
			"Người tiếp nhận", "Quét mã hoặc truy cập https://papi.example.gov.vn/public/"} {
			if !strings.Contains(page, want) {
				t.Errorf("receipt lacks %q", want)
			}
		}
		// The complaint's receipt shows the ID masked, and its way to follow it at the desk.
		page = sec.do("GET", fmt.Sprintf("/api/v1/petitions/%v/receipt", p["id"]), nil).Body.String()
		if !strings.Contains(page, "********6789") || strings.Contains(page, "079123456789") || !strings.Contains(page, "SMS") ||
			!strings.Contains(page, "Hạn trả lời:") {
			t.Errorf("complaint receipt %s", page)
		}

		// The identification never reaches the public, even for a public petition.
		for _, path := range []string{"/api/v1/public/petitions/" + letter["reference"].(string),
			fmt.Sprintf("/api/v1/public/communes/%d/petitions", e.world.CommuneA.ID), "/open311/v2/requests.json"} {
			if b := e.anon().do("GET", path, nil).Body.String(); strings.Contains(b, "079123456789") || strings.Contains(b, "id_number") {
				t.Errorf("%s shows an identification number", path)
			}
		}
	})
}
