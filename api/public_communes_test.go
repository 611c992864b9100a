package api

import (
	"testing"
)

func TestPublicCommunesNeedNoLoginAndFoldTheQuery(t *testing.T) {
	each(t, func(t *testing.T, e *testEnv) {
		a := e.anon()
		var l struct {
			Items []struct {
				ID     int64  `json:"id"`
				Name   string `json:"name"`
				Slug   string `json:"slug"`
				Parent string `json:"parent"`
			} `json:"items"`
		}
		r := a.do("GET", "/api/v1/public/communes", nil)
		expect(t, r, 200)
		r.decode(t, &l)
		if len(l.Items) != 4 {
			t.Fatalf("want the 4 communes of the world, got %+v", l.Items)
		}
		// Vietnamese order: Bến Tre's commune, then Gò Công Đông's, then Tân Phú Đông's two (Tân Phú before Tân Thới).
		want := []string{"Phú Túc", "Tân Tây", "Tân Phú", "Tân Thới"}
		for i, w := range want {
			if l.Items[i].Name != w {
				t.Fatalf("order %v, want %v", l.Items, want)
			}
		}
		r = a.do("GET", "/api/v1/public/communes?q=TAN+THOI", nil)
		expect(t, r, 200)
		r.decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].Slug != "TANTHOI" || l.Items[0].Parent != "Tân Phú Đông" {
			t.Fatalf("q=TAN THOI: %+v", l.Items)
		}
		r = a.do("GET", "/api/v1/public/communes?q=phu+dong", nil)
		r.decode(t, &l)
		if len(l.Items) != 2 {
			t.Fatalf("q=phu dong (the district) should give its two communes: %+v", l.Items)
		}
	})
}
