package api

import (
	"fmt"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

// TestOfficialsEmailThroughTheAPI sets e-mail addresses through /auth/me and /users, checks
// who reads them, and follows one to the assignment message it receives.
func TestOfficialsEmailThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		r := sec.do("PATCH", "/api/v1/auth/me", map[string]any{"email": " thu.ky@tanthoi.gov.vn "})
		expect(t, r, 200)
		me := r.m(t)
		if me["email"] != "thu.ky@tanthoi.gov.vn" || me["csrf_token"] == "" || me["permissions"] == nil {
			t.Fatalf("me after the change: %v", me)
		}
		version := me["version"]
		// Bad addresses: a 422 naming the field, in Vietnamese or English, and nothing changes.
		for _, bad := range []string{"thu.ky", "Thư Ký <thu.ky@tanthoi.gov.vn>", "a@b", "thu ky@tanthoi.gov.vn"} {
			r := sec.do("PATCH", "/api/v1/auth/me", map[string]any{"email": bad})
			expect(t, r, 422)
			if f := fieldErrors(t, r); f["email"] != "Địa chỉ email không hợp lệ (ví dụ: ten@ubnd.gov.vn), hoặc để trống." {
				t.Errorf("%q: fields %v", bad, f)
			}
		}
		r = sec.do("PATCH", "/api/v1/auth/me", map[string]any{"email": "x"}, "Accept-Language", "en")
		if f := fieldErrors(t, r); f["email"] != "The e-mail address is not valid (such as name@ubnd.gov.vn); or leave it empty." {
			t.Errorf("English: %v", f)
		}
		expect(t, sec.do("PATCH", "/api/v1/auth/me", `{"email": 5}`), 422)
		expect(t, sec.do("PATCH", "/api/v1/auth/me", `{"email": `), 400)
		// A stale version: 409 with the record as it is.
		stale := sec.do("PATCH", "/api/v1/auth/me", map[string]any{"email": "khac@tanthoi.gov.vn", "version": 1})
		expect(t, stale, 409)
		now := sec.do("GET", "/api/v1/auth/me", nil).m(t)
		if now["email"] != "thu.ky@tanthoi.gov.vn" || now["version"] != version {
			t.Fatalf("a refused write changed the record: %v", now)
		}

		// An admin sets a chair's address, and creates a user with one.
		admin := e.as(e.world.Admin)
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.world.ChairA.ID), map[string]any{"email": "chu.tich@tanthoi.gov.vn"})
		expect(t, r, 200)
		if r.m(t)["email"] != "chu.tich@tanthoi.gov.vn" {
			t.Fatalf("admin's edit: %s", r.Body)
		}
		expect(t, admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.world.ChairA.ID), map[string]any{"email": "nope"}), 422)
		r = admin.do("POST", "/api/v1/users", map[string]any{"username": "can.bo.moi", "password": "mat-khau-dai-du", "role": "secretary",
			"unit_id": e.world.CommuneA.ID, "email": "can.bo.moi@tanthoi.gov.vn"})
		expect(t, r, 201)
		if r.m(t)["email"] != "can.bo.moi@tanthoi.gov.vn" {
			t.Fatalf("created: %s", r.Body)
		}
		bad := admin.do("POST", "/api/v1/users", map[string]any{"username": "can.bo.khac", "password": "mat-khau-dai-du", "role": "secretary",
			"unit_id": e.world.CommuneA.ID, "email": "@tanthoi.gov.vn"})
		expect(t, bad, 422)
		if f := fieldErrors(t, bad); f["email"] == "" {
			t.Fatalf("fields: %v", f)
		}

		// Who reads an address: the user and those who manage users, not a colleague.
		readers := []struct {
			who  *models.User
			want string
		}{{e.world.ChairA, "chu.tich@tanthoi.gov.vn"}, {e.world.Admin, "chu.tich@tanthoi.gov.vn"},
			{e.world.DistrictOfficial, "chu.tich@tanthoi.gov.vn"}, {e.world.SecretaryA, ""}, {e.world.InspectorA, ""}}
		for _, rd := range readers {
			c := e.as(rd.who)
			one := c.do("GET", fmt.Sprintf("/api/v1/users/%d", e.world.ChairA.ID), nil).m(t)
			var list struct{ Items []map[string]any }
			c.do("GET", "/api/v1/users?limit=200", nil).decode(t, &list)
			inList := "missing"
			for _, u := range list.Items {
				if u["id"] == float64(e.world.ChairA.ID) {
					inList = u["email"].(string)
				}
			}
			if one["email"] != rd.want || inList != rd.want {
				t.Errorf("%s reads the chair's e-mail as %q and %q in the list, want %q", rd.who.Username, one["email"], inList, rd.want)
			}
		}

		// The address set through the API is where an assignment goes.
		p := logConsenting(t, sec, e, "kien_nghi")
		chair := e.as(e.world.ChairA)
		expect(t, chair.do("POST", fmt.Sprintf("/api/v1/petitions/%v/transitions", p["id"]), map[string]any{
			"to": "assigned", "responsible_unit_id": e.world.CommuneA.ID, "version": p["version"]}), 200)
		var to []string
		if err := e.store.Gorm().Table("notifications").Where("event = ? AND channel = ?", "assigned", "email").
			Order("recipient").Pluck("recipient", &to).Error; err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(to) != "[can.bo.moi@tanthoi.gov.vn thu.ky@tanthoi.gov.vn]" {
			t.Fatalf("assignment e-mails went to %v", to)
		}
	})
}

// TestOfficialsPhoneThroughTheAPI sets a mobile number and the choice of SMS through /auth/me
// and /users: 422 naming each bad field in Vietnamese or English, nothing changed by a refused
// write, the number read only by the user and user managers.
func TestOfficialsPhoneThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		sec := e.as(e.world.SecretaryA)
		before := sec.do("GET", "/api/v1/auth/me", nil).m(t)
		r := sec.do("PATCH", "/api/v1/auth/me", map[string]any{"phone": "0912 34", "sms_notices": true})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["phone"] != "Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678), hoặc để trống." ||
			f["sms_notices"] != "Hãy ghi số điện thoại di động để nhận tin nhắn SMS." {
			t.Fatalf("fields %v", f)
		}
		r = sec.do("PATCH", "/api/v1/auth/me", map[string]any{"sms_notices": true}, "Accept-Language", "en")
		if f := fieldErrors(t, r); f["sms_notices"] != "Give a mobile number to receive SMS." {
			t.Fatalf("English %v", f)
		}
		expect(t, sec.do("PATCH", "/api/v1/auth/me", `{"sms_notices": "yes"}`), 422)
		if now := sec.do("GET", "/api/v1/auth/me", nil).m(t); now["version"] != before["version"] || now["phone"] != "" {
			t.Fatalf("a refused write changed the record: %v", now)
		}
		r = sec.do("PATCH", "/api/v1/auth/me", map[string]any{"phone": "0912 345 678", "sms_notices": true})
		expect(t, r, 200)
		if me := r.m(t); me["phone"] != "84912345678" || me["sms_notices"] != true {
			t.Fatalf("me %v", me)
		}
		admin := e.as(e.world.Admin)
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/users/%d", e.world.ChairA.ID), map[string]any{"phone": "+84 987 654 321", "sms_notices": true})
		expect(t, r, 200)
		if u := r.m(t); u["phone"] != "84987654321" || u["sms_notices"] != true {
			t.Fatalf("admin's edit %v", u)
		}
		r = e.as(e.world.ChairA).do("GET", fmt.Sprintf("/api/v1/users/%d", e.world.SecretaryA.ID), nil)
		if r.Code == 200 && r.m(t)["phone"] != "" {
			t.Fatalf("the chair reads the secretary's number: %s", r.Body)
		}
	})
}
