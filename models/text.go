package models

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// folders are the chains that strip diacritics, kept between calls: each holds buffers of some
// kilobytes, which every Fold made again (a tenth of what a petition list allocated).
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold returns s lower-cased with Vietnamese diacritics removed and đ folded to d,
// so "Nước Sạch" and "nuoc sach" compare equal.
func Fold(s string) string {
	out := s
	if !isASCII(s) { // ASCII has no marks to strip
		t := folders.Get().(transform.Transformer)
		var err error
		if out, _, err = transform.String(t, s); err != nil { // String resets t first
			out = s
		}
		folders.Put(t)
	}
	out = strings.Map(func(r rune) rune {
		switch r {
		case 'đ', 'Đ':
			return 'd'
		}
		return unicode.ToLower(r)
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

// Slug returns an upper-case ASCII identifier made of the letters and digits of s:
// "Tân Thới" becomes "TANTHOI".
func Slug(s string) string {
	var b strings.Builder
	for _, r := range Fold(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// SplitList reads a comma-separated list as people type it, dropping spaces and empty items.
func SplitList(raw string) []string {
	var out []string
	for _, p := range strings.Split(raw, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
