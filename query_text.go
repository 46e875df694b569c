package ottwatch

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// TextTerm is a word or a quoted phrase of a query's text.
type TextTerm struct {
	Text   string
	Phrase bool
}

// String writes the term as query text: a phrase in straight quotes.
func (t TextTerm) String() string {
	if t.Phrase {
		return `"` + t.Text + `"`
	}
	return t.Text
}

// TextQuery is what a query's text asks for. Every clause must match: one
// of its terms (a clause of several terms is alternatives joined by OR).
// No excluded term may match.
type TextQuery struct {
	Clauses  [][]TextTerm
	Excluded []TextTerm
}

// IsEmpty reports whether the text asks for nothing: every article matches
// it.
func (tq TextQuery) IsEmpty() bool { return len(tq.Clauses) == 0 && len(tq.Excluded) == 0 }

// String writes tq as query text, which ParseQueryText reads back as tq.
func (tq TextQuery) String() string {
	var parts []string
	for _, c := range tq.Clauses {
		alts := make([]string, len(c))
		for i, t := range c {
			alts[i] = t.String()
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, t := range tq.Excluded {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

// Words returns how many words tq has, a phrase counting each of its.
func (tq TextQuery) Words() int {
	n := 0
	for _, c := range tq.Clauses {
		for _, t := range c {
			n += len(terms(t.Text))
		}
	}
	for _, t := range tq.Excluded {
		n += len(terms(t.Text))
	}
	return n
}

// The filters query text may carry, as name:value, equal to Query's fields.
const (
	FilterEntity = "entity"
	FilterLang   = "lang"
	FilterSource = "source"
	FilterTopic  = "topic"
)

// TextFilters are the filters found in query text, by name.
type TextFilters struct {
	Entities, Langs, Sources, Topics []string
	// Exact is set by entity:=id, for that entity only.
	Exact bool
}

// ParseQueryText parses query text. All words must match; "an exact
// phrase" (in straight, curly or low quotes, or guillemets) matches as
// written; -word and -"phrase" exclude; OR between terms makes them
// alternatives (iliad OR free fibra: Iliad or Free, and fibra); AND and a
// leading + are allowed and change nothing; entity:ID (entity:=ID for that
// entity only), lang:CODE, source:HOST and topic:ID filter as the search
// flags do. A word or phrase given twice counts once. An unclosed quote
// opens no phrase. An error wraps ErrBadQuery and names the token at fault.
func ParseQueryText(text string) (TextQuery, TextFilters, error) {
	var tq TextQuery
	var f TextFilters
	toks := tokenize(text)
	seen := make(map[string]bool)
	key := func(t TextTerm) string { return fmt.Sprint(t.Phrase, strings.Join(terms(t.Text), " ")) }
	orNext := false // the previous token was OR
	var unmatchable []TextTerm
	for i, tok := range toks {
		switch {
		case tok.text == "OR" && !tok.phrase:
			if i == 0 || orNext || i == len(toks)-1 || toks[i-1].excluded || toks[i-1].filter || toks[i+1].excluded || toks[i+1].filter {
				return tq, f, badToken(tok, "OR needs a word or a phrase on each side")
			}
			orNext = true
			continue
		case tok.text == "AND" && !tok.phrase:
			if i == 0 || i == len(toks)-1 || orNext {
				return tq, f, badToken(tok, "AND needs a word or a phrase on each side")
			}
			continue
		case tok.filter:
			name, value, _ := strings.Cut(tok.text, ":")
			exact := strings.HasPrefix(value, "=")
			value = strings.TrimPrefix(value, "=")
			if value == "" {
				return tq, f, badToken(tok, name+": needs a value")
			}
			if exact && name != FilterEntity {
				return tq, f, badToken(tok, "only entity: takes := (one entity, not those under it)")
			}
			switch name {
			case FilterEntity:
				f.Entities, f.Exact = append(f.Entities, value), f.Exact || exact
			case FilterLang:
				if !isLanguageCode(strings.ToLower(value)) {
					return tq, f, badToken(tok, fmt.Sprintf("not a language: give an ISO 639-1 code such as %s", strings.Join(Languages, ", ")))
				}
				f.Langs = append(f.Langs, strings.ToLower(value))
			case FilterSource:
				f.Sources = append(f.Sources, value)
			case FilterTopic:
				f.Topics = append(f.Topics, value)
			}
			continue
		}
		t := TextTerm{Text: tok.text, Phrase: tok.phrase}
		if len(terms(t.Text)) == 0 {
			// Punctuation beside words is no term; alone, it is a
			// term nothing matches.
			unmatchable = append(unmatchable, t)
			orNext = false
			continue
		}
		k := key(t)
		switch {
		case tok.excluded:
			if !seen["-"+k] {
				seen["-"+k] = true
				tq.Excluded = append(tq.Excluded, t)
			}
		case orNext:
			last := &tq.Clauses[len(tq.Clauses)-1]
			if !slices.ContainsFunc(*last, func(o TextTerm) bool { return key(o) == k }) {
				*last = append(*last, t)
			}
		case !seen[k]:
			seen[k] = true
			tq.Clauses = append(tq.Clauses, []TextTerm{t})
		}
		orNext = false
	}
	if tq.IsEmpty() && len(unmatchable) > 0 {
		tq.Clauses = [][]TextTerm{unmatchable[:1]}
	}
	return tq, f, nil
}

// token is a word, a phrase or a filter of query text, and where it starts.
type token struct {
	text             string
	at               int // where it starts, in characters
	phrase, excluded bool
	filter           bool
}

// filterNames are the names of the filters query text may carry.
var filterNames = []string{FilterEntity, FilterLang, FilterSource, FilterTopic}

// tokenize splits query text into words, phrases and filters.
func tokenize(text string) []token {
	var toks []token
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isSpace(r) {
			i += size
			continue
		}
		tok := token{at: utf8.RuneCountInString(text[:i])}
		// Signs before a word: + asks for it, as every word is asked for;
		// - (one of them, in any run of signs) excludes it.
		for (r == '-' || r == '+') && i+size < len(text) {
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); isSpace(next) {
				break
			}
			tok.excluded = tok.excluded || r == '-'
			i += size
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if strings.ContainsRune(PhraseQuotes, r) {
			if j := strings.IndexAny(text[i+size:], PhraseQuotes); j >= 0 {
				tok.text, tok.phrase = strings.Join(strings.Fields(text[i+size:i+size+j]), " "), true
				_, closing := utf8.DecodeRuneInString(text[i+size+j:])
				i += size + j + closing
				toks = append(toks, tok)
				continue
			}
			i += size // an unclosed quote: the rest is words
			continue
		}
		end := strings.IndexFunc(text[i:], func(r rune) bool { return isSpace(r) || strings.ContainsRune(PhraseQuotes, r) })
		if end < 0 {
			end = len(text) - i
		}
		tok.text = text[i : i+end]
		if name, _, ok := strings.Cut(tok.text, ":"); ok && !tok.excluded && slices.Contains(filterNames, strings.ToLower(name)) {
			tok.filter = true
			tok.text = strings.ToLower(name) + tok.text[len(name):]
		}
		toks = append(toks, tok)
		i += end
	}
	return toks
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' }

func badToken(t token, msg string) error {
	shown := t.text
	if t.phrase {
		shown = `"` + shown + `"`
	}
	if t.excluded {
		shown = "-" + shown
	}
	return badQuery("%q (at character %d): %s", shown, t.at+1, msg)
}
