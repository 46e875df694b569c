package ottwatch

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of a query, the same whichever way it comes in (the CLI, the API,
// the search page, watchlists, digests) and whichever backend runs it.
const (
	DefaultLimit = 10      // hits per page when the query says none
	MaxLimit     = 1000    // larger limits are cut to this
	MaxOffset    = 100_000 // deeper pages are refused
	// MaxTextBytes is the longest query text, in bytes.
	MaxTextBytes = 1000
	// MaxWords is how many words the text may have once repeated words
	// and phrases are dropped; a phrase counts each of its words.
	MaxWords = 32
	// MaxFilterValues is how many values each filter (languages,
	// entities, sources, topics) may have.
	MaxFilterValues = 50
)

// ErrBadQuery is wrapped by the errors of Check: the query is refused as
// asked, whatever the index holds.
var ErrBadQuery = errors.New("bad query")

// PhraseQuotes are the characters that open and close a phrase in query
// text: straight, curly and low double quotes, and guillemets.
const PhraseQuotes = "\"“”„«»"

// Check validates q and returns it normalised, ready for a backend: Limit
// defaulted to DefaultLimit and cut to MaxLimit, Sources as hosts without
// "www." (a source given as www.example.com or as a URL matches), Text with repeated
// words and phrases dropped and its phrases in straight quotes (see
// ParseText). It refuses, with an error wrapping ErrBadQuery, a negative
// limit, an offset out of [0, MaxOffset], an Until not after Since, an
// unknown sort, a text longer than MaxTextBytes or of more than MaxWords
// distinct words, and a filter of more than MaxFilterValues values.
func (q Query) Check() (Query, error) {
	switch {
	case q.Limit < 0:
		return q, badQuery("negative limit %d", q.Limit)
	case q.Limit == 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		return q, badQuery("offset %d out of [0, %d]", q.Offset, MaxOffset)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, badQuery("until %s is not after since %s",
			q.Until.Format(time.RFC3339), q.Since.Format(time.RFC3339))
	}
	switch q.Sort {
	case "", SortRelevance, SortDate:
	default:
		return q, badQuery("unknown sort %q: want %s or %s", q.Sort, SortRelevance, SortDate)
	}
	q.Sources = sourceHosts(q.Sources)
	for name, values := range map[string][]string{"langs": q.Langs, "entities": q.Entities, "sources": q.Sources, "topics": q.Topics} {
		if len(values) > MaxFilterValues {
			return q, badQuery("%d %s: at most %d", len(values), name, MaxFilterValues)
		}
	}
	if len(q.Text) > MaxTextBytes {
		return q, badQuery("the text is %d bytes long: at most %d", len(q.Text), MaxTextBytes)
	}
	parts := parseText(q.Text)
	n := 0
	out := make([]string, len(parts))
	for i, p := range parts {
		n += len(terms(p.text))
		out[i] = p.text
		if p.phrase {
			out[i] = `"` + p.text + `"`
		}
	}
	if n > MaxWords {
		return q, badQuery("the text has %d distinct words: at most %d", n, MaxWords)
	}
	q.Text = strings.Join(out, " ")
	return q, nil
}

// sourceHosts returns sources as articles name theirs: a lower-case host
// without "www.", whether given as a host or as a URL.
func sourceHosts(sources []string) []string {
	if len(sources) == 0 {
		return sources
	}
	out := make([]string, 0, len(sources))
	for _, s := range sources {
		s = strings.ToLower(strings.TrimSpace(s))
		if _, rest, ok := strings.Cut(s, "://"); ok {
			s = rest
		}
		if i := strings.IndexAny(s, "/?#"); i >= 0 {
			s = s[:i]
		}
		out = append(out, strings.TrimPrefix(s, "www."))
	}
	return out
}

func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
}

// ParseText splits query text into its quoted phrases and its free words,
// each once (compared by their letters and digits, regardless of case), in
// the order they come. An unclosed quote opens no phrase: the text after it
// is free words. Empty phrases are dropped.
func ParseText(text string) (phrases, words []string) {
	for _, p := range parseText(text) {
		if p.phrase {
			phrases = append(phrases, p.text)
		} else {
			words = append(words, p.text)
		}
	}
	return phrases, words
}

// textPart is a free word or a phrase of query text.
type textPart struct {
	text   string
	phrase bool
}

// parseText returns the words and phrases of text, each once, in order.
func parseText(text string) []textPart {
	var parts []textPart
	seen := make(map[textPart]bool)
	add := func(s string, phrase bool) {
		key := textPart{strings.Join(terms(s), " "), phrase}
		if !seen[key] {
			seen[key] = true
			parts = append(parts, textPart{s, phrase})
		}
	}
	addWords := func(s string) {
		for _, w := range strings.Fields(s) {
			add(w, false)
		}
	}
	for {
		i := strings.IndexAny(text, PhraseQuotes)
		if i < 0 {
			addWords(text)
			return parts
		}
		addWords(text[:i])
		_, size := utf8.DecodeRuneInString(text[i:])
		after := text[i+size:]
		j := strings.IndexAny(after, PhraseQuotes)
		if j < 0 {
			addWords(after)
			return parts
		}
		if p := strings.Join(strings.Fields(after[:j]), " "); p != "" {
			add(p, true)
		}
		_, size = utf8.DecodeRuneInString(after[j:])
		text = after[j+size:]
	}
}

// terms returns the runs of letters, digits and marks of s, lowercased:
// the words a search engine makes of it.
func terms(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}
