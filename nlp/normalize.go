package nlp

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
			toks = append(toks, token{start: start, end: i, folded: fold(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, token{start: start, end: len(text), folded: fold(text[start:])})
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

// fold returns s in lower case without accents: "Telefónica" → "telefonica".
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	return strings.ToLower(stripMarks(s))
}

// stripMarks removes combining marks after canonical decomposition, keeping
// the case of s: "Telefónica" → "Telefonica".
func stripMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
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
