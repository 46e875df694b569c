package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// mapValidators keeps validators in memory.
type mapValidators struct {
	mu sync.Mutex
	m  map[string][2]string
}

func (v *mapValidators) Validators(u string) (string, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	p := v.m[u]
	return p[0], p[1]
}

func (v *mapValidators) SetValidators(u, etag, lastModified string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.m[u] = [2]string{etag, lastModified}
}

// newsSite serves a site known only through its robots.txt sitemaps and
// its RSS feed: nothing links to its articles from HTML.
func newsSite(t *testing.T) (*httptest.Server, *hits) {
	h := &hits{}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.record(r.URL.Path)
		base := srv.URL
		conditional := func(etag string) bool {
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return true
			}
			return false
		}
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nDisallow:\nSitemap: %s/sitemap_index.xml\n", base)
		case "/sitemap_index.xml":
			if conditional(`"idx1"`) {
				return
			}
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s/news-sitemap.xml</loc></sitemap></sitemapindex>`, base)
		case "/news-sitemap.xml":
			if conditional(`"news1"`) {
				return
			}
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>%[1]s/news/1</loc><news:news><news:publication><news:name>Test</news:name><news:language>it</news:language></news:publication><news:title>Uno</news:title></news:news></url>
<url><loc>%[1]s/news/2?utm_source=sitemap</loc></url><url><loc>%[1]s/other/3</loc></url></urlset>`, base)
		case "/feed.xml":
			if conditional(`"feed1"`) {
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title><link>%[1]s/</link>
<item><title>Due</title><link>%[1]s/news/2</link></item><item><title>Quattro</title><link>%[1]s/news/4</link></item></channel></rss>`, base)
		default:
			if strings.HasPrefix(r.URL.Path, "/news/") || strings.HasPrefix(r.URL.Path, "/other/") {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				page := articlePage("Notizia "+r.URL.Path, "https://site.example"+r.URL.Path)
				page = strings.Replace(page, "<article>", `<article><div class="story-text"><p>Testo scelto dal selettore per `+r.URL.Path+`, abbastanza lungo da essere un articolo vero e proprio, con due frasi di contenuto. Iliad e TIM ne discutono da mesi davanti all’Agcom, che deciderà entro l’anno.</p><p>Gli operatori chiedono tempi certi e regole chiare per la rete unica, mentre le associazioni dei consumatori vogliono garanzie sulle tariffe.</p></div>`, 1)
				fmt.Fprint(w, page)
				return
			}
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, h
}

func TestDiscoveryFeedsAndSitemaps(t *testing.T) {
	srv, h := newsSite(t)
	// The site's pages name their canonical URLs on site.example, one of
	// the source's hosts.
	src := &Source{Name: "test", Start: []string{srv.URL + "/feed.xml"}, Hosts: []string{"site.example"}, Sitemaps: true, ArticlePattern: `/news/`, Lang: "it", Country: "IT"}
	if err := src.check(); err != nil {
		t.Fatal(err)
	}
	validators := &mapValidators{m: make(map[string][2]string)}
	crawl := func() (Stats, []*ottwatch.Article) {
		var got []*ottwatch.Article
		stats, err := New(WithDelay(0), WithValidators(validators)).Crawl(context.Background(), src, serially(func(r Result) {
			if r.Err == nil {
				got = append(got, r.Article)
			}
		}))
		if err != nil {
			t.Fatal(err)
		}
		return stats, got
	}
	stats, got := crawl()
	var paths []string
	for _, a := range got {
		paths = append(paths, strings.TrimPrefix(a.CanonicalURL, "https://site.example"))
		if a.Country != "IT" {
			t.Errorf("%s: country %q", a.URL, a.Country)
		}
	}
	slices.Sort(paths)
	if want := []string{"/news/1", "/news/2", "/news/4"}; !slices.Equal(paths, want) {
		t.Errorf("articles %v, want %v (the /other/ page is not an article of the source)", paths, want)
	}
	if stats.Feeds != 1 || stats.Sitemaps != 2 {
		t.Errorf("stats %+v", stats)
	}
	if n := len(h.of("/news/2")); n != 1 {
		t.Errorf("/news/2, in the feed and the sitemap, fetched %d times", n)
	}

	stats, _ = crawl()
	if stats.NotModified != 2 || stats.Feeds != 0 || stats.Sitemaps != 1 {
		t.Errorf("second crawl: %+v, want the feed and the news sitemap not modified, the index read again", stats)
	}
}

func TestSelectorAndSkip(t *testing.T) {
	srv, h := newsSite(t)
	src := &Source{Name: "test", Start: []string{srv.URL + "/feed.xml"}, Selector: ".story-text"}
	var bodies []string
	c := New(WithDelay(0), WithSkip(func(u *url.URL) bool { return strings.HasSuffix(u.Path, "/4") }))
	_, err := c.Crawl(context.Background(), src, serially(func(r Result) {
		if r.Err == nil {
			bodies = append(bodies, r.Article.Body)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.of("/news/4")) != 0 {
		t.Error("skipped link fetched")
	}
	if len(bodies) != 1 || !strings.HasPrefix(bodies[0], "Testo scelto dal selettore") || strings.Contains(bodies[0], "istruttoria") {
		t.Errorf("bodies %q", bodies)
	}
}

func TestLoadSources(t *testing.T) {
	def := DefaultSources()
	if len(def) < 15 {
		t.Errorf("%d default sources", len(def))
	}
	for _, name := range []string{"agcom", "arcep", "cnmc", "bundesnetzagentur", "mimit", "ec-digital-strategy", "berec"} {
		if _, ok := def.Find(name); !ok {
			t.Errorf("no default source %q", name)
		}
	}
	tests := []struct{ yaml, want string }{
		{"sources: [{name: Bad Name, start: [https://a.example/]}]", "slug"},
		{"sources: [{name: a, start: []}]", "no start"},
		{"sources: [{name: a, start: [ftp://a.example/]}]", "http(s)"},
		{"sources: [{name: a, start: [https://a.example/], article_pattern: '('}]", "article_pattern"},
		{"sources: [{name: a, start: [https://a.example/], delay: soon}]", "duration"},
		{"sources: [{name: a, start: [https://a.example/]}, {name: a, start: [https://b.example/]}]", "twice"},
		{"sources: [{name: a, start: [https://a.example/], color: red}]", "not found"},
	}
	for _, tt := range tests {
		if _, err := LoadSources(strings.NewReader(tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadSources(%q): err = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
