package crawler

import (
	"iter"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// junkTags are elements that never hold article text.
var junkTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Object: true, atom.Embed: true, atom.Canvas: true,
	atom.Rt: true, atom.Rp: true, // ruby annotations: the reading of the text, not more text
}

// tagKinds are the elements that are clutter, or boxes, whatever their
// names.
var tagKinds = map[atom.Atom]clutterKind{
	atom.Nav: clutter, atom.Footer: clutter, atom.Dialog: clutter, atom.Figcaption: clutter,
	atom.Button: clutter, atom.Select: clutter, atom.Textarea: clutter, atom.Input: clutter,
	atom.Header: box, atom.Aside: box,
}

// clutterWords are the words of class and id names that mark what is
// never article text, however much of it there is: consent walls (the
// words of consentWallWords), comments, newsletter boxes, related-article
// lists, navigation.
var clutterWords = setOf(append(slices.Collect(maps.Keys(consentWallWords)),
	"outbrain", "taboola", "plista", "sharebar", "shariff", "sociallinks",
	"newsletter", "newsletters", "subscribe", "subscription",
	"comment", "comments", "disqus", "respond",
	"related", "recommended", "recommendation", "recommendations", "lesetipp", "lesetipps",
	"breadcrumb", "breadcrumbs", "nav", "navbar", "navigation", "menu", "pagination", "pager", "tagcloud", "footer")...,
)

// boxWords are the words of class and id names of boxes that are clutter
// when they hold no paragraph, but may also be wrapped around the
// article's ("entry share", "section--has-ads", "widget Blog"): share
// rows, bylines and author cards, captions, ads.
var boxWords = setOf(
	"share", "sharing", "social", "socials", "byline", "kicker", "author", "authors", "bio", "tags",
	"popup", "modal", "toolbar", "paywall", "caption", "figcaption", "readmore",
	"ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "adslot", "adunit",
	"dfp", "sponsor", "sponsored", "promo", "sidebar", "widget", "widgets", "overlay", "rating", "ratings",
	"print", "credit", "credits", "copyright",
)

// clutterNames are whole class and id names of the same kind whose words
// alone say nothing.
var clutterNames = setOf(
	"read-more", "read-also", "see-also", "leggi-anche", "lire-aussi", "lea-tambien", "mehr-zum-thema",
	"weitere-artikel", "more-articles", "more-stories", "also-read",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// cleaner removes clutter from a page before extraction. It never removes
// html, body, main, the page's article node or any ancestor of it, nor an
// element that holds most of the text of the page (or of its article
// node): what a removal would cost is checked first.
type cleaner struct {
	text    map[*html.Node]int // paragraph text below each element, in runes
	article *html.Node         // the node the page's markup names as its article, or nil
	keep    map[*html.Node]bool
}

// paragraphMin is how long a block's own text must be to count as
// paragraph text in the cost of a removal.
const paragraphMin = 60

// removeClutter removes clutter below root (see cleaner) and returns the
// node the page's markup names as its article, or nil.
func removeClutter(root *html.Node) *html.Node {
	c := &cleaner{text: make(map[*html.Node]int), keep: make(map[*html.Node]bool)}
	c.measure(root)
	c.article = articleNode(root, c.text)
	for n := c.article; n != nil; n = n.Parent {
		c.keep[n] = true
	}
	c.walk(root, root)
	return c.article
}

// measure records the paragraph text below every node and returns n's,
// with the text of n's inline content not yet counted in a paragraph.
func (c *cleaner) measure(n *html.Node) (total, loose int) {
	if n.Type == html.ElementNode && junkTags[n.DataAtom] {
		return 0, 0
	}
	own := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			own += utf8.RuneCountInString(strings.TrimSpace(ch.Data))
		case html.ElementNode:
			t, l := c.measure(ch)
			total += t
			own += l
		}
	}
	if n.Type == html.ElementNode && inline[n.DataAtom] {
		c.text[n] = total + own
		return total, own // inline text is part of its block's paragraph
	}
	if own >= paragraphMin {
		total += own
	}
	c.text[n] = total
	return total, 0
}

// inline are the phrasing elements whose text belongs to the paragraph
// around them.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true, atom.Span: true,
	atom.Small: true, atom.Sup: true, atom.Sub: true, atom.Mark: true, atom.Abbr: true, atom.Q: true,
	atom.Cite: true, atom.Code: true, atom.Time: true, atom.U: true, atom.S: true, atom.Br: true, atom.Font: true,
}

// articleNode returns the node the page's markup names as its article
// text: an itemprop=articleBody, else the only <article> (or the one
// holding most of the page's text), or nil.
func articleNode(root *html.Node, text map[*html.Node]int) *html.Node {
	var body, best *html.Node
	var articles []*html.Node
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if hasWord(attrOf(n, "itemprop"), "articleBody") && (body == nil || text[n] > text[body]) {
			body = n
		}
		if n.DataAtom == atom.Article {
			articles = append(articles, n)
		}
	}
	if body != nil && text[body] > 0 {
		return body
	}
	for _, a := range articles {
		if best == nil || text[a] > text[best] {
			best = a
		}
	}
	if best != nil && (len(articles) == 1 || 2*text[best] > text[root]) {
		return best
	}
	return nil
}

func (c *cleaner) walk(root, n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.CommentNode {
			n.RemoveChild(ch)
		} else if ch.Type == html.ElementNode {
			if c.removable(root, ch) {
				n.RemoveChild(ch)
			} else {
				c.walk(root, ch)
			}
		}
		ch = next
	}
}

// removable reports whether n is clutter whose removal costs no article
// text.
func (c *cleaner) removable(root, n *html.Node) bool {
	if c.keep[n] || n.DataAtom == atom.Html || n.DataAtom == atom.Body || n.DataAtom == atom.Main {
		return false
	}
	if junkTags[n.DataAtom] {
		return true
	}
	switch max(c.cluttered(n), tagKinds[n.DataAtom]) {
	case none:
		return false
	case box:
		return c.text[n] < 3*paragraphMin
	}
	// What removing n would cost: the share of the article node's text
	// when n is inside it, else of the page's.
	whole := c.text[root]
	if c.article != nil && isAncestor(c.article, n) {
		whole = c.text[c.article]
	}
	return 2*c.text[n] <= whole || c.text[n] < paragraphMin*3
}

// clutterKind is what an element's names say it is.
type clutterKind int

const (
	none    clutterKind = iota
	box                 // a box that may hold article paragraphs
	clutter             // never article text
)

// cluttered returns what n's class, id, role and data attributes name it.
func (c *cleaner) cluttered(n *html.Node) clutterKind {
	switch strings.ToLower(attrOf(n, "role")) {
	case "dialog", "alertdialog", "navigation", "menu", "menubar", "complementary", "banner", "contentinfo":
		return clutter
	}
	if v := strings.ToLower(attrOf(n, "aria-modal")); v == "true" {
		return clutter
	}
	if _, ok := attrLookup(n, "data-ad-slot"); ok {
		return box
	}
	kind := none
	for name := range namesOf(n) {
		if clutterNames[strings.ToLower(name)] {
			kind = clutter
			continue
		}
		for w := range nameWords(name) {
			switch {
			case clutterWords[w]:
				kind = clutter
			case boxWords[w]:
				kind = max(kind, box)
			}
		}
	}
	return kind
}

// namesOf returns the names in n's class and id.
func namesOf(n *html.Node) iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, key := range [...]string{"class", "id"} {
			for name := range strings.FieldsSeq(attrOf(n, key)) {
				if !yield(name) {
					return
				}
			}
		}
	}
}

// nameWords splits a class or id name into its lower-case words:
// "socialShareBar" and "social-share_bar" both give social, share, bar.
func nameWords(name string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := 0 // byte offset of the word being read
		var prev rune
		for i, r := range name {
			split := !unicode.IsLetter(r) && !unicode.IsDigit(r)
			upper := i > 0 && unicode.IsUpper(r) && unicode.IsLower(prev)
			prev = r
			if !split && !upper {
				continue
			}
			if i > start && !yield(strings.ToLower(name[start:i])) {
				return
			}
			start = i
			if split {
				start = i + utf8.RuneLen(r)
			}
		}
		if start < len(name) {
			yield(strings.ToLower(name[start:]))
		}
	}
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

func attrOf(n *html.Node, key string) string {
	v, _ := attrLookup(n, key)
	return v
}

func attrLookup(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val), true
		}
	}
	return "", false
}

// hasWord reports whether the space-separated list s holds w.
func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

// linkBlocks are the elements pruneLinks weighs.
var linkBlocks = map[atom.Atom]bool{
	atom.P: true, atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Div: true, atom.Section: true,
	atom.Table: true, atom.Dl: true,
}

// pruneLinks removes from extracted content the blocks that are mostly
// links ("Read also: …", lists of related stories), and a heading that
// only introduces such a block.
func pruneLinks(content *html.Node) {
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; {
			next := ch.NextSibling
			if ch.Type == html.ElementNode && linkBlocks[ch.DataAtom] && linkDense(ch) {
				if h := prevElement(ch); h != nil && isHeading(h) {
					n.RemoveChild(h)
				}
				n.RemoveChild(ch)
			} else if ch.Type == html.ElementNode {
				visit(ch)
			}
			ch = next
		}
	}
	visit(content)
}

// linkDense reports whether most of n's text is in links.
func linkDense(n *html.Node) bool {
	text, links := 0, 0
	for d := range n.Descendants() {
		if d.Type != html.TextNode {
			continue
		}
		k := utf8.RuneCountInString(strings.TrimSpace(d.Data))
		text += k
		for p := d.Parent; p != nil && p != n; p = p.Parent {
			if p.DataAtom == atom.A {
				links += k
				break
			}
		}
	}
	return text > 0 && links*10 >= text*7
}

func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
		if p.Type == html.TextNode && strings.TrimSpace(p.Data) != "" {
			return nil
		}
	}
	return nil
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}
