package crawler

import (
	"net/url"
	"testing"
)

// discoverSeeds are the seed corpus of the discovery fuzz targets: feeds of
// each kind, sitemaps and sitemap indexes, and malformed variants of them.
var discoverSeeds = []string{
	`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>/a</link></item><item><link>https://example.com/b#x</link></item></channel></rss>`,
	`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>a</title><link href="a.html"/><link rel="alternate" href="https://example.com/b"/></entry></feed>`,
	`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><link>/r</link></item></rdf:RDF>`,
	`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","url":"/j"},{"id":"2","external_url":"mailto:x@example.com"}]}`,
	`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/p1</loc></url><url><loc> /p2 </loc></url><url><loc>javascript:alert(1)</loc></url></urlset>`,
	`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/sitemap-1.xml.gz</loc></sitemap></sitemapindex>`,
	`<urlset><url><loc>%zz</loc></url><url><loc>http://[::1]:namedport</loc></url></urlset>`,
	`<rss><channel><item><link>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><link>/caf\xe9</link></item></channel></rss>`,
	`<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>`,
	``,
	`{}`,
}

// fuzzDiscover checks that parse never panics on any body and that whatever
// it returns is an absolute web or file URL without a fragment.
func fuzzDiscover(f *testing.F, parse func([]byte, *url.URL) ([]*url.URL, bool, error)) {
	for _, s := range discoverSeeds {
		f.Add([]byte(s))
	}
	base, err := url.Parse("https://example.com/news/feed.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		links, _, err := parse(body, base)
		if err != nil && len(links) > 0 {
			t.Errorf("an error (%v) with %d links", err, len(links))
		}
		for _, u := range links {
			if u == nil {
				t.Fatal("a nil link")
			}
			switch {
			case u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file":
				t.Errorf("link %q: scheme %q", u, u.Scheme)
			case u.Fragment != "" || u.RawFragment != "":
				t.Errorf("link %q keeps its fragment", u)
			}
		}
	})
}

func FuzzFeedLinks(f *testing.F) { fuzzDiscover(f, feedLinks) }

func FuzzSitemapLinks(f *testing.F) { fuzzDiscover(f, sitemapLinks) }
