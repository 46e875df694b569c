package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Snippets: every backend cuts hit snippets the same way.
const (
	// SnippetRunes is about how long a snippet is.
	SnippetRunes = 200
	// Ellipsis marks where a snippet cuts the text.
	Ellipsis = "…"
)

// Lead returns the first SnippetRunes or so characters of text, on one line,
// cut at a word.
func Lead(text string) string {
	text = textnorm.OneLine(text)
	end := Forward(text, 0, SnippetRunes)
	if end < len(text) {
		return strings.TrimRightFunc(text[:end], unicode.IsSpace) + Ellipsis
	}
	return text
}

// Back returns the byte offset about n characters before i in text, moved
// forward to the start of a word unless it is the start of text.
func Back(text string, i, n int) int {
	s := i
	for ; n > 0 && s > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:s])
		s -= size
	}
	if s == 0 {
		return 0
	}
	// Skip the partial word s is in.
	for s < i {
		r, size := utf8.DecodeRuneInString(text[s:])
		s += size
		if unicode.IsSpace(r) {
			break
		}
	}
	return s
}

// Forward returns the byte offset of the end of the last whole word within
// n characters after start in text, or of the end of text when it is closer.
func Forward(text string, start, n int) int {
	e := start
	for ; n > 0 && e < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[e:])
		e += size
	}
	if e >= len(text) {
		return len(text)
	}
	r, _ := utf8.DecodeRuneInString(text[e:])
	if unicode.IsSpace(r) {
		return e
	}
	if i := strings.LastIndexFunc(text[start:e], unicode.IsSpace); i > 0 {
		return start + i
	}
	return e // one long word: cut it
}
