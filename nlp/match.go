package nlp

import (
	"slices"
	"strings"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// maxSurfaces bounds how many distinct surface forms a mention keeps.
const maxSurfaces = 8

// hit is an accepted occurrence of an alias: tokens first..last of the text.
type hit struct {
	a           *alias
	first, last int
}

// scan finds every accepted occurrence of an alias or topic term in text,
// an article in language lang ("" when unknown). Entity occurrences never
// overlap; the longest leftmost one wins.
func (g *Gazetteer) scan(text, lang string) (toks []token, hits []hit) {
	toks = tokenize(text)
	if len(toks) == 0 {
		return nil, nil
	}
	var hs strings.Builder
	startTok := make(map[int]int, len(toks))
	endTok := make(map[int]int, len(toks))
	for i, t := range toks {
		if i > 0 {
			hs.WriteByte(' ')
		}
		startTok[hs.Len()] = i
		hs.WriteString(t.folded)
		endTok[hs.Len()] = i
	}
	haystack := hs.String()
	entityEnd := -1
	it := g.ac.Iter(haystack)
	for m := it.Next(); m != nil; m = it.Next() {
		first, ok1 := startTok[m.Start()]
		last, ok2 := endTok[m.End()]
		if !ok1 || !ok2 {
			continue
		}
		entityDone := first <= entityEnd
		for _, a := range g.patterns[m.Pattern()] {
			if a.entity >= 0 && entityDone || !a.accepts(text, toks, first, last, lang) {
				continue
			}
			hits = append(hits, hit{a: a, first: first, last: last})
			if a.entity >= 0 {
				entityDone, entityEnd = true, last
			}
		}
	}
	return toks, hits
}

// accepts reports whether the alias's rules allow its occurrence at tokens
// first..last.
func (a *alias) accepts(text string, toks []token, first, last int, lang string) bool {
	if len(a.Langs) > 0 && !slices.Contains(a.Langs, lang) {
		return false
	}
	for k, w := range a.exact {
		t := toks[first+k]
		if textnorm.StripMarks(text[t.start:t.end]) != w {
			return false
		}
	}
	if a.NotSentenceStart && sentenceStart(text, toks[first].start) {
		return false
	}
	for _, seq := range a.notAfter {
		if first >= len(seq) && foldedEqual(toks[first-len(seq):first], seq) {
			return false
		}
	}
	for _, seq := range a.notBefore {
		if last+len(seq) < len(toks) && foldedEqual(toks[last+1:last+1+len(seq)], seq) {
			return false
		}
	}
	return true
}

func foldedEqual(toks []token, words []string) bool {
	for i, w := range words {
		if toks[i].folded != w {
			return false
		}
	}
	return true
}

// Tag returns the entities mentioned in text, an article in language lang
// ("" when unknown, in which case language-restricted aliases are not
// used), in order of first mention, and the ids of its topics.
func (g *Gazetteer) Tag(text, lang string) ([]ottwatch.Mention, []string) {
	toks, hits := g.scan(text, lang)
	return g.mentions(text, toks, hits), g.topicIDs(hits)
}

// Match returns the entities mentioned in text, as Tag does.
func (g *Gazetteer) Match(text, lang string) []ottwatch.Mention {
	m, _ := g.Tag(text, lang)
	return m
}

// Topics returns the ids of the topics whose terms occur in text, as Tag
// does.
func (g *Gazetteer) Topics(text, lang string) []string {
	_, t := g.Tag(text, lang)
	return t
}

func (g *Gazetteer) mentions(text string, toks []token, hits []hit) []ottwatch.Mention {
	mentions := []ottwatch.Mention{}
	at := make(map[int]int)
	for _, h := range hits {
		if h.a.entity < 0 {
			continue
		}
		i, ok := at[h.a.entity]
		if !ok {
			e := g.entities[h.a.entity]
			i = len(mentions)
			at[h.a.entity] = i
			mentions = append(mentions, ottwatch.Mention{ID: e.ID, Name: e.Name, Type: e.Type})
		}
		m := &mentions[i]
		m.Count++
		surface := text[toks[h.first].start:toks[h.last].end]
		if len(m.Surfaces) < maxSurfaces && !slices.Contains(m.Surfaces, surface) {
			m.Surfaces = append(m.Surfaces, surface)
		}
	}
	return mentions
}

func (g *Gazetteer) topicIDs(hits []hit) []string {
	found := make([]bool, len(g.topics))
	for _, h := range hits {
		if h.a.entity < 0 {
			found[h.a.topic] = true
		}
	}
	ids := []string{}
	for i, ok := range found {
		if ok {
			ids = append(ids, g.topics[i].ID)
		}
	}
	return ids
}
