package models_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/papi-dialogue/papi/models"
)

func TestFoldAndSlug(t *testing.T) {
	cases := []struct{ in, fold, slug string }{
		{"Nước Sạch", "nuoc sach", "NUOCSACH"},
		{"ĐƯỜNG  giao thông", "duong giao thong", "DUONGGIAOTHONG"},
		{"Tân Thới", "tan thoi", "TANTHOI"},
		{"Thủy lợi, Ấp 3", "thuy loi, ap 3", "THUYLOIAP3"},
		{"", "", ""},
		{"Ap 3  NUOC sach", "ap 3 nuoc sach", "AP3NUOCSACH"},
	}
	for _, c := range cases {
		if got := models.Fold(c.in); got != c.fold {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.fold)
		}
		if got := models.Slug(c.in); got != c.slug {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.slug)
		}
	}
}

// Folding from many requests at once: each fold has its chain to itself, and a long text
// between short ones leaves nothing behind in the chain the next fold takes.
func TestFoldAtOnce(t *testing.T) {
	long := strings.Repeat("Nước sạch về tận Ấp Đông ", 2000)
	wantLong := strings.TrimSpace(strings.Repeat("nuoc sach ve tan ap dong ", 2000))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				in, want := "Thủy lợi, Ấp 3", "thuy loi, ap 3"
				if (i+g)%7 == 0 {
					in, want = long, wantLong
				}
				if got := models.Fold(in); got != want {
					t.Errorf("Fold of %d bytes = %.40q…, want %.40q…", len(in), got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
