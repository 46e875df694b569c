package meilitest

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// formatter builds the _formatted object of hits: highlighted and cropped
// copies of the asked attributes.
type formatter struct {
	alts      []alt
	highlight []string
	crop      map[string]int // attribute pattern to crop length
	cropOrder []string
	pre, post string
	marker    string
}

func newFormatter(req *searchRequest, alts []alt) *formatter {
	f := &formatter{
		alts: alts, highlight: req.attributesToHighlight, crop: map[string]int{},
		pre: req.preTag, post: req.postTag, marker: req.cropMarker,
	}
	for _, c := range req.attributesToCrop {
		name, n := c, req.cropLength
		if i := strings.LastIndex(c, ":"); i > 0 {
			if v, err := strconv.Atoi(c[i+1:]); err == nil && v >= 0 {
				name, n = c[:i], v
			}
		}
		f.crop[name] = n
		f.cropOrder = append(f.cropOrder, name)
	}
	return f
}

func (f *formatter) active() bool { return len(f.highlight) > 0 || len(f.crop) > 0 }

// cropFor returns the crop length of an attribute, if it is to be cropped.
func (f *formatter) cropFor(field string) (int, bool) {
	for _, p := range f.cropOrder {
		if matchPattern(p, field) {
			return f.crop[p], true
		}
	}
	return 0, false
}

// format returns the formatted copy of a document's displayed fields.
func (f *formatter) format(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		n, crop := f.cropFor(k)
		hl := matchAny(f.highlight, k)
		if !crop && !hl {
			out[k] = v
			continue
		}
		out[k] = f.formatValue(v, hl, crop, n)
	}
	return out
}

func (f *formatter) formatValue(v any, hl, crop bool, n int) any {
	switch v := v.(type) {
	case string:
		return f.formatText(v, hl, crop, n)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = f.formatValue(e, hl, crop, n)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = f.formatValue(e, hl, crop, n)
		}
		return out
	}
	return v
}

// marks returns, for each token of text, how many of its runes match the
// query (0 when it does not).
func (f *formatter) marks(toks []token) []int {
	marks := make([]int, len(toks))
	for i, t := range toks {
		for j := range f.alts {
			a := &f.alts[j]
			if a.isSeq() {
				if i+len(a.seq) <= len(toks) && seqAtToks(toks, i, a.seq) {
					for k := range a.seq {
						marks[i+k] = utf8.RuneCountInString(toks[i+k].norm)
					}
				}
				continue
			}
			if _, exact, ok := derive(a.word, t.norm, a.prefix, a.maxTypos); ok {
				marks[i] = max(marks[i], highlightLen(a.word, t.norm, a.prefix && !exact))
			}
			if a.split && i+1 < len(toks) && toks[i+1].pos == t.pos+1 && t.norm+toks[i+1].norm == a.word {
				marks[i] = utf8.RuneCountInString(t.norm)
				marks[i+1] = utf8.RuneCountInString(toks[i+1].norm)
			}
		}
	}
	return marks
}

func seqAtToks(toks []token, i int, seq []string) bool {
	for k, w := range seq {
		t := toks[i+k]
		if (w != "" && t.norm != w) || t.pos != toks[i].pos+k {
			return false
		}
	}
	return true
}

// formatText crops text to n words around its best matches and wraps the
// matches in the highlight tags.
func (f *formatter) formatText(text string, hl, crop bool, n int) string {
	toks, _ := tokenize(text, 0)
	marks := f.marks(toks)
	from, to := 0, len(toks) // token window
	startByte, endByte := 0, len(text)
	prefix, suffix := "", ""
	if crop && len(toks) > n {
		from, to = cropWindow(toks, marks, n)
		if to > from {
			startByte, endByte = toks[from].start, toks[to-1].end
		} else {
			startByte, endByte = 0, 0
		}
		if from > 0 {
			prefix = f.marker
		}
		if to < len(toks) {
			suffix = f.marker
		}
	}
	var b strings.Builder
	b.WriteString(prefix)
	at := startByte
	if hl {
		for i := from; i < to; i++ {
			if marks[i] == 0 {
				continue
			}
			t := toks[i]
			end := t.start
			for r := 0; r < marks[i] && end < t.end; r++ {
				_, size := utf8.DecodeRuneInString(text[end:])
				end += size
			}
			b.WriteString(text[at:t.start])
			b.WriteString(f.pre)
			b.WriteString(text[t.start:end])
			b.WriteString(f.post)
			at = end
		}
	}
	b.WriteString(text[at:endByte])
	b.WriteString(suffix)
	return b.String()
}

// cropWindow returns the window of n tokens with the most distinct
// matched words, then the most matches, centred on its matches.
func cropWindow(toks []token, marks []int, n int) (from, to int) {
	if n == 0 {
		return 0, 0
	}
	bestStart, bestDistinct, bestCount := 0, -1, -1
	for s := 0; s+n <= len(toks); s++ {
		distinct := map[string]bool{}
		count := 0
		for i := s; i < s+n; i++ {
			if marks[i] > 0 {
				distinct[toks[i].norm] = true
				count++
			}
		}
		if len(distinct) > bestDistinct || (len(distinct) == bestDistinct && count > bestCount) {
			bestStart, bestDistinct, bestCount = s, len(distinct), count
		}
	}
	if bestCount <= 0 {
		return 0, n
	}
	first, last := -1, -1
	for i := bestStart; i < bestStart+n; i++ {
		if marks[i] > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	slack := n - (last - first + 1)
	start := max(0, min(first-slack/2, len(toks)-n))
	return start, start + n
}

// positions returns the _matchesPosition object: for each attribute with
// matches, their byte start and length.
func (f *formatter) positions(doc map[string]any) map[string][]map[string]int {
	out := map[string][]map[string]int{}
	for k, v := range doc {
		var leaves []string
		collectLeaves(v, &leaves)
		for _, text := range leaves {
			toks, _ := tokenize(text, 0)
			for i, m := range f.marks(toks) {
				if m > 0 {
					out[k] = append(out[k], map[string]int{"start": toks[i].start, "length": toks[i].end - toks[i].start})
				}
			}
		}
	}
	return out
}
