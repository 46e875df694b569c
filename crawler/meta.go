package crawler

import (
	"github.com/ottwatch/ottwatch/nlp/textnorm"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// metaTags returns the page's <meta> contents by lower-case name,
// property, itemprop or http-equiv, the first non-empty one of each, read
// in one walk over the page.
func metaTags(root *html.Node) map[string]string {
	metas := make(map[string]string)
	for n := range root.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.Meta {
			continue
		}
		content := strings.TrimSpace(attrOf(n, "content"))
		if content == "" {
			continue
		}
		for _, key := range []string{"property", "name", "itemprop", "http-equiv"} {
			if k := strings.ToLower(attrOf(n, key)); k != "" {
				if _, seen := metas[k]; !seen {
					metas[k] = content
				}
			}
		}
	}
	return metas
}

// publishedMetas are the <meta> names publication dates are given under,
// most specific first, and modifiedMetas those of the last change, the
// last resort.
var (
	publishedMetas = []string{
		"article:published_time", "og:published_time", "datepublished", "publishdate", "publish-date",
		"publication_date", "pubdate", "sailthru.date", "parsely-pub-date", "dcterms.created",
		"dc.date.issued", "dc.date", "dcterms.date", "date", "citation_publication_date", "article.published",
		"uploaddate", "datecreated", "article:published", "bt:pubdate", "originalpublicationdate",
	}
	modifiedMetas = []string{"og:updated_time", "article:modified_time", "datemodified", "last-modified"}
)

// published returns the page's publication date: from its article
// JSON-LD, its <meta>, a <time> or an element marked as the publication
// date, its JSON-LD for the whole page, or the date in its URL.
func (p *Page) published(ld *jsonLD, ldDate string, metas map[string]string) time.Time {
	metaValues := func(names []string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = metas[n]
		}
		return out
	}
	// Each source is read only when the ones before it gave no date.
	for _, candidates := range []func() []string{
		func() []string {
			return append([]string{ld.DatePublished, ld.DateCreated, ld.UploadDate}, metaValues(publishedMetas)...)
		},
		p.markedDates,
		func() []string { return append([]string{ldDate}, metaValues(modifiedMetas)...) },
	} {
		for _, c := range candidates() {
			if t := parseDate(c); !t.IsZero() {
				return t
			}
		}
	}
	if t := p.namedDate(); !t.IsZero() {
		return t
	}
	for _, ref := range []string{p.URL.String(), metas["og:url"], attr(p.Doc.Find(`link[rel~=canonical]`).First(), "href")} {
		if t := urlDate(ref); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// dateWords are the class and id words of elements that show an article's
// date.
var dateWords = setOf("date", "datum", "fecha", "data", "time", "timestamp", "published", "publish",
	"posted", "pubdate", "dateline", "byline", "meta", "postmeta", "entry", "info", "author")

// namedDate returns the first date written in an element whose class or id
// says it shows a date or a byline.
func (p *Page) namedDate() time.Time {
	monthFirst := p.monthFirst()
	for n := range p.Doc.Nodes[0].Descendants() {
		if n.Type != html.ElementNode || n.DataAtom == atom.Body || n.DataAtom == atom.Html || !namesAny(n, dateWords) {
			continue
		}
		if text := textOf(n); len(text) < 300 {
			if t := textDate(text, monthFirst); !t.IsZero() {
				return t
			}
		}
	}
	return time.Time{}
}

// monthFirst reports whether the page writes dates month first (American
// English).
func (p *Page) monthFirst() bool {
	lang := strings.ToLower(attr(p.Doc.Find("html"), "lang"))
	return lang == "en-us" || lang == "en_us"
}

// markedDates returns the dates the page's markup marks: datetime of
// <time> elements (a publication one first), itemprop=datePublished
// attributes and text.
func (p *Page) markedDates() []string {
	var first, any []string
	for n := range p.Doc.Nodes[0].Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		published := hasWord(attrOf(n, "itemprop"), "datePublished") || hasWord(attrOf(n, "itemprop"), "dateCreated")
		if _, ok := attrLookup(n, "pubdate"); ok && n.DataAtom == atom.Time {
			published = true
		}
		v := firstNonEmpty(attrOf(n, "datetime"), attrOf(n, "content"))
		if published && v == "" {
			v = textnorm.OneLine(textOf(n))
		}
		switch {
		case v == "":
		case published:
			first = append(first, v)
		case n.DataAtom == atom.Time:
			any = append(any, v)
		}
	}
	return append(first, any...)
}

// urlDatePattern finds a date in a URL path: /2024/03/15/, /2024-03-15-…,
// /20240315/.
var urlDatePattern = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[0-2]\d[0-5]\d[0-5]\d)?(?:[/_.-]|$)`)

// urlDate returns the date in a URL's path, or the zero time.
func urlDate(ref string) time.Time {
	u, err := url.Parse(ref)
	if err != nil {
		return time.Time{}
	}
	m := urlDatePattern.FindStringSubmatch(u.Path)
	if m == nil {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	if err != nil {
		return time.Time{}
	}
	return t
}

// writtenDate returns the date written at the top of the article's body (a
// dateline or a byline), else the first one after the headline h1 in the
// page's text, else the first one in that text; never one after fetched.
func (p *Page) writtenDate(body, pageText, h1 string, fetched time.Time) time.Time {
	monthFirst := p.monthFirst()
	t := textDate(prefix(body, 600), monthFirst)
	if i := strings.Index(pageText, h1); t.IsZero() && i >= 0 && h1 != "" {
		t = textDate(prefix(pageText[i:], 1500), monthFirst)
	}
	if t.IsZero() {
		t = textDate(pageText, monthFirst)
	}
	if t.After(fetched) {
		return time.Time{}
	}
	return t
}
