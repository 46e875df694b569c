package bleve

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// snippetRunes is the length a snippet aims at, in characters, not counting
// the markers.
const snippetRunes = 200

// ellipsis marks text cut off at either end of a snippet.
const ellipsis = "…"

// span is the byte range [start, end) of one match in a text.
type span struct{ start, end int }

// matchSpans returns the byte ranges of the matches Bleve found in text,
// sorted and with overlaps merged. Ranges outside text or not on character
// boundaries are dropped, so a stale location never garbles a snippet.
func matchSpans(locs search.TermLocationMap, text string) []span {
	var spans []span
	for _, ls := range locs {
		for _, l := range ls {
			s, e := int(l.Start), int(l.End)
			if l.Start >= l.End || l.End > uint64(len(text)) ||
				!utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
				continue
			}
			spans = append(spans, span{s, e})
		}
	}
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	// Merge overlapping spans, and spans with only spaces between them, so
	// that a phrase reads **rete unica** rather than **rete** **unica**.
	var merged []span
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp.start <= merged[n-1].end+1 &&
			strings.TrimSpace(text[min(sp.start, merged[n-1].end):sp.start]) == "" {
			merged[n-1].end = max(merged[n-1].end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// highlight returns a one-line fragment of about snippetRunes characters of
// text around the densest run of spans, with each span in it wrapped in **.
// spans must be sorted, disjoint and non-empty.
func highlight(text string, spans []span) string {
	// Pick the first span of the window that holds the most spans.
	best, bestN := 0, 0
	for i, j := 0, 0; i < len(spans); i++ {
		j = max(j, i)
		for j < len(spans) && utf8.RuneCountInString(text[spans[i].start:spans[j].end]) <= snippetRunes {
			j++
		}
		if j-i > bestN {
			best, bestN = i, j-i
		}
	}
	first, last := spans[best], spans[max(best, best+bestN-1)]
	used := utf8.RuneCountInString(text[first.start:last.end])

	// Give the window some context before the first match, starting at a
	// word, and fill the rest after it, ending at a word.
	start := back(text, first.start, min(60, max(0, snippetRunes-used)/2))
	end := forward(text, start, snippetRunes)
	end = max(end, last.end)

	var b strings.Builder
	if start > 0 {
		b.WriteString(ellipsis)
	}
	at := start
	for _, sp := range spans {
		if sp.start < start {
			continue
		}
		if sp.end > end {
			break
		}
		b.WriteString(text[at:sp.start])
		b.WriteString("**")
		b.WriteString(oneLine(text[sp.start:sp.end]))
		b.WriteString("**")
		at = sp.end
	}
	b.WriteString(text[at:end])
	if end < len(text) {
		b.WriteString(ellipsis)
	}
	return oneLine(b.String())
}

// lead returns the first snippetRunes or so characters of text, on one line,
// cut at a word.
func lead(text string) string {
	text = oneLine(text)
	end := forward(text, 0, snippetRunes)
	if end < len(text) {
		return strings.TrimRightFunc(text[:end], unicode.IsSpace) + ellipsis
	}
	return text
}

// back returns the byte offset about n characters before i in text, moved
// forward to the start of a word unless it is the start of text.
func back(text string, i, n int) int {
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

// forward returns the byte offset of the end of the last whole word within
// n characters after start in text, or of the end of text when it is closer.
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
	return e // one long word: cut it
}

// oneLine collapses every run of white space in s, newlines included, into
// one space, and trims it.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
