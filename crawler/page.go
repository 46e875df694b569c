package crawler

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/ottwatch/ottwatch"
)

// Page is one fetched HTML page, decoded and parsed once; extraction and
// link discovery share its tree.
type Page struct {
	URL *url.URL
	Doc *goquery.Document
	// Selector, when set, picks the article text instead of the
	// extractor's heuristics.
	Selector string
	// Hosts are the hosts of the page's source, where its canonical URL
	// may point besides the page's own site.
	Hosts []string
	// ForeignCanonical is the canonical URL the page claimed on another
	// site, which extraction ignored.
	ForeignCanonical string
	base             *url.URL
	links            []*url.URL

	extracted bool
	article   *ottwatch.Article
	verdict   Verdict
	err       error
}

// ParsePage decodes body to UTF-8 (see decode) and parses it.
func ParsePage(body []byte, pageURL *url.URL, contentType string) (*Page, error) {
	r, err := decode(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", pageURL, err)
	}
	root, err := html.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", pageURL, err)
	}
	p := &Page{URL: pageURL, Doc: goquery.NewDocumentFromNode(root), base: pageURL}
	var anchors []*html.Node
	baseFound := false
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.A:
			anchors = append(anchors, n)
		case atom.Base:
			if href, ok := attrLookup(n, "href"); ok && !baseFound {
				baseFound = true
				if b, err := pageURL.Parse(href); err == nil {
					p.base = b
				}
			}
		}
	}
	p.links = p.findLinks(anchors)
	return p, nil
}

// resolve returns ref made absolute against the page, or nil.
func (p *Page) resolve(ref string) *url.URL {
	if strings.HasPrefix(strings.TrimSpace(ref), "#") {
		return nil
	}
	return resolveAgainst(p.base, ref)
}

// skippedExt are link targets that are never HTML pages.
var skippedExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true,
	".pdf": true, ".zip": true, ".gz": true, ".mp3": true, ".mp4": true, ".webm": true,
	".css": true, ".js": true, ".json": true, ".xml": true, ".ico": true, ".woff": true, ".woff2": true,
}

// Links returns the distinct absolute URLs the page links to, in document
// order, leaving out fragments, non-web schemes, rel=nofollow and files
// that are not pages.
func (p *Page) Links() []*url.URL { return p.links }

// findLinks returns the links of the page's <a> elements (see Links).
func (p *Page) findLinks(anchors []*html.Node) []*url.URL {
	seen := make(map[string]bool)
	var links []*url.URL
	for _, a := range anchors {
		href, ok := attrLookup(a, "href")
		if !ok || strings.Contains(strings.ToLower(attrOf(a, "rel")), "nofollow") {
			continue
		}
		u := p.resolve(href)
		if u == nil || skippedExt[strings.ToLower(path.Ext(u.Path))] {
			continue
		}
		if key := u.String(); !seen[key] {
			seen[key] = true
			links = append(links, u)
		}
	}
	return links
}
