package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func (e *testEnv) petitionBody(extra map[string]any) map[string]any {
	body := map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID, "channel": "reception",
		"kind": "phan_anh", "topic_code": "GT", "content": "Đường liên ấp Tân Hòa bị sạt lở, đề nghị sửa chữa.",
		"name": "Trần Thị Tư", "phone": "0912345678", "address": "Ấp Tân Hòa"}
	for k, v := range extra {
		body[k] = v
	}
	return body
}

func (c *client) createPetition(t *testing.T, extra map[string]any) map[string]any {
	t.Helper()
	r := c.do("POST", "/api/v1/petitions", c.e.petitionBody(extra))
	expect(t, r, http.StatusCreated)
	return r.m(t)
}

func petitionPath(p map[string]any, suffix string) string {
	return fmt.Sprintf("/api/v1/petitions/%v%s", p["id"], suffix)
}

func TestPetitionCreateIdempotentAndGet(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		r1 := sec.do("POST", "/api/v1/petitions", e.petitionBody(nil), "Idempotency-Key", "k-1")
		expect(t, r1, http.StatusCreated)
		r2 := sec.do("POST", "/api/v1/petitions", e.petitionBody(nil), "Idempotency-Key", "k-1")
		expect(t, r2, http.StatusOK)
		p1, p2 := r1.m(t), r2.m(t)
		if p1["id"] != p2["id"] || p1["reference"] != "TANTHOI-"+fmt.Sprint(p1["received_at"])[:4]+"-0001" {
			t.Fatalf("replay: %v / %v (%v)", p1["id"], p2["id"], p1["reference"])
		}
		// The same request spelled otherwise is the same request; another request is refused
		// by name and creates nothing.
		spaced, _ := json.MarshalIndent(e.petitionBody(nil), "", "\t")
		expect(t, sec.do("POST", "/api/v1/petitions", spaced, "Idempotency-Key", "k-1"), http.StatusOK)
		r3 := sec.do("POST", "/api/v1/petitions", e.petitionBody(map[string]any{"content": "Một ý kiến khác hẳn, về đèn đường."}), "Idempotency-Key", "k-1")
		expect(t, r3, http.StatusUnprocessableEntity)
		if msg := fieldErrors(t, r3)["Idempotency-Key"]; !strings.Contains(msg, "yêu cầu khác") {
			t.Fatalf("reused key: %s", r3.Body)
		}
		if n := len(sec.do("GET", "/api/v1/petitions", nil).m(t)["items"].([]any)); n != 1 {
			t.Fatalf("%d petitions after a reused key", n)
		}
		r := e.as(e.world.ChairA).do("GET", petitionPath(p1, ""), nil)
		expect(t, r, http.StatusOK)
		got := r.m(t)
		if fmt.Sprint(got["allowed_transitions"]) != "[answered assigned referred closed]" || got["state"] != "received" ||
			got["state_type"] != "open" || got["overdue"] != false {
			t.Fatalf("get: %v", got)
		}
		if who, _ := got["petitioner"].(map[string]any); who["name"] != "Trần Thị Tư" {
			t.Fatalf("petitioner %v", got["petitioner"])
		}
		expect(t, e.as(e.world.ChairB).do("GET", petitionPath(p1, ""), nil), http.StatusNotFound)
		expect(t, e.as(e.world.DistrictOfficial).do("POST", "/api/v1/petitions", e.petitionBody(nil)), http.StatusForbidden)
	})
}

func TestPetitionValidationLanguages(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		r := sec.do("POST", "/api/v1/petitions", e.petitionBody(map[string]any{"content": "ngắn", "kind": "x"}))
		expect(t, r, http.StatusUnprocessableEntity)
		f := fieldErrors(t, r)
		if f["content"] != "Nội dung từ 10 đến 4000 ký tự." || f["kind"] == "" {
			t.Fatalf("vi fields %v", f)
		}
		sec.lang = "en"
		r = sec.do("POST", "/api/v1/petitions", e.petitionBody(map[string]any{"content": "short"}))
		if f := fieldErrors(t, r); f["content"] != "The content is 10 to 4000 characters." {
			t.Fatalf("en fields %v", f)
		}
		expect(t, sec.do("POST", "/api/v1/petitions", `{"commune_id": `), http.StatusBadRequest)
		r = sec.do("POST", "/api/v1/petitions", map[string]any{})
		if f := fieldErrors(t, r); f["commune_id"] == "" || f["content"] == "" || f["kind"] == "" {
			t.Fatalf("empty body fields %v", f)
		}
		r = sec.do("GET", "/api/v1/petitions?overdue=maybe&from=yesterday&sort=up", nil)
		if f := fieldErrors(t, r); f["overdue"] == "" || f["from"] == "" || f["sort"] == "" {
			t.Fatalf("list fields %v", f)
		}
	})
}

func TestPetitionTransitionsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		p := sec.createPetition(t, nil)

		r := sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "resolved", "version": 1})
		expect(t, r, http.StatusConflict)
		body := r.m(t)["error"].(map[string]any)
		if body["code"] != "illegal_transition" || fmt.Sprint(body["details"].(map[string]any)["allowed"]) != "[assigned referred]" {
			t.Fatalf("illegal: %v", body)
		}
		expect(t, sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "answered", "answer": "Trả lời", "version": 1}), http.StatusForbidden)
		expect(t, e.as(e.world.InspectorA).do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "assigned", "responsible": "Tổ", "version": 1}), http.StatusForbidden)

		r = sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "assigned", "responsible": e.world.HamletA1.ID, "version": 1, "note": "Giao trưởng ấp"})
		expect(t, r, http.StatusOK)
		if a := r.m(t); a["responsible_unit_id"] != float64(e.world.HamletA1.ID) || a["due_on"] == nil || a["version"] != float64(2) {
			t.Fatalf("assigned %v", a)
		}
		r = sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "in_progress", "version": 1})
		expect(t, r, http.StatusConflict)
		if r.m(t)["error"].(map[string]any)["code"] != "stale_version" {
			t.Fatal(r.Body.String())
		}
		expect(t, sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "in_progress"}, "If-Match", `"2"`), http.StatusOK)
		expect(t, sec.do("POST", petitionPath(p, "/answers"), map[string]any{"text": "Đã khảo sát, sẽ sửa trong tháng.", "version": 3}), http.StatusOK)
		expect(t, e.as(e.world.InspectorA).do("POST", petitionPath(p, "/notes"), map[string]any{"note": "Đã xem hiện trường."}), http.StatusCreated)
		expect(t, e.as(e.world.InspectorA).do("POST", petitionPath(p, "/answers"), map[string]any{"text": "x", "version": 4}), http.StatusForbidden)
		r = chair.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "answered", "version": 4})
		expect(t, r, http.StatusOK)
		if a := r.m(t); a["answer"] != "Đã khảo sát, sẽ sửa trong tháng." {
			t.Fatalf("answered %v", a)
		}
		r = chair.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "closed", "version": 5, "reason": "explained", "satisfaction": "very_satisfied"})
		expect(t, r, http.StatusOK)
		if a := r.m(t); a["state_type"] != "closed" || a["satisfaction"] != "very_satisfied" || a["close_reason"] != "explained" {
			t.Fatalf("closed %v", a)
		}
		r = e.as(e.world.DistrictOfficial).do("GET", petitionPath(p, "/events"), nil)
		expect(t, r, http.StatusOK)
		var events struct {
			Items []struct {
				Kind, Note string
				From, To   *string
				ActorID    *int64 `json:"actor_id"`
			}
		}
		r.decode(t, &events)
		var kinds []string
		for _, ev := range events.Items {
			kinds = append(kinds, ev.Kind)
		}
		if fmt.Sprint(kinds) != "[created transition transition answer_drafted note transition transition]" {
			t.Fatalf("events %v", kinds)
		}
		if ev := events.Items[1]; *ev.From != "received" || *ev.To != "assigned" || ev.Note != "Giao trưởng ấp" || *ev.ActorID != e.world.SecretaryA.ID {
			t.Fatalf("assign event %+v", ev)
		}
	})
}

func TestPetitionListFilters(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		sec.createPetition(t, map[string]any{"content": "Xin lắp đèn chiếu sáng đường vào ấp.", "topic_code": "DIEN"})
		sec.createPetition(t, map[string]any{"content": "Nước sinh hoạt bị nhiễm phèn nặng.", "topic_code": "NS", "hamlet_id": e.world.HamletA2.ID})
		e.as(e.world.SecretaryB).createPetition(t, map[string]any{"commune_id": e.world.CommuneB.ID, "hamlet_id": e.world.HamletB1.ID,
			"content": "Nước sạch chưa về tới ấp Phú Hữu.", "kind": "kien_nghi"})
		district := e.as(e.world.DistrictOfficial)
		count := func(c *client, query string) int {
			t.Helper()
			r := c.do("GET", "/api/v1/petitions?"+query, nil)
			expect(t, r, http.StatusOK)
			var out struct {
				Items []map[string]any `json:"items"`
			}
			r.decode(t, &out)
			return len(out.Items)
		}
		cases := []struct {
			c     *client
			query string
			want  int
		}{
			{district, "", 3},
			{sec, "", 2},
			{district, fmt.Sprintf("commune_id=%d", e.world.CommuneB.ID), 1},
			{district, fmt.Sprintf("unit_id=%d", e.world.CommuneA.ID), 2},
			{district, fmt.Sprintf("hamlet_id=%d", e.world.HamletA2.ID), 1},
			{district, "topic=NS", 1},
			{district, "kind=kien_nghi", 1},
			{district, "kind=kien_nghi,phan_anh", 3},
			{district, "status=received&state_type=open", 3},
			{district, "state_type=closed", 0},
			{district, "overdue=false", 3},
			{district, "q=nuoc", 2},
			{district, "q=NUOC+SACH", 1},
			{district, "from=2000-01-01&to=2100-01-01", 3},
			{district, "to=2001-01-01", 0},
			{e.as(e.world.ChairOther), "", 0},
		}
		for _, tc := range cases {
			if got := count(tc.c, tc.query); got != tc.want {
				t.Errorf("%s as %s: %d, want %d", tc.query, tc.c.user.Username, got, tc.want)
			}
		}
		r := district.do("GET", "/api/v1/petitions?limit=2", nil)
		next := r.m(t)["next_cursor"].(string)
		if next == "" {
			t.Fatal("no next cursor")
		}
		if got := count(district, "limit=2&cursor="+next); got != 1 {
			t.Fatalf("second page %d", got)
		}
	})
}

func TestTopicInUseCannotBeDeleted(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		e.as(e.world.SecretaryA).createPetition(t, map[string]any{"topic_code": "KHAC"})
		admin := e.as(e.world.Admin)
		r := admin.do("GET", "/api/v1/topics", nil)
		var topics struct {
			Items []struct {
				ID   int64
				Code string
			}
		}
		r.decode(t, &topics)
		for _, tp := range topics.Items {
			if tp.Code == "KHAC" {
				r := admin.do("DELETE", fmt.Sprintf("/api/v1/topics/%d", tp.ID), nil)
				expect(t, r, http.StatusConflict)
				if r.m(t)["error"].(map[string]any)["code"] != "topic_in_use" {
					t.Fatal(r.Body.String())
				}
				return
			}
		}
		t.Fatal("no KHAC topic")
	})
}

func TestPetitionDueDateThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		p := sec.createPetition(t, nil)
		r := sec.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "referred", "responsible": "Phòng Tài nguyên và Môi trường huyện", "version": 1})
		expect(t, r, http.StatusOK)
		district := e.as(e.world.DistrictOfficial)
		expect(t, district.do("POST", petitionPath(p, "/due-date"), map[string]any{"due_on": "2099-12-31", "version": 1}), http.StatusConflict)
		r = district.do("POST", petitionPath(p, "/due-date"), map[string]any{"due_on": "31/12/2099", "version": 2})
		if f := fieldErrors(t, r); f["due_on"] != "Ngày phải có dạng YYYY-MM-DD." {
			t.Fatalf("bad date %v", f)
		}
		r = district.do("POST", petitionPath(p, "/due-date"), map[string]any{"due_on": "2099-12-31", "note": "Huyện gia hạn", "version": 2})
		expect(t, r, http.StatusOK)
		if got := r.m(t); got["due_on"] != "2099-12-31" || got["version"] != float64(3) {
			t.Fatalf("due date %v", got)
		}
		expect(t, e.as(e.world.InspectorA).do("POST", petitionPath(p, "/due-date"), map[string]any{"due_on": "2099-12-30", "version": 3}), http.StatusForbidden)
		expect(t, e.as(e.world.ChairB).do("POST", petitionPath(p, "/due-date"), map[string]any{"due_on": "2099-12-30", "version": 3}), http.StatusNotFound)
		r = district.do("POST", petitionPath(p, "/transitions"), map[string]any{"to": "in_progress", "version": 3})
		expect(t, r, http.StatusOK)
		if got := r.m(t); fmt.Sprint(got["allowed_transitions"]) != "[]" {
			t.Fatalf("district after in_progress: %v", got["allowed_transitions"])
		}
	})
}

func TestDenouncerIdentityThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		p := e.as(e.world.SecretaryA).createPetition(t, map[string]any{"kind": "to_cao", "topic_code": "CB", "id_number": "079123456789",
			"content": "Tố cáo cán bộ ấp thu tiền không có biên lai."})
		if p["petitioner"] != nil || p["petitioner_hidden"] != true || p["private"] != true {
			t.Fatalf("secretary sees the denouncer: %v", p)
		}
		for _, c := range []struct {
			c    *client
			sees bool
		}{{e.as(e.world.ChairA), true}, {e.as(e.world.Admin), true}, {e.as(e.world.DistrictOfficial), false}, {e.as(e.world.InspectorA), false}} {
			for _, path := range []string{petitionPath(p, ""), "/api/v1/petitions?kind=to_cao"} {
				r := c.c.do("GET", path, nil)
				expect(t, r, http.StatusOK)
				body := r.Body.String()
				if strings.Contains(body, "Trần Thị Tư") != c.sees || strings.Contains(body, "0912345678") != c.sees {
					t.Errorf("%s on %s: sees=%v body %s", c.c.user.Username, path, c.sees, body)
				}
			}
		}
	})
}
