package ottwatch

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
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
	// entities, sources, topics, stories) may have.
	MaxFilterValues = 50
	// MaxPublishedSpans is how many spans PublishedEdges may count: two
	// years of weeks.
	MaxPublishedSpans = 104
)

// ErrBadQuery is wrapped by the errors of Check: the query is refused as
// asked, whatever the index holds.
var ErrBadQuery = errors.New("bad query")

// ErrUnsupported is wrapped by the errors of an index that cannot run a
// query as asked (Meilisearch and alternatives joined by OR).
var ErrUnsupported = errors.New("not supported by this index")

// PhraseQuotes are the characters that open and close a phrase in query
// text: straight, curly and low double quotes, and guillemets.
const PhraseQuotes = "\"“”„«»"

// Check validates q and returns it normalised, ready for a backend: Limit
// defaulted to DefaultLimit and cut to MaxLimit, Sources as hosts without
// "www." (a source given as www.example.com or as a URL matches), Text with repeated
// words and phrases dropped and its phrases in straight quotes (see
// ParseText). It refuses, with an error wrapping ErrBadQuery, a negative
// limit, an offset out of [0, MaxOffset], an Until not after Since (or a
// SeenUntil not after SeenSince), an
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
	if !q.SeenSince.IsZero() && !q.SeenUntil.IsZero() && !q.SeenUntil.After(q.SeenSince) {
		return q, badQuery("seen until %s is not after seen since %s",
			q.SeenUntil.Format(time.RFC3339), q.SeenSince.Format(time.RFC3339))
	}
	if n := len(q.PublishedEdges); n == 1 || n > MaxPublishedSpans+1 {
		return q, badQuery("%d published edges: want 2 to %d", n, MaxPublishedSpans+1)
	}
	for i := 1; i < len(q.PublishedEdges); i++ {
		if !q.PublishedEdges[i].After(q.PublishedEdges[i-1]) {
			return q, badQuery("published edge %s is not after %s",
				q.PublishedEdges[i].Format(time.RFC3339), q.PublishedEdges[i-1].Format(time.RFC3339))
		}
	}
	switch q.Sort {
	case "", SortRelevance, SortDate, SortMixed:
	default:
		return q, badQuery("unknown sort %q: want %s, %s or %s", q.Sort, SortRelevance, SortDate, SortMixed)
	}
	q.Sources = sourceHosts(q.Sources)
	for name, values := range map[string][]string{"langs": q.Langs, "entities": q.Entities, "sources": q.Sources, "topics": q.Topics, "stories": q.Stories} {
		if len(values) > MaxFilterValues {
			return q, badQuery("%d %s: at most %d", len(values), name, MaxFilterValues)
		}
	}
	if len(q.Text) > MaxTextBytes {
		return q, badQuery("the text is %d bytes long: at most %d", len(q.Text), MaxTextBytes)
	}
	tq, f, err := ParseQueryText(q.Text)
	if err != nil {
		return q, err
	}
	if n := tq.Words(); n > MaxWords {
		return q, badQuery("the text has %d distinct words: at most %d", n, MaxWords)
	}
	q.Text = tq.String()
	q.Entities = append(q.Entities, f.Entities...)
	q.Langs = append(q.Langs, f.Langs...)
	q.Sources = append(q.Sources, sourceHosts(f.Sources)...)
	q.Topics = append(q.Topics, f.Topics...)
	q.Exact = q.Exact || f.Exact
	if len(q.Langs) > 0 {
		langs := make([]string, 0, len(q.Langs))
		for _, l := range q.Langs {
			code := strings.ToLower(strings.TrimSpace(l))
			switch {
			case code == "":
				continue // an empty value filters nothing
			case !isLanguageCode(code):
				return q, badQuery("%q is not a language: give an ISO 639-1 code such as %s", l, strings.Join(Languages, ", "))
			}
			langs = append(langs, code)
		}
		q.Langs = langs
	}
	for name, values := range map[string][]string{"langs": q.Langs, "entities": q.Entities, "sources": q.Sources, "topics": q.Topics} {
		if len(values) > MaxFilterValues {
			return q, badQuery("%d %s: at most %d", len(values), name, MaxFilterValues)
		}
	}
	return q, nil
}

// TextQuery returns the parsed text of a query Check accepted.
func (q Query) TextQuery() TextQuery {
	tq, _, _ := ParseQueryText(q.Text)
	return tq
}

// isLanguageCode reports whether s looks like an ISO 639-1 code: two
// lower-case letters.
func isLanguageCode(s string) bool {
	return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
}

// sourceHosts returns sources as articles name theirs: a lower-case host
// without "www.", whether given as a host or as a URL.
func sourceHosts(sources []string) []string {
	if len(sources) == 0 {
		return sources
	}
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = SourceHost(s)
	}
	return out
}

// SourceHost returns the source an article from s counts as, s being a host
// or a URL: its host in lower case, without "www." and without a port.
// Articles are stamped with it and source filters compare with it.
func SourceHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[i:], "]") {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "www.")
}

func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
}

// terms returns the runs of letters, digits and marks of s, lowercased:
// the words a search engine makes of it.
func terms(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}
