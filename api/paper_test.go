package api

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestPaperRecordsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair, sec := e.as(e.world.ChairA), e.as(e.world.SecretaryA)
		var d struct {
			ID        int64 `json:"id"`
			Version   int   `json:"version"`
			FromPaper *struct {
				By struct{ Username string } `json:"by"`
			} `json:"from_paper"`
		}
		r := sec.do("POST", "/api/v1/dialogues", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_ids": []int64{e.world.HamletA1.ID},
			"title": "Đối thoại ấp Tân Hòa (nhập lại)", "starts_at": "2024-05-16T08:00:00+07:00", "ends_at": "2024-05-16T10:00:00+07:00", "venue": "Nhà văn hóa"})
		expect(t, r, http.StatusCreated)
		r.decode(t, &d)
		if d.FromPaper == nil || d.FromPaper.By.Username != "secretary.a" {
			t.Fatalf("typed-up dialogue: %+v", d.FromPaper)
		}
		path := fmt.Sprintf("/api/v1/dialogues/%d/transitions", d.ID)
		r = sec.do("POST", path, map[string]any{"to": "held", "occurred_at": "2024-05-15T08:00:00+07:00", "version": d.Version})
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["occurred_at"] == "" {
			t.Fatalf("vi fields %v", f)
		}
		sec.lang = "en"
		future := time.Now().Add(48 * time.Hour).Format(time.RFC3339)
		r = sec.do("POST", path, map[string]any{"to": "held", "occurred_at": future, "version": d.Version})
		if f := fieldErrors(t, r); f["occurred_at"] != "The time it happened cannot be in the future." {
			t.Fatalf("en fields %v", f)
		}
		expect(t, sec.do("POST", path, map[string]any{"to": "held", "occurred_at": "2024-05-16T08:10:00+07:00", "version": d.Version}), http.StatusOK)

		var p struct {
			ID      int64 `json:"id"`
			Version int   `json:"version"`
		}
		sec.do("POST", "/api/v1/petitions", e.petitionBody(nil)).decode(t, &p)
		r = chair.do("POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", p.ID), map[string]any{"to": "closed", "reason": "withdrawn", "occurred_at": future, "version": p.Version})
		if f := fieldErrors(t, r); f["occurred_at"] == "" {
			t.Fatalf("petition fields %v", f)
		}
	})
}
