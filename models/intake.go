package models

import (
	"regexp"
	"slices"
	"strings"

	"github.com/papi-dialogue/papi/models/calendar"
)

// Intake is the commune desk (tiếp nhận ý kiến): a petition received at the reception, by
// letter, by phone or online, outside any dialogue. It is logged by CreatePetition like any
// other; the rules of this file are the ones the desk adds, applied to every new petition.

// IdentificationFrom is the first day on which a complaint (khiếu nại) or a denunciation
// (tố cáo) received needs its petitioner's identification (số định danh cá nhân).
const IdentificationFrom Date = "2026-07-01"

// idNumberPattern is an identification number: the 12-digit personal identification number
// (căn cước), the 9-digit number of an old identity card, or a passport number.
var idNumberPattern = regexp.MustCompile(`^([0-9]{12}|[0-9]{9}|[A-Z][0-9]{7,8})$`)

// incomingNumberPattern is the number of an incoming document as registers write it: "125/UBND",
// "15/ĐĐ-2026", "CV 42".
var incomingNumberPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} ./_-]{0,49}$`)

// Messages of the desk's rules.
var (
	msgIDNumber = Msg("Số định danh là 12 chữ số (căn cước), 9 chữ số (chứng minh nhân dân cũ) hoặc số hộ chiếu.",
		"The identification number is 12 digits (citizen ID), 9 digits (old identity card) or a passport number.")
	msgIDRequired = Msg("Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.",
		"From 1 July 2026 a complaint or a denunciation needs the petitioner's name and identification number.")
	msgIncomingOnlyLetter = Msg("Số và ngày văn bản đến chỉ ghi cho ý kiến gửi bằng đơn thư.",
		"The incoming document number and date are only for letters.")
	msgIncomingNumber = Msg("Số văn bản đến dài tối đa 50 ký tự, gồm chữ, số và . / _ -.",
		"The incoming document number is at most 50 letters, digits or . / _ -.")
	msgIncomingDateLate = Msg("Ngày văn bản đến không được sau ngày tiếp nhận.",
		"The incoming document date cannot be after the day received.")
)

// IdentificationRequired tells whether a petition of kind k received on day needs its
// petitioner's identification: a complaint or a denunciation received on or after
// IdentificationFrom. A denunciation's identity stays protected (PermPetitionsSeeDenouncer).
func IdentificationRequired(k PetitionKind, day Date) bool {
	return slices.Contains(identificationKinds, k) && day >= IdentificationFrom
}

// intakeDraft checks what the desk adds to a new petition, naming every bad field in v, and
// writes it to p: the identification number's form and a letter's incoming document
// (requireIdentification checks whether one is needed).
func intakeDraft(in PetitionInput, v *ValidationError, p *Petition) {
	p.PetitionerIDNumber = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(in.PetitionerIDNumber), " ", ""))
	if in.Anonymous && p.PetitionerIDNumber != "" {
		v.Add("id_number", msgIDAnonymous)
	} else if p.PetitionerIDNumber != "" && !idNumberPattern.MatchString(p.PetitionerIDNumber) {
		v.Add("id_number", msgIDNumber)
	}
	letterDocument(in, v, p, calendar.DateOf(p.ReceivedAt))
}

// requireIdentification names the name and identification number when the law requires them
// of p. It runs once p.ReceivedAt is final: a petition raised at a dialogue is received when
// the dialogue took place, so one typed up from paper minutes of 2024 needs none.
func requireIdentification(v *ValidationError, p *Petition) {
	if !p.Kind.Valid() || !IdentificationRequired(p.Kind, calendar.DateOf(p.ReceivedAt)) {
		return
	}
	if p.PetitionerIDNumber == "" {
		v.Add("id_number", msgIDRequired)
	}
	if p.PetitionerName == "" {
		v.Add("name", msgIDRequired)
	}
}

// letterDocument checks and writes a letter's incoming document number and date: only for a
// letter, the date a valid day no later than the day received.
func letterDocument(in PetitionInput, v *ValidationError, p *Petition, received Date) {
	number, date := strings.TrimSpace(in.IncomingNumber), strings.TrimSpace(in.IncomingDate)
	if number == "" && date == "" {
		return
	}
	if p.Channel != ChannelLetter {
		if number != "" {
			v.Add("incoming_number", msgIncomingOnlyLetter)
		}
		if date != "" {
			v.Add("incoming_date", msgIncomingOnlyLetter)
		}
		return
	}
	if number != "" && !incomingNumberPattern.MatchString(number) {
		v.Add("incoming_number", msgIncomingNumber)
	}
	p.IncomingNumber = number
	if date == "" {
		return
	}
	if d, ok := dateField(v, "incoming_date", date); ok {
		if d > received {
			v.Add("incoming_date", msgIncomingDateLate)
		}
		p.IncomingDate = &d
	}
}
