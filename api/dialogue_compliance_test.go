package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/papi-dialogue/papi/models"
	"github.com/papi-dialogue/papi/models/dbtest"
)

// TestPermissionsOfTheLawsClocks is the role table of publishing a dialogue's notice and results
// and of keeping the deadline rules, for every role on its own commune and on a foreign one.
func TestPermissionsOfTheLawsClocks(t *testing.T) {
	type want map[models.Role][2]int
	publishers := want{models.RoleAdmin: {200, 404}, models.RoleCommuneChair: {200, 404}, models.RoleSecretary: {403, 404},
		models.RoleDistrictOfficial: {403, 404}, models.RoleInspector: {403, 404}}
	adminOnly := want{models.RoleAdmin: {200, 200}, models.RoleCommuneChair: {403, 403}, models.RoleSecretary: {403, 403},
		models.RoleDistrictOfficial: {403, 403}, models.RoleInspector: {403, 403}}
	everyone := want{models.RoleAdmin: {200, 200}, models.RoleCommuneChair: {200, 200}, models.RoleSecretary: {200, 200},
		models.RoleDistrictOfficial: {200, 200}, models.RoleInspector: {200, 200}}
	each(t, func(t *testing.T, e *testEnv) {
		// An admin who sees every commune, so that dialogues of foreign ones can be made too.
		ctx, sys := context.Background(), models.Actor{UserID: e.world.Admin.ID, Role: models.RoleAdmin, UnitPath: "/"}
		e.store.Now = func() time.Time { return dbtest.VN(t, "2026-05-04 09:00") }
		n := 0
		dialogue := func(tg targets, s scope, held bool) *models.Dialogue {
			n++
			d, err := e.store.CreateDialogue(ctx, sys, models.DialogueInput{CommuneID: tg.commune[s].ID, HamletIDs: []int64{tg.hamlet[s].ID},
				Title: fmt.Sprintf("Đối thoại số %d", n), StartsAt: fmt.Sprintf("2026-05-%02dT08:00:00+07:00", 1+n%3), AllowOverlap: true})
			if err != nil {
				t.Fatal(err)
			}
			if held {
				if d, err = e.store.TransitionDialogue(ctx, sys, d.ID, models.DialogueTransition{To: models.TransitionHold}); err != nil {
					t.Fatal(err)
				}
			}
			return d
		}
		cases := []struct {
			name   string
			method string
			call   func(tg targets, s scope) (string, any)
			want   want
		}{
			{"publish notice", "POST", func(tg targets, s scope) (string, any) {
				d := dialogue(tg, s, false)
				return fmt.Sprintf("/api/v1/dialogues/%d/notice", d.ID), map[string]any{"version": d.Version}
			}, publishers},
			{"publish results", "POST", func(tg targets, s scope) (string, any) {
				d := dialogue(tg, s, true)
				return fmt.Sprintf("/api/v1/dialogues/%d/results", d.ID), map[string]any{"version": d.Version, "summary": "Đã trả lời mọi ý kiến."}
			}, publishers},
			{"edit a rule", "PATCH", func(targets, scope) (string, any) {
				r, err := e.store.DeadlineRule(ctx, models.RuleDueSoon)
				if err != nil {
					t.Fatal(err)
				}
				return "/api/v1/deadline-rules/due_soon", map[string]any{"version": r.Version, "days": 2 + r.Version%2}
			}, adminOnly},
			{"a rule's history", "GET", func(targets, scope) (string, any) { return "/api/v1/deadline-rules/due_soon/events", nil }, adminOnly},
			{"a rule", "GET", func(targets, scope) (string, any) { return "/api/v1/deadline-rules/dialogue_results", nil }, everyone},
		}
		for _, role := range models.Roles() {
			c := e.as(userOf(e.world, role))
			tg := targetsFor(e.world, role)
			for _, tc := range cases {
				for _, s := range []scope{own, foreign} {
					path, body := tc.call(tg, s)
					if r := c.do(tc.method, path, body); r.Code != tc.want[role][s] {
						t.Errorf("%s as %s on %v: %d, want %d (%s)", tc.name, role, s, r.Code, tc.want[role][s], r.Body.String())
					}
				}
			}
		}
	})
}

// TestTheLawsClocksThroughTheAPI publishes a notice, holds the dialogue, publishes its results,
// reads them on the public board without a session, and edits a rule with its errors in English.
func TestTheLawsClocksThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		now := dbtest.VN(t, "2026-02-01 10:00")
		e.store.Now = func() time.Time { return now }
		sec, chair := e.as(e.world.SecretaryA), e.as(e.world.ChairA)
		r := sec.do("POST", "/api/v1/dialogues", map[string]any{"commune_id": e.world.CommuneA.ID, "hamlet_ids": []int64{e.world.HamletA1.ID},
			"title": "Đối thoại quý I", "starts_at": "2026-02-12T08:00:00+07:00", "venue": "Hội trường xã",
			"voter_request": map[string]any{"requested_on": "2026-01-20", "signatures": 150, "voters": 1200, "note": "Nước sạch"}})
		expect(t, r, http.StatusCreated)
		var d struct {
			ID           int64 `json:"id"`
			Version      int   `json:"version"`
			VoterRequest struct {
				MeetsThreshold bool    `json:"meets_threshold"`
				Share          float64 `json:"share"`
			} `json:"voter_request"`
			Compliance struct {
				NoticeDueOn   string  `json:"notice_due_on"`
				NoticeOnTime  *bool   `json:"notice_on_time"`
				ResultsDueOn  *string `json:"results_due_on"`
				ResultsOnTime *bool   `json:"results_on_time"`
				ResultsLate   bool    `json:"results_late"`
			} `json:"compliance"`
		}
		r.decode(t, &d)
		if !d.VoterRequest.MeetsThreshold || d.VoterRequest.Share != 0.125 || d.Compliance.NoticeDueOn != "2026-02-05" {
			t.Fatalf("created: %+v", d)
		}
		path := fmt.Sprintf("/api/v1/dialogues/%d", d.ID)
		r = chair.do("POST", path+"/notice", map[string]any{}, "If-Match", fmt.Sprint(d.Version))
		expect(t, r, http.StatusOK)
		r.decode(t, &d)
		if d.Compliance.NoticeOnTime == nil || !*d.Compliance.NoticeOnTime {
			t.Fatalf("notice in time: %+v", d.Compliance)
		}
		r = chair.do("POST", path+"/notice", map[string]any{"version": d.Version})
		expect(t, r, http.StatusConflict)
		board := fmt.Sprintf("/api/v1/public/communes/%d/dialogues", e.world.CommuneA.ID)
		r = e.anon().do("GET", board, nil)
		expect(t, r, http.StatusOK)
		if items := r.m(t)["items"].([]any); len(items) != 1 || strings.Contains(r.Body.String(), "Nước sạch") || strings.Contains(r.Body.String(), "chair") {
			t.Fatalf("board: %s", r.Body.String())
		}
		now = dbtest.VN(t, "2026-02-12 11:00")
		chair = e.as(e.world.ChairA)
		r = chair.do("POST", path+"/transitions", map[string]any{"to": "held", "version": d.Version})
		expect(t, r, http.StatusOK)
		r.decode(t, &d)
		r = chair.do("POST", path+"/results", map[string]any{"version": d.Version, "summary": "x"}, "Accept-Language", "en")
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); !strings.Contains(f["summary"], "Summarize") {
			t.Fatalf("fields: %v", f)
		}
		now = dbtest.VN(t, "2026-02-24 08:00") // a day after the last day, 23 February
		chair, admin := e.as(e.world.ChairA), e.as(e.world.Admin)
		r = chair.do("POST", path+"/results", map[string]any{"version": d.Version, "summary": "Đã trả lời tại chỗ 4 ý kiến về giao thông."})
		expect(t, r, http.StatusOK)
		r.decode(t, &d)
		if d.Compliance.ResultsDueOn == nil || *d.Compliance.ResultsDueOn != "2026-02-23" || !d.Compliance.ResultsLate {
			t.Fatalf("late results: %+v", d.Compliance)
		}
		r = e.anon().do("GET", board, nil)
		expect(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), "Đã trả lời tại chỗ 4 ý kiến") || !strings.Contains(r.Body.String(), `"results_late":true`) {
			t.Fatalf("board with results: %s", r.Body.String())
		}
		expect(t, e.anon().do("GET", "/api/v1/public/communes/999999/dialogues", nil), http.StatusNotFound)
		r = e.anon().do("GET", board+"?as=later", nil)
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["as"] == "" || len(f) != 1 {
			t.Fatalf("fields: %v", f)
		}
		if r = e.anon().do("GET", board+"?as=then", nil); !strings.Contains(r.Body.String(), "Đã trả lời tại chỗ 4 ý kiến") {
			t.Fatalf("board then: %s", r.Body.String())
		}

		r = admin.do("PATCH", "/api/v1/deadline-rules/dialogue_results", map[string]any{"version": 1, "days": 0, "working": true, "legal_basis": ""},
			"Accept-Language", "en")
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["days"] == "" || f["legal_basis"] == "" || len(f) != 2 {
			t.Fatalf("fields: %v", f)
		}
		r = admin.do("PATCH", "/api/v1/deadline-rules/dialogue_results", map[string]any{"version": 1, "days": 15, "note": "Nghị định mới"})
		expect(t, r, http.StatusOK)
		r = admin.do("PATCH", "/api/v1/deadline-rules/dialogue_results", map[string]any{"version": 1, "days": 12})
		expect(t, r, http.StatusConflict)
		if cur := r.m(t)["error"].(map[string]any)["details"].(map[string]any)["current"]; cur == nil || cur.(map[string]any)["days"].(float64) != 15 {
			t.Fatalf("stale: %s", r.Body.String())
		}
		// Fifteen days from 12 February end on Friday 27: the results were on time after all.
		r = chair.do("GET", path, nil)
		r.decode(t, &d)
		if *d.Compliance.ResultsDueOn != "2026-02-27" || d.Compliance.ResultsLate {
			t.Fatalf("after the edit: %+v", d.Compliance)
		}
		r = admin.do("GET", "/api/v1/deadline-rules/dialogue_results/events", nil)
		expect(t, r, http.StatusOK)
		if !strings.Contains(r.Body.String(), "Nghị định mới") {
			t.Fatalf("history: %s", r.Body.String())
		}
		expect(t, admin.do("PATCH", "/api/v1/deadline-rules/nope", map[string]any{"version": 1}), http.StatusNotFound)

		// The district's summary and workbook carry the dialogue's figures by rule.
		r = admin.do("GET", fmt.Sprintf("/api/v1/reports/summary?unit_id=%d&period=q1&year=2026", e.world.District.ID), nil)
		expect(t, r, http.StatusOK)
		var sum struct {
			Law struct {
				Dialogues struct {
					ResultsOnTime   int `json:"results_on_time"`
					NoticeOnTime    int `json:"notice_on_time"`
					VoterRequested  int `json:"voter_requested"`
					WithoutDialogue []struct {
						ID int64 `json:"id"`
					} `json:"without_dialogue"`
				} `json:"dialogues"`
			} `json:"law"`
			Communes []struct {
				Commune struct {
					ID int64 `json:"id"`
				} `json:"commune"`
				Law struct {
					Dialogues struct {
						HeldInYear int `json:"held_in_year"`
					} `json:"dialogues"`
				} `json:"law"`
			} `json:"communes"`
		}
		r.decode(t, &sum)
		dl := sum.Law.Dialogues
		if dl.ResultsOnTime != 1 || dl.NoticeOnTime != 1 || dl.VoterRequested != 1 || len(dl.WithoutDialogue) != 1 || dl.WithoutDialogue[0].ID != e.world.CommuneB.ID {
			t.Fatalf("law figures: %+v", dl)
		}
		for _, c := range sum.Communes {
			if want := map[bool]int{true: 1, false: 0}[c.Commune.ID == e.world.CommuneA.ID]; c.Law.Dialogues.HeldInYear != want {
				t.Errorf("commune %d held %d", c.Commune.ID, c.Law.Dialogues.HeldInYear)
			}
		}
		r = admin.do("GET", fmt.Sprintf("/api/v1/reports/summary.xlsx?unit_id=%d&period=q1&year=2026", e.world.District.ID), nil)
		expect(t, r, http.StatusOK)
		book, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer book.Close()
		rows, err := book.GetRows("Thời hạn theo luật")
		if err != nil {
			t.Fatal(err)
		}
		found := map[string][]string{}
		for _, row := range rows {
			if len(row) > 1 {
				found[row[1]] = row
			}
		}
		if row := found["Công khai kết quả đúng hạn"]; len(row) < 5 || row[2] != "1" || row[3] != "1" {
			t.Fatalf("results row: %v", row)
		}
	})
}
