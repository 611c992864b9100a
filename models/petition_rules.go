package models

import "slices"

// The rules of a new petition that need no database, kept here once and served as data
// (PetitionRules, GET /petition-rules): the run screen and the desk check an entry with them on
// the device, offline too, so an entry that breaks one is caught while the resident is still
// there rather than refused hours later. petitionDraft, intakeDraft and requireIdentification
// enforce the same values, and the server stays the judge of what is sent.

// Limits of a new petition's texts, in characters after trimming.
const (
	minContentChars = 10
	maxContentChars = 4000
	maxNameChars    = 120
	maxOnsiteChars  = 4000
)

// identificationKinds are the kinds whose petitioner must be identified from IdentificationFrom.
var identificationKinds = []PetitionKind{KindComplaint, KindDenunciation}

// Messages of a new petition's rules.
var (
	msgUnknownTopic = Msg("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.", "Unknown or inactive topic.")
	msgAnonymous    = Msg("Ý kiến ẩn danh không ghi họ tên, điện thoại hay địa chỉ người nêu.",
		"An anonymous petition carries no name, phone or address.")
	msgNameLength   = Msg("Họ tên dài tối đa 120 ký tự.", "The name is at most 120 characters.")
	msgOnsiteLength = Msg("Câu trả lời tại chỗ dài tối đa 4000 ký tự.", "The on-site answer is at most 4000 characters.")
	msgIDAnonymous  = Msg("Ý kiến ẩn danh không ghi số định danh.", "An anonymous petition carries no identification number.")
)

// PetitionRules are the rules of a new petition that need no database, as data.
type PetitionRules struct {
	// Required is what a field left empty (topic, hamlet, kind) is told.
	Required Message `json:"required"`
	// Kinds are the kinds of petition.
	Kinds []PetitionKind `json:"kinds"`
	// Topic is what a topic that is not among the active ones is told.
	Topic        Message  `json:"topic"`
	Content      TextRule `json:"content"`
	Name         TextRule `json:"name"`
	OnsiteAnswer TextRule `json:"onsite_answer"`
	// Anonymous is what an anonymous petition that names its petitioner is told.
	Anonymous      Message            `json:"anonymous"`
	IDNumber       IDNumberRule       `json:"id_number"`
	Identification IdentificationRule `json:"identification"`
}

// TextRule bounds a text's length in characters after trimming; Min 0 allows it empty.
type TextRule struct {
	Min     int     `json:"min"`
	Max     int     `json:"max"`
	Message Message `json:"message"`
}

// ok tells whether s is within the rule's bounds.
func (r TextRule) ok(s string) bool {
	n := runeLen(s)
	return n >= r.Min && n <= r.Max
}

// IDNumberRule is the form of an identification number, written without spaces in upper case.
type IDNumberRule struct {
	// Pattern is the regular expression a number must match (RE2, valid in JavaScript too).
	Pattern string  `json:"pattern"`
	Message Message `json:"message"`
	// Anonymous is what an anonymous petition that carries a number is told.
	Anonymous Message `json:"anonymous"`
}

// IdentificationRule says which petitions need the petitioner's name and identification number:
// those of Kinds received on or after From.
type IdentificationRule struct {
	From    Date           `json:"from"`
	Kinds   []PetitionKind `json:"kinds"`
	Message Message        `json:"message"`
}

// Rules of a new petition's texts.
var (
	contentRule = TextRule{Min: minContentChars, Max: maxContentChars, Message: msgContentLength}
	nameRule    = TextRule{Max: maxNameChars, Message: msgNameLength}
	onsiteRule  = TextRule{Max: maxOnsiteChars, Message: msgOnsiteLength}
)

// NewPetitionRules returns the rules of a new petition that need no database.
func NewPetitionRules() PetitionRules {
	return PetitionRules{Required: msgRequired, Kinds: PetitionKinds(), Topic: msgUnknownTopic,
		Content: contentRule, Name: nameRule, OnsiteAnswer: onsiteRule, Anonymous: msgAnonymous,
		IDNumber:       IDNumberRule{Pattern: idNumberPattern.String(), Message: msgIDNumber, Anonymous: msgIDAnonymous},
		Identification: IdentificationRule{From: IdentificationFrom, Kinds: slices.Clone(identificationKinds), Message: msgIDRequired}}
}
