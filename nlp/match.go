package nlp

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	entityEnd := -1
	g.occurrences(toks, func(first, last, pattern int) {
		entityDone := first <= entityEnd
		for _, a := range g.patterns[pattern] {
			if a.entity >= 0 && entityDone || !a.accepts(text, toks, first, last, lang) {
				continue
			}
			hits = append(hits, hit{a: a, first: first, last: last})
			if a.entity >= 0 {
				entityDone, entityEnd = true, last
			}
		}
	})
	return toks, hits
}

// shortScan is the most words a text may have to be scanned by looking up
// its runs of words among the patterns' keys rather than with the
// automaton: a query or a title is scanned before the automaton could be
// built.
const shortScan = 64

// occurrences calls found with the tokens first..last and the pattern of
// each occurrence of a pattern in toks, from the first word to the last:
// at each word the longest pattern that starts there, whether or not an
// occurrence found before covers the word (scan decides which count).
func (g *Gazetteer) occurrences(toks []token, found func(first, last, pattern int)) {
	if len(toks) <= shortScan {
		g.lookUp(toks, found)
		return
	}
	var hs strings.Builder
	startTok := make(map[int]int, len(toks))
	endTok := make(map[int]int, len(toks))
	for i, t := range toks {
		// Each word between spaces, as padKey lays out the patterns.
		startTok[hs.Len()] = i
		hs.WriteByte(' ')
		hs.WriteString(t.folded)
		hs.WriteByte(' ')
		endTok[hs.Len()] = i
	}
	it := g.automaton().Iter(hs.String())
	for m := it.Next(); m != nil; m = it.Next() {
		first, ok1 := startTok[m.Start()]
		last, ok2 := endTok[m.End()]
		if ok1 && ok2 {
			found(first, last, m.Pattern())
		}
	}
}

// lookUp finds the occurrences of patterns in toks as occurrences does, by
// looking up each run of words in the patterns' keys, the longest first.
func (g *Gazetteer) lookUp(toks []token, found func(first, last, pattern int)) {
	for i := range toks {
		for n := min(g.maxWords, len(toks)-i); n >= 1; n-- {
			if p, ok := g.keys[joinFolded(toks[i:i+n])]; ok {
				found(i, i+n-1, p)
				break
			}
		}
	}
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
	if a.near != nil && !nearAny(toks, first, last, a.near) {
		return false
	}
	if a.notNear != nil && nearAny(toks, first, last, a.notNear) {
		return false
	}
	if a.entity >= 0 && figurative(text, toks, first, last, lang) {
		return false
	}
	return true
}

// nearWindow is how many words either side of an occurrence the near and
// not_near rules look at: about two sentences.
const nearWindow = 40

// nearAny reports whether one of the word sequences occurs within
// nearWindow words of tokens first..last, the occurrence itself excluded.
func nearAny(toks []token, first, last int, seqs [][]string) bool {
	lo, hi := max(0, first-nearWindow), min(len(toks), last+1+nearWindow)
	for i := lo; i < hi; i++ {
		if i >= first && i <= last {
			continue
		}
		for _, seq := range seqs {
			if i+len(seq) <= hi && (i+len(seq) <= first || i > last) && foldedEqual(toks[i:i+len(seq)], seq) {
				return true
			}
		}
	}
	return false
}

// Words around a name that make it a figure of speech rather than the
// entity: "le Netflix du sport", "the Uber of telecoms", "an Apple-style
// launch", "à la Netflix".
var (
	// figurativeArticles are, per language, the words before a name used
	// as a figure of speech: articles, and "new", "true", "next".
	figurativeArticles = map[string]map[string]bool{
		"en": set("the", "a", "an", "new", "next", "true", "real", "future"),
		"fr": set("le", "la", "un", "une", "nouveau", "nouvel", "futur", "véritable", "prochain"),
		"it": set("il", "lo", "la", "un", "uno", "una", "nuovo", "prossimo", "vero", "futuro"),
		"es": set("el", "la", "un", "una", "nuevo", "próximo", "verdadero", "futuro"),
		"de": set("das", "der", "die", "ein", "eine", "einen", "neue", "neuen", "nächste", "echte", "wahre"),
		"pt": set("o", "a", "um", "uma", "novo", "próximo", "verdadeiro"),
	}
	figurativeOf    = set("of", "du", "des", "de", "del", "dello", "della", "dei", "degli", "delle", "di", "der")
	figurativeAfter = set("style", "like", "esque", "type", "stil", "artig", "ahnlich", "ahnliche", "ahnlichen",
		"estilo", "stile")
	figurativeBefore = [][]string{{"a", "la"}, {"alla"}, {"a", "lo"}, {"im", "stil", "von"}, {"in", "the", "style", "of"},
		{"in", "stile"}, {"facon"}, {"style"}, {"estilo"}}
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// figurative reports whether the name at tokens first..last is used as a
// figure of speech: an article before it and "of" plus a lower-case word
// after it ("le Netflix du sport", "il nuovo Netflix dello sport"), a
// "-style" or "-like" after it, or "à la" before it. The article must be
// one of the language of the text (Italian "a TIM di" is "to TIM", French
// "Orange a du" is "Orange has") and is compared with its accents. German
// capitalises nouns, so there the word after "der" or "des" may be
// capitalised ("das Netflix der Hörbücher").
func figurative(text string, toks []token, first, last int, lang string) bool {
	if last+1 < len(toks) && figurativeAfter[toks[last+1].folded] && text[toks[last].end] == '-' {
		return true
	}
	for _, seq := range figurativeBefore {
		if first >= len(seq) && foldedEqual(toks[first-len(seq):first], seq) {
			return true
		}
	}
	if first == 0 || last+2 >= len(toks) || !figurativeOf[toks[last+1].folded] {
		return false
	}
	article := toks[first-1]
	if !figurativeArticles[lang][strings.ToLower(text[article.start:article.end])] {
		return false
	}
	next := toks[last+2]
	r, _ := utf8.DecodeRuneInString(text[next.start:])
	return unicode.IsLower(r) || figurativeOf[next.folded] || next.folded == "l" || lang == "de"
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
