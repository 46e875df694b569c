package crawler

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ottwatch/ottwatch"
)

// minReadable is the least text readability keeps as an article's main
// text; minMarked is the least text a page whose markup says it is an
// article needs to be kept, and minUnmarked the least for any other page.
const (
	minReadable = 140
	minMarked   = 80
	minUnmarked = 200
)

// consentReason starts the reason of a consent-wall verdict.
const consentReason = "consent wall"

// consentWords are what consent walls say, in the languages ottwatch reads.
var consentWords = regexp.MustCompile(`(?i)\b(cookies?|consent|consentement|consenso|consentimiento|einwilligung|datenschutz|privacy|accept all|accetta|accepter|aceptar|akzeptieren|zustimmen|tracking|partners|partenaires|partner)\b`)

// signals are what a page's markup and extracted text say about whether
// it is an article.
type signals struct {
	markup      string // what in the markup says it is an article ("" when nothing does)
	otherType   string // the schema.org type it claims when that is another kind of page
	ogType      string
	articleBody bool // an itemprop=articleBody
	articles    int  // <article> elements
	teasers     int  // headings that link elsewhere, as listings have

	chars      int // runes of extracted text
	paragraphs int // paragraphs of 80 runes or more
	linkChars  int // runes of the extracted text inside links
}

// countStructure counts the page's articles and teasers, before clutter
// removal.
func (s *signals) countStructure(root *html.Node) {
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Article:
			s.articles++
		case atom.H2, atom.H3, atom.H4:
			for d := range n.Descendants() {
				if d.Type == html.ElementNode && d.DataAtom == atom.A {
					s.teasers++
					break
				}
			}
		}
		if hasWord(attrOf(n, "itemprop"), "articleBody") {
			s.articleBody = true
		}
	}
}

// measureContent measures the extracted text and, when there is one, the
// node it was rendered from.
func (s *signals) measureContent(content *html.Node, body string) {
	s.chars = utf8.RuneCountInString(body)
	for _, p := range strings.Split(body, "\n\n") {
		if utf8.RuneCountInString(p) >= 80 {
			s.paragraphs++
		}
	}
	if content == nil {
		return
	}
	for n := range content.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			s.linkChars += utf8.RuneCountInString(strings.TrimSpace(textOf(n)))
		}
	}
}

// verdict decides whether a page with these signals, extracted as a, is a
// news article. It errs toward keeping a page with one substantial main
// text, and refuses consent walls, pages whose markup says they are
// another kind of page, listings (home, section, tag and search pages)
// and pages with too little text.
func verdict(s signals, a *ottwatch.Article, consent string) Verdict {
	marked := s.markup != ""
	density := 0.0
	if s.chars > 0 {
		density = float64(s.linkChars) / float64(s.chars)
	}
	switch {
	case s.chars == 0 && consent != "":
		return Verdict{Reason: consentReason + ": no readable text besides the consent banner"}
	case s.chars == 0:
		return Verdict{Reason: "no readable text"}
	case consent != "" && s.chars < minUnmarked:
		return Verdict{Reason: fmt.Sprintf("%s: %d characters of text besides the consent banner", consentReason, s.chars)}
	case isConsentWall(a.Body, consent):
		return Verdict{Reason: consentReason + ": the text found is the consent banner's"}
	case !marked && s.otherType != "":
		return Verdict{Reason: fmt.Sprintf("the page says it is a schema.org %s", s.otherType)}
	case density > 0.5:
		return Verdict{Reason: fmt.Sprintf("a listing: %.0f%% of the text is links", 100*density)}
	case !marked && s.teasers >= 6 && s.chars < 300*s.teasers/2 && s.paragraphs < 3:
		return Verdict{Reason: fmt.Sprintf("a listing: %d linked headings around %d characters of text", s.teasers, s.chars)}
	case !marked && s.articles > 1 && s.paragraphs < 3:
		return Verdict{Reason: fmt.Sprintf("a listing: %d <article> elements and no main text", s.articles)}
	case marked && s.chars < minMarked:
		return Verdict{Reason: fmt.Sprintf("too little text: %d characters (%s)", s.chars, s.markup)}
	case !marked && s.chars < minUnmarked:
		return Verdict{Reason: fmt.Sprintf("too little text: %d characters and no article markup", s.chars)}
	case a.Title == "":
		return Verdict{Reason: "no title"}
	case marked:
		return Verdict{Article: true, Reason: fmt.Sprintf("%s and %d characters of text", s.markup, s.chars)}
	}
	return Verdict{Article: true, Reason: fmt.Sprintf("one main text of %d characters in %d paragraphs", s.chars, s.paragraphs)}
}

// isConsentWall reports whether body, the text extracted from a page whose
// consent banners say consent, is the consent wall rather than an article:
// text that is mostly the banner's, or short text dense with consent
// words. One consent word in a short story does not make it a wall.
func isConsentWall(body, consent string) bool {
	if consent != "" && len(body) < 4*len(consent) && overlap(body, consent) >= 0.5 {
		return true
	}
	n := utf8.RuneCountInString(body)
	said := len(consentWords.FindAllStringIndex(body, -1))
	words := len(strings.Fields(body))
	return n < 1500 && said >= 3 && said*20 >= words
}

// overlap returns the share of body's words that consent holds.
func overlap(body, consent string) float64 {
	in := make(map[string]bool)
	for _, w := range strings.Fields(strings.ToLower(consent)) {
		in[w] = true
	}
	words := strings.Fields(strings.ToLower(body))
	if len(words) == 0 {
		return 0
	}
	held := 0
	for _, w := range words {
		if in[w] {
			held++
		}
	}
	return float64(held) / float64(len(words))
}

// consentWallWords are the class and id words of consent banners.
var consentWallWords = setOf("cookie", "cookies", "cookiebanner", "consent", "gdpr", "didomi", "onetrust", "usercentrics", "cmp")

// consentText returns the text of the page's consent banners: elements
// whose class or id words name one, short of the page itself.
func consentText(root *html.Node) string {
	var b strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			page := ch.DataAtom == atom.Html || ch.DataAtom == atom.Body || ch.DataAtom == atom.Main
			if !page && namesAny(ch, consentWallWords) {
				b.WriteString(textOf(ch))
				b.WriteByte(' ')
				continue
			}
			visit(ch)
		}
	}
	visit(root)
	return clean(b.String())
}

// namesAny reports whether n's class or id has a word of words.
func namesAny(n *html.Node, words map[string]bool) bool {
	for _, name := range strings.Fields(attrOf(n, "class") + " " + attrOf(n, "id")) {
		for _, w := range nameWords(name) {
			if words[w] {
				return true
			}
		}
	}
	return false
}

// textOf returns the text below n, scripts and styles left out.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode && (d.Parent == nil || (d.Parent.DataAtom != atom.Script && d.Parent.DataAtom != atom.Style)) {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return b.String()
}
