package models

// MaskPetitioner masks text as the public board does for a petitioner with these details.
func MaskPetitioner(name, phone, address, text string) string {
	return newPetitionerMasker(name, phone, address).mask(text)
}
