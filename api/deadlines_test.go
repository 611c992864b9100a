package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestDeadlinesThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		now := dbtest.VN(t, "2026-02-06 10:00")
		e.store.Now = func() time.Time { return now }
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		r := sec.do("POST", "/api/v1/petitions", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_id": e.world.HamletA1.ID,
			"kind": "khieu_nai", "channel": "letter", "topic_code": "DD", "content": "Khiếu nại quyết định thu hồi đất của xã."})
		expect(t, r, http.StatusCreated)
		var p struct {
			ID          int64  `json:"id"`
			Version     int    `json:"version"`
			DueOn       string `json:"due_on"`
			DueRule     string `json:"due_rule"`
			DueRuleText string `json:"due_rule_text"`
			Complexity  string `json:"complexity"`
		}
		r.decode(t, &p)
		// Ten days from Friday 6 February end on Monday 16, in Tết: the next working day is 23.
		if p.DueOn != "2026-02-23" || p.DueRule != "complaint_accept" || !strings.Contains(p.DueRuleText, "Luật Khiếu nại 2011") {
			t.Fatalf("created: %+v", p)
		}
		path := fmt.Sprintf("/api/v1/petitions/%d", p.ID)
		expect(t, sec.do("POST", path+"/acceptance", map[string]any{"version": p.Version}), http.StatusForbidden)
		r = chair.do("POST", path+"/acceptance", map[string]any{"version": p.Version, "complexity": "hard"})
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["complexity"] == "" {
			t.Fatalf("fields %v", f)
		}
		r = chair.do("POST", path+"/acceptance", map[string]any{"version": p.Version, "complexity": "complex"})
		expect(t, r, http.StatusOK)
		r.decode(t, &p)
		if p.DueOn != "2026-03-23" || p.DueRule != "complaint_resolve" || p.Complexity != "complex" { // 45 days
			t.Fatalf("accepted: %+v", p)
		}
		r = chair.do("POST", path+"/extensions", map[string]any{"version": p.Version, "days": 10, "reason": "Phức tạp"})
		expect(t, r, http.StatusConflict)
		r = chair.do("GET", "/api/v1/deadline-rules", nil)
		expect(t, r, http.StatusOK)
		if n := len(r.m(t)["items"].([]any)); n != 13 {
			t.Fatalf("%d rules", n)
		}
		// Due on 23 March, the complaint is due soon from 18 March (three working days before).
		now = dbtest.VN(t, "2026-03-18 08:00")
		chair = e.as(e.world.ChairA) // a new session on the new day
		r = chair.do("GET", "/api/v1/petitions?due_soon=true", nil)
		expect(t, r, http.StatusOK)
		if items := r.m(t)["items"].([]any); len(items) != 1 {
			t.Fatalf("due soon: %d", len(items))
		}
		now = dbtest.VN(t, "2026-03-17 08:00")
		if items := chair.do("GET", "/api/v1/petitions?due_soon=true", nil).m(t)["items"].([]any); len(items) != 0 {
			t.Fatalf("not yet due soon: %d", len(items))
		}
		expect(t, chair.do("GET", "/api/v1/petitions?due_soon=maybe", nil), http.StatusUnprocessableEntity)
	})
}
