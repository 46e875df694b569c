// Package textnorm is ottwatch's one place for folding and normalising
// text: what nlp matches entities on, what the indexes and the query
// rewriting compare, what fingerprints read and what feeds print all go
// through it, so that they agree on every letter.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// folder maps letters to their ASCII spelling (Lucene's ASCII folding
// table, as Bleve ships it): "é" to "e", "ß" to "ss", "ø" to "o", "æ" to
// "ae", "œ" to "oe", "ł" to "l", ligatures to their letters.
var folder = asciifolding.New()

// Fold returns s in lower case and without diacritics, each letter spelt
// as ASCII where the Latin alphabet has a spelling for it: "Telefónica" is
// "telefonica", "Straße" "strasse", "Ørsted" "orsted", "Œuvre" "oeuvre",
// "Łódź" "lodz". Letters of other scripts are only lowercased. Decomposed
// accents (a letter followed by a combining mark) fold like precomposed
// ones.
func Fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = norm.NFC.String(s)
	s = string(folder.Filter([]byte(s)))
	if !isASCII(s) {
		s = StripMarks(s)
	}
	return strings.ToLower(s)
}

// StripMarks removes the combining marks of s after canonical
// decomposition, keeping its case and its letters: "Telefónica" is
// "Telefonica", but "ß" and "ø", which have no marks, stay.
func StripMarks(s string) string {
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		return s
	}
	return out
}

// OneLine returns s with every run of white space, newlines included, made
// one space, trimmed, and the invisible characters that only guide line
// breaking (soft hyphens, zero-width spaces and joiners, byte order marks)
// dropped.
func OneLine(s string) string {
	return strings.Join(strings.Fields(invisible.Replace(s)), " ")
}

// invisible drops the characters that are in text only to guide line
// breaking.
var invisible = strings.NewReplacer("\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "")

// Paragraphs normalises text made of blocks, one a line: each line made
// one line (OneLine), empty lines dropped, one blank line between
// paragraphs.
func Paragraphs(text string) string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if line = OneLine(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
