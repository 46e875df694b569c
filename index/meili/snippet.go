package meili

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// maxSnippetRunes is the most a snippet may have, marks not counted.
const maxSnippetRunes = 280

// adjacentMarks are two highlighted words with only space between them.
var adjacentMarks = regexp.MustCompile(`\*\*(\s+)\*\*`)

// snippet returns the snippet of a hit: the first of its body, description
// and title, as Meilisearch formatted them, that has a match; failing
// that, or without text to match, the lead of the description or body.
func snippet(a *ottwatch.Article, formatted map[string]json.RawMessage) string {
	suffix := index.LangSuffix(a.Lang)
	for _, prefix := range []string{index.FieldBody, index.FieldDescription, index.FieldTitle} {
		var s string
		raw, ok := formatted[index.TextField(prefix, suffix)]
		if !ok || json.Unmarshal(raw, &s) != nil || !strings.Contains(s, markTag) {
			continue
		}
		// Read "**rete** **unica**" as "**rete unica**", as Bleve marks it.
		return clamp(adjacentMarks.ReplaceAllString(textnorm.OneLine(s), "$1"))
	}
	if textnorm.OneLine(a.Description) != "" {
		return index.Lead(a.Description)
	}
	return index.Lead(a.Body)
}

// clamp cuts a snippet longer than maxSnippetRunes around its first mark,
// keeping marks paired.
func clamp(s string) string {
	if utf8.RuneCountInString(strings.ReplaceAll(s, markTag, "")) <= maxSnippetRunes {
		return s
	}
	first := max(strings.Index(s, markTag), 0)
	start := 0
	if utf8.RuneCountInString(s[:first]) > 60 {
		start = index.Back(s, first, 60)
	}
	end := index.Forward(s, start, index.SnippetRunes)
	cut := s[start:end]
	if strings.Count(cut, markTag)%2 == 1 {
		cut += markTag
	}
	out := cut
	if start > 0 && !strings.HasPrefix(cut, cropMarker) {
		out = cropMarker + out
	}
	if end < len(s) {
		out += cropMarker
	}
	return out
}
