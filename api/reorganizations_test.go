package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestPermissionsUnitHistoryEndpoints extends the permission table to the reorganization,
// lineage, rebinding and monitor-set endpoints, for every role on its own and foreign units.
func TestPermissionsUnitHistoryEndpoints(t *testing.T) {
	type want map[models.Role][2]int
	all := func(own, foreign int) want {
		w := want{}
		for _, r := range models.Roles() {
			w[r] = [2]int{own, foreign}
		}
		return w
	}
	with := func(w want, r models.Role, own, foreign int) want { w[r] = [2]int{own, foreign}; return w }
	n := 0
	rename := func(tg targets, s scope) any {
		n++
		return map[string]any{"kind": "rename", "legal_number": fmt.Sprintf("%d/QĐ-UBND", n), "legal_date": "2025-06-16",
			"effective_on": "2025-07-01", "unit_ids": []int64{tg.hamlet[s].ID}, "name": fmt.Sprintf("Ấp Mới %d", n)}
	}
	cases := []struct {
		name, method string
		path         func(tg targets, s scope) string
		body         func(tg targets, s scope) any
		want         want
	}{
		{"list acts", "GET", func(targets, scope) string { return "/api/v1/reorganizations" }, nil, all(200, 200)},
		{"preview act", "POST", func(targets, scope) string { return "/api/v1/reorganizations/preview" }, rename,
			with(all(403, 403), models.RoleAdmin, 200, 422)},
		{"apply act", "POST", func(targets, scope) string { return "/api/v1/reorganizations" }, rename,
			with(all(403, 403), models.RoleAdmin, 201, 422)},
		{"import units", "POST", func(targets, scope) string { return "/api/v1/units/import?dry_run=true" },
			func(targets, scope) any { return "code,name,kind,parent_code\n" }, with(all(403, 403), models.RoleAdmin, 200, 200)},
		{"import acts", "POST", func(targets, scope) string { return "/api/v1/reorganizations/import?dry_run=true" },
			func(targets, scope) any { return "legal_number,legal_date,effective_on,kind,unit_code\n" }, with(all(403, 403), models.RoleAdmin, 200, 200)},
		{"lineage", "GET", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/units/%d/lineage", tg.hamlet[s].ID) }, nil,
			all(200, 404)},
		{"users to rebind", "GET", func(targets, scope) string { return "/api/v1/users/rebind" }, nil,
			with(with(all(403, 403), models.RoleAdmin, 200, 200), models.RoleDistrictOfficial, 200, 200)},
		{"rebind users", "POST", func(targets, scope) string { return "/api/v1/users/rebind" },
			func(tg targets, s scope) any {
				return map[string]any{"unit_id": tg.commune[s].ID, "user_ids": []int64{tg.user[s].ID}}
			}, with(with(all(403, 403), models.RoleAdmin, 200, 422), models.RoleDistrictOfficial, 200, 422)},
		{"monitor's communes", "GET", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/users/%d/communes", tg.user[s].ID) }, nil,
			all(200, 404)},
		{"set monitor's communes", "PUT", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/users/%d/communes", tg.user[s].ID) },
			func(targets, scope) any { return map[string]any{"commune_ids": []int64{}} },
			// The own target is a secretary, who follows no set: 422 for those who manage users.
			with(with(all(403, 404), models.RoleAdmin, 422, 404), models.RoleDistrictOfficial, 422, 404)},
	}
	each(t, func(t *testing.T, e *testEnv) {
		for _, role := range models.Roles() {
			c := e.as(userOf(e.world, role))
			tg := targetsFor(e.world, role)
			for _, tc := range cases {
				for _, s := range []scope{own, foreign} {
					var body any
					if tc.body != nil {
						body = tc.body(tg, s)
					}
					r := c.do(tc.method, tc.path(tg, s), body)
					if got, exp := r.Code, tc.want[role][s]; got != exp {
						t.Errorf("%s as %s on %s unit: status %d, want %d (%s)",
							tc.name, role, []string{"own", "foreign"}[s], got, exp, r.Body.String())
					}
				}
			}
		}
	})
}

// A monitoring official bound to a set of communes sees exactly those: a commune outside the
// set, its petitions and its dialogues answer 404, its report 422.
func TestMonitorSetThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w, ctx := e.world, context.Background()
		admin := e.as(w.Admin)
		r := admin.do("POST", "/api/v1/users", map[string]any{"username": "theodoi.tg", "password": dbtest.Password,
			"role": "district_official", "unit_id": w.Province.ID, "full_name": "Cán bộ theo dõi"})
		expect(t, r, 201)
		var mon models.User
		r.decode(t, &mon)
		expect(t, admin.do("PUT", fmt.Sprintf("/api/v1/users/%d/communes", mon.ID), map[string]any{"commune_ids": []int64{w.FarCommune.ID}}), 422)
		expect(t, admin.do("PUT", fmt.Sprintf("/api/v1/users/%d/communes", mon.ID), map[string]any{"commune_ids": []int64{w.CommuneA.ID}}), 200)

		petition := func(u *models.User, commune, hamlet *models.Unit) int64 {
			a := w.Actor(t, e.store, u)
			p, err := e.store.CreatePetition(ctx, a, models.PetitionInput{CommuneID: commune.ID, HamletID: hamlet.ID, TopicCode: "GT",
				Kind: "kien_nghi", Channel: "reception", Content: "Đề nghị sửa đường liên ấp trước mùa mưa."})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		inA, inB := petition(w.SecretaryA, w.CommuneA, w.HamletA1), petition(w.SecretaryB, w.CommuneB, w.HamletB1)
		m := e.as(&mon)
		expect(t, m.do("GET", fmt.Sprintf("/api/v1/petitions/%d", inA), nil), 200)
		expect(t, m.do("GET", fmt.Sprintf("/api/v1/petitions/%d", inB), nil), 404)
		expect(t, m.do("GET", fmt.Sprintf("/api/v1/units/%d", w.CommuneB.ID), nil), 404)
		expect(t, m.do("GET", fmt.Sprintf("/api/v1/reports/summary?unit_id=%d", w.CommuneB.ID), nil), 422)
		expect(t, m.do("GET", fmt.Sprintf("/api/v1/dialogues?commune_id=%d", w.CommuneB.ID), nil), 422)
		var list struct{ Items []map[string]any }
		m.do("GET", "/api/v1/petitions", nil).decode(t, &list)
		if len(list.Items) != 1 || int64(list.Items[0]["id"].(float64)) != inA {
			t.Fatalf("monitor's list %v", list.Items)
		}
		var sum struct {
			Communes []struct{ Commune struct{ ID int64 } }
		}
		m.do("GET", "/api/v1/reports/summary", nil).decode(t, &sum)
		if len(sum.Communes) != 1 || sum.Communes[0].Commune.ID != w.CommuneA.ID {
			t.Fatalf("monitor's league %+v", sum.Communes)
		}
	})
}

// A merger through the API: faults named, then applied; users of the ended communes are told
// why they cannot sign in, listed, and rebound in one step.
func TestMergeThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		admin := e.as(w.Admin)
		chairA := e.as(w.ChairA)
		act := map[string]any{"kind": "merge", "legal_number": "1663/NQ-UBTVQH15", "legal_date": "2025-06-16", "effective_on": "2025-07-01",
			"unit_ids": []int64{w.CommuneA.ID, w.CommuneB.ID},
			"into":     map[string]any{"name": "Tân Thới", "code": "28570", "parent_id": w.Province.ID}}
		r := admin.do("POST", "/api/v1/reorganizations", act)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["into.code"] == "" {
			t.Fatalf("reused code not named: %v", f)
		}
		act["into"] = map[string]any{"name": "Tân Thới", "code": "82001", "parent_id": w.Province.ID}
		r = admin.do("POST", "/api/v1/reorganizations/preview", act)
		expect(t, r, 200)
		var pv models.ReorganizationPreview
		r.decode(t, &pv)
		if len(pv.UsersToRebind) != 5 {
			t.Fatalf("preview %+v", pv)
		}
		r = admin.do("POST", "/api/v1/reorganizations", act)
		expect(t, r, 201)

		// The chair's open session and a new sign-in both get the reason, not a broken screen.
		r = chairA.do("GET", "/api/v1/auth/me", nil)
		expect(t, r, 403)
		if !strings.Contains(r.Body.String(), "unit_reorganized") {
			t.Fatalf("open session: %s", r.Body)
		}
		r = e.anon().do("POST", "/api/v1/auth/login", map[string]string{"username": "chair.a", "password": dbtest.Password})
		expect(t, r, 403)
		if !strings.Contains(r.Body.String(), "sắp xếp lại") {
			t.Fatalf("sign-in: %s", r.Body)
		}
		expect(t, e.anon().do("GET", "/api/v1/public/communes", nil), 200)
		// The board of an ended commune shows its own petitions on either basis; a bad one is named.
		for _, as := range []string{"now", "then"} {
			expect(t, e.anon().do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?as=%s", w.CommuneA.ID, as), nil), 200)
		}
		r = e.anon().do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions?as=later", w.CommuneA.ID), nil)
		expect(t, r, 422)
		if f := fieldErrors(t, r); f["as"] == "" {
			t.Fatalf("bad basis: %v", f)
		}

		var waiting struct{ Items []models.UserBinding }
		admin.do("GET", "/api/v1/users/rebind", nil).decode(t, &waiting)
		ids := []int64{}
		for _, u := range waiting.Items {
			ids = append(ids, u.ID)
		}
		if len(ids) != 5 {
			t.Fatalf("waiting %+v", waiting.Items)
		}
		var units struct{ Items []models.Unit }
		admin.do("GET", "/api/v1/units", nil).decode(t, &units)
		var merged int64
		for _, u := range units.Items {
			if u.Code != nil && *u.Code == "82001" {
				merged = u.ID
			}
		}
		expect(t, admin.do("POST", "/api/v1/users/rebind", map[string]any{"unit_id": merged, "user_ids": ids}), 200)
		e.as(w.ChairA)

		var lin models.Lineage
		admin.do("GET", fmt.Sprintf("/api/v1/units/%d/lineage", merged), nil).decode(t, &lin)
		if len(lin.Predecessors) != 2 || lin.Predecessors[0].Unit.ID != w.CommuneA.ID || lin.Predecessors[0].EffectiveOn != "2025-07-01" {
			t.Fatalf("lineage %+v", lin)
		}
		var acts struct{ Items []models.Reorganization }
		e.as(w.InspectorA).do("GET", "/api/v1/reorganizations", nil).decode(t, &acts)
		if len(acts.Items) != 1 || acts.Items[0].LegalNumber != "1663/NQ-UBTVQH15" {
			t.Fatalf("acts %+v", acts.Items)
		}
	})
}

// The monitoring official is named by their place: "Cán bộ theo dõi" without a district.
func TestMonitoringOfficialLabel(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		var me struct {
			RoleLabel models.Message `json:"role_label"`
		}
		e.as(w.DistrictOfficial).do("GET", "/api/v1/auth/me", nil).decode(t, &me)
		if me.RoleLabel.VI != "Cán bộ huyện" {
			t.Fatalf("bound to a district: %+v", me.RoleLabel)
		}
		r := e.as(w.Admin).do("POST", "/api/v1/users", map[string]any{"username": "theodoi.tinh", "password": dbtest.Password,
			"role": "district_official", "unit_id": w.Province.ID})
		expect(t, r, 201)
		var u models.User
		r.decode(t, &u)
		e.as(&u).do("GET", "/api/v1/auth/me", nil).decode(t, &me)
		if me.RoleLabel.VI != "Cán bộ theo dõi" || me.RoleLabel.EN != "Monitoring official" {
			t.Fatalf("bound to a province: %+v", me.RoleLabel)
		}
	})
}
