package models

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// What the public board masks in a petition's text (content, answers, the body responsible):
// every Vietnamese phone number and identity-card number, whoever's they are, and the
// petitioner's own name, phone and address however they were typed: without diacritics, in
// decomposed Unicode, in another case, with extra spaces, a phone in +84 or local form. The
// patterns are compiled once; per row only the petitioner's details are folded.

const masked = "***"

// sep is what people put between the digit groups of a number: spaces, dots, dashes.
const sep = `[\s.\-]{0,2}`

var (
	// phoneShapes are Vietnamese numbers: international (+84, (+84), 0084, with an optional
	// (0)), local (0 then 9 or 10 digits: mobiles and landlines), and a bare 84 before a mobile.
	phoneShapes = []*regexp.Regexp{
		regexp.MustCompile(`(?:\(\+84\)|\+\s?84|\b0084)` + sep + `(?:\(0\)` + sep + `)?[1-9](?:` + sep + `\d){8,9}\b`),
		regexp.MustCompile(`\b0[1-9](?:` + sep + `\d){8,9}\b`),
		regexp.MustCompile(`\b84[35789]\d{8}\b`),
	}
	// idShapes are identity-card numbers: the old 9-digit CMND and the 12-digit CCCD, written
	// whole or in groups separated by spaces.
	idShapes = []*regexp.Regexp{
		regexp.MustCompile(`\b\d{12}\b|\b\d{9}\b`),
		regexp.MustCompile(`\b\d{3}(?: \d{3}){3}\b|\b\d{4}(?: \d{4}){2}\b|\b\d{3}(?: \d{3}){2}\b`),
	}
	// digitRuns are any numbers long enough to be a phone, to compare with the petitioner's.
	digitRuns = regexp.MustCompile(`\+?\d(?:[\s.()\-]{0,2}\d){5,14}`)
	// moneyAfter is what follows an amount of money, which an identity-card shape must not hide.
	moneyAfter = regexp.MustCompile(`^\s?(?i:đồng|đ\b|vnd|vnđ)`)
)

// petitionerMasker hides personal details in public text. One masker serves a whole page,
// petitioner after petitioner (reset): the folded words and the folding of each text live in
// buffers it keeps, so a text with nothing to hide costs no allocation.
type petitionerMasker struct {
	words [][2]int // the petitioner's name, address and identification number: spans of buf
	buf   []rune   // the folded words
	phone string   // the petitioner's phone, its national digits
	// formerPhones are the national digits of phones corrections replaced (withFormer).
	formerPhones []string
	// folded is the text being masked as Fold reads it; start and end give, for each of its
	// runes, the bytes of the text it stands for.
	folded     []rune
	start, end []int
}

// newPetitionerMasker prepares the masking of one petitioner. The address is left alone when it
// is just the hamlet's or commune's name, which the board shows anyway.
func newPetitionerMasker(name, phone, address string, shown ...string) *petitionerMasker {
	return new(petitionerMasker).reset(name, phone, address, shown...)
}

// reset makes the masker mask another petitioner, keeping its buffers.
func (m *petitionerMasker) reset(name, phone, address string, shown ...string) *petitionerMasker {
	m.words, m.buf, m.phone = m.words[:0], m.buf[:0], ""
	if strings.ContainsFunc(phone, isASCIIDigit) {
		m.phone = nationalDigits(phone)
	}
	m.formerPhones = m.formerPhones[:0]
	m.add(name)
	m.addUnlessShown(address, shown)
	return m
}

// addUnlessShown adds an address to the words hidden, unless it is just a name the board shows
// anyway (the hamlet's or the commune's).
func (m *petitionerMasker) addUnlessShown(address string, shown []string) {
	at := len(m.buf)
	m.buf = foldAppend(m.buf, address)
	a := m.buf[at:]
	for _, s := range shown {
		if utf8.RuneCountInString(s) < len(a) {
			continue // folding never lengthens a text: s cannot fold to the address
		}
		n := len(m.buf)
		m.buf = foldAppend(m.buf, s)
		same := slices.Equal(m.buf[n:], m.buf[at:n])
		m.buf = m.buf[:n]
		if same {
			a = nil
		}
	}
	if len(a) >= 3 {
		m.words = append(m.words, [2]int{at, at + len(a)})
	} else {
		m.buf = m.buf[:at]
	}
}

// withFormer adds the petitioner's details corrections replaced (one per line: a name, an
// address, a phone, an identification number) to what is hidden, but for a former address that
// is just a name the board shows anyway.
func (m *petitionerMasker) withFormer(former string, shown ...string) *petitionerMasker {
	for former != "" {
		var line string
		line, former, _ = strings.Cut(former, "\n")
		m.addUnlessShown(line, shown)
		if strings.ContainsFunc(line, isASCIIDigit) {
			if d := nationalDigits(line); d != "" {
				m.formerPhones = append(m.formerPhones, d)
			}
		}
	}
	return m
}

// add folds s into the words hidden, unless it is too short to be anyone's.
func (m *petitionerMasker) add(s string) {
	at := len(m.buf)
	m.buf = foldAppend(m.buf, s)
	if len(m.buf)-at >= 3 {
		m.words = append(m.words, [2]int{at, len(m.buf)})
	} else {
		m.buf = m.buf[:at]
	}
}

// withIDNumber adds the petitioner's identification number to what is hidden, whatever its
// shape (a passport number is no identity-card shape).
func (m *petitionerMasker) withIDNumber(id string) *petitionerMasker {
	m.add(id)
	return m
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// foldAppend appends s folded as Fold folds it (no marks, lower case, đ as d, spaces trimmed and
// collapsed to one) to dst, rune by rune, without allocating beyond dst's growth.
func foldAppend(dst []rune, s string) []rune {
	at, space := len(dst), false
	for _, r := range s {
		switch {
		case isMark(r):
			continue
		case unicode.IsSpace(r):
			space = len(dst) > at
			continue
		}
		if space {
			dst, space = append(dst, ' '), false
		}
		dst = append(dst, foldRune(r))
	}
	return dst
}

// nationalDigits returns a phone number's digits without its country code or leading zero, so
// 0912 345 678, +84 912.345.678 and 0084912345678 compare equal.
func nationalDigits(s string) string {
	d := strings.Map(keepDigit, s)
	switch {
	case strings.HasPrefix(d, "0084"):
		d = d[4:]
	case strings.HasPrefix(strings.TrimSpace(s), "+84") || strings.HasPrefix(strings.TrimSpace(s), "(+84)"):
		d = d[2:]
	case strings.HasPrefix(d, "84") && len(d) == 11:
		d = d[2:]
	}
	d = strings.TrimPrefix(d, "0")
	if len(d) < 6 {
		return ""
	}
	return d
}

// holdsWord tells whether any of the words to mask occurs in s: most texts hold none, and are
// read without the places of their runes.
func (m *petitionerMasker) holdsWord(s string) bool {
	m.fold(s, false)
	for _, w := range m.words {
		if m.wordAt(m.buf[w[0]:w[1]], 0) >= 0 {
			return true
		}
	}
	return false
}

// mask returns s with the petitioner's details and every phone and identity number hidden.
func (m *petitionerMasker) mask(s string) string {
	if s == "" {
		return s
	}
	if len(m.words) > 0 && m.holdsWord(s) {
		m.fold(s, true)
		for _, w := range m.words {
			if out, ok := m.maskWord(s, m.buf[w[0]:w[1]]); ok {
				s = out
				m.fold(s, true)
			}
		}
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	if digits < 7 {
		return s // too few digits for any number masked below: most texts skip the patterns
	}
	for _, re := range phoneShapes {
		if re.MatchString(s) {
			s = re.ReplaceAllString(s, masked)
		}
	}
	if m.phone != "" || len(m.formerPhones) > 0 {
		// The petitioner's phone in a shape the Vietnamese ones above do not cover.
		s = digitRuns.ReplaceAllStringFunc(s, func(run string) string {
			if d := nationalDigits(run); d != "" && (d == m.phone || slices.Contains(m.formerPhones, d)) {
				return masked
			}
			return run
		})
	}
	for _, re := range idShapes {
		s = replaceUnlessMoney(re, s)
	}
	return s
}

// replaceUnlessMoney masks the matches of re except those followed by a currency.
func replaceUnlessMoney(re *regexp.Regexp, s string) string {
	locs := re.FindAllStringIndex(s, -1)
	for i := len(locs) - 1; i >= 0; i-- {
		start, end := locs[i][0], locs[i][1]
		if moneyAfter.MatchString(s[end:]) {
			continue
		}
		s = s[:start] + masked + s[end:]
	}
	return s
}

// fold reads s as maskWord compares it: folded as Fold does (case, diacritics, composed or
// decomposed, runs of spaces), each folded rune remembering the bytes of s it stands for when
// at is true (only a text holding a word to mask needs them).
func (m *petitionerMasker) fold(s string, at bool) {
	m.folded, m.start, m.end = m.folded[:0], m.start[:0], m.end[:0]
	for i, size := 0, 0; i < len(s); i += size {
		r := rune(s[i])
		if size = 1; r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case isMark(r) && len(m.folded) > 0:
			if at {
				m.end[len(m.end)-1] = i + size
			}
			continue
		case isSpace(r):
			if len(m.folded) > 0 && m.folded[len(m.folded)-1] == ' ' {
				if at {
					m.end[len(m.end)-1] = i + size
				}
				continue
			}
			r = ' '
		default:
			r = foldRune(r)
		}
		m.folded = append(m.folded, r)
		if at {
			m.start, m.end = append(m.start, i), append(m.end, i+size)
		}
	}
}

func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || ('\t' <= r && r <= '\r')
	case r < foldedBelow:
		return foldTable()[r].space
	}
	return unicode.IsSpace(r)
}

// wordAt returns where the first whole-word occurrence of the folded word from i on begins in
// the text fold has read, or -1.
func (m *petitionerMasker) wordAt(word []rune, i int) int {
	folded := m.folded
	for ; i+len(word) <= len(folded); i++ {
		j := i + len(word)
		if folded[i] == word[0] && runesEqual(folded[i:j], word) && (i == 0 || !isWordRune(folded[i-1])) && (j == len(folded) || !isWordRune(folded[j])) {
			return i
		}
	}
	return -1
}

// maskWord hides every whole-word occurrence of the folded word in s, which fold has read with
// its places, keeping the rest of s exactly as written; false when the word does not occur.
func (m *petitionerMasker) maskWord(s string, word []rune) (string, bool) {
	var out strings.Builder
	last := 0
	for i := m.wordAt(word, 0); i >= 0; i = m.wordAt(word, i+len(word)) {
		out.WriteString(s[last:m.start[i]])
		out.WriteString(masked)
		last = m.end[i+len(word)-1]
	}
	if last == 0 {
		return s, false
	}
	out.WriteString(s[last:])
	return out.String(), true
}

// foldedBelow is where the table of folded characters ends: Latin, with Vietnamese's letters
// (U+1EA0–U+1EF9), Greek and Cyrillic; the masking of a board page folds each of its texts.
const foldedBelow = 0x2000

// foldedRune is what folding makes of a character: its folded form, and whether it is a mark
// (dropped) or a space.
type foldedRune struct {
	r           rune
	mark, space bool
}

// foldTable is what folding makes of every character below foldedBelow, made on first use: the
// Unicode tables' answers, looked up once rather than for each letter of each text.
var foldTable = sync.OnceValue(func() *[foldedBelow]foldedRune {
	var t [foldedBelow]foldedRune
	for r := range t {
		t[r] = foldedRune{r: foldRuneSlow(rune(r)), mark: unicode.Is(unicode.Mn, rune(r)), space: unicode.IsSpace(rune(r))}
	}
	return &t
})

// foldRune is Fold for one character: its base letter, lower case, đ as d.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r < foldedBelow {
		return foldTable()[r].r
	}
	return foldRuneSlow(r)
}

// isMark tells whether r is a nonspacing mark (Unicode's Mn), which folding drops; the first of
// them is U+0300.
func isMark(r rune) bool {
	switch {
	case r < 0x300:
		return false
	case r < foldedBelow:
		return foldTable()[r].mark
	}
	return unicode.Is(unicode.Mn, r)
}

// foldRuneSlow is foldRune through the Unicode tables.
func foldRuneSlow(r rune) rune {
	if r == 'đ' || r == 'Đ' {
		return 'd'
	}
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
		r, _ = utf8.DecodeRune(d)
	}
	return unicode.ToLower(r)
}

func runesEqual(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
