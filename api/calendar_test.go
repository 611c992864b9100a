package api

import (
	"context"
	"net/http"
	"testing"

	"github.com/papi-dialogue/papi/models/calendar"
)

func TestAdminsKeepTheWorkingDayCalendar(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		admin, chair := e.as(e.world.Admin), e.as(e.world.ChairA)
		r := chair.do("GET", "/api/v1/calendar?year=2026", nil)
		expect(t, r, http.StatusOK)
		var page struct {
			Items []struct {
				Date    string `json:"date"`
				Working bool   `json:"working"`
				Source  string `json:"source"`
				Name    string `json:"name"`
			} `json:"items"`
		}
		r.decode(t, &page)
		if len(page.Items) != 12 || page.Items[2].Date != "2026-02-17" || page.Items[2].Name != "Tết Nguyên đán (mùng 1)" || page.Items[2].Source != "law" {
			t.Fatalf("2026 holidays: %+v", page.Items)
		}
		decision := map[string]any{"working": true, "legal_basis": "Thông báo số 6150/TB-BNV", "note": "Làm bù cho thứ Sáu 2/1"}
		expect(t, chair.do("PUT", "/api/v1/calendar/days/2026-01-10", decision), http.StatusForbidden)
		expect(t, admin.do("PUT", "/api/v1/calendar/days/2026-01-10", decision), http.StatusOK)
		expect(t, admin.do("PUT", "/api/v1/calendar/days/2026-01-02", map[string]any{"working": false, "legal_basis": "Thông báo số 6150/TB-BNV"}), http.StatusOK)
		r = admin.do("PUT", "/api/v1/calendar/days/2026-13-01", map[string]any{"note": "x"})
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["date"] == "" || f["working"] == "" || f["legal_basis"] == "" {
			t.Fatalf("every bad field: %v", f)
		}
		w, err := e.store.Workdays(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := w.AddWorkingDays("2025-12-31", 1); got != "2026-01-05" {
			t.Fatalf("the recorded day off: %s", got)
		}
		if !w.IsWorkingDay(calendar.Date("2026-01-10")) {
			t.Fatal("the swapped Saturday")
		}
		r = chair.do("GET", "/api/v1/calendar?year=2026", nil)
		r.decode(t, &page)
		if len(page.Items) != 14 || page.Items[1].Date != "2026-01-02" || page.Items[1].Source != "decision" || !page.Items[2].Working {
			t.Fatalf("with the decisions: %+v", page.Items)
		}
		expect(t, chair.do("DELETE", "/api/v1/calendar/days/2026-01-10", nil), http.StatusForbidden)
		expect(t, admin.do("DELETE", "/api/v1/calendar/days/2026-01-10", nil), http.StatusNoContent)
		expect(t, admin.do("DELETE", "/api/v1/calendar/days/2026-01-10", nil), http.StatusNotFound)
		expect(t, chair.do("GET", "/api/v1/calendar?year=1999", nil), http.StatusUnprocessableEntity)
	})
}
