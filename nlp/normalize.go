package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// token is one word of a text: its span in the original text and its folded
// form (lower case, no accents).
type token struct {
	start, end int // byte offsets in the original text
	folded     string
}

// tokenize splits text into words. Letters and digits make words; '&' and
// '+' stay inside a word when they touch it ("1&1", "Canal+"), and '.' when
// it stands between two letters or digits ("Amazon.com"). Everything else,
// apostrophes included, separates words, so "all’Agcom" is "all" "Agcom".
func tokenize(text string) []token {
	var toks []token
	start := -1
	for i, r := range text {
		if isWordRune(text, i, r, start >= 0) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			toks = append(toks, token{start: start, end: i, folded: textnorm.Fold(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, token{start: start, end: len(text), folded: textnorm.Fold(text[start:])})
	}
	return toks
}

func isWordRune(text string, i int, r rune, inWord bool) bool {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		return true
	case r == '&' || r == '+':
		return inWord || startsWord(text[i+1:])
	case r == '.':
		return inWord && startsWord(text[i+1:])
	}
	return false
}

func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// joinFolded returns the folded words of toks separated by single spaces.
func joinFolded(toks []token) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.folded
	}
	return strings.Join(parts, " ")
}

// sentenceStart reports whether the word starting at byte offset pos of
// text is the first of a sentence, a heading or a paragraph.
func sentenceStart(text string, pos int) bool {
	for pos > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:pos])
		switch {
		case r == '.' || r == '!' || r == '?' || r == ':' || r == '\n' || r == '•':
			return true
		case unicode.IsSpace(r) || strings.ContainsRune(`"'«»“”‘’„([¿¡-–—`, r):
			pos -= size
		default:
			return false
		}
	}
	return true
}
