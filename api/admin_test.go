package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

func TestUnitsCreateRenameMove(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		admin := e.as(w.Admin)
		r := admin.do("POST", "/api/v1/units", map[string]any{"parent_id": w.District.ID, "level": "commune", "name": "Tân Thới", "code": "99999"})
		expect(t, r, 201)
		nc := r.m(t)
		if nc["slug"] != "TANTHOI2" {
			t.Fatalf("second Tân Thới got slug %v, want TANTHOI2", nc["slug"])
		}
		id := int64(nc["id"].(float64))
		// Same code again: a field error.
		r = admin.do("POST", "/api/v1/units", map[string]any{"parent_id": w.District.ID, "level": "commune", "name": "Khác", "code": "99999"})
		expect(t, r, 422)
		if fieldErrors(t, r)["code"] == "" {
			t.Fatal("no code error")
		}
		// A hamlet cannot hang under a district; a missing level and name are both named.
		r = admin.do("POST", "/api/v1/units", map[string]any{"parent_id": w.District.ID, "level": "hamlet", "name": "Ấp Lạc"})
		expect(t, r, 422)
		r = admin.do("POST", "/api/v1/units", map[string]any{})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["level"] == "" || f["name"] == "" {
			t.Fatalf("fields %v", f)
		}
		// Move the new commune with a hamlet to the other district; the hamlet follows.
		r = admin.do("POST", "/api/v1/units", map[string]any{"parent_id": id, "level": "hamlet", "name": "Ấp Một"})
		expect(t, r, 201)
		hamlet := int64(r.m(t)["id"].(float64))
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/units/%d", id), map[string]any{"parent_id": w.OtherDistrict.ID, "version": 1})
		expect(t, r, 200)
		// Stale version.
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/units/%d", id), map[string]any{"name": "X", "version": 1})
		expect(t, r, 409)
		if r.m(t)["error"].(map[string]any)["details"].(map[string]any)["current"] == nil {
			t.Fatal("409 without the current record")
		}
		// The district official of the first district no longer sees the hamlet; the other district's would.
		expect(t, e.as(w.DistrictOfficial).do("GET", fmt.Sprintf("/api/v1/units/%d", hamlet), nil), 404)
		otherChair := e.as(w.ChairOther)
		expect(t, otherChair.do("GET", fmt.Sprintf("/api/v1/units/%d", hamlet), nil), 404) // a sibling commune
		u, err := e.store.Unit(t.Context(), models.SystemActor(), hamlet)
		if err != nil || !strings.HasPrefix(u.Path, w.OtherDistrict.Path) {
			t.Fatalf("hamlet path %v after move, err %v", u, err)
		}
		// A unit cannot move inside itself.
		r = admin.do("PATCH", fmt.Sprintf("/api/v1/units/%d", w.District.ID), map[string]any{"parent_id": w.CommuneA.ID})
		expect(t, r, 422)
	})
}

func TestTopicsAddRenameDeactivateDelete(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin := e.as(e.world.Admin)
		var l struct{ Items []models.Topic }
		admin.do("GET", "/api/v1/topics", nil).decode(t, &l)
		if len(l.Items) != 14 || l.Items[2].Code != "NS" || l.Items[2].NameVI != "Nước sạch" {
			t.Fatalf("default topics: %+v", l.Items)
		}
		r := admin.do("POST", "/api/v1/topics", map[string]any{"code": "ns", "name_vi": "Trùng", "name_en": "Dup", "response_days": 5, "papi_dimension": "transparency"})
		expect(t, r, 422)
		r = admin.do("POST", "/api/v1/topics", map[string]any{"code": "CDS", "name_vi": "Chuyển đổi số", "name_en": "Digital", "response_days": 400, "papi_dimension": "nope"})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["response_days"] == "" || f["papi_dimension"] == "" {
			t.Fatalf("fields %v", f)
		}
		r = admin.do("POST", "/api/v1/topics", map[string]any{"code": "CDS", "name_vi": "Chuyển đổi số", "name_en": "Digital transformation", "response_days": 20, "papi_dimension": "e_governance"})
		expect(t, r, 201)
		id := int64(r.m(t)["id"].(float64))
		expect(t, admin.do("PATCH", fmt.Sprintf("/api/v1/topics/%d", id), map[string]any{"active": false, "version": 1}), 200)
		admin.do("GET", "/api/v1/topics", nil).decode(t, &l)
		if len(l.Items) != 14 {
			t.Fatalf("deactivated topic still listed: %d", len(l.Items))
		}
		admin.do("GET", "/api/v1/topics?all=true", nil).decode(t, &l)
		if len(l.Items) != 15 {
			t.Fatalf("all=true lists %d", len(l.Items))
		}
		expect(t, e.as(e.world.ChairA).do("DELETE", fmt.Sprintf("/api/v1/topics/%d", id), nil), 403)
		expect(t, admin.do("DELETE", fmt.Sprintf("/api/v1/topics/%d", id), nil), 204)
		expect(t, admin.do("DELETE", fmt.Sprintf("/api/v1/topics/%d", id), nil), 404)
	})
}

func TestUsersManagement(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		district := e.as(w.DistrictOfficial)
		// District officials cannot create admins, nor users outside their district.
		r := district.do("POST", "/api/v1/users", map[string]any{"username": "boss", "password": "long-enough-1", "role": "admin", "unit_id": w.District.ID})
		expect(t, r, 422)
		if fieldErrors(t, r)["role"] == "" {
			t.Fatal("no role error")
		}
		r = district.do("POST", "/api/v1/users", map[string]any{"username": "Bad Name!", "password": "short", "role": "nope", "unit_id": w.OtherCommune.ID})
		expect(t, r, 422)
		if f := fieldErrors(t, r); len(f) != 4 {
			t.Fatalf("want 4 field errors, got %v", f)
		}
		r = district.do("POST", "/api/v1/users", map[string]any{"username": "chair.a", "password": "long-enough-1", "role": "secretary", "unit_id": w.CommuneA.ID})
		expect(t, r, 422) // taken
		r = district.do("POST", "/api/v1/users", map[string]any{"username": "thu.ky2", "password": "long-enough-1", "full_name": "Đặng Thị Thu", "role": "secretary", "unit_id": w.CommuneA.ID})
		expect(t, r, 201)
		id := int64(r.m(t)["id"].(float64))
		newcomer := &models.User{Username: "thu.ky2"}
		// The new user signs in, then is deactivated: the session ends.
		c := e.anon()
		lr := c.do("POST", "/api/v1/auth/login", map[string]string{"username": newcomer.Username, "password": "long-enough-1"})
		expect(t, lr, 200)
		c.cookie = lr.Result().Cookies()[0]
		expect(t, c.do("GET", "/api/v1/auth/me", nil), 200)
		expect(t, district.do("PATCH", fmt.Sprintf("/api/v1/users/%d", id), map[string]any{"active": false}), 200)
		expect(t, c.do("GET", "/api/v1/auth/me", nil), 401)
		// Nobody may deactivate themselves; a district official cannot edit an admin.
		expect(t, district.do("PATCH", fmt.Sprintf("/api/v1/users/%d", w.DistrictOfficial.ID), map[string]any{"active": false}), 422)
		// Changing one's password needs the current one.
		chair := e.as(w.ChairA)
		r = chair.do("POST", "/api/v1/auth/password", map[string]any{"current_password": "wrong", "new_password": "x"})
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["current_password"] == "" || f["new_password"] == "" {
			t.Fatalf("fields %v", f)
		}
	})
}
