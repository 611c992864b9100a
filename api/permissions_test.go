package api

import (
	"context"
	"fmt"
	"testing"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// scope is where a request points: at the caller's own subtree or at a foreign one.
type scope int

const (
	own scope = iota
	foreign
)

// targets names, for a role, a hamlet, a commune and a user inside its subtree and outside it.
type targets struct {
	hamlet, commune [2]*models.Unit
	user            [2]*models.User
}

func targetsFor(w *dbtest.World, r models.Role) targets {
	switch r {
	case models.RoleAdmin:
		return targets{
			hamlet:  [2]*models.Unit{w.HamletA1, w.FarHamlet},
			commune: [2]*models.Unit{w.CommuneA, w.FarCommune},
			user:    [2]*models.User{w.SecretaryA, w.FarAdmin},
		}
	case models.RoleDistrictOfficial:
		return targets{
			hamlet:  [2]*models.Unit{w.HamletA1, w.HamletOther},
			commune: [2]*models.Unit{w.CommuneA, w.OtherCommune},
			user:    [2]*models.User{w.SecretaryA, w.ChairOther},
		}
	}
	return targets{
		hamlet:  [2]*models.Unit{w.HamletA1, w.HamletB1},
		commune: [2]*models.Unit{w.CommuneA, w.CommuneB},
		user:    [2]*models.User{w.SecretaryA, w.SecretaryB},
	}
}

func userOf(w *dbtest.World, r models.Role) *models.User {
	switch r {
	case models.RoleAdmin:
		return w.Admin
	case models.RoleDistrictOfficial:
		return w.DistrictOfficial
	case models.RoleCommuneChair:
		return w.ChairA
	case models.RoleSecretary:
		return w.SecretaryA
	}
	return w.InspectorA
}

// TestPermissionsEveryRoleEveryEndpoint checks every foundation endpoint for every role,
// on the caller's own units and on foreign ones.
func TestPermissionsEveryRoleEveryEndpoint(t *testing.T) {
	type want map[models.Role][2]int // status on own, on foreign
	all := func(own, foreign int) want {
		w := want{}
		for _, r := range models.Roles() {
			w[r] = [2]int{own, foreign}
		}
		return w
	}
	adminOnly := func(ok, okForeign, no int) want {
		w := all(no, no)
		w[models.RoleAdmin] = [2]int{ok, okForeign}
		return w
	}
	managers := func(ok, okForeign, no, noForeign int) want {
		w := all(no, noForeign)
		w[models.RoleAdmin] = [2]int{ok, okForeign}
		w[models.RoleDistrictOfficial] = [2]int{ok, okForeign}
		return w
	}
	n := 0
	fresh := func(prefix string) string { n++; return fmt.Sprintf("%s%d", prefix, n) }
	var (
		store *models.Store // the current dialect's store and subtest, set below
		cur   *testing.T
	)

	cases := []struct {
		name   string
		method string
		path   func(tg targets, s scope) string
		body   func(tg targets, s scope) any
		want   want
	}{
		{"list units", "GET", func(targets, scope) string { return "/api/v1/units" }, nil, all(200, 200)},
		{"get unit", "GET", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/units/%d", tg.hamlet[s].ID) }, nil, all(200, 404)},
		{"create unit", "POST", func(targets, scope) string { return "/api/v1/units" },
			func(tg targets, s scope) any {
				return map[string]any{"parent_id": tg.commune[s].ID, "level": "hamlet", "name": fresh("Ấp Mới ")}
			}, adminOnly(201, 422, 403)},
		{"rename unit", "PATCH", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/units/%d", tg.hamlet[s].ID) },
			func(targets, scope) any { return map[string]any{"name": fresh("Ấp Đổi Tên ")} },
			func() want { w := all(403, 404); w[models.RoleAdmin] = [2]int{200, 404}; return w }()},
		{"list topics", "GET", func(targets, scope) string { return "/api/v1/topics" }, nil, all(200, 200)},
		{"create topic", "POST", func(targets, scope) string { return "/api/v1/topics" },
			func(targets, scope) any {
				return map[string]any{"code": fresh("T"), "name_vi": "Thử", "name_en": "Try", "response_days": 10, "papi_dimension": "participation"}
			}, adminOnly(201, 201, 403)},
		{"edit topic", "PATCH", func(targets, scope) string { return "/api/v1/topics/1" },
			func(targets, scope) any { return map[string]any{"response_days": 20} }, adminOnly(200, 200, 403)},
		{"delete topic", "DELETE", func(targets, scope) string {
			tp, err := store.CreateTopic(context.Background(), models.SystemActor(), models.TopicInput{
				Code: fresh("DEL"), NameVI: "Tạm", NameEN: "Temporary", ResponseDays: 5, PAPIDimension: "participation"})
			if err != nil {
				cur.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/topics/%d", tp.ID)
		}, nil, adminOnly(204, 204, 403)},
		{"list users", "GET", func(targets, scope) string { return "/api/v1/users" }, nil, all(200, 200)},
		{"get user", "GET", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/users/%d", tg.user[s].ID) }, nil, all(200, 404)},
		{"create user", "POST", func(targets, scope) string { return "/api/v1/users" },
			func(tg targets, s scope) any {
				return map[string]any{"username": fresh("new.user"), "password": "long-enough-1", "role": "secretary", "unit_id": tg.commune[s].ID}
			}, managers(201, 422, 403, 403)},
		{"edit user", "PATCH", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/users/%d", tg.user[s].ID) },
			func(targets, scope) any { return map[string]any{"full_name": fresh("Nguyễn Văn ")} }, managers(200, 404, 403, 404)},
		{"set a user's e-mail", "PATCH", func(tg targets, s scope) string { return fmt.Sprintf("/api/v1/users/%d", tg.user[s].ID) },
			func(targets, scope) any { return map[string]any{"email": fresh("thu.ky") + "@tanthoi.gov.vn"} }, managers(200, 404, 403, 404)},
		{"me", "GET", func(targets, scope) string { return "/api/v1/auth/me" }, nil, all(200, 200)},
		{"link a petition", "POST", func(tg targets, s scope) string {
			return fmt.Sprintf("/api/v1/petitions/%d/link", loggedIn(store, cur, tg.hamlet[s]))
		}, func(targets, scope) any { return map[string]any{"main_id": 0, "version": 1} },
			func() want {
				w := all(403, 404)
				for _, r := range []models.Role{models.RoleAdmin, models.RoleCommuneChair, models.RoleSecretary} {
					w[r] = [2]int{422, 404}
				}
				return w
			}()},
		{"correct a petition", "PATCH", func(tg targets, s scope) string {
			return fmt.Sprintf("/api/v1/petitions/%d", loggedIn(store, cur, tg.hamlet[s]))
		}, func(targets, scope) any {
			return map[string]any{"content": fresh("Đề nghị lắp đường ống nước sạch, lần "), "version": 1}
		},
			func() want {
				w := all(403, 404)
				for _, r := range []models.Role{models.RoleAdmin, models.RoleCommuneChair, models.RoleSecretary} {
					w[r] = [2]int{200, 404}
				}
				return w
			}()},
		{"list assignees", "GET", func(tg targets, s scope) string {
			return fmt.Sprintf("/api/v1/assignees?commune_id=%d", tg.commune[s].ID)
		}, nil, all(200, 404)},
		{"create assignee", "POST", func(targets, scope) string { return "/api/v1/assignees" },
			func(tg targets, s scope) any {
				return map[string]any{"commune_id": tg.commune[s].ID, "name": fresh("Công chức ")}
			}, func() want {
				w := all(403, 403)
				w[models.RoleAdmin], w[models.RoleCommuneChair] = [2]int{201, 422}, [2]int{201, 422}
				return w
			}()},
		{"set own e-mail", "PATCH", func(targets, scope) string { return "/api/v1/auth/me" },
			func(targets, scope) any { return map[string]any{"email": fresh("toi") + "@tanthoi.gov.vn"} }, all(200, 200)},
	}

	each(t, func(t *testing.T, e *testEnv) {
		store, cur = e.store, t
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
			// Lists show the caller's subtree and nothing else.
			units := map[float64]bool{}
			var ul struct{ Items []map[string]any }
			c.do("GET", "/api/v1/units", nil).decode(t, &ul)
			for _, u := range ul.Items {
				units[u["id"].(float64)] = true
			}
			if !units[float64(tg.hamlet[own].ID)] || units[float64(tg.hamlet[foreign].ID)] {
				t.Errorf("%s: unit list %v should hold %d and not %d", role, units, tg.hamlet[own].ID, tg.hamlet[foreign].ID)
			}
			var usl struct{ Items []map[string]any }
			c.do("GET", "/api/v1/users?limit=200", nil).decode(t, &usl)
			seen := map[float64]bool{}
			for _, u := range usl.Items {
				seen[u["id"].(float64)] = true
			}
			if !seen[float64(tg.user[own].ID)] || seen[float64(tg.user[foreign].ID)] {
				t.Errorf("%s: user list should hold %d and not %d", role, tg.user[own].ID, tg.user[foreign].ID)
			}
			// Everyone may change their own password, and sign out.
			expect(t, c.do("POST", "/api/v1/auth/password", map[string]any{"current_password": dbtest.Password, "new_password": dbtest.Password}), 204)
			expect(t, c.do("POST", "/api/v1/auth/logout", nil), 204)
			expect(t, c.do("GET", "/api/v1/auth/me", nil), 401)
		}
	})
}

// loggedIn logs a petition in the hamlet (as an admin of everything) and returns its id.
func loggedIn(s *models.Store, t *testing.T, hamlet *models.Unit) int64 {
	t.Helper()
	var first int64
	if err := s.Gorm().Raw("SELECT MIN(id) FROM users").Scan(&first).Error; err != nil {
		t.Fatal(err)
	}
	root := models.SystemActor()
	root.UserID = first
	p, err := s.CreatePetition(context.Background(), root, models.PetitionInput{CommuneID: *hamlet.ParentID, HamletID: hamlet.ID,
		Channel: "reception", Kind: "kien_nghi", TopicCode: "NS", Content: "Đề nghị lắp đặt đường ống nước sạch."})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}
