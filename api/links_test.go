package api

import (
	"fmt"
	"net/http"
	"testing"
)

func TestLinkedPetitionsThroughAPI(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		chair, sec := e.as(e.world.ChairA), e.as(e.world.SecretaryA)
		type pet struct {
			ID, Version int64
			Reference   string
			State       string
			Answer      string
		}
		var main, p pet
		sec.do("POST", "/api/v1/petitions", e.petitionBody(nil)).decode(t, &main)
		sec.do("POST", "/api/v1/petitions", e.petitionBody(nil)).decode(t, &p)
		r := sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/link", p.ID), map[string]any{"main_id": p.ID})
		expect(t, r, http.StatusUnprocessableEntity)
		if f := fieldErrors(t, r); f["main_id"] != "Ý kiến chính phải là một ý kiến khác, đang mở, của cùng xã." || f["version"] == "" {
			t.Fatalf("vi fields %v", f)
		}
		sec.lang = "en"
		r = sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/link", p.ID), map[string]any{"version": p.Version})
		if f := fieldErrors(t, r); f["main_id"] != "This field is required." {
			t.Fatalf("en fields %v", f)
		}
		expect(t, sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/link", p.ID), map[string]any{"main_id": main.ID, "version": p.Version + 1}), http.StatusConflict)
		expect(t, sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/link", p.ID), map[string]any{"main_id": main.ID, "version": p.Version}), http.StatusOK)
		var links struct {
			Main   *struct{ ID int64 }
			Linked []struct{ ID int64 }
		}
		chair.do("GET", fmt.Sprintf("/api/v1/petitions/%d/links", main.ID), nil).decode(t, &links)
		if links.Main != nil || len(links.Linked) != 1 || links.Linked[0].ID != p.ID {
			t.Fatalf("links %+v", links)
		}
		r = chair.do("POST", fmt.Sprintf("/api/v1/petitions/%d/transitions", main.ID), map[string]any{"to": "answered", "answer": "Đã đưa vào kế hoạch.", "version": main.Version})
		expect(t, r, http.StatusOK)
		chair.do("GET", fmt.Sprintf("/api/v1/petitions/%d", p.ID), nil).decode(t, &p)
		if p.State != "answered" || p.Answer != "Đã đưa vào kế hoạch." {
			t.Fatalf("linked petition %+v", p)
		}
		var board struct {
			Items []struct {
				Reference   string `json:"reference"`
				TimesRaised int    `json:"times_raised"`
			}
		}
		e.anon().do("GET", fmt.Sprintf("/api/v1/public/communes/%d/petitions", e.world.CommuneA.ID), nil).decode(t, &board)
		if len(board.Items) != 1 || board.Items[0].Reference != main.Reference || board.Items[0].TimesRaised != 2 {
			t.Fatalf("board %+v", board.Items)
		}
		expect(t, sec.do("POST", fmt.Sprintf("/api/v1/petitions/%d/unlink", p.ID), map[string]any{"version": p.Version}), http.StatusOK)
	})
}
