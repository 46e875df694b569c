package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"github.com/PuerkitoBio/goquery"
	"github.com/itlightning/dateparse"

	"github.com/ottwatch/ottwatch"
)

// ErrNotArticle is returned for pages that are not news articles: home
// and section pages, about pages, listings.
var ErrNotArticle = errors.New("not an article")

// ErrConsentWall is returned for pages that show a cookie or consent wall
// instead of their article. It wraps ErrNotArticle.
var ErrConsentWall = fmt.Errorf("%w: a cookie or consent wall stands in front of the text", ErrNotArticle)

// consent selects cookie and consent banners and walls.
const consent = `[id*=cookie], [class*=cookie], [id*=consent], [class*=consent], [class*=gdpr], [id*=gdpr], [id*=didomi], [id*=onetrust], [class*=cmp-]`

// consentWords are what consent walls say, in the languages ottwatch reads.
var consentWords = regexp.MustCompile(`(?i)\b(cookies?|consent|consentement|consenso|consentimiento|einwilligung|privacy|accept all|accetta|accepter|aceptar|akzeptieren|zustimmen|tracking|partners|partenaires|partner)\b`)

// minArticleText is how much body text a page needs to count as an article
// when nothing in its markup says it is one, and minMarkedText when its
// markup does.
const (
	minArticleText = 1500
	minMarkedText  = 250
)

// articleTypes are the schema.org types of news articles.
var articleTypes = []string{
	"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
	"BackgroundNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle",
	"BlogPosting", "TechArticle", "Report", "LiveBlogPosting",
}

// clutter selects what is never article text, whatever the extraction
// heuristics think: consent walls, ads, share bars, comments, newsletter
// boxes, related-article lists, and the article's own header (kicker,
// headline, byline), whose facts are read from the metadata first.
const clutter = `script, style, noscript, template, iframe, form, dialog, [role=dialog], [aria-modal=true],
article header, [class*=byline], [rel=author], [class*=kicker], [class*=breadcrumb],
[id*=cookie], [class*=cookie], [id*=consent], [class*=consent], [class*=gdpr],
.ad, .ads, .adv, .advert, .advertisement, .ad-slot, [data-ad], [data-ad-slot], ins.adsbygoogle,
[class*=share], [class*=social], [class*=newsletter], [id*=newsletter],
#comments, .comments, [class*=comment-], [id*=disqus], [class*=related], [class*=read-also], [class*=leggi-anche]`

// jsonLD is the subset of a schema.org article ottwatch reads.
type jsonLD struct {
	Type          any    `json:"@type"`
	Graph         []any  `json:"@graph"`
	Headline      string `json:"headline"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	DatePublished string `json:"datePublished"`
	DateCreated   string `json:"dateCreated"`
	InLanguage    any    `json:"inLanguage"`
	Author        any    `json:"author"`
	Publisher     any    `json:"publisher"`
}

// Extract extracts the article of a page fetched from pageURL with the
// given Content-Type: ParsePage then Article, for pages kept from earlier.
func Extract(body []byte, pageURL, contentType string) (*ottwatch.Article, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	p, err := ParsePage(body, u, contentType)
	if err != nil {
		return nil, err
	}
	return p.Article()
}

// Article extracts the news article of the page, or returns an error
// wrapping ErrNotArticle. It takes over the page's tree: call it once,
// after Links.
func (p *Page) Article() (*ottwatch.Article, error) {
	if !p.extracted {
		p.extracted = true
		p.article, p.err = p.extract()
	}
	return p.article, p.err
}

func (p *Page) extract() (*ottwatch.Article, error) {
	doc := p.Doc
	ld, otherTypes := p.articleJSONLD()
	ogType := strings.ToLower(meta(doc, "og:type"))
	articles := doc.Find("article").Length()
	marked := ld != nil || ogType == "article" || articles == 1
	// A page that says it is something else, or lists several articles,
	// is not one however much text it has.
	listing := !marked && (ogType != "" || otherTypes || articles > 1)

	a := &ottwatch.Article{URL: p.URL.String(), Fetched: time.Now().UTC()}
	a.HTMLLang = firstNonEmpty(attr(doc.Find("html"), "lang"), meta(doc, "content-language"), meta(doc, "og:locale"))
	canonical := p.canonical()
	a.CanonicalURL = canonical.String()
	a.ID = ottwatch.ArticleID(a.CanonicalURL)
	a.Source = sourceOf(canonical)
	if ld == nil {
		ld = &jsonLD{}
	}
	a.Title = clean(firstNonEmpty(ld.Headline, meta(doc, "og:title"), meta(doc, "twitter:title"), headline(doc)))
	a.Description = clean(firstNonEmpty(meta(doc, "description"), meta(doc, "og:description"), ld.Description))
	a.SiteName = clean(firstNonEmpty(meta(doc, "og:site_name"), ldName(ld.Publisher)))
	a.Authors = ldNames(ld.Author)
	if len(a.Authors) == 0 {
		a.Authors = splitAuthors(firstNonEmpty(meta(doc, "author"), meta(doc, "article:author"), meta(doc, "dc.creator")))
	}
	a.Published = parseDate(firstNonEmpty(ld.DatePublished, ld.DateCreated,
		meta(doc, "article:published_time"), meta(doc, "datepublished"), meta(doc, "date"),
		meta(doc, "pubdate"), meta(doc, "dc.date"), meta(doc, "dc.date.issued"),
		timeDatetime(doc)))

	consentText := clean(doc.Find(consent).Text())
	doc.Find(clutter).Remove()
	var selected []string
	if p.Selector != "" {
		doc.Find(p.Selector).Each(func(_ int, s *goquery.Selection) {
			selected = append(selected, render.InnerText(s.Get(0)))
		})
	}
	parser := readability.NewParser()
	parser.CharThresholds = minMarkedText
	ra, err := parser.ParseAndMutate(doc.Nodes[0], p.URL)
	var text strings.Builder
	switch {
	case len(selected) > 0:
		text.WriteString(strings.Join(selected, "\n\n"))
	case err != nil || ra.Node == nil:
		if consentText != "" {
			return nil, fmt.Errorf("%s: %w", p.URL, ErrConsentWall)
		}
		return nil, fmt.Errorf("%s: %w: no readable text", p.URL, ErrNotArticle)
	default:
		if err := ra.RenderText(&text); err != nil {
			return nil, fmt.Errorf("%s: render text: %w", p.URL, err)
		}
	}
	a.Body = strings.TrimPrefix(paragraphs(text.String()), a.Title+"\n\n")
	if isConsentWall(a.Body, consentText) {
		return nil, fmt.Errorf("%s: %w", p.URL, ErrConsentWall)
	}
	a.Fingerprint = Fingerprint(a.Body)
	a.Title = firstNonEmpty(a.Title, clean(ra.Title()), clean(doc.Find("title").First().Text()))
	a.SiteName = firstNonEmpty(a.SiteName, clean(ra.SiteName()))
	if len(a.Authors) == 0 {
		a.Authors = splitAuthors(ra.Byline())
	}
	if a.Published.IsZero() {
		if t, err := ra.PublishedTime(); err == nil {
			a.Published = t.UTC()
		}
	}
	a.HTMLLang = firstNonEmpty(a.HTMLLang, ra.Language())

	n := len([]rune(a.Body))
	switch {
	case marked && n >= minMarkedText, !listing && n >= minArticleText:
	case listing:
		return nil, fmt.Errorf("%s: %w: the page's markup says it is a listing or another kind of page", p.URL, ErrNotArticle)
	default:
		return nil, fmt.Errorf("%s: %w: %d characters of text, article markup %t", p.URL, ErrNotArticle, n, marked)
	}
	if a.Title == "" {
		return nil, fmt.Errorf("%s: %w: no title", p.URL, ErrNotArticle)
	}
	return a, nil
}

// isConsentWall reports whether a page whose extracted text is body, and
// whose consent banners say consentText, is a consent wall rather than an
// article: little text, and that text about cookies and consent.
func isConsentWall(body, consentText string) bool {
	n := len([]rune(body))
	if n >= minArticleText {
		return false
	}
	said := len(consentWords.FindAllString(body, -1))
	return (consentText != "" && n < minMarkedText) || said >= 3 || (consentText != "" && said >= 1 && n < 600)
}

// headline returns the text of the article's <h1>: the one in <article>,
// or the page's only one.
func headline(doc *goquery.Document) string {
	if h := doc.Find("article h1"); h.Length() > 0 {
		return h.First().Text()
	}
	if h := doc.Find("h1"); h.Length() == 1 {
		return h.Text()
	}
	return ""
}

// canonical returns the page's canonical URL: its rel=canonical or og:url
// when they are absolute web URLs, else the page's own, canonicalised.
func (p *Page) canonical() *url.URL {
	for _, ref := range []string{attr(p.Doc.Find(`link[rel~=canonical]`).First(), "href"), meta(p.Doc, "og:url")} {
		if u := p.resolve(ref); u != nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return Canonicalize(u)
		}
	}
	return Canonicalize(p.URL)
}

// pageTypes are the schema.org types of pages that are not articles.
var pageTypes = []string{
	"CollectionPage", "AboutPage", "ContactPage", "ProfilePage", "SearchResultsPage",
	"ItemList", "FAQPage", "QAPage", "CheckoutPage", "Product",
}

// articleJSONLD returns the first schema.org article in the page's JSON-LD
// blocks, looking into arrays and @graph, and whether they describe the page
// as a listing or another kind of page.
func (p *Page) articleJSONLD() (article *jsonLD, otherPage bool) {
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
			for _, t := range stringsOf(ld.Type) {
				if article == nil && slices.Contains(articleTypes, t) {
					article = &ld
				}
				otherPage = otherPage || slices.Contains(pageTypes, t)
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
	return article, otherPage
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
		if n := clean(ldName(item)); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

var authorSep = regexp.MustCompile(`\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\be\b|\by\b)\s*`)

// splitAuthors splits a byline into names, dropping a leading "By"/"Di"/"Par".
func splitAuthors(byline string) []string {
	byline = clean(byline)
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

// meta returns the content of the first <meta> whose name, property or
// itemprop is key (case-insensitive).
func meta(doc *goquery.Document, key string) string {
	var content string
	doc.Find("meta[content]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, a := range []string{"property", "name", "itemprop", "http-equiv"} {
			if v, ok := s.Attr(a); ok && strings.EqualFold(strings.TrimSpace(v), key) {
				content = strings.TrimSpace(attr(s, "content"))
				return content == ""
			}
		}
		return true
	})
	return content
}

func attr(s *goquery.Selection, name string) string {
	v, _ := s.Attr(name)
	return strings.TrimSpace(v)
}

// timeDatetime returns the datetime of the article's first <time>,
// preferring one marked as the publication date.
func timeDatetime(doc *goquery.Document) string {
	for _, sel := range []string{"time[pubdate][datetime]", "time[itemprop=datePublished][datetime]", "article time[datetime]", "time[datetime]"} {
		if v := attr(doc.Find(sel).First(), "datetime"); v != "" {
			return v
		}
	}
	return ""
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

// clean collapses white space to single spaces.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// paragraphs normalises extracted text: one paragraph per block, white
// space collapsed inside paragraphs, one blank line between them.
func paragraphs(text string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = clean(line); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n\n")
}
