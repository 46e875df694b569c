package meilitest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wordsLimit is how many terms of a query Meilisearch considers.
const wordsLimit = 10

// queryTerm is one term of a query: a word, or the words of a phrase.
type queryTerm struct {
	words  []string // normalized; "" stands for a stop word inside a phrase
	phrase bool
	prefix bool // the last word of the query, matched as a prefix too
	pos    int  // position in the query, for n-grams
}

// parsedQuery is a query split as Meilisearch's query parser does.
type parsedQuery struct {
	terms      []queryTerm
	negWords   []string
	negPhrases [][]string
}

// parseQuery splits q into terms: words, "quoted phrases", and -negated
// words or phrases. Words in stopWords are dropped but for the last one.
// The last word is a prefix when nothing follows it and prefix search is
// enabled.
func parseQuery(q string, stopWords map[string]bool, prefixSearch bool) parsedQuery {
	var pq parsedQuery
	toks, _ := tokenize(q, 0)
	var phrase []string
	phrasePos := -1
	inPhrase, negPhrase, negNext := false, false, false
	closePhrase := func() {
		if inPhrase && len(phrase) > 0 {
			if negPhrase {
				pq.negPhrases = append(pq.negPhrases, phrase)
			} else {
				pq.terms = append(pq.terms, queryTerm{words: phrase, phrase: true, pos: phrasePos})
			}
		}
		phrase, phrasePos, inPhrase, negPhrase = nil, -1, false, false
	}
	prevEnd := 0
	for i, t := range toks {
		if len(pq.terms) >= wordsLimit {
			return pq
		}
		sep := q[prevEnd:t.start]
		prevEnd = t.end
		if inPhrase && strings.ContainsAny(sep, hardSeparators) {
			closePhrase()
			inPhrase = true
		}
		if quotes := strings.Count(sep, `"`); quotes > 0 {
			if inPhrase {
				quotes--
				closePhrase()
			}
			if quotes%2 == 1 {
				inPhrase, negPhrase = true, negativeSep(sep, i, true)
			}
		}
		if !inPhrase {
			negNext = negativeSep(sep, i, false)
		}
		last := i == len(toks)-1
		switch {
		case inPhrase:
			if phrasePos < 0 {
				phrasePos = t.pos
			}
			w := t.norm
			if stopWords[w] {
				w = ""
			}
			phrase = append(phrase, w)
		case negNext:
			pq.negWords = append(pq.negWords, t.norm)
			negNext = false
		case last:
			pq.terms = append(pq.terms, queryTerm{
				words: []string{t.norm}, pos: t.pos,
				prefix: prefixSearch && t.end == len(q),
			})
		case stopWords[t.norm]:
		default:
			pq.terms = append(pq.terms, queryTerm{words: []string{t.norm}, pos: t.pos})
		}
	}
	if inPhrase {
		closePhrase()
	}
	return pq
}

// negativeSep reports whether the separator before the i-th token negates
// it: it ends with "-" (before any opening quote) preceded by white space
// or the start of the query.
func negativeSep(sep string, i int, quoted bool) bool {
	if quoted {
		sep = strings.TrimRight(sep, `"`)
	}
	if !strings.HasSuffix(sep, "-") {
		return false
	}
	before := sep[:len(sep)-1]
	if before == "" {
		return i == 0
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return unicode.IsSpace(r)
}

// alt is one way a document can match query terms from..to-1: a word with
// its derivations (prefix, typos, split in two), an n-gram of consecutive
// words written as one, or a sequence of exact words (a phrase, or a
// synonym).
type alt struct {
	from, to int
	word     string
	seq      []string
	prefix   bool
	maxTypos int
	split    bool
	synonym  bool
}

func (a *alt) isSeq() bool { return a.seq != nil }

// typoPolicy decides how many typos a query word tolerates.
type typoPolicy struct {
	enabled          bool
	oneTypo, twoTypo int
	disableOnWords   map[string]bool
	disableOnNumbers bool
}

func newTypoPolicy(t typoTolerance) typoPolicy {
	p := typoPolicy{
		enabled: t.Enabled, oneTypo: t.MinWordSizeForTypos.OneTypo, twoTypo: t.MinWordSizeForTypos.TwoTypos,
		disableOnWords: map[string]bool{}, disableOnNumbers: t.DisableOnNumbers,
	}
	for _, w := range t.DisableOnWords {
		p.disableOnWords[normalize(w)] = true
	}
	return p
}

func (p typoPolicy) maxTypos(word string) int {
	n := utf8.RuneCountInString(word)
	switch {
	case !p.enabled || n < p.oneTypo || p.disableOnWords[word]:
		return 0
	case p.disableOnNumbers && strings.IndexFunc(word, func(r rune) bool { return !unicode.IsDigit(r) }) < 0:
		return 0
	case n < p.twoTypo:
		return 1
	}
	return 2
}

// alternatives returns every way to match the terms of pq, with the
// synonyms (keys and values normalized, words joined by a space).
func alternatives(pq parsedQuery, typos typoPolicy, synonyms map[string][][]string) []alt {
	var alts []alt
	terms := pq.terms
	for i, t := range terms {
		if t.phrase {
			alts = append(alts, alt{from: i, to: i + 1, seq: t.words})
			continue
		}
		w := t.words[0]
		alts = append(alts, alt{from: i, to: i + 1, word: w, prefix: t.prefix, maxTypos: typos.maxTypos(w), split: true})
		for _, syn := range synonyms[w] {
			alts = append(alts, alt{from: i, to: i + 1, seq: syn, synonym: true})
		}
		for n := 2; n <= 3 && i+n <= len(terms); n++ {
			group := terms[i : i+n]
			ok := true
			words := make([]string, n)
			for j, g := range group {
				if g.phrase || (j > 0 && g.pos != group[j-1].pos+1) {
					ok = false
					break
				}
				words[j] = g.words[0]
			}
			if !ok {
				break
			}
			ngram := strings.Join(words, "")
			alts = append(alts, alt{
				from: i, to: i + n, word: ngram, prefix: group[n-1].prefix,
				maxTypos: max(0, typos.maxTypos(ngram)-(n-1)),
			})
			for _, syn := range synonyms[strings.Join(words, " ")] {
				alts = append(alts, alt{from: i, to: i + n, seq: syn, synonym: true})
			}
		}
	}
	return alts
}

// normalizeSynonyms tokenizes the keys and values of the synonyms
// setting, as Meilisearch does when it stores them.
func normalizeSynonyms(syn map[string][]string) map[string][][]string {
	out := map[string][][]string{}
	words := func(s string) []string {
		toks, _ := tokenize(s, 0)
		w := make([]string, len(toks))
		for i, t := range toks {
			w[i] = t.norm
		}
		return w
	}
	for k, vs := range syn {
		key := strings.Join(words(k), " ")
		if key == "" {
			continue
		}
		for _, v := range vs {
			if w := words(v); len(w) > 0 {
				out[key] = append(out[key], w)
			}
		}
	}
	return out
}
