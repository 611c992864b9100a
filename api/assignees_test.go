package api

import (
	"fmt"
	"net/http"
	"testing"
)

func TestAssigneesAndMyPetitionsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		w := e.world
		chair, sec := e.as(w.ChairA), e.as(w.SecretaryA)
		r := chair.do("POST", "/api/v1/assignees", map[string]any{"commune_id": w.CommuneA.ID, "name": "x", "user_id": w.SecretaryB.ID})
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["name"] != "Tên chức danh từ 2 đến 120 ký tự." || f["user_id"] == "" {
			t.Fatalf("vi fields %v", f)
		}
		chair.lang = "en"
		r = chair.do("POST", "/api/v1/assignees", map[string]any{"commune_id": w.CommuneA.ID, "name": ""})
		if f := fieldErrors(t, r); f["name"] != "The function's name is 2 to 120 characters." {
			t.Fatalf("en fields %v", f)
		}
		var land struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		r = chair.do("POST", "/api/v1/assignees", map[string]any{"commune_id": w.CommuneA.ID, "name": "Địa chính – xây dựng", "user_id": w.SecretaryA.ID})
		expect(t, r, http.StatusCreated)
		r.decode(t, &land)
		var list struct{ Items []map[string]any }
		sec.do("GET", "/api/v1/assignees", nil).decode(t, &list)
		if len(list.Items) != 1 || list.Items[0]["name"] != "Địa chính – xây dựng" {
			t.Fatalf("assignees of the secretary's commune: %v", list.Items)
		}
		expect(t, chair.do("PATCH", fmt.Sprintf("/api/v1/assignees/%d", land.ID), map[string]any{"name": "Địa chính", "version": land.Version + 1}), http.StatusConflict)

		var p struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		sec.do("POST", "/api/v1/petitions", e.petitionBody(nil)).decode(t, &p)
		r = sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", p.ID), map[string]any{"to": "assigned", "assignee_id": land.ID, "version": p.Version})
		expect(t, r, http.StatusOK)
		var mine struct{ Items []map[string]any }
		sec.do("GET", "/api/v1/petitions?assignee=me", nil).decode(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0]["assignee_id"] != float64(land.ID) {
			t.Fatalf("my petitions: %v", mine.Items)
		}
		chair.do("GET", "/api/v1/petitions?assignee=me", nil).decode(t, &mine)
		if len(mine.Items) != 0 {
			t.Fatalf("the chair holds no function: %v", mine.Items)
		}
		r = sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/assignee", p.ID), map[string]any{"assignee_id": land.ID, "version": p.Version + 1})
		expect(t, r, http.StatusUnprocessableEntity)
		expect(t, chair.do("DELETE", fmt.Sprintf("/api/v1/assignees/%d", land.ID), nil), http.StatusConflict)
	})
}
