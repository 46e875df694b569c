package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// mark is what the indexes put on each side of a matched word in a snippet.
const mark = "**"

// truncateRunes cuts s to at most n characters, at a word boundary when
// there is one near, marking the cut with an ellipsis. A cut never leaves a
// highlight open.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	if strings.Count(cut, mark)%2 == 1 {
		cut += mark
	}
	return strings.TrimRight(cut, " ") + "…"
}

// markedWords returns the distinct texts a snippet marks as matched, in
// their first order, lowercased.
func markedWords(snippet string) []string {
	parts := strings.Split(snippet, mark)
	var out []string
	for i := 1; i < len(parts); i += 2 {
		if i == len(parts)-1 { // an unclosed mark
			break
		}
		w := strings.ToLower(textnorm.OneLine(parts[i]))
		if w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// snippetPart is a piece of a snippet, matched or not.
type snippetPart struct {
	Text    string
	Matched bool
}

// splitSnippet cuts a snippet at its marks.
func splitSnippet(snippet string) []snippetPart {
	parts := strings.Split(snippet, mark)
	out := make([]snippetPart, 0, len(parts))
	for i, p := range parts {
		if p == "" {
			continue
		}
		matched := i%2 == 1 && i != len(parts)-1
		out = append(out, snippetPart{Text: p, Matched: matched})
	}
	return out
}

// articleLink returns the address an item links to: the article's
// canonical URL, else its URL, whichever is an http(s) URL first; "" when
// neither is, so that no feed ever carries a javascript: or file: link.
func articleLink(a *ottwatch.Article) string {
	for _, u := range []string{a.CanonicalURL, a.URL} {
		if safeURL(u) {
			return u
		}
	}
	return ""
}

// safeURL reports whether u is an absolute http(s) URL.
func safeURL(u string) bool {
	p, err := url.Parse(strings.TrimSpace(u))
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// hashHex returns the SHA-256 of s in hex.
func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
