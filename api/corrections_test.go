package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestCorrectingAPetition corrects a petition through PATCH /petitions/{id} as the desk does: field
// errors in either language, If-Match, a stale version, the history, the board's note after the
// answer, a closed petition, and personal data kept from the public, exports and other readers.
func TestCorrectingAPetition(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		sec, chair := e.as(w.SecretaryA), e.as(w.ChairA)
		r := sec.do("POST", "/api/v1/petitions", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID,
			"channel": "reception", "kind": "kien_nghi", "topic_code": "GT", "content": "Ông Lê Văn Tám đề nghị sửa cầu khỉ ấp Tân Hòa.",
			"name": "Lê Văn Tám", "phone": "0912 345 678", "address": "12 đường Bờ Kênh"})
		expect(t, r, 201)
		p := r.m(t)
		path := fmt.Sprintf("/api/v1/petitions/%v", p["id"])
		if fmt.Sprint(p["correctable"]) != "[hamlet_id topic_id kind channel content name phone address id_number]" || p["corrected_at"] != nil {
			t.Fatalf("new petition %v", p)
		}

		// Refused corrections name their fields, in Vietnamese or English, and change nothing.
		r = sec.do("PATCH", path, map[string]any{"hamlet_id": w.HamletB1.ID, "kind": "khieu_nai", "version": 1})
		expect(t, r, 422)
		if f := fieldErrors(t, r); !strings.Contains(f["hamlet_id"], "Ấp") || !strings.Contains(f["id_number"], "số định danh") {
			t.Fatalf("fields %v", f)
		}
		r = sec.do("PATCH", path, map[string]any{"hamlet_id": w.HamletA1.ID, "version": 1}, "Accept-Language", "en")
		expect(t, r, 422)
		if f := fieldErrors(t, r); !strings.Contains(f["hamlet_id"], "Nothing differs") {
			t.Fatalf("fields %v", f)
		}
		r = sec.do("PATCH", path, map[string]any{"hamlet_id": w.HamletA2.ID, "note": strings.Repeat("x", 2001)})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["version"] == "" || f["note"] == "" {
			t.Fatalf("fields %v", f)
		}
		expect(t, sec.do("PATCH", path, "{not json"), 400)
		expect(t, e.as(w.InspectorA).do("PATCH", path, map[string]any{"hamlet_id": w.HamletA2.ID, "version": 1}), 403)
		expect(t, e.as(w.DistrictOfficial).do("PATCH", path, map[string]any{"hamlet_id": w.HamletA2.ID, "version": 1}), 403)
		expect(t, e.as(w.SecretaryB).do("PATCH", path, map[string]any{"hamlet_id": w.HamletA2.ID, "version": 1}), 404)

		// The hamlet, with the version in If-Match; then a stale write gets the current record.
		r = sec.do("PATCH", path, map[string]any{"hamlet_id": w.HamletA2.ID, "note": "Chọn nhầm ấp."}, "If-Match", `"1"`)
		expect(t, r, 200)
		if got := r.m(t); got["hamlet_id"] != float64(w.HamletA2.ID) || got["version"] != float64(2) {
			t.Fatalf("corrected %v", got)
		}
		r = sec.do("PATCH", path, map[string]any{"hamlet_id": w.HamletA1.ID, "version": 1})
		expect(t, r, 409)
		var conflict struct {
			Error struct {
				Code    string
				Details struct{ Current map[string]any }
			}
		}
		r.decode(t, &conflict)
		if conflict.Error.Code != "stale_version" || conflict.Error.Details.Current["hamlet_id"] != float64(w.HamletA2.ID) {
			t.Fatalf("stale %s", r.Body.String())
		}
		var events struct{ Items []map[string]any }
		chair.do("GET", path+"/events", nil).decode(t, &events)
		last := events.Items[len(events.Items)-1]
		change := last["data"].(map[string]any)["changes"].([]any)[0].(map[string]any)
		if last["kind"] != "corrected" || last["note"] != "Chọn nhầm ấp." || change["field"] != "hamlet_id" ||
			change["from"] != float64(w.HamletA1.ID) || change["to"] != float64(w.HamletA2.ID) {
			t.Fatalf("event %v", last)
		}

		// After the answer, a corrected content shows on the board as corrected; a corrected
		// petitioner does not, and neither name reaches the public or a plain export.
		expect(t, chair.do("POST", path+"/transitions", map[string]any{"to": "answered", "version": 2, "answer": "Xã sẽ sửa cầu trong tháng."}), 200)
		expect(t, sec.do("PATCH", path, map[string]any{"name": "Lê Văn Tâm", "version": 3}), 200)
		ref := p["reference"].(string)
		if pub := e.anon().do("GET", "/api/v1/public/petitions/"+ref, nil).m(t); pub["corrected_at"] != nil {
			t.Fatalf("a corrected petitioner is shown on the board: %v", pub)
		}
		expect(t, sec.do("PATCH", path, map[string]any{"content": "Ông Lê Văn Tám đề nghị sửa cầu khỉ ấp Tân Bình.", "version": 4}), 200)
		pub := e.anon().do("GET", "/api/v1/public/petitions/"+ref, nil).m(t)
		if pub["corrected_at"] == nil || pub["hamlet"].(map[string]any)["name"] != w.HamletA2.Name {
			t.Fatalf("board %v", pub)
		}
		for _, path := range []string{"/api/v1/public/petitions/" + ref, fmt.Sprintf("/api/v1/public/communes/%d/petitions", w.CommuneA.ID),
			"/open311/v2/requests.json"} {
			if b := e.anon().do("GET", path, nil).Body.String(); strings.Contains(b, "Tám") || strings.Contains(b, "Tâm") || strings.Contains(b, "Bờ Kênh") {
				t.Errorf("%s shows the petitioner: %s", path, b)
			}
		}
		r = chair.do("GET", "/api/v1/petitions/export?format=csv", nil)
		expect(t, r, 200)
		if b := r.Body.String(); strings.Contains(b, "Tám") || strings.Contains(b, "Tâm") || !strings.Contains(b, ref) {
			t.Errorf("the plain export shows the petitioner")
		}

		// Closed, it is corrected only after reopening.
		expect(t, chair.do("POST", path+"/transitions", map[string]any{"to": "closed", "version": 5, "reason": "explained"}), 200)
		ns, err := e.store.TopicByCode(context.Background(), "NS")
		if err != nil {
			t.Fatal(err)
		}
		r = sec.do("PATCH", path, map[string]any{"topic_id": ns.ID, "version": 6}, "Accept-Language", "en")
		expect(t, r, 409)
		if !strings.Contains(r.Body.String(), "petition_not_open") || !strings.Contains(r.Body.String(), "reopen it") {
			t.Fatalf("closed %s", r.Body.String())
		}
		expect(t, chair.do("POST", path+"/transitions", map[string]any{"to": "reopened", "version": 6, "note": "Sửa lĩnh vực."}), 200)
		expect(t, sec.do("PATCH", path, map[string]any{"topic_id": ns.ID, "version": 7}), 200)
	})
}

// TestCorrectingADenunciation: only the chair corrects a denunciation's petitioner, and the
// secretary reads the change without its values.
func TestCorrectingADenunciation(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		sec, chair := e.as(w.SecretaryA), e.as(w.ChairA)
		r := chair.do("POST", "/api/v1/petitions", map[string]any{"commune_id": w.CommuneA.ID, "hamlet_id": w.HamletA1.ID,
			"channel": "reception", "kind": "to_cao", "topic_code": "CB", "content": "Tố cáo cán bộ địa chính nhận tiền của dân.",
			"name": "Phạm Văn Tố", "id_number": "079123456789"})
		expect(t, r, 201)
		path := fmt.Sprintf("/api/v1/petitions/%v", r.m(t)["id"])
		p := sec.do("GET", path, nil).m(t)
		if fmt.Sprint(p["correctable"]) != "[hamlet_id topic_id channel content]" {
			t.Fatalf("secretary may correct %v", p["correctable"])
		}
		expect(t, sec.do("PATCH", path, map[string]any{"name": "Phạm Văn Tổ", "version": 1}), 403)
		expect(t, chair.do("PATCH", path, map[string]any{"name": "Phạm Văn Tổ", "id_number": "079123456780", "version": 1}), 200)
		body := sec.do("GET", path+"/events", nil).Body.String()
		if strings.Contains(body, "Phạm") || strings.Contains(body, "0791234567") || !strings.Contains(body, `"hidden":true`) {
			t.Fatalf("the secretary reads the denouncer: %s", body)
		}
		if body := chair.do("GET", path+"/events", nil).Body.String(); !strings.Contains(body, "Phạm Văn Tổ") {
			t.Fatalf("the chair cannot read the change: %s", body)
		}
	})
}
