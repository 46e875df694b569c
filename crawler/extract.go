package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/PuerkitoBio/goquery"
	"github.com/itlightning/dateparse"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// ErrNotArticle is returned for pages that are not news articles: home
// and section pages, about pages, listings.
var ErrNotArticle = errors.New("not an article")

// ErrConsentWall is returned for pages that show a cookie or consent wall
// instead of their article. It wraps ErrNotArticle.
var ErrConsentWall = fmt.Errorf("%w: a cookie or consent wall stands in front of the text", ErrNotArticle)

// articleTypes are the schema.org types of news articles.
var articleTypes = []string{
	"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
	"BackgroundNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle",
	"BlogPosting", "TechArticle", "Report", "LiveBlogPosting", "ScholarlyArticle",
	"SocialMediaPosting", "DiscussionForumPosting", "Recipe", "HowTo",
}

// jsonLD is the subset of a schema.org article ottwatch reads.
type jsonLD struct {
	Type          any    `json:"@type"`
	Graph         []any  `json:"@graph"`
	Headline      string `json:"headline"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	DatePublished string `json:"datePublished"`
	DateCreated   string `json:"dateCreated"`
	UploadDate    string `json:"uploadDate"`
	DateModified  string `json:"dateModified"`
	InLanguage    any    `json:"inLanguage"`
	Author        any    `json:"author"`
	Publisher     any    `json:"publisher"`
	Image         any    `json:"image"`
	ArticleBody   string `json:"articleBody"`
}

// Verdict is whether a page is a news article, and why.
type Verdict struct {
	Article bool   `json:"article"`
	Reason  string `json:"reason"`
}

// Article extracts the news article of the page, or returns an error
// wrapping ErrNotArticle when the verdict refuses it. It takes over the
// page's tree: call it once, after Links.
func (p *Page) Article() (*ottwatch.Article, error) {
	a, v, err := p.Extract()
	switch {
	case err != nil:
		return nil, err
	case v.Article:
		return a, nil
	case strings.HasPrefix(v.Reason, consentReason):
		return nil, fmt.Errorf("%s: %w", p.URL, ErrConsentWall)
	}
	return nil, fmt.Errorf("%s: %w: %s", p.URL, ErrNotArticle, v.Reason)
}

// Extract extracts what the page holds as an article, whatever the
// verdict, and the verdict on whether it is one: the body found (empty
// when none was) with its metadata, and why the page is or is not kept.
// It takes over the page's tree: call it once, after Links.
func (p *Page) Extract() (*ottwatch.Article, Verdict, error) {
	if !p.extracted {
		p.extracted = true
		p.article, p.verdict, p.err = p.extract()
	}
	return p.article, p.verdict, p.err
}

func (p *Page) extract() (*ottwatch.Article, Verdict, error) {
	doc := p.Doc
	metas := metaTags(doc.Nodes[0])
	ld, otherType, ldDate := p.articleJSONLD()
	ogType := strings.ToLower(metas["og:type"])
	sig := signals{otherType: otherType}

	a := &ottwatch.Article{URL: p.URL.String(), Fetched: time.Now().UTC()}
	a.HTMLLang = firstNonEmpty(attr(doc.Find("html"), "lang"), metas["content-language"], metas["og:locale"])
	canonical := p.canonical(metas)
	a.CanonicalURL = canonical.String()
	a.ID = ottwatch.ArticleID(a.CanonicalURL)
	a.Source = sourceOf(canonical)
	if ld == nil {
		ld = &jsonLD{}
	} else {
		sig.markup = "schema.org " + firstNonEmpty(stringsOf(ld.Type)...)
	}
	h1 := headline(doc)
	a.Title = textnorm.OneLine(firstNonEmpty(ld.Headline, metas["og:title"], metas["twitter:title"], h1))
	a.Description = textnorm.OneLine(firstNonEmpty(metas["description"], metas["og:description"], ld.Description))
	a.SiteName = textnorm.OneLine(firstNonEmpty(metas["og:site_name"], ldName(ld.Publisher)))
	if img := resolveAgainst(p.URL, firstNonEmpty(metas["og:image"], metas["og:image:url"], metas["twitter:image"])); img != nil {
		a.Image = img.String()
	}
	a.Authors = ldNames(ld.Author)
	if len(a.Authors) == 0 {
		a.Authors = splitAuthors(firstNonEmpty(metas["author"], metas["article:author"], metas["dc.creator"], metas["sailthru.author"], metas["parsely-author"]))
	}
	a.Published = p.published(ld, ldDate, metas)

	root := doc.Nodes[0]
	sig.countStructure(root)
	if sig.markup == "" {
		switch {
		case ogType == "article":
			sig.markup = "og:type article"
		case sig.articleBody:
			sig.markup = "itemprop articleBody"
		case sig.articles == 1:
			sig.markup = "one <article>"
		}
	}
	consentText := consentText(root)
	// The page's text is read before extraction takes the tree apart, and
	// made one line only if it is needed.
	h1, rawText := textnorm.OneLine(h1), ""
	if body := doc.Find("body"); body.Length() > 0 {
		rawText = textOf(body.Get(0))
	}
	pageText := sync.OnceValue(func() string { return textnorm.OneLine(rawText) })
	var marked string // the text of the node the markup names as the article's
	if n := removeClutter(root); n != nil {
		pruneLinks(n)
		marked = render.InnerText(n)
	}
	var text strings.Builder
	var content *html.Node
	if p.Selector != "" {
		var parts []string
		doc.Find(p.Selector).Each(func(_ int, s *goquery.Selection) {
			parts = append(parts, render.InnerText(s.Get(0)))
		})
		text.WriteString(strings.Join(parts, "\n\n"))
	}
	if text.Len() == 0 {
		parser := readability.NewParser()
		parser.CharThresholds = minReadable
		ra, err := parser.ParseAndMutate(root, p.URL)
		if err == nil && ra.Node != nil {
			content = ra.Node
			pruneLinks(content)
			if err := ra.RenderText(&text); err != nil {
				return nil, Verdict{}, fmt.Errorf("%s: render text: %w", p.URL, err)
			}
			a.Title = firstNonEmpty(a.Title, textnorm.OneLine(ra.Title()))
			a.SiteName = firstNonEmpty(a.SiteName, textnorm.OneLine(ra.SiteName()))
			if len(a.Authors) == 0 {
				a.Authors = splitAuthors(ra.Byline())
			}
			if a.Published.IsZero() {
				if t, err := ra.PublishedTime(); err == nil {
					a.Published = t.UTC()
				}
			}
			a.HTMLLang = firstNonEmpty(a.HTMLLang, ra.Language())
		}
		// Readability picks one block and its siblings: when the node
		// the markup names as the article, or the article's JSON-LD,
		// holds much more text, the article is all of that.
		for _, whole := range []string{marked, ldText(ld.ArticleBody)} {
			if got := utf8.RuneCountInString(text.String()); 4*utf8.RuneCountInString(whole) > 5*got {
				text.Reset()
				text.WriteString(whole)
			}
		}
	}
	a.Title = firstNonEmpty(a.Title, textnorm.OneLine(doc.Find("title").First().Text()))
	a.Body = strings.TrimPrefix(textnorm.Paragraphs(text.String()), a.Title+"\n\n")
	if a.Published.IsZero() {
		a.Published = p.writtenDate(a.Body, pageText(), h1, a.Fetched)
	}
	// One line of text found as it is in the raw text is in the one-line
	// text too: only a miss needs the latter.
	inPage := func(line string) bool { return strings.Contains(rawText, line) || strings.Contains(pageText(), line) }
	a.Body = withLead(withoutTail(a.Body), inPage, metas["description"], metas["og:description"], ld.Description)
	a.Fingerprint = fingerprint.SimHash(a.Body)
	sig.measureContent(content, a.Body)
	return a, verdict(sig, a, consentText), nil
}

// minTail is the length under which a last paragraph is taken for a
// page's furniture ("Mehr Themen:", "aja/PAP", "Tags: …") rather than the
// article's end.
const minTail = 30

// maxDateline is the length under which a paragraph with a date in it is a
// dateline ("Aktualisiert: 11.04.2020, 10:27") rather than article text.
const maxDateline = 45

// withoutTail returns body without its last short paragraphs (keeping two
// paragraphs at least), its datelines and its pointers to other stories.
func withoutTail(body string) string {
	paras := strings.Split(body, "\n\n")
	for len(paras) > 2 && utf8.RuneCountInString(paras[len(paras)-1]) < minTail {
		paras = paras[:len(paras)-1]
	}
	paras = slices.DeleteFunc(paras, func(p string) bool {
		n := utf8.RuneCountInString(p)
		return n < 250 && seeAlso.MatchString(p) || n < maxDateline && !textDate(p, false).IsZero()
	})
	return strings.Join(paras, "\n\n")
}

// seeAlso starts the paragraphs that point to other stories, in the
// languages of the news ottwatch reads.
var seeAlso = regexp.MustCompile(`(?i)^(lea también|lea más|lee también|read (more|also)|see also|related:|lesen sie (auch|mehr)|auch interessant|schon gelesen|mehr zum thema|siehe auch|weitere artikel|leggi anche|leggi pure|lire aussi|à lire aussi|voir aussi|czytaj (też|także|również)|zobacz (też|także|również)|leia (também|mais))\b`)

// withLead returns body with the article's lead paragraph first when the
// page shows it but extraction left it out: a description the page gives
// itself that stands in the page's text as well (inPage tells, given the
// description made one line).
func withLead(body string, inPage func(string) bool, descriptions ...string) string {
	for _, d := range descriptions {
		lead := textnorm.OneLine(d)
		if body == "" || utf8.RuneCountInString(lead) < 40 || !inPage(lead) {
			continue
		}
		if start := string([]rune(lead)[:40]); !strings.Contains(body, start) {
			return lead + "\n\n" + body
		}
		return body
	}
	return body
}

// prefix returns the first n runes of s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// ldText returns the text of a JSON-LD articleBody, which may be HTML.
func ldText(body string) string {
	if !strings.Contains(body, "<") {
		return body
	}
	nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return ""
	}
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		div.AppendChild(n)
	}
	return render.InnerText(div)
}

// headline returns the text of the article's <h1>: the first one in an
// <article>, or the page's only one.
func headline(doc *goquery.Document) string {
	var only *html.Node
	count := 0
	for n := range doc.Nodes[0].Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.H1 {
			continue
		}
		for a := n.Parent; a != nil; a = a.Parent {
			if a.Type == html.ElementNode && a.DataAtom == atom.Article {
				return goquery.NewDocumentFromNode(n).Text()
			}
		}
		only, count = n, count+1
	}
	if count == 1 {
		return goquery.NewDocumentFromNode(only).Text()
	}
	return ""
}

// canonicalLink returns the href of the page's first <link
// rel=canonical>.
func canonicalLink(root *html.Node) string {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Link && hasWord(attrOf(n, "rel"), "canonical") {
			if href, ok := attrLookup(n, "href"); ok {
				return href
			}
		}
	}
	return ""
}

// canonical returns the page's canonical URL: its rel=canonical or og:url
// when they are absolute web URLs on the page's own site or one of its
// source's hosts, else the page's own, canonicalised. A page may not claim
// another site's URL, which would make it that site's article: such a
// claim is kept in ForeignCanonical. A local file may name any canonical
// URL.
func (p *Page) canonical(metas map[string]string) *url.URL {
	for _, ref := range []string{canonicalLink(p.Doc.Nodes[0]), metas["og:url"]} {
		u := p.resolve(ref)
		if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		if p.URL.Scheme != "file" && !sameSite(u.Host, p.URL.Host) && !slices.ContainsFunc(p.Hosts, func(h string) bool { return strings.EqualFold(h, u.Host) || strings.EqualFold(h, u.Hostname()) }) {
			p.ForeignCanonical = u.String()
			continue
		}
		return Canonicalize(u)
	}
	return Canonicalize(p.URL)
}

// pageTypes are the schema.org types of pages that are not articles.
var pageTypes = []string{
	"CollectionPage", "AboutPage", "ContactPage", "ProfilePage", "SearchResultsPage",
	"ItemList", "FAQPage", "QAPage", "CheckoutPage", "Product",
}

// articleJSONLD returns the first schema.org article in the page's JSON-LD
// blocks, looking into arrays and @graph, and the first type they give the
// page when it is a listing or another kind of page, and the first date any
// of them gives.
func (p *Page) articleJSONLD() (article *jsonLD, otherPage, anyDate string) {
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, item := range v {
				visit(item)
			}
		case map[string]any:
			raw, _ := json.Marshal(v)
			var ld jsonLD
			if json.Unmarshal(raw, &ld) != nil {
				return
			}
			if anyDate == "" {
				anyDate = firstNonEmpty(ld.DatePublished, ld.DateCreated, ld.UploadDate, ld.DateModified)
			}
			for _, t := range stringsOf(ld.Type) {
				if article == nil && slices.Contains(articleTypes, t) {
					article = &ld
				}
				if otherPage == "" && slices.Contains(pageTypes, t) {
					otherPage = t
				}
			}
			visit(ld.Graph)
		}
	}
	p.Doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) == nil {
			visit(v)
		}
	})
	return article, otherPage, anyDate
}

// stringsOf returns v as a list of strings: a string, or the strings of an
// array.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ldName returns the name of a schema.org Person or Organization given as a
// string or an object.
func ldName(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["name"].(string)
		return s
	}
	return ""
}

// ldNames returns the names of one or several schema.org authors.
func ldNames(v any) []string {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	var names []string
	for _, item := range items {
		if n := textnorm.OneLine(ldName(item)); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

var authorSep = regexp.MustCompile(`\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\be\b|\by\b)\s*`)

// splitAuthors splits a byline into names, dropping a leading "By"/"Di"/"Par".
func splitAuthors(byline string) []string {
	byline = textnorm.OneLine(byline)
	for _, p := range []string{"By ", "by ", "Di ", "di ", "Par ", "par ", "Por ", "por ", "Von ", "von "} {
		byline = strings.TrimPrefix(byline, p)
	}
	var names []string
	for _, n := range authorSep.Split(byline, -1) {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

func attr(s *goquery.Selection, name string) string {
	v, _ := s.Attr(name)
	return strings.TrimSpace(v)
}

// parseDate parses a publication date in any common format, in UTC; a
// date without a zone is taken as UTC. It returns the zero time when s is
// empty or not a date.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	t, err := dateparse.ParseIn(s, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
