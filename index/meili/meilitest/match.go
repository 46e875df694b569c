package meilitest

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// docIndex is the searchable text of a document, tokenized.
type docIndex struct {
	attrs []attrIndex
	words map[string][]ref
}

// attrIndex is one searchable attribute of a document.
type attrIndex struct {
	name   string
	rank   int // its place in the searchable attributes
	values []valueIndex
}

// valueIndex is one string (or number) in an attribute: the attribute's
// value, or one element of it when it is an array or object.
type valueIndex struct {
	text string
	toks []token
}

// ref locates a token in a docIndex.
type ref struct{ attr, val, tok int }

// valueGap separates the positions of consecutive values of an attribute,
// as Meilisearch does for array elements, so that they are not in
// proximity.
const valueGap = 8

// searchableFields returns the searchable attributes of x in ranking
// order: the setting, or every field in the order first seen for "*".
func (x *index) searchableFields() []string {
	if len(x.settings.SearchableAttributes) == 1 && x.settings.SearchableAttributes[0] == "*" {
		return x.fieldOrder
	}
	return x.settings.SearchableAttributes
}

// indexDoc tokenizes the searchable attributes of d, once.
func (x *index) indexDoc(d *document) *docIndex {
	if d.cache != nil {
		return d.cache
	}
	di := &docIndex{words: map[string][]ref{}}
	for rank, name := range x.searchableFields() {
		var leaves []string
		for field, v := range d.fields {
			if field == name || strings.HasPrefix(field, name+".") {
				collectLeaves(v, &leaves)
			} else if strings.HasPrefix(name, field+".") {
				collectLeaves(lookupPath(v, strings.TrimPrefix(name, field+".")), &leaves)
			}
		}
		if len(leaves) == 0 {
			continue
		}
		a := attrIndex{name: name, rank: rank}
		pos := 0
		for _, text := range leaves {
			toks, next := tokenize(text, pos)
			pos = next + valueGap
			a.values = append(a.values, valueIndex{text: text, toks: toks})
		}
		ai := len(di.attrs)
		di.attrs = append(di.attrs, a)
		for vi, v := range a.values {
			for ti, t := range v.toks {
				di.words[t.norm] = append(di.words[t.norm], ref{ai, vi, ti})
			}
		}
	}
	d.cache = di
	return di
}

// collectLeaves appends the strings, numbers and booleans of v, depth
// first, as text.
func collectLeaves(v any, out *[]string) {
	switch v := v.(type) {
	case string:
		*out = append(*out, v)
	case json.Number:
		*out = append(*out, v.String())
	case bool:
		*out = append(*out, strconv.FormatBool(v))
	case []any:
		for _, e := range v {
			collectLeaves(e, out)
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			collectLeaves(v[k], out)
		}
	}
}

// lookupPath returns the values at a dotted path under v, through objects
// and arrays of objects; nil when there is none.
func lookupPath(v any, path string) any {
	if path == "" {
		return v
	}
	head, rest, _ := strings.Cut(path, ".")
	switch v := v.(type) {
	case map[string]any:
		if x, ok := v[path]; ok {
			return x
		}
		x, ok := v[head]
		if !ok {
			return nil
		}
		return lookupPath(x, rest)
	case []any:
		var out []any
		for _, e := range v {
			if x := lookupPath(e, path); x != nil {
				if xs, ok := x.([]any); ok {
					out = append(out, xs...)
				} else {
					out = append(out, x)
				}
			}
		}
		if out == nil {
			return nil
		}
		return out
	}
	return nil
}

func (di *docIndex) token(r ref) token { return di.attrs[r.attr].values[r.val].toks[r.tok] }

// occ is one place where an alternative matches a document.
type occ struct {
	ref
	n     int // tokens it spans
	typos int
	exact bool
}

// matches returns where a matches the document.
func (di *docIndex) matches(a *alt) []occ {
	var out []occ
	if a.isSeq() {
		first := a.seq[0]
		var starts []ref
		if first != "" {
			starts = di.words[first]
		} else {
			for _, refs := range di.words {
				starts = append(starts, refs...)
			}
		}
		for _, r := range starts {
			if di.seqAt(r, a.seq) {
				out = append(out, occ{ref: r, n: len(a.seq), exact: !a.synonym})
			}
		}
		return out
	}
	for w, refs := range di.words {
		typos, exact, ok := derive(a.word, w, a.prefix, a.maxTypos)
		if !ok {
			continue
		}
		for _, r := range refs {
			out = append(out, occ{ref: r, n: 1, typos: typos, exact: exact})
		}
	}
	if a.split {
		for i := range a.word {
			if i == 0 {
				continue
			}
			l, r := a.word[:i], a.word[i:]
			for _, lr := range di.words[l] {
				if di.seqAt(lr, []string{l, r}) {
					out = append(out, occ{ref: lr, n: 2, typos: 1})
				}
			}
		}
	}
	return out
}

// seqAt reports whether the words of seq start at r, at consecutive
// positions; "" matches any word.
func (di *docIndex) seqAt(r ref, seq []string) bool {
	toks := di.attrs[r.attr].values[r.val].toks
	if r.tok+len(seq) > len(toks) {
		return false
	}
	for j, w := range seq {
		t := toks[r.tok+j]
		if (w != "" && t.norm != w) || t.pos != toks[r.tok].pos+j {
			return false
		}
	}
	return true
}

// derive reports whether the document word w derives from the query word
// q: equal, q a prefix of w when prefix is set, or within maxTypos edits
// (of w, or of a prefix of w when prefix is set) — with Meilisearch's rule
// that a typo on the first letter counts as two.
func derive(q, w string, prefix bool, maxTypos int) (typos int, exact, ok bool) {
	if w == q {
		return 0, true, true
	}
	if prefix && strings.HasPrefix(w, q) {
		return 0, false, true
	}
	if maxTypos == 0 || q == "" || w == "" {
		return 0, false, false
	}
	qs, ws := []rune(q), []rune(w)
	if !prefix && abs(len(qs)-len(ws)) > maxTypos || len(ws) < len(qs)-maxTypos {
		return 0, false, false
	}
	sameFirst := qs[0] == ws[0]
	if maxTypos == 1 && !sameFirst {
		return 0, false, false
	}
	d, _ := distance(qs, ws, prefix)
	switch {
	case !sameFirst && d <= 1:
		return 2, false, true
	case sameFirst && d <= maxTypos:
		return d, false, true
	}
	return 0, false, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// distance returns the optimal string alignment distance between q and w
// (inserting, deleting or substituting a letter, or swapping two adjacent
// ones, costs one), or when prefix is set between q and the closest prefix
// of w, with the length in runes of that prefix.
func distance(q, w []rune, prefix bool) (dist, prefixLen int) {
	n, m := len(q), len(w)
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if q[i-1] == w[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && q[i-1] == w[j-2] && q[i-2] == w[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	if !prefix {
		return d[n][m], m
	}
	dist, prefixLen = d[n][0], 0
	for j := 1; j <= m; j++ {
		if d[n][j] < dist || (d[n][j] == dist && abs(j-n) < abs(prefixLen-n)) {
			dist, prefixLen = d[n][j], j
		}
	}
	return dist, prefixLen
}

// highlightLen returns how many runes of a document word to highlight for
// a match of the query word q: the whole word, or for a prefix match the
// part that matched.
func highlightLen(q, w string, prefix bool) int {
	n := utf8.RuneCountInString(w)
	if !prefix || w == q {
		return n
	}
	if strings.HasPrefix(w, q) {
		return utf8.RuneCountInString(q)
	}
	// A prefix with typos: the prefix of w closest to q.
	_, n = distance([]rune(q), []rune(w), true)
	return n
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
