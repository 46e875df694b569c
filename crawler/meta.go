package crawler

import (
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

// dateMetas are the <meta> names publication dates are given under, most
// specific first.
var dateMetas = []string{
	"article:published_time", "og:published_time", "datepublished", "publishdate", "publish-date",
	"publication_date", "pubdate", "sailthru.date", "parsely-pub-date", "dcterms.created",
	"dc.date.issued", "dc.date", "dcterms.date", "date", "citation_publication_date", "article.published",
	"og:updated_time", "article:modified_time", "datemodified", "last-modified",
}

// published returns the page's publication date: from its article
// JSON-LD, its <meta>, a <time> or an element marked as the publication
// date, its JSON-LD for the whole page, or the date in its URL.
func (p *Page) published(ld *jsonLD, metas map[string]string) time.Time {
	candidates := []string{ld.DatePublished, ld.DateCreated, ld.UploadDate}
	for _, k := range dateMetas[:len(dateMetas)-4] {
		candidates = append(candidates, metas[k])
	}
	candidates = append(candidates, p.markedDates()...)
	for _, k := range dateMetas[len(dateMetas)-4:] {
		candidates = append(candidates, metas[k])
	}
	for _, c := range candidates {
		if t := parseDate(c); !t.IsZero() {
			return t
		}
	}
	return urlDate(p.URL.Path)
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
			v = clean(textOf(n))
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
var urlDatePattern = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)

// urlDate returns the date in a URL path, or the zero time.
func urlDate(path string) time.Time {
	m := urlDatePattern.FindStringSubmatch(path)
	if m == nil {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	if err != nil {
		return time.Time{}
	}
	return t
}
