package bleve

import (
	"strings"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// quotes are the characters that open and close a phrase in query text:
// straight, curly and low double quotes, and guillemets.
const quotes = "\"“”„«»"

// parseText splits query text into its quoted phrases and the free text
// around them. An unclosed quote opens no phrase: the rest of the text is
// free text. Empty phrases are dropped.
func parseText(text string) (phrases []string, free string) {
	var rest strings.Builder
	for {
		i := strings.IndexAny(text, quotes)
		if i < 0 {
			rest.WriteString(text)
			break
		}
		rest.WriteString(text[:i])
		rest.WriteByte(' ')
		_, size := utf8.DecodeRuneInString(text[i:])
		after := text[i+size:]
		j := strings.IndexAny(after, quotes)
		if j < 0 {
			rest.WriteString(after)
			break
		}
		if p := strings.TrimSpace(after[:j]); p != "" {
			phrases = append(phrases, p)
		}
		_, size = utf8.DecodeRuneInString(after[j:])
		text = after[j+size:]
		rest.WriteByte(' ')
	}
	return phrases, textnorm.OneLine(rest.String())
}
