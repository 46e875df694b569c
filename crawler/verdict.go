package crawler

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// minReadable is the least text readability keeps as an article's main
// text; minMarked is the least text a page whose markup says it is an
// article needs to be kept, and minUnmarked the least for any other page.
const (
	minReadable = 140
	minMarked   = 80
	minUnmarked = 120
)

// minArticle is how much text makes a page whose markup calls it a
// product or a FAQ (see mixedTypes) an article all the same.
const minArticle = 1500

// mixedTypes are the schema.org types pages give themselves that articles
// (reviews, guides) also use.
var mixedTypes = []string{"Product", "FAQPage", "QAPage", "ItemList"}

// consentReason starts the reason of a consent-wall verdict.
const consentReason = "consent wall"

// consentWords are what consent walls say, in the languages ottwatch reads.
var consentWords = regexp.MustCompile(`(?i)\b(cookies?|consent|consentement|consenso|consentimiento|einwilligung|datenschutz|privacy|accept all|accetta|accepter|aceptar|akzeptieren|zustimmen|tracking|partners|partenaires|partner)\b`)

// cookieWord is what every consent wall names.
var cookieWord = regexp.MustCompile(`(?i)\bcookies?\b`)

// signals are what a page's markup and extracted text say about whether
// it is an article.
type signals struct {
	markup      string // what in the markup says it is an article ("" when nothing does)
	otherType   string // the schema.org type it claims when that is another kind of page
	articleBody bool   // an itemprop=articleBody
	articles    int    // <article> elements

	chars      int // runes of extracted text
	paragraphs int // paragraphs of 80 runes or more
	linkChars  int // runes of the extracted text inside links
	headlines  int // headings of the extracted text that link elsewhere, as a listing's teasers do
}

// countStructure counts the page's articles, before clutter removal.
func (s *signals) countStructure(root *html.Node) {
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.DataAtom == atom.Article {
			s.articles++
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
		switch {
		case n.Type != html.ElementNode:
		case n.DataAtom == atom.A:
			s.linkChars += utf8.RuneCountInString(strings.TrimSpace(textOf(n)))
		case isHeading(n):
			for d := range n.Descendants() {
				if d.Type == html.ElementNode && d.DataAtom == atom.A && !strings.HasPrefix(attrOf(d, "href"), "#") && attrOf(d, "href") != "" {
					s.headlines++
					break
				}
			}
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
	case consent != "" && s.chars < minUnmarked && (s.chars < minMarked || consentWords.MatchString(a.Body)):
		return Verdict{Reason: fmt.Sprintf("%s: %d characters of text besides the consent banner", consentReason, s.chars)}
	case isConsentWall(a.Body, consent):
		return Verdict{Reason: consentReason + ": the text found is the consent banner's"}
	case !marked && s.otherType != "" && (!slices.Contains(mixedTypes, s.otherType) || s.chars < minArticle):
		return Verdict{Reason: fmt.Sprintf("the page says it is a schema.org %s", s.otherType)}
	case density > 0.5 && s.chars-s.linkChars < 800:
		return Verdict{Reason: fmt.Sprintf("a listing: %.0f%% of the text is links", 100*density)}
	case s.headlines >= 3 && s.chars < 400*s.headlines:
		return Verdict{Reason: fmt.Sprintf("a listing: %d linked headlines in %d characters of text", s.headlines, s.chars)}
	case !marked && s.articles > 2 && s.paragraphs < 2:
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
	return Verdict{Article: true, Reason: fmt.Sprintf("one main text of %d characters", s.chars)}
}

// isConsentWall reports whether body, the text extracted from a page whose
// consent banners say consent, is the consent wall rather than an article:
// text that is mostly the banner's, or short text dense with consent
// words that speak of cookies. A consent word or three in a short story
// do not make it a wall.
func isConsentWall(body, consent string) bool {
	if consent != "" && len(body) < 4*len(consent) && overlap(body, consent) >= 0.5 {
		return true
	}
	if utf8.RuneCountInString(body) >= 1500 {
		return false
	}
	said := len(consentWords.FindAllStringIndex(body, -1))
	words := len(strings.Fields(body))
	return said >= 3 && said*12 >= words && cookieWord.MatchString(body)
}

// overlap returns the share of body's three-word runs that consent holds.
func overlap(body, consent string) float64 {
	in := make(map[string]bool)
	cw := strings.Fields(strings.ToLower(consent))
	for i := 2; i < len(cw); i++ {
		in[cw[i-2]+" "+cw[i-1]+" "+cw[i]] = true
	}
	words := strings.Fields(strings.ToLower(body))
	if len(words) < 3 {
		return 0
	}
	held := 0
	for i := 2; i < len(words); i++ {
		if in[words[i-2]+" "+words[i-1]+" "+words[i]] {
			held++
		}
	}
	return float64(held) / float64(len(words)-2)
}

// maxBanner is the most text a consent banner holds.
const maxBanner = 6000

// consentWallWords are the class and id words of consent banners.
var consentWallWords = setOf("cookie", "cookies", "cookiebanner", "consent", "gdpr", "didomi", "onetrust", "usercentrics")

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
				// A banner is short: a long text is a page-wide wrapper
				// named for its consent state.
				if text := textOf(ch); utf8.RuneCountInString(text) < maxBanner {
					b.WriteString(text)
					b.WriteByte(' ')
					continue
				}
			}
			visit(ch)
		}
	}
	visit(root)
	return textnorm.OneLine(b.String())
}

// namesAny reports whether n's class or id has a word of words.
func namesAny(n *html.Node, words map[string]bool) bool {
	for name := range namesOf(n) {
		for w := range nameWords(name) {
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
