package models

import (
	"strings"
	"testing"
	"time"
)

// TestMaskMemoFollowsEveryInput changes, one after another, each thing masking reads of a
// petition, each change altering what the public sees, and wants from the memo exactly what a
// fresh masking makes of the petition as it now is: a memo that kept its answer for a petition
// whatever it held would show a corrected petitioner's name, or hide a renamed hamlet's old one.
func TestMaskMemoFollowsEveryInput(t *testing.T) {
	answered := time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC)
	r := publicRow{petitionNames: petitionNames{ID: 7, HamletName: "Ấp Tân Phú", CommuneName: "Tân Thới"},
		Kind: KindRecommendation, PetitionerName: "Trần Văn Ba", PetitionerAddr: "Ấp Tân Phú", AnsweredAt: &answered,
		Content: "Ông Lê Văn Tám ở Ấp Tân Phú, xã Tân Thới, giấy tờ B1234567, gọi 55-123-4567, nhờ Nguyễn Văn Cũ."}
	memo := new(maskMemo)
	m := new(petitionerMasker)
	steps := []struct {
		change string
		apply  func(*publicRow)
	}{
		{"name", func(r *publicRow) { r.PetitionerName = "Lê Văn Tám" }},
		{"phone", func(r *publicRow) { r.PetitionerPhone = "55 123 4567" }},
		{"identification number", func(r *publicRow) { r.PetitionerIDNumber = "B1234567" }},
		{"former details", func(r *publicRow) { r.PetitionerFormer = "Nguyễn Văn Cũ" }},
		{"hamlet renamed", func(r *publicRow) { r.HamletName = "Ấp Phú Đông" }},
		{"address", func(r *publicRow) { r.PetitionerAddr = "Tân Thới" }},
		{"commune renamed", func(r *publicRow) { r.CommuneName = "Tân Thới Nhì" }},
		{"content", func(r *publicRow) { r.Content += " Lê Văn Tám nhắc lại." }},
		{"on-site answer", func(r *publicRow) { r.OnsiteAnswer = "Đã gặp ông Lê Văn Tám." }},
		{"answer", func(r *publicRow) { r.Answer = "Trả lời ông Lê Văn Tám." }},
		{"responsible", func(r *publicRow) { r.ResponsibleName = "Tổ của Lê Văn Tám" }},
		{"kind", func(r *publicRow) { r.Kind = KindComplaint }},
		{"answer withdrawn", func(r *publicRow) { r.AnsweredAt = nil }},
	}
	before := memo.masked(&r, m)
	for _, s := range steps {
		s.apply(&r)
		fresh := r.maskInputs()
		want := fresh.mask(new(petitionerMasker))
		if want == before {
			t.Fatalf("%s: the step changes nothing the public sees, so it tests nothing", s.change)
		}
		if got := memo.masked(&r, m); got != want {
			t.Errorf("%s: memo %+v, masked afresh %+v", s.change, got, want)
		}
		before = want
	}
	if strings.Contains(before.onsiteAnswer+before.responsible, "Tám") {
		t.Errorf("the petitioner shows: %+v", before)
	}
}

// TestMaskMemoKeepsAndBounds: a petition read again holding the same texts (read into new
// strings, as every statement reads them) is served what was kept, and the memo never holds more
// than its size.
func TestMaskMemoKeepsAndBounds(t *testing.T) {
	memo, m := new(maskMemo), new(petitionerMasker)
	r := publicRow{petitionNames: petitionNames{ID: 1}, Kind: KindRecommendation, PetitionerName: "Lê Văn Tám",
		Content: "Ông Lê Văn Tám đề nghị sửa cầu."}
	first := memo.masked(&r, m)
	kept := memo.entries[1]
	again := r
	again.Content = strings.Clone(r.Content)
	if got := memo.masked(&again, m); got != first || memo.entries[1] != kept || first.content != "Ông *** đề nghị sửa cầu." {
		t.Fatalf("read again: %+v (kept %p, now %p)", got, kept, memo.entries[1])
	}
	for id := int64(2); id < 3*maskMemoSize; id++ {
		r.ID = id
		memo.masked(&r, m)
		if len(memo.entries) > maskMemoSize {
			t.Fatalf("%d petitions kept, %d at most", len(memo.entries), maskMemoSize)
		}
	}
	var none *maskMemo
	if got := none.masked(&r, m); got != first {
		t.Errorf("without a memo: %+v", got)
	}
}
