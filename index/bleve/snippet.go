package bleve

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// span is the byte range [start, end) of one match in a text.
type span struct{ start, end int }

// locationSpans returns the byte ranges of the term locations of a field.
func locationSpans(locs search.TermLocationMap) []span {
	var out []span
	for _, ls := range locs {
		for _, l := range ls {
			if l.Start < l.End && l.End <= math.MaxInt32 {
				out = append(out, span{int(l.Start), int(l.End)})
			}
		}
	}
	return out
}

// mergeSpans returns the byte ranges of matches found in text sorted and
// with overlaps merged. Ranges outside text or not on character boundaries
// are dropped, so a stray range never garbles a snippet.
func mergeSpans(found []span, text string) []span {
	var spans []span
	for _, sp := range found {
		s, e := sp.start, sp.end
		if s < 0 || s >= e || e > len(text) ||
			!utf8.RuneStart(text[s]) || (e < len(text) && !utf8.RuneStart(text[e])) {
			continue
		}
		spans = append(spans, sp)
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

// highlight returns a one-line fragment of about index.SnippetRunes characters of
// text around the densest run of spans, with each span in it wrapped in **.
// spans must be sorted, disjoint and non-empty.
func highlight(text string, spans []span) string {
	// Pick the first span of the window that holds the most spans.
	best, bestN := 0, 0
	for i, j := 0, 0; i < len(spans); i++ {
		j = max(j, i)
		for j < len(spans) && utf8.RuneCountInString(text[spans[i].start:spans[j].end]) <= index.SnippetRunes {
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
	start := index.Back(text, first.start, min(60, max(0, index.SnippetRunes-used)/2))
	end := index.Forward(text, start, index.SnippetRunes)
	end = max(end, last.end)

	var b strings.Builder
	if start > 0 {
		b.WriteString(index.Ellipsis)
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
		b.WriteString(textnorm.OneLine(text[sp.start:sp.end]))
		b.WriteString("**")
		at = sp.end
	}
	b.WriteString(text[at:end])
	if end < len(text) {
		b.WriteString(index.Ellipsis)
	}
	return textnorm.OneLine(b.String())
}
