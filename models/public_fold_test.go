package models

import (
	"testing"
	"unicode"
)

// TestFoldRuneTable folds every character the way the Unicode tables do: the table of the
// characters below foldedBelow, the ASCII shortcut and the marks' and spaces' shortcuts change
// no answer.
func TestFoldRuneTable(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if got, want := foldRune(r), foldRuneSlow(r); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
		if got, want := isMark(r), unicode.Is(unicode.Mn, r); got != want {
			t.Fatalf("isMark(%U) = %v, want %v", r, got, want)
		}
		if got, want := isSpace(r), unicode.IsSpace(r); got != want {
			t.Fatalf("isSpace(%U) = %v, want %v", r, got, want)
		}
	}
	for _, r := range []rune{'Đ', 'đ', 'Ấ', 'ữ', 'Ỹ', 0x10000, unicode.MaxRune} {
		if got, want := foldRune(r), foldRuneSlow(r); got != want {
			t.Fatalf("foldRune(%U) = %U, want %U", r, got, want)
		}
	}
}
