package models_test

import (
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
