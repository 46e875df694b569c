package meilitest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: its normalized form, where it is in the
// original text, and its word position.
type token struct {
	norm       string
	start, end int // byte offsets in the original text
	pos        int
}

// hardSeparators end a sentence or a clause; Meilisearch puts 8 positions
// between the words they separate instead of 1, so that such words are
// not in proximity and cannot form a phrase.
const hardSeparators = ".!?;:…()[]{}|¡¿。！？\n\r"

// isWordRune reports whether r belongs to a word. Apostrophes, hyphens
// and underscores separate words, as in Meilisearch's Latin segmenter.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tokenize splits text into normalized words numbered from pos, and
// returns them with the position after the last one. It splits camelCase
// words as Meilisearch's tokenizer does ("OpenFiber" is "open" "fiber").
func tokenize(text string, pos int) ([]token, int) {
	var toks []token
	first := true
	hard := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if strings.ContainsRune(hardSeparators, r) {
				hard = true
			}
			i += size
			continue
		}
		start := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
		}
		for _, w := range splitCamel(text[start:i], start) {
			switch {
			case first:
				first = false
			case hard:
				pos += 8
			default:
				pos++
			}
			hard = false
			toks = append(toks, token{norm: normalize(text[w[0]:w[1]]), start: w[0], end: w[1], pos: pos})
		}
	}
	if len(toks) > 0 {
		pos++
	}
	return toks, pos
}

// splitCamel returns the byte ranges of the parts of word, which starts at
// offset, split where a lowercase letter is followed by an uppercase one.
func splitCamel(word string, offset int) [][2]int {
	var out [][2]int
	start := 0
	var prev rune
	for i, r := range word {
		if i > 0 && unicode.IsLower(prev) && unicode.IsUpper(r) {
			out = append(out, [2]int{offset + start, offset + i})
			start = i
		}
		prev = r
	}
	return append(out, [2]int{offset + start, offset + len(word)})
}

// normalize lowercases a word and removes its diacritics, as Meilisearch's
// normalizers do for Latin scripts.
func normalize(word string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(word) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		case 'ø', 'Ø':
			r = 'o'
		case 'ł', 'Ł':
			r = 'l'
		case 'đ', 'Đ':
			r = 'd'
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// normalizeFacet is how Meilisearch compares facet strings in filters:
// trimmed and lowercased.
func normalizeFacet(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}
