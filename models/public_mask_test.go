package models_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/papi-dialogue/papi/models"
)

// TestPublicTextMasksEveryShape masks the petitioner however they were typed, every Vietnamese
// phone and identity number whoever's it is, and leaves the rest of the text alone.
func TestPublicTextMasksEveryShape(t *testing.T) {
	const name, phone, address = "Nguyễn Thị Lan", "+84 918 234 567", "Số 9 đường Cây Me"
	for _, c := range []struct{ text, want string }{
		{"Bà Nguyễn Thị Lan phản ánh.", "Bà *** phản ánh."},
		{"Ba Nguyen Thi Lan phan anh.", "Ba *** phan anh."},
		{norm.NFD.String("Bà Nguyễn Thị Lan phản ánh."), norm.NFD.String("Bà ") + "***" + norm.NFD.String(" phản ánh.")},
		{"Bà NGUYỄN  THỊ   LAN phản ánh.", "Bà *** phản ánh."},
		{"Bà Nguyễn\u00a0Thị\tLan phản ánh.", "Bà *** phản ánh."},
		{"Bà Nguyễn Thị Lanh phản ánh.", "Bà Nguyễn Thị Lanh phản ánh."},
		{"nhà ở số 9 Đường Cây Me", "nhà ở ***"},
		{"ĐT 0918 234 567.", "ĐT ***."},
		{"ĐT 0918.234.567.", "ĐT ***."},
		{"ĐT 0918-234-567.", "ĐT ***."},
		{"ĐT 0918234567.", "ĐT ***."},
		{"ĐT +84 918 234 567.", "ĐT ***."},
		{"ĐT +84918234567.", "ĐT ***."},
		{"ĐT (+84) 918.234.567.", "ĐT ***."},
		{"ĐT +84 (0) 918 234 567.", "ĐT ***."},
		{"ĐT 0084 918 234 567.", "ĐT ***."},
		{"ĐT 84918234567.", "ĐT ***."},
		{"hàng xóm 0987 654 321 và 0912345678", "hàng xóm *** và ***"},
		{"trụ sở 028 3822 1234, 024.3825.3535, +84 24 3825 3535", "trụ sở ***, ***, ***"},
		{"CCCD 079123456789, CMND 025123456, CCCD 079 123 456 789", "CCCD ***, CMND ***, CCCD ***"},
		{"hỗ trợ 150000000 đồng, 1.500.000 đồng, 25.000.000đ", "hỗ trợ 150000000 đồng, 1.500.000 đồng, 25.000.000đ"},
		{"TANTHOI-2026-0042 ngày 02/12/2026: thửa đất số 215, tờ bản đồ số 8, 166 lượt người", "TANTHOI-2026-0042 ngày 02/12/2026: thửa đất số 215, tờ bản đồ số 8, 166 lượt người"},
	} {
		if got := models.MaskPetitioner(name, phone, address, c.text); got != c.want {
			t.Errorf("%q\n got %q\nwant %q", c.text, got, c.want)
		}
	}
	// A local stored phone is found in international form too.
	if got := models.MaskPetitioner("", "0918 234 567", "", "gọi +84-918-234-567"); strings.Contains(got, "567") {
		t.Errorf("local phone in +84 form: %q", got)
	}
}

// BenchmarkPublicMask masks one typical answer for a petitioner, as each public row does.
func BenchmarkPublicMask(b *testing.B) {
	text := strings.Repeat("UBND xã đã kiểm tra, ông Lê Văn Tám (0903.111.222) được hướng dẫn nộp hồ sơ tại bộ phận một cửa. ", 4)
	for b.Loop() {
		models.MaskPetitioner("Lê Văn Tám", "0903 111 222", "Số 9 đường Cây Me", text)
	}
}
