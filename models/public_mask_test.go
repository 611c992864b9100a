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

// boardPage is a page of petitioners and their texts, some naming their details, most not.
func boardPage() [][5]string {
	rows := [][5]string{
		{"Nguyễn Thị Lan", "+84 918 234 567", "Số 9 đường Cây Me", "079123456789", "Bà NGUYEN thi  lan, số 9 Đường Cây Me, ĐT 0918.234.567, CCCD 079123456789."},
		{"Lê Văn Tám", "0903 111 222", "Ấp Tân Phú", "", "Ông Lê Văn Tám ở ấp Tân Phú gọi 0903111222 và +84-903-111-222."},
		{"Trần Văn Ba", "", "", "B1234567", "Hộ chiếu B1234567 của ông Trần Văn Ba; ông Ba đề nghị sửa đường."},
		{"", "", "", "", "Đường liên ấp Tân Phú xuống cấp, đề nghị sửa chữa trước mùa mưa."},
		{"Võ Thị Nhi", "0912 345 678", "tổ 3, ấp Tân Phú", "", norm.NFD.String("Bà Võ Thị Nhi, tổ 3, ấp Tân Phú: hỗ trợ 1.500.000 đồng.")},
	}
	for i := 0; i < 45; i++ {
		rows = append(rows, [5]string{"Phạm Văn Hùng", "0987 654 321", "Ấp Tân Phú", "",
			"Cống thoát nước khu dân cư bị nghẹt, nước tràn vào nhà dân khi mưa lớn."})
	}
	return rows
}

// TestPublicMaskPageEqualsOneByOne masks a page with one masker, reset row after row, exactly as
// a fresh masker for each row does: nothing of a petitioner stays for the next.
func TestPublicMaskPageEqualsOneByOne(t *testing.T) {
	rows := boardPage()
	page := models.MaskPage(rows)
	for i, r := range rows {
		one := models.MaskPage([][5]string{r})[0]
		if page[i] != one {
			t.Errorf("row %d: page %q, alone %q", i, page[i], one)
		}
	}
	if !strings.Contains(page[0], "Bà ***, ***, ĐT ***, CCCD ***.") || strings.Contains(page[2], "B1234567") || strings.Contains(page[2], "Trần") {
		t.Errorf("page %q", page[:3])
	}
	if page[3] != rows[3][4] || page[5] != rows[5][4] {
		t.Errorf("texts with nothing to hide changed: %q %q", page[3], page[5])
	}
}

// BenchmarkPublicMaskPage masks a board page's texts, most with nothing to hide.
func BenchmarkPublicMaskPage(b *testing.B) {
	rows := boardPage()
	for b.Loop() {
		models.MaskPage(rows)
	}
}

// TestPublicMaskKeepsShownPlaces leaves an address that is only the hamlet's or the commune's
// name, however it is typed, since the board shows those anyway; any longer address is hidden.
func TestPublicMaskKeepsShownPlaces(t *testing.T) {
	text := "Đường liên ấp ở Ấp Tân Phú, xã Tân Thới hư hỏng; hộ ở xóm 2, ấp Tân Phú báo."
	for _, c := range []struct {
		address string
		hidden  bool
	}{
		{"Ấp Tân Phú", false},
		{"  ap   TAN phu ", false},
		{"A\u0302p Ta\u0302n Phu\u0301", false}, // decomposed
		{"tan thoi", false},
		{"xóm 2, ấp Tân Phú", true},
		{"Ấp Tân Phú 2", false}, // not in the text: nothing to hide
	} {
		got := models.MaskPage([][5]string{{"Lê Văn Tám", "", c.address, "", text}})[0]
		if hidden := got != text; hidden != c.hidden {
			t.Errorf("address %q: %q", c.address, got)
		}
	}
}
