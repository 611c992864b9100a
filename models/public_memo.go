package models

import "sync"

// The board and Open311 show the same petitions to many readers: the newest page of a commune,
// the newest requests of the country. Masking a petition's texts is a pure function of what the
// petition holds (its texts, its petitioner's details, the names of its hamlet and commune), so
// the store keeps, for the petitions read last, what masking made of them together with exactly
// what it was made from. A petition read again holding the same is not masked again; one whose
// texts, petitioner or places changed in any way (a correction, an answer, a rename) is masked
// anew, whoever changed it and however: there is nothing to forget when writing.

// maskMemoSize bounds the petitions kept; past it the memo starts again (a few thousand
// petitions are the first pages of the boards read most; a kept petition holds about a
// kilobyte of text).
const maskMemoSize = 4096

// maskInputs are everything masking reads of a petition, in a fixed order.
type maskInputs [11]string

// maskedTexts are a petition's texts as the public sees them.
type maskedTexts struct {
	content, onsiteAnswer, answer, responsible string
}

// maskedPetition is a petition's masked texts with what they were made from.
type maskedPetition struct {
	from maskInputs
	maskedTexts
}

// maskMemo keeps maskedPetitions by petition id.
type maskMemo struct {
	mu      sync.Mutex
	entries map[int64]*maskedPetition
}

// maskInputs are the texts of r masking reads: the content only when the public may read it (not
// a complaint's), the answer only once published.
func (r *publicRow) maskInputs() maskInputs {
	content, answer := r.Content, ""
	if r.Kind == KindComplaint {
		content = ""
	}
	if r.AnsweredAt != nil {
		answer = r.Answer
	}
	return maskInputs{r.PetitionerName, r.PetitionerPhone, r.PetitionerAddr, r.PetitionerIDNumber, r.PetitionerFormer,
		r.HamletName, r.CommuneName, content, r.OnsiteAnswer, answer, r.ResponsibleName}
}

// mask is what masking makes of in, with m (reset here for this petitioner).
func (in *maskInputs) mask(m *petitionerMasker) maskedTexts {
	name, phone, address, idNumber, former, hamlet, commune := in[0], in[1], in[2], in[3], in[4], in[5], in[6]
	mask := m.reset(name, phone, address, hamlet, commune).withIDNumber(idNumber).withFormer(former, hamlet, commune).mask
	return maskedTexts{content: mask(in[7]), onsiteAnswer: mask(in[8]), answer: mask(in[9]), responsible: mask(in[10])}
}

// masked returns r's texts as the public sees them: kept ones when r holds exactly what they were
// made from, else masked with m and kept.
func (c *maskMemo) masked(r *publicRow, m *petitionerMasker) maskedTexts {
	in := r.maskInputs()
	if c == nil {
		return in.mask(m)
	}
	c.mu.Lock()
	e := c.entries[r.ID]
	c.mu.Unlock()
	if e != nil && e.from == in {
		return e.maskedTexts
	}
	e = &maskedPetition{from: in, maskedTexts: in.mask(m)}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) >= maskMemoSize {
		c.entries = make(map[int64]*maskedPetition, maskMemoSize)
	}
	c.entries[r.ID] = e
	c.mu.Unlock()
	return e.maskedTexts
}
