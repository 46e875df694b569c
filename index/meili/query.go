package meili

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// doubleQuotes are the characters that open and close a phrase in query
// text, as in the Bleve backend; Meilisearch only knows the straight one.
const doubleQuotes = ottwatch.PhraseQuotes

// elisions are the elided articles and prepositions of Italian and French
// that Search drops from query words ("dell’Agcom" is "Agcom"), as the
// Bleve analyzers do: Meilisearch keeps them as words, and its "last"
// matching strategy would then require them.
var elisions = map[string]bool{
	// Italian.
	"l": true, "un": true, "all": true, "dall": true, "dell": true, "nell": true, "sull": true,
	"coll": true, "pell": true, "gl": true, "agl": true, "dagl": true, "degl": true, "negl": true,
	"sugl": true, "quell": true, "bell": true, "buon": true, "sant": true, "c": true, "v": true,
	// French.
	"d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "qu": true, "jusqu": true,
	"lorsqu": true, "puisqu": true, "quoiqu": true,
}

// apostrophes are the characters that mark an elision.
const apostrophes = "'’‘`´"

// normalizeText rewrites query text for Meilisearch: every double quote
// becomes ", an unclosed quote is dropped so that the rest is plain words
// (as in the Bleve backend), and elisions are removed. It reports whether
// the text has any letter or digit, that is whether it can match.
func normalizeText(text string) (string, bool) {
	var b strings.Builder
	quotes := 0
	for _, r := range text {
		if strings.ContainsRune(doubleQuotes, r) {
			quotes++
		}
	}
	seen := 0
	for _, r := range text {
		if strings.ContainsRune(doubleQuotes, r) {
			seen++
			if quotes%2 == 1 && seen == quotes {
				b.WriteByte(' ')
				continue
			}
			b.WriteByte('"')
			continue
		}
		b.WriteRune(r)
	}
	text = dropElisions(b.String())
	return text, strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// dropElisions removes an elided article from the start of each word, and
// the apostrophe with it.
func dropElisions(text string) string {
	var b strings.Builder
	i := 0
	for i < len(text) {
		// Copy separators.
		j := strings.IndexFunc(text[i:], isWordRune)
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		b.WriteString(text[i : i+j])
		i += j
		// A word, and an apostrophe right after it?
		end := strings.IndexFunc(text[i:], func(r rune) bool { return !isWordRune(r) })
		if end < 0 {
			end = len(text) - i
		}
		word := text[i : i+end]
		rest := text[i+end:]
		// Only a word that starts a group: "rock'n'roll" keeps its n.
		afterApostrophe := false
		if i > 0 {
			last, _ := utf8.DecodeLastRuneInString(text[:i])
			afterApostrophe = strings.ContainsRune(apostrophes, last)
		}
		if r, size := firstRune(rest); !afterApostrophe && r != 0 && strings.ContainsRune(apostrophes, r) && elisions[textnorm.Fold(word)] {
			if next, _ := firstRune(rest[size:]); isWordRune(next) {
				i += end + size
				continue
			}
		}
		b.WriteString(word)
		i += end
	}
	return b.String()
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
