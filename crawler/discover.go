package crawler

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// pageKind is what a fetched document is, for discovery.
type pageKind int

const (
	kindHTML pageKind = iota
	kindFeed
	kindSitemap
	kindOther
)

// kindOf tells a feed or a sitemap from an HTML page by the Content-Type
// and, since servers often say text/xml or nothing useful, by the first
// element of the document.
func kindOf(contentType string, body []byte) pageKind {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "html"):
		return kindHTML
	case strings.Contains(ct, "json"):
		if bytes.Contains(body[:min(len(body), 512)], []byte("jsonfeed.org")) {
			return kindFeed
		}
		return kindOther
	}
	head := bytes.ToLower(body[:min(len(body), 1024)])
	switch {
	case bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex")):
		return kindSitemap
	case bytes.Contains(head, []byte("<rss")) || bytes.Contains(head, []byte("<feed")) || bytes.Contains(head, []byte("<rdf:rdf")):
		return kindFeed
	case bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html")):
		return kindHTML
	}
	if ct == "" || strings.Contains(ct, "text/plain") {
		return kindHTML
	}
	return kindOther
}

// feedLinks returns the links of the items of an RSS, Atom or JSON feed.
func feedLinks(body []byte, base *url.URL) (links []*url.URL, stable bool, err error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	for _, item := range feed.Items {
		for _, l := range append([]string{item.Link}, item.Links...) {
			if u := resolveAgainst(base, l); u != nil {
				links = append(links, u)
				break
			}
		}
	}
	return links, true, nil
}

// sitemap is an XML sitemap or sitemap index, Google News sitemaps
// included (their <news:news> entries sit in ordinary <url> elements).
type sitemap struct {
	URLs []struct {
		Loc string `xml:"loc"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

// sitemapLinks returns the page and sub-sitemap locations of a sitemap.
// A sitemap index says stable only when it is unchanged, not its sitemaps:
// it gets no validators, so its sitemaps are asked for every time.
func sitemapLinks(body []byte, base *url.URL) (links []*url.URL, stable bool, err error) {
	var sm sitemap
	if err := xml.Unmarshal(body, &sm); err != nil {
		return nil, false, err
	}
	for _, s := range sm.Sitemaps {
		if u := resolveAgainst(base, s.Loc); u != nil {
			links = append(links, u)
		}
	}
	for _, p := range sm.URLs {
		if u := resolveAgainst(base, p.Loc); u != nil {
			links = append(links, u)
		}
	}
	return links, len(sm.Sitemaps) == 0, nil
}

// resolveAgainst returns ref made absolute against base when it is a web or
// file URL, without its fragment.
func resolveAgainst(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") {
		return nil
	}
	u.Fragment, u.RawFragment = "", ""
	return u
}
