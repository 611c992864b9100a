package models

// MaskPetitioner masks text as the public board does for a petitioner with these details.
func MaskPetitioner(name, phone, address, text string) string {
	return newPetitionerMasker(name, phone, address).mask(text)
}

// MaskPage masks each text for its petitioner (name, phone, address, identification number,
// text) with one masker, as the board masks a page.
func MaskPage(rows [][5]string) []string {
	m := new(petitionerMasker)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = m.reset(r[0], r[1], r[2], "Ấp Tân Phú", "Tân Thới").withIDNumber(r[3]).mask(r[4])
	}
	return out
}
