package meili

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// snippetRunes is the length a snippet aims at, in characters, and
// maxSnippetRunes the most it may have, marks not counted.
const (
	snippetRunes    = 200
	maxSnippetRunes = 280
)

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
		return clamp(adjacentMarks.ReplaceAllString(oneLine(s), "$1"))
	}
	if oneLine(a.Description) != "" {
		return lead(a.Description)
	}
	return lead(a.Body)
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
		start = back(s, first, 60)
	}
	end := forward(s, start, snippetRunes)
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

// lead returns the first snippetRunes or so characters of text, on one line,
// cut at a word.
func lead(text string) string {
	text = oneLine(text)
	end := forward(text, 0, snippetRunes)
	if end < len(text) {
		return strings.TrimRightFunc(text[:end], unicode.IsSpace) + cropMarker
	}
	return text
}

// back returns the byte offset about n characters before i in text, moved
// forward to the start of a word.
func back(text string, i, n int) int {
	s := i
	for ; n > 0 && s > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:s])
		s -= size
	}
	if s == 0 {
		return 0
	}
	for s < i {
		r, size := utf8.DecodeRuneInString(text[s:])
		s += size
		if unicode.IsSpace(r) {
			break
		}
	}
	return s
}

// forward returns the byte offset of the end of the last whole word within
// n characters after start in text, or of the end of text when closer.
func forward(text string, start, n int) int {
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
	return e
}

// oneLine collapses every run of white space in s, newlines included, into
// one space, and trims it.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
