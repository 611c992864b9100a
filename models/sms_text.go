package models

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// gsmBasic is the basic character set of the GSM 7-bit alphabet that ASCII shares, each one
// septet: a text made only of these goes in one 160-character SMS segment.
const gsmBasic = "@$!\"#%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_ \n\r"

// IsGSM7 tells whether s is written only in GSM basic characters, so that a gateway sends it as
// 7-bit text (160 characters a segment) rather than Unicode (70).
func IsGSM7(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(gsmBasic, r) {
			return false
		}
	}
	return true
}

// PlainSMS writes s in GSM basic characters as Vietnamese SMS are commonly written: letters
// without their diacritics ("Tân Thới" becomes "Tan Thoi", đ becomes d), "…" as "...", and any
// other character as a space.
func PlainSMS(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	var b strings.Builder
	for _, r := range out {
		switch {
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case r == '…':
			b.WriteString("...")
		case strings.ContainsRune(gsmBasic, r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// fitPlain cuts a plain text to at most n characters, marking the cut with "...".
func fitPlain(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimRight(s[:n-3], " ") + "..."
}
