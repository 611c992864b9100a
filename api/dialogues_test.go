package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/calendar"
)

// at returns an RFC 3339 time days from now at hour:00 Vietnam time.
func at(days, hour int) string {
	d := time.Now().In(calendar.Zone).AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, calendar.Zone).Format(time.RFC3339)
}

// dialogueBody is a valid request to plan a dialogue in commune A's first hamlet.
func (e *testEnv) dialogueBody(startsAt string, extra ...any) map[string]any {
	b := map[string]any{
		"commune_id": e.world.CommuneA.ID,
		"hamlet_ids": []int64{e.world.HamletA1.ID},
		"title":      "Đối thoại với nhân dân ấp Tân Hòa",
		"starts_at":  startsAt,
		"venue":      "Nhà văn hóa ấp Tân Hòa",
		"agenda":     []string{"Báo cáo tình hình kinh tế - xã hội", "Lắng nghe ý kiến của người dân"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		b[extra[i].(string)] = extra[i+1]
	}
	return b
}

// plan creates a dialogue and returns its id.
func plan(t *testing.T, c *client, body map[string]any) int64 {
	t.Helper()
	r := c.do("POST", "/api/v1/dialogues", body)
	expect(t, r, http.StatusCreated)
	return int64(r.m(t)["id"].(float64))
}

func dpath(id int64, rest ...string) string {
	return fmt.Sprintf("/api/v1/dialogues/%d", id) + strings.Join(rest, "")
}

// transition posts a transition and checks its status code.
func transition(t *testing.T, c *client, id int64, status int, body map[string]any) map[string]any {
	t.Helper()
	r := c.do("POST", dpath(id, "/transitions"), body)
	expect(t, r, status)
	return r.m(t)
}

func errCode(t *testing.T, r response) string {
	t.Helper()
	var body struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	r.decode(t, &body)
	return body.Error.Code
}

func TestPlanAndReadADialogue(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair := e.as(e.world.ChairA)
		r := chair.do("POST", "/api/v1/dialogues", e.dialogueBody(at(7, 8), "ends_at", at(7, 11), "expected_attendance", 60))
		expect(t, r, http.StatusCreated)
		d := r.m(t)
		if d["status"] != "planned" || d["version"].(float64) != 1 || d["petitions_count"].(float64) != 0 || d["attendance"] != nil {
			t.Fatalf("created %v", d)
		}
		if d["chair"].(map[string]any)["id"].(float64) != float64(e.world.ChairA.ID) {
			t.Fatalf("the chair defaults to the caller: %v", d["chair"])
		}
		if hs := d["hamlets"].([]any); len(hs) != 1 || hs[0].(map[string]any)["name"] != "Ấp Tân Hòa" {
			t.Fatalf("hamlets %v", hs)
		}
		if d["commune"].(map[string]any)["name"] != "Tân Thới" {
			t.Fatalf("commune %v", d["commune"])
		}
		if fmt.Sprint(d["allowed_transitions"]) != "[held postponed cancelled]" || d["can_edit"] != true {
			t.Fatalf("a chair may do everything to a planned dialogue: %v", d)
		}
		id := int64(d["id"].(float64))

		// A secretary plans too; the commune's only chair chairs it.
		sec := e.as(e.world.SecretaryA)
		r = sec.do("POST", "/api/v1/dialogues", e.dialogueBody(at(14, 8), "hamlet_ids", []int64{e.world.HamletA2.ID}))
		expect(t, r, http.StatusCreated)
		if r.m(t)["chair_user_id"].(float64) != float64(e.world.ChairA.ID) {
			t.Fatal("the commune's only chair chairs a secretary's dialogue")
		}
		// A retried request with its Idempotency-Key plans nothing twice.
		retry := e.dialogueBody(at(21, 8), "title", "Đối thoại cuối năm")
		r = sec.do("POST", "/api/v1/dialogues", retry, "Idempotency-Key", "plan-1")
		expect(t, r, http.StatusCreated)
		first := r.m(t)["id"]
		r = sec.do("POST", "/api/v1/dialogues", retry, "Idempotency-Key", "plan-1")
		expect(t, r, http.StatusOK)
		if r.m(t)["id"] != first {
			t.Fatal("a replay answers with another dialogue")
		}
		transition(t, chair, int64(first.(float64)), http.StatusOK, map[string]any{"to": "cancelled", "reason": "Nhập thử"})
		// A paper record of a past dialogue.
		old := plan(t, sec, e.dialogueBody(at(-30, 8), "title", "Đối thoại quý I"))

		// The inspector reads, with nothing to do.
		r = e.as(e.world.InspectorA).do("GET", dpath(id), nil)
		expect(t, r, http.StatusOK)
		if got := r.m(t); fmt.Sprint(got["allowed_transitions"]) != "[]" || got["can_edit"] != false {
			t.Fatalf("inspector actions %v", got)
		}

		// Newest start first, one page at a time.
		var seen []int64
		cursor := ""
		for {
			r = chair.do("GET", "/api/v1/dialogues?limit=2&cursor="+cursor, nil)
			expect(t, r, http.StatusOK)
			var page struct {
				Items []struct {
					ID int64 `json:"id"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			r.decode(t, &page)
			for _, it := range page.Items {
				seen = append(seen, it.ID)
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if len(seen) != 4 || seen[3] != old || seen[2] != id {
			t.Fatalf("order %v", seen)
		}
		count := func(query string) int {
			t.Helper()
			r := chair.do("GET", "/api/v1/dialogues?"+query, nil)
			expect(t, r, http.StatusOK)
			return len(r.m(t)["items"].([]any))
		}
		if n := count(fmt.Sprintf("hamlet_id=%d", e.world.HamletA1.ID)); n != 3 {
			t.Fatalf("hamlet filter %d", n)
		}
		if n := count("from=" + at(1, 0)[:10]); n != 3 {
			t.Fatalf("from filter %d", n)
		}
		if n := count("to=" + at(7, 0)[:10]); n != 2 { // the first and the paper record
			t.Fatalf("to filter includes the day: %d", n)
		}
		if n := count(fmt.Sprintf("commune_id=%d&status=held", e.world.CommuneA.ID)); n != 0 {
			t.Fatalf("status filter %d", n)
		}
		if n := count("status=cancelled"); n != 1 {
			t.Fatalf("status filter %d", n)
		}
		r = chair.do("GET", "/api/v1/dialogues?status=done&from=yesterday&to=1999-12-31&commune_id=x&hamlet_id=-1&minutes_overdue=maybe", nil)
		expect(t, r, http.StatusUnprocessableEntity)
		f := fieldErrors(t, r)
		for _, field := range []string{"status", "from", "to", "commune_id", "hamlet_id", "minutes_overdue"} {
			if f[field] == "" {
				t.Fatalf("bad filters name every field: %v", f)
			}
		}
		if f["to"] != "Ngày hoặc thời gian nằm ngoài khoảng cho phép (năm 2000 đến 2100)." {
			t.Fatalf("a day out of the calendar's years: %q", f["to"])
		}
		if n := count("from=%20" + at(1, 0)[:10] + "%20"); n != 3 {
			t.Fatalf("a bound is trimmed like every other day: %d", n)
		}
	})
}

func TestDialogueValidationNamesEveryField(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		c := e.as(e.world.SecretaryA)
		r := c.do("POST", "/api/v1/dialogues", map[string]any{})
		expect(t, r, http.StatusUnprocessableEntity)
		f := fieldErrors(t, r)
		for _, k := range []string{"commune_id", "hamlet_ids", "title", "starts_at"} {
			if f[k] != "Không được để trống." && !strings.Contains(f[k], "ít nhất") {
				t.Errorf("%s: %q", k, f[k])
			}
		}
		r = c.do("POST", "/api/v1/dialogues", e.dialogueBody("15/03/2026",
			"hamlet_ids", []int64{e.world.HamletA1.ID, e.world.HamletB1.ID}, "title", "Hi",
			"chair_user_id", e.world.ChairB.ID, "agenda", []string{"Báo cáo", " "}, "expected_attendance", -1))
		expect(t, r, http.StatusUnprocessableEntity)
		f = fieldErrors(t, r)
		want := map[string]string{
			"hamlet_ids":          "Có ấp không thuộc xã đã chọn.",
			"title":               "Tiêu đề dài từ 3 đến 200 ký tự.",
			"starts_at":           "Thời gian không hợp lệ (dạng 2026-03-15T08:00:00+07:00).",
			"chair_user_id":       "Người chủ trì phải là Chủ tịch UBND của xã này.",
			"agenda[1]":           "Mục chương trình không được để trống.",
			"expected_attendance": "Số người dự kiến từ 0 đến 100000.",
		}
		for k, msg := range want {
			if f[k] != msg {
				t.Errorf("%s: %q, want %q", k, f[k], msg)
			}
		}
		c.lang = "en"
		r = c.do("POST", "/api/v1/dialogues", e.dialogueBody(at(3, 10), "ends_at", at(3, 9), "title", strings.Repeat("x", 201)))
		expect(t, r, http.StatusUnprocessableEntity)
		f = fieldErrors(t, r)
		if f["ends_at"] != "The end must be after the start." || f["title"] != "The title is 3 to 200 characters." {
			t.Fatalf("english %v", f)
		}
		r = c.do("POST", "/api/v1/dialogues", `{"title": 3}`)
		expect(t, r, http.StatusUnprocessableEntity)
		r = c.do("POST", "/api/v1/dialogues", `{"title": `)
		expect(t, r, http.StatusBadRequest)
		// Nothing was written.
		r = c.do("GET", "/api/v1/dialogues", nil)
		if n := len(r.m(t)["items"].([]any)); n != 0 {
			t.Fatalf("%d dialogues after rejected writes", n)
		}
	})
}

func TestDialoguesAreScopedToTheCommune(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		id := plan(t, e.as(e.world.ChairA), e.dialogueBody(at(-1, 8)))
		secB := e.as(e.world.SecretaryB)
		for _, r := range []response{
			secB.do("GET", dpath(id), nil),
			secB.do("GET", dpath(id, "/events"), nil),
			secB.do("PATCH", dpath(id), map[string]any{"title": "Đổi tên", "version": 1}),
			secB.do("POST", dpath(id, "/transitions"), map[string]any{"to": "held"}),
			e.as(e.world.FarAdmin).do("GET", dpath(id), nil),
			e.as(e.world.ChairOther).do("POST", dpath(id, "/transitions"), map[string]any{"to": "cancelled", "reason": "x"}),
		} {
			expect(t, r, http.StatusNotFound)
		}
		r := secB.do("GET", "/api/v1/dialogues", nil)
		if n := len(r.m(t)["items"].([]any)); n != 0 {
			t.Fatalf("commune B sees %d dialogues of A", n)
		}
		r = secB.do("POST", "/api/v1/dialogues", e.dialogueBody(at(2, 8)))
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["commune_id"] == "" {
			t.Fatal("a foreign commune is unknown")
		}
		// The district reads but does not run dialogues.
		district := e.as(e.world.DistrictOfficial)
		expect(t, district.do("GET", dpath(id), nil), http.StatusOK)
		expect(t, district.do("POST", "/api/v1/dialogues", e.dialogueBody(at(2, 8))), http.StatusForbidden)
		expect(t, district.do("POST", dpath(id, "/transitions"), map[string]any{"to": "held"}), http.StatusForbidden)
		expect(t, e.as(e.world.Admin).do("GET", dpath(id), nil), http.StatusOK)
	})
}

func TestDoubleBookingIsRefusedUnlessAllowed(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		c := e.as(e.world.ChairA)
		first := plan(t, c, e.dialogueBody(at(5, 8), "ends_at", at(5, 11)))
		r := c.do("POST", "/api/v1/dialogues", e.dialogueBody(at(5, 10), "title", "Đối thoại chuyên đề nước sạch"))
		expect(t, r, http.StatusConflict)
		body := r.m(t)["error"].(map[string]any)
		other := body["details"].(map[string]any)["dialogue"].(map[string]any)
		if body["code"] != "dialogue_overlap" || int64(other["id"].(float64)) != first ||
			!strings.Contains(body["message"].(string), "Đối thoại với nhân dân ấp Tân Hòa") {
			t.Fatalf("overlap %v", body)
		}
		// Another hamlet, same chair: still a clash.
		r = c.do("POST", "/api/v1/dialogues", e.dialogueBody(at(5, 9), "hamlet_ids", []int64{e.world.HamletA2.ID}))
		expect(t, r, http.StatusConflict)
		// After the first ends, fine; and a clash may be forced.
		plan(t, c, e.dialogueBody(at(5, 11)))
		plan(t, c, e.dialogueBody(at(5, 9), "allow_overlap", true))
		// Without an end time a dialogue is taken to last two hours.
		plan(t, c, e.dialogueBody(at(9, 8)))
		expect(t, c.do("POST", "/api/v1/dialogues", e.dialogueBody(at(9, 9))), http.StatusConflict)
		// A cancelled dialogue books nothing.
		id := plan(t, c, e.dialogueBody(at(12, 8)))
		transition(t, c, id, http.StatusOK, map[string]any{"to": "cancelled", "reason": "Trùng lịch họp của huyện"})
		plan(t, c, e.dialogueBody(at(12, 8)))
		// Editing into a clash is refused too.
		id = plan(t, c, e.dialogueBody(at(20, 8)))
		r = c.do("PATCH", dpath(id), map[string]any{"starts_at": at(5, 8), "version": 1})
		expect(t, r, http.StatusConflict)
	})
}

func TestEditingNeedsTheCurrentVersion(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		chair := e.as(e.world.ChairA)
		id := plan(t, sec, e.dialogueBody(at(4, 8)))
		r := sec.do("PATCH", dpath(id), map[string]any{"venue": "Hội trường UBND xã", "agenda": []string{"Giải đáp thắc mắc"}, "version": 1})
		expect(t, r, http.StatusOK)
		if d := r.m(t); d["version"].(float64) != 2 || d["venue"] != "Hội trường UBND xã" {
			t.Fatalf("patched %v", d)
		}
		r = chair.do("PATCH", dpath(id), map[string]any{"title": "Đối thoại về giao thông nông thôn", "version": 1})
		expect(t, r, http.StatusConflict)
		body := r.m(t)["error"].(map[string]any)
		if body["code"] != "stale_version" || body["details"].(map[string]any)["current"].(map[string]any)["venue"] != "Hội trường UBND xã" {
			t.Fatalf("stale %v", body)
		}
		expect(t, chair.do("PATCH", dpath(id), map[string]any{"title": "Không có phiên bản"}), http.StatusUnprocessableEntity)
		r = chair.do("PATCH", dpath(id), map[string]any{"title": "Đối thoại về giao thông nông thôn"}, "If-Match", `"2"`)
		expect(t, r, http.StatusOK)
		expect(t, e.as(e.world.InspectorA).do("PATCH", dpath(id), map[string]any{"title": "Thanh tra sửa", "version": 3}), http.StatusForbidden)
		r = chair.do("PATCH", dpath(id), map[string]any{"hamlet_ids": []int64{e.world.HamletB1.ID}, "version": 3})
		expect(t, r, http.StatusUnprocessableEntity)

		r = chair.do("GET", dpath(id, "/events"), nil)
		expect(t, r, http.StatusOK)
		items := r.m(t)["items"].([]any)
		if len(items) != 3 {
			t.Fatalf("events %v", items)
		}
		edit := items[1].(map[string]any)
		changes := edit["data"].(map[string]any)["changes"].(map[string]any)
		if edit["kind"] != "updated" || changes["venue"].(map[string]any)["to"] != "Hội trường UBND xã" ||
			edit["actor"].(map[string]any)["username"] != e.world.SecretaryA.Username {
			t.Fatalf("edit event %v", edit)
		}
	})
}

func TestTransitionsAllowedAndRefusedPerRole(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		chair, sec, insp := e.as(w.ChairA), e.as(w.SecretaryA), e.as(w.InspectorA)
		admin, district := e.as(w.Admin), e.as(w.DistrictOfficial)
		past := func(days int) int64 {
			return plan(t, sec, e.dialogueBody(at(-days, 8), "allow_overlap", true))
		}

		// planned → held: the commune office and admins.
		for _, c := range []*client{insp, district} {
			expect(t, c.do("POST", dpath(past(1), "/transitions"), map[string]any{"to": "held"}), http.StatusForbidden)
		}
		for _, c := range []*client{sec, chair, admin} {
			d := transition(t, c, past(1), http.StatusOK, map[string]any{"to": "held"})
			if d["status"] != "held" || d["held_at"] == nil || fmt.Sprint(d["allowed_transitions"]) == "[held postponed cancelled]" {
				t.Fatalf("held %v", d)
			}
		}
		future := plan(t, sec, e.dialogueBody(at(3, 8), "allow_overlap", true))
		r := sec.do("POST", dpath(future, "/transitions"), map[string]any{"to": "held"})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "dialogue_not_started" {
			t.Fatal(r.Body.String())
		}

		// planned → postponed: the chair and admins, to a later time.
		id := plan(t, sec, e.dialogueBody(at(2, 8), "ends_at", at(2, 10), "allow_overlap", true))
		expect(t, sec.do("POST", dpath(id, "/transitions"), map[string]any{"to": "postponed", "new_starts_at": at(9, 8)}), http.StatusForbidden)
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "postponed"})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["new_starts_at"] == "" {
			t.Fatal("postponing needs a new time")
		}
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "postponed", "new_starts_at": at(1, 8)})
		expect(t, r, http.StatusUnprocessableEntity)
		d := transition(t, chair, id, http.StatusOK, map[string]any{"to": "postponed", "new_starts_at": at(9, 8), "reason": "Trùng mùa thu hoạch lúa", "allow_overlap": true})
		if d["status"] != "planned" || d["postponed_count"].(float64) != 1 || !sameInstant(d["starts_at"], at(9, 8)) || !sameInstant(d["ends_at"], at(9, 10)) {
			t.Fatalf("postponed %v", d)
		}
		transition(t, admin, id, http.StatusOK, map[string]any{"to": "postponed", "new_starts_at": at(10, 8), "allow_overlap": true})

		// planned → cancelled: the chair and admins, with a reason.
		id = past(2)
		expect(t, sec.do("POST", dpath(id, "/transitions"), map[string]any{"to": "cancelled", "reason": "Mưa bão"}), http.StatusForbidden)
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "cancelled", "reason": "  "})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["reason"] != "Cần nêu lý do hủy." {
			t.Fatal(r.Body.String())
		}
		d = transition(t, chair, id, http.StatusOK, map[string]any{"to": "cancelled", "reason": "Mưa bão", "version": 1})
		if d["status"] != "cancelled" || d["cancel_reason"] != "Mưa bão" || len(d["allowed_transitions"].([]any)) != 0 {
			t.Fatalf("cancelled %v", d)
		}
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "held"})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "invalid_transition" {
			t.Fatal(r.Body.String())
		}

		// held → closed: the chair and admins, with minutes, once attendance is recorded.
		id = past(3)
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed", "minutes": "Biên bản"})
		expect(t, r, http.StatusConflict)
		if body := r.m(t)["error"].(map[string]any); body["code"] != "invalid_transition" ||
			fmt.Sprint(body["details"].(map[string]any)["allowed"]) != "[held postponed cancelled]" {
			t.Fatalf("planned → closed %v", body)
		}
		transition(t, sec, id, http.StatusOK, map[string]any{"to": "held"})
		expect(t, sec.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed", "minutes": "Biên bản"}), http.StatusForbidden)
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed"})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["minutes"] == "" {
			t.Fatal(r.Body.String())
		}
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed", "minutes": "Biên bản"})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "attendance_required" {
			t.Fatal(r.Body.String())
		}
		recordCounts(t, sec, id, 30, 5, 6, 12)
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed", "minutes": "Biên bản", "version": 1})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "stale_version" {
			t.Fatal(r.Body.String())
		}
		d = transition(t, chair, id, http.StatusOK, map[string]any{"to": "closed", "minutes": "Các ý kiến đã được giải đáp tại chỗ."})
		if d["status"] != "closed" || d["closed_at"] == nil || d["minutes"] != "Các ý kiến đã được giải đáp tại chỗ." {
			t.Fatalf("closed %v", d)
		}
		id2 := past(4)
		transition(t, admin, id2, http.StatusOK, map[string]any{"to": "held"})
		recordCounts(t, admin, id2, 10, 0, 2, 3)
		transition(t, admin, id2, http.StatusOK, map[string]any{"to": "closed", "minutes": "Biên bản"})

		// Unknown targets are a field error; closed is final.
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "reopened"})
		expect(t, r, http.StatusUnprocessableEntity)
		c2 := e.as(w.ChairA)
		c2.lang = "en"
		r = c2.do("POST", dpath(id, "/transitions"), map[string]any{"to": "reopened"})
		if fieldErrors(t, r)["to"] != "The target must be held, postponed, cancelled or closed." {
			t.Fatal(r.Body.String())
		}
		r = chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "closed", "minutes": "Lại"})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "dialogue_closed" {
			t.Fatal(r.Body.String())
		}

		// Every move is in the history, with who made it.
		r = chair.do("GET", dpath(id, "/events"), nil)
		var events struct {
			Items []struct {
				Kind     string `json:"kind"`
				From     string `json:"from_status"`
				To       string `json:"to_status"`
				Actor    struct{ Username string }
				Data     map[string]any `json:"data"`
				Recorded string         `json:"created_at"`
			} `json:"items"`
		}
		r.decode(t, &events)
		var trail []string
		for _, ev := range events.Items {
			trail = append(trail, ev.Kind+":"+ev.From+">"+ev.To+"@"+ev.Actor.Username)
		}
		want := "created:>planned@secretary.a transition:planned>held@secretary.a attendance:>@secretary.a transition:held>closed@chair.a"
		if strings.Join(trail, " ") != want {
			t.Fatalf("trail %v", trail)
		}
	})
}

// sameInstant tells whether a JSON time and an RFC 3339 string name the same instant.
func sameInstant(v any, want string) bool {
	s, _ := v.(string)
	a, err1 := time.Parse(time.RFC3339, s)
	b, err2 := time.Parse(time.RFC3339, want)
	return err1 == nil && err2 == nil && a.Equal(b)
}

// recordCounts records attendance by counts.
func recordCounts(t *testing.T, c *client, id int64, residents, businesses, officials, women int) map[string]any {
	t.Helper()
	r := c.do("PUT", dpath(id, "/attendance"), map[string]any{
		"residents": residents, "businesses": businesses, "officials": officials, "women": women})
	expect(t, r, http.StatusOK)
	return r.m(t)
}

func TestAClosedDialogueIsFrozen(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair := e.as(e.world.ChairA)
		id := plan(t, chair, e.dialogueBody(at(-2, 8)))
		transition(t, chair, id, http.StatusOK, map[string]any{"to": "held"})
		// A held dialogue is no longer edited field by field.
		r := chair.do("PATCH", dpath(id), map[string]any{"title": "Sửa sau khi họp", "version": 2})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "dialogue_not_editable" {
			t.Fatal(r.Body.String())
		}
		recordCounts(t, chair, id, 20, 1, 4, 9)
		transition(t, chair, id, http.StatusOK, map[string]any{"to": "closed", "minutes": "Biên bản buổi đối thoại."})
		before := chair.do("GET", dpath(id), nil).Body.String()
		for _, r := range []response{
			chair.do("PATCH", dpath(id), map[string]any{"title": "Sửa sau khi đóng", "version": 4}),
			chair.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 99}),
			chair.do("POST", dpath(id, "/transitions"), map[string]any{"to": "cancelled", "reason": "Nhầm"}),
		} {
			expect(t, r, http.StatusConflict)
			if errCode(t, r) != "dialogue_closed" {
				t.Fatal(r.Body.String())
			}
		}
		if after := chair.do("GET", dpath(id), nil).Body.String(); after != before {
			t.Fatalf("a closed dialogue changed:\n%s\n%s", before, after)
		}
	})
}

func TestAttendanceIsSummedAndValidated(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		sec := e.as(w.SecretaryA)
		id := plan(t, sec, e.dialogueBody(at(-1, 8)))
		r := sec.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 10})
		expect(t, r, http.StatusConflict)
		if errCode(t, r) != "dialogue_not_held" {
			t.Fatal(r.Body.String())
		}
		transition(t, sec, id, http.StatusOK, map[string]any{"to": "held"})
		expect(t, sec.do("GET", dpath(id, "/attendance"), nil), http.StatusNotFound)

		a := recordCounts(t, sec, id, 45, 3, 8, 27)
		if a["total"].(float64) != 56 || a["women"].(float64) != 27 || a["source"] != "counts" {
			t.Fatalf("counts %v", a)
		}
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 5, "businesses": -1, "officials": 1, "women": 2})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["businesses"] != "Số người không được âm." {
			t.Fatal(r.Body.String())
		}
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 5, "officials": 1, "women": 7})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["women"] != "Số nữ không được lớn hơn tổng số người tham dự (6)." {
			t.Fatal(r.Body.String())
		}
		en := e.as(w.SecretaryA)
		en.lang = "en"
		r = en.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 5, "women": 6})
		if fieldErrors(t, r)["women"] != "Women cannot outnumber the total attendance (5)." {
			t.Fatal(r.Body.String())
		}
		expect(t, sec.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": "many"}), http.StatusUnprocessableEntity)
		expect(t, e.as(w.InspectorA).do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 1}), http.StatusForbidden)
		expect(t, e.as(w.SecretaryB).do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 1}), http.StatusNotFound)
		// The rejected writes changed nothing.
		r = sec.do("GET", dpath(id, "/attendance"), nil)
		expect(t, r, http.StatusOK)
		if r.m(t)["total"].(float64) != 56 {
			t.Fatal(r.Body.String())
		}

		// A named register: the counts derive from it.
		register := []map[string]any{
			{"name": "Nguyễn Thị Lan", "group": "resident", "gender": "female", "hamlet_id": w.HamletA1.ID},
			{"name": "Trần Văn Bảy", "group": "resident", "gender": "male", "hamlet_id": w.HamletA2.ID},
			{"name": "Cơ sở xay xát Phước Lộc", "group": "business"},
			{"name": "Lê Thị Hồng", "group": "official", "gender": "female"},
		}
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"attendees": register}, "Idempotency-Key", "register-1")
		expect(t, r, http.StatusOK)
		a = r.m(t)
		if a["residents"].(float64) != 2 || a["businesses"].(float64) != 1 || a["officials"].(float64) != 1 ||
			a["women"].(float64) != 2 || a["total"].(float64) != 4 || a["source"] != "register" || len(a["attendees"].([]any)) != 4 {
			t.Fatalf("register %v", a)
		}
		// The same key again: the same attendance, nothing written twice.
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"attendees": register}, "Idempotency-Key", "register-1")
		expect(t, r, http.StatusOK)
		if r.Header().Get("Idempotent-Replayed") != "true" || r.m(t)["total"].(float64) != 4 {
			t.Fatalf("replay %s", r.Body.String())
		}
		// The same key with another request is refused, not answered with the first.
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"attendees": register[:1]}, "Idempotency-Key", "register-1")
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["Idempotency-Key"] == "" {
			t.Fatalf("reused key %s", r.Body.String())
		}
		r = sec.do("GET", dpath(id, "/events"), nil)
		if n := len(r.m(t)["items"].([]any)); n != 4 { // created, held, counts, register
			t.Fatalf("%d events", n)
		}
		// The same key for another dialogue is a conflict, not a silent replay.
		other := plan(t, sec, e.dialogueBody(at(-1, 14), "hamlet_ids", []int64{w.HamletA2.ID}, "allow_overlap", true))
		transition(t, sec, other, http.StatusOK, map[string]any{"to": "held"})
		expect(t, sec.do("PUT", dpath(other, "/attendance"), map[string]any{"residents": 3}, "Idempotency-Key", "register-1"), http.StatusConflict)

		bad := []map[string]any{
			{"name": " ", "group": "resident"},
			{"name": "Phạm Văn Tư", "group": "farmer", "gender": "x", "hamlet_id": w.HamletB1.ID},
		}
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"attendees": bad})
		expect(t, r, http.StatusUnprocessableEntity)
		f := fieldErrors(t, r)
		for _, k := range []string{"attendees[0].name", "attendees[1].group", "attendees[1].gender", "attendees[1].hamlet_id"} {
			if f[k] == "" {
				t.Errorf("%s not named: %v", k, f)
			}
		}
		r = sec.do("PUT", dpath(id, "/attendance"), map[string]any{"attendees": register, "residents": 3})
		expect(t, r, http.StatusUnprocessableEntity)
		if fieldErrors(t, r)["residents"] != "Không khớp với danh sách người tham dự (2)." {
			t.Fatal(r.Body.String())
		}
		// The dialogue shows its attendance.
		r = sec.do("GET", dpath(id), nil)
		if d := r.m(t); d["attendance"].(map[string]any)["total"].(float64) != 4 || d["can_record_attendance"] != true {
			t.Fatalf("dialogue %v", d)
		}
	})
}

func TestMinutesOverdueAfterThreeDays(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair := e.as(e.world.ChairA)
		id := plan(t, chair, e.dialogueBody(at(-1, 8)))
		transition(t, chair, id, http.StatusOK, map[string]any{"to": "held"})
		closed := plan(t, chair, e.dialogueBody(at(-1, 14)))
		transition(t, chair, closed, http.StatusOK, map[string]any{"to": "held"})
		recordCounts(t, chair, closed, 12, 0, 3, 5)
		transition(t, chair, closed, http.StatusOK, map[string]any{"to": "closed", "minutes": "Đã giải đáp."})
		overdue := func(c *client) []any {
			t.Helper()
			r := c.do("GET", "/api/v1/dialogues?minutes_overdue=true", nil)
			expect(t, r, http.StatusOK)
			return r.m(t)["items"].([]any)
		}
		if n := len(overdue(chair)); n != 0 {
			t.Fatalf("%d overdue right after holding", n)
		}
		now := time.Now()
		e.store.Now = func() time.Time { return now.Add(73 * time.Hour) }
		items := overdue(e.as(e.world.DistrictOfficial))
		if len(items) != 1 || int64(items[0].(map[string]any)["id"].(float64)) != id || items[0].(map[string]any)["minutes_overdue"] != true {
			t.Fatalf("overdue %v", items)
		}
		expect(t, e.as(e.world.ChairA).do("GET", "/api/v1/dialogues?minutes_overdue=maybe", nil), http.StatusUnprocessableEntity)
	})
}

func TestMinutesPrintInTheAdministrativeFormat(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		id := plan(t, sec, e.dialogueBody("2026-03-15T08:00:00+07:00", "ends_at", "2026-03-15T10:30:00+07:00",
			"title", "Đối thoại về nước sạch và thủy lợi", "agenda", []string{"Triển khai kế hoạch nạo vét kênh mương", "Lắng nghe ý kiến <của> người dân"}))
		expect(t, sec.do("GET", dpath(id, "/minutes"), nil), http.StatusConflict)
		transition(t, sec, id, http.StatusOK, map[string]any{"to": "held"})
		r := sec.do("GET", dpath(id, "/minutes"), nil)
		expect(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), "DỰ THẢO") {
			t.Fatal("a held dialogue's minutes print as a draft")
		}
		recordCounts(t, sec, id, 40, 4, 6, 21)
		transition(t, chair, id, http.StatusOK, map[string]any{"to": "closed",
			"minutes": "Ông Nguyễn Văn Ba phản ánh kênh Ba Lợi bị bồi lắng.\nChủ tịch UBND xã trả lời: sẽ nạo vét trong tháng 4."})
		r = e.as(e.world.InspectorA).do("GET", dpath(id, "/minutes"), nil)
		expect(t, r, http.StatusOK)
		if ct := r.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Fatal(ct)
		}
		if csp := r.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'; style-src 'unsafe-inline'") {
			t.Fatal(csp)
		}
		page := r.Body.String()
		for _, want := range []string{
			"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "<b>ỦY BAN NHÂN DÂN</b><b>XÃ TÂN THỚI</b>", "Tân Thới, ngày 15 tháng 3 năm 2026",
			"BIÊN BẢN ĐỐI THOẠI", "Đối thoại về nước sạch và thủy lợi",
			"08 giờ 00 phút, ngày 15 tháng 3 năm 2026", "10 giờ 30 phút, ngày 15 tháng 3 năm 2026",
			"Nhà văn hóa ấp Tân Hòa", "Ấp Tân Hòa, xã Tân Thới", "Ông/Bà chair.a, Chủ tịch Ủy ban nhân dân xã Tân Thới",
			"Người dân</td><td class=\"num\">40", "Doanh nghiệp, hộ kinh doanh</td><td class=\"num\">4",
			"Cán bộ, công chức</td><td class=\"num\">6", "<b>50</b>", "<i>21</i>",
			"<li>Triển khai kế hoạch nạo vét kênh mương</li>", "Lắng nghe ý kiến &lt;của&gt; người dân",
			"Không có ý kiến, kiến nghị nào được ghi nhận.",
			"Chủ tịch UBND xã trả lời: sẽ nạo vét trong tháng 4.",
			"THƯ KÝ", "CHỦ TRÌ", "secretary.a", "@page { size: A4",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("minutes lack %q", want)
			}
		}
		if strings.Contains(page, "DỰ THẢO") || strings.Contains(page, "<script") {
			t.Error("closed minutes are final and script-free")
		}
		expect(t, e.as(e.world.SecretaryB).do("GET", dpath(id, "/minutes"), nil), http.StatusNotFound)
	})
}

func TestMinutesListThePetitionsRaisedWithoutAnonymousNames(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		id := plan(t, sec, e.dialogueBody(at(-1, 8)))
		transition(t, sec, id, http.StatusOK, map[string]any{"to": "held"})
		raise := func(extra map[string]any) {
			t.Helper()
			body := map[string]any{"dialogue_id": id, "channel": "dialogue", "phone": "", "address": ""}
			for k, v := range extra {
				body[k] = v
			}
			sec.createPetition(t, body)
		}
		raise(map[string]any{"name": "Nguyễn Văn Ba", "content": "Kênh Ba Lợi bồi lắng, nước không về kịp vụ lúa.", "topic_code": "TL",
			"onsite_answer": "Xã nạo vét kênh trong tháng 4."})
		raise(map[string]any{"name": "", "anonymous": true, "content": "Có người đổ rác thải xuống kênh vào ban đêm."})
		raise(map[string]any{"name": "Lê Văn Mật", "id_number": "079123456789", "kind": "to_cao", "topic_code": "CB", "content": "Tố cáo cán bộ ấp thu tiền sai quy định khi làm hồ sơ."})
		r := sec.do("GET", dpath(id), nil)
		if n := r.m(t)["petitions_count"].(float64); n != 3 {
			t.Fatalf("petitions_count %v", n)
		}
		recordCounts(t, sec, id, 25, 1, 4, 11)
		transition(t, chair, id, http.StatusOK, map[string]any{"to": "closed", "minutes": "Đã giải đáp các ý kiến."})
		page := chair.do("GET", dpath(id, "/minutes"), nil).Body.String()
		for _, want := range []string{"Nguyễn Văn Ba", "Kênh Ba Lợi bồi lắng", "Xã nạo vét kênh trong tháng 4.", "Thủy lợi – Phản ánh",
			"Có người đổ rác thải", "Tố cáo cán bộ ấp", "Ghi nhận, trả lời sau.", "TANTHOI-"} {
			if !strings.Contains(page, want) {
				t.Errorf("minutes lack %q", want)
			}
		}
		if strings.Contains(page, "Lê Văn Mật") || strings.Count(page, "Ẩn danh") != 2 || strings.Contains(page, "Không có ý kiến") {
			t.Error("a denouncer or an anonymous petitioner is named in the minutes")
		}
	})
}

func TestEveryRoleOnEveryDialogueAction(t *testing.T) {
	const no, ok, created = http.StatusForbidden, http.StatusOK, http.StatusCreated
	type want map[models.Role]int
	rows := []struct {
		action string
		want   want
	}{
		{"create", want{models.RoleAdmin: created, models.RoleDistrictOfficial: no, models.RoleCommuneChair: created, models.RoleSecretary: created, models.RoleInspector: no}},
		{"edit", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: ok, models.RoleInspector: no}},
		{"hold", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: ok, models.RoleInspector: no}},
		{"postpone", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: no, models.RoleInspector: no}},
		{"cancel", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: no, models.RoleInspector: no}},
		{"attendance", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: ok, models.RoleInspector: no}},
		{"close", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: no, models.RoleCommuneChair: ok, models.RoleSecretary: no, models.RoleInspector: no}},
		{"read", want{models.RoleAdmin: ok, models.RoleDistrictOfficial: ok, models.RoleCommuneChair: ok, models.RoleSecretary: ok, models.RoleInspector: ok}},
	}
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		office := e.as(w.ChairA)
		users := map[models.Role]*models.User{models.RoleAdmin: w.Admin, models.RoleDistrictOfficial: w.DistrictOfficial,
			models.RoleCommuneChair: w.ChairA, models.RoleSecretary: w.SecretaryA, models.RoleInspector: w.InspectorA}
		// fresh returns a dialogue of commune A in the state an action needs.
		fresh := func(state string) int64 {
			id := plan(t, office, e.dialogueBody(at(-3, 8), "allow_overlap", true))
			if state != "planned" {
				transition(t, office, id, ok, map[string]any{"to": "held"})
			}
			if state == "recorded" {
				recordCounts(t, office, id, 10, 1, 2, 5)
			}
			return id
		}
		for _, row := range rows {
			for _, role := range models.Roles() {
				c := e.as(users[role])
				var r response
				switch row.action {
				case "create":
					r = c.do("POST", "/api/v1/dialogues", e.dialogueBody(at(-5, 8), "allow_overlap", true))
				case "edit":
					r = c.do("PATCH", dpath(fresh("planned")), map[string]any{"venue": "Hội trường ấp", "version": 1})
				case "hold":
					r = c.do("POST", dpath(fresh("planned"), "/transitions"), map[string]any{"to": "held"})
				case "postpone":
					r = c.do("POST", dpath(fresh("planned"), "/transitions"), map[string]any{"to": "postponed", "new_starts_at": at(30, 8), "allow_overlap": true})
				case "cancel":
					r = c.do("POST", dpath(fresh("planned"), "/transitions"), map[string]any{"to": "cancelled", "reason": "Thời tiết xấu"})
				case "attendance":
					r = c.do("PUT", dpath(fresh("held"), "/attendance"), map[string]any{"residents": 9, "women": 4})
				case "close":
					r = c.do("POST", dpath(fresh("recorded"), "/transitions"), map[string]any{"to": "closed", "minutes": "Biên bản."})
				case "read":
					id := fresh("recorded")
					for _, p := range []string{"", "/events", "/attendance", "/minutes"} {
						r = c.do("GET", dpath(id, p), nil)
						if r.Code != ok {
							break
						}
					}
				}
				if r.Code != row.want[role] {
					t.Errorf("%s by %s: %d, want %d: %s", row.action, role, r.Code, row.want[role], r.Body.String())
				}
			}
		}

		// Outside one's own units a dialogue does not exist.
		foreign := map[models.Role]int64{}
		for _, f := range []struct {
			by      *models.User
			commune *models.Unit
			hamlet  *models.Unit
			roles   []models.Role
		}{
			{w.ChairB, w.CommuneB, w.HamletB1, []models.Role{models.RoleCommuneChair, models.RoleSecretary, models.RoleInspector}},
			{w.ChairOther, w.OtherCommune, w.HamletOther, []models.Role{models.RoleDistrictOfficial}},
			{w.FarAdmin, w.FarCommune, w.FarHamlet, []models.Role{models.RoleAdmin}},
		} {
			r := e.as(f.by).do("POST", "/api/v1/dialogues", e.dialogueBody(at(-3, 8), "commune_id", f.commune.ID, "hamlet_ids", []int64{f.hamlet.ID}))
			expect(t, r, created)
			for _, role := range f.roles {
				foreign[role] = int64(r.m(t)["id"].(float64))
			}
		}
		for _, role := range models.Roles() {
			c := e.as(users[role])
			id := foreign[role]
			for _, r := range []response{
				c.do("GET", dpath(id), nil),
				c.do("GET", dpath(id, "/minutes"), nil),
				c.do("PATCH", dpath(id), map[string]any{"venue": "x", "version": 1}),
				c.do("POST", dpath(id, "/transitions"), map[string]any{"to": "held"}),
				c.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 1}),
			} {
				if r.Code != http.StatusNotFound {
					t.Errorf("%s on a foreign dialogue: %d %s", role, r.Code, r.Body.String())
				}
			}
		}
	})
}

// TestConcurrentAttendanceNeverFails records attendance from eight clients at once: each is
// accepted or told it lost the race, and what is stored is exactly one accepted write, never a
// mix of two or a second row.
func TestConcurrentAttendanceNeverFails(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		id := plan(t, sec, e.dialogueBody(at(-1, 8)))
		transition(t, sec, id, http.StatusOK, map[string]any{"to": "held"})
		type result struct{ code, n int }
		results := make(chan result, 8)
		for i := 0; i < 8; i++ {
			go func(n int) {
				r := sec.do("PUT", dpath(id, "/attendance"), map[string]any{"residents": 10 + n, "officials": n, "women": n})
				results <- result{r.Code, n}
			}(i)
		}
		accepted := map[int]bool{}
		for i := 0; i < 8; i++ {
			switch r := <-results; r.code {
			case http.StatusOK:
				accepted[r.n] = true
			case http.StatusConflict:
			default:
				t.Errorf("concurrent attendance answered %d", r.code)
			}
		}
		r := sec.do("GET", dpath(id, "/attendance"), nil)
		expect(t, r, http.StatusOK)
		var got models.Attendance
		r.decode(t, &got)
		n := got.Women
		if !accepted[n] || got.Residents != 10+n || got.Officials != n || got.Total != 10+2*n {
			t.Fatalf("stored attendance %+v is not one accepted write (accepted %v)", got, accepted)
		}
		var rows, sum int64
		err := e.store.Gorm().Raw("SELECT COUNT(*), COALESCE(SUM(residents + businesses + officials), 0) FROM dialogue_attendance WHERE dialogue_id = ?", id).
			Row().Scan(&rows, &sum)
		if err != nil || rows != 1 || sum != int64(got.Total) {
			t.Fatalf("stored rows %d, sum %d, want 1 row of %d: %v", rows, sum, got.Total, err)
		}
	})
}
