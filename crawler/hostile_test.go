package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// articlePage is a small but complete news article.
func articlePage(title, canonical string) string {
	return `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>` + title + `</title>
<link rel="canonical" href="` + canonical + `"><meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-20T10:00:00+01:00"></head><body><article><h1>` + title + `</h1>
<p>L’Agcom ha avviato un’istruttoria sulle offerte di Iliad e di TIM per la rete mobile, dopo numerose segnalazioni dei consumatori in tutta Italia.</p>
<p>Secondo l’Autorità, gli operatori avrebbero modificato le condizioni contrattuali senza un preavviso adeguato ai clienti, in violazione delle regole di settore.</p>
<p>Le società hanno trenta giorni per presentare le proprie osservazioni; in caso contrario, l’Autorità potrà irrogare sanzioni fino al due per cento del fatturato.</p>
</article></body></html>`
}

// hits records when each path of a test server was asked for.
type hits struct {
	mu    sync.Mutex
	times map[string][]time.Time
}

func (h *hits) record(path string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.times == nil {
		h.times = make(map[string][]time.Time)
	}
	h.times[path] = append(h.times[path], time.Now())
}

func (h *hits) of(path string) []time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Time(nil), h.times[path]...)
}

// TestHostileServers crawls servers that misbehave in the ways real sites
// do. Every crawl must end (within the test's timeout), fetch nothing robots.txt
// forbids, respect the delays asked for, decode text correctly and keep one
// article per canonical URL.
func TestHostileServers(t *testing.T) {
	const canonical = "https://news.example/story"
	tests := []struct {
		name    string
		robots  string
		handler func(h *hits) http.HandlerFunc
		opts    []Option
		check   func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error)
	}{
		{
			name: "stalls after headers",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusOK)
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
					case <-time.After(30 * time.Second):
					}
				}
			},
			opts: []Option{WithTimeout(500 * time.Millisecond)},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if stats.Errors != 1 || len(articles) != 0 {
					t.Errorf("stats %+v", stats)
				}
			},
		},
		{
			name: "sends 50 MB",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, articlePage("Grande", canonical))
					chunk := []byte("<p>" + strings.Repeat("x", 1<<16) + "</p>")
					for sent := 0; sent < 50<<20; sent += len(chunk) {
						if _, err := w.Write(chunk); err != nil {
							return
						}
					}
				}
			},
			opts: []Option{WithMaxBodySize(1 << 20)},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if stats.Fetched != 1 {
					t.Errorf("stats %+v", stats)
				}
				for _, a := range articles {
					if len(a.Body) > 1<<20 {
						t.Errorf("body of %d bytes kept past the limit", len(a.Body))
					}
				}
			},
		},
		{
			name: "redirect loop",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					next := "/a"
					if r.URL.Path == "/a" {
						next = "/b"
					}
					http.Redirect(w, r, next, http.StatusFound)
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				// The loop ends at the first page seen twice, or after 10
				// redirects at the latest.
				if len(articles) != 0 || stats.Errors+stats.Skipped != 1 || len(h.of("/a")) > 10 {
					t.Errorf("stats %+v, %d requests for /a", stats, len(h.of("/a")))
				}
			},
		},
		{
			name: "broken gzip",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.Header().Set("Content-Encoding", "gzip")
					w.Write([]byte("\x1f\x8b\x08\x00 this is not gzip at all"))
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if stats.Errors != 1 || len(articles) != 0 {
					t.Errorf("stats %+v", stats)
				}
			},
		},
		{
			name: "429 with Retry-After: 2",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if len(h.of(r.URL.Path)) == 1 {
						w.Header().Set("Retry-After", "2")
						http.Error(w, "slow down", http.StatusTooManyRequests)
						return
					}
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, articlePage("Dopo l'attesa", canonical))
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				times := h.of("/")
				if len(times) != 2 || times[1].Sub(times[0]) < 2*time.Second {
					t.Errorf("asked %d times, %v apart; want twice, 2 s apart", len(times), times[len(times)-1].Sub(times[0]))
				}
				if len(articles) != 1 || stats.Throttled != 1 || stats.Retries != 1 {
					t.Errorf("stats %+v", stats)
				}
			},
		},
		{
			name: "500s that recover",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					if len(h.of(r.URL.Path)) <= 2 {
						http.Error(w, "oops", http.StatusInternalServerError)
						return
					}
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, articlePage("Ripreso", canonical))
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if len(articles) != 1 || stats.Retries != 2 || stats.Errors != 0 {
					t.Errorf("stats %+v", stats)
				}
			},
		},
		{
			name:   "robots.txt disallow and Crawl-delay",
			robots: "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					switch r.URL.Path {
					case "/":
						fmt.Fprint(w, `<html><head><meta property="og:type" content="website"></head><body><a href="/a">a</a><a href="/b">b</a><a href="/private/x">x</a></body></html>`)
					default:
						fmt.Fprint(w, articlePage("Pagina "+r.URL.Path, "https://news.example"+r.URL.Path))
					}
				}
			},
			opts: []Option{WithParallelism(4)},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if len(h.of("/private/x")) != 0 || stats.Blocked != 1 {
					t.Errorf("disallowed page fetched, or not counted: %+v", stats)
				}
				var all []time.Time
				for _, p := range []string{"/", "/a", "/b"} {
					all = append(all, h.of(p)...)
				}
				for i := range all {
					for j := range all {
						if d := all[j].Sub(all[i]); i != j && d >= 0 && d < 950*time.Millisecond {
							t.Errorf("two requests %v apart, Crawl-delay is 1 s", d)
						}
					}
				}
				if len(articles) != 2 {
					t.Errorf("%d articles", len(articles))
				}
			},
		},
		{
			name: "windows-1252 without a charset in the header",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					page := strings.Replace(articlePage("Tarifs de l’Arcep : 10 € de plus", canonical), `<meta charset="utf-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`, 1)
					w.Write(cp1252(t, page))
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if len(articles) != 1 || articles[0].Title != "Tarifs de l’Arcep : 10 € de plus" || !strings.Contains(articles[0].Body, "un’istruttoria") {
					t.Errorf("decoded %+v", articles)
				}
			},
		},
		{
			name: "consent wall",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, `<!DOCTYPE html><html lang="fr"><head><meta property="og:type" content="article"><title>Avant de continuer</title></head><body>
<div id="didomi-host" class="consent-wall"><h2>Nous respectons votre vie privée</h2><p>Nous et nos partenaires utilisons des cookies pour stocker et accéder à des informations sur votre appareil. Cliquez sur « Accepter » pour donner votre consentement.</p><button>Accepter</button><button>Refuser</button></div>
<article><p>Pour lire la suite, acceptez les cookies.</p></article></body></html>`)
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if len(articles) != 0 || stats.ConsentWalls != 1 {
					t.Errorf("consent wall kept or not reported: stats %+v", stats)
				}
			},
		},
		{
			name: "10,000 URLs that differ only by tracking parameters",
			handler: func(h *hits) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					if r.URL.Path == "/" {
						var b strings.Builder
						b.WriteString(`<html><head><meta property="og:type" content="website"></head><body>`)
						for i := range 10000 {
							fmt.Fprintf(&b, `<a href="/story?id=7&utm_source=s%d&utm_medium=m&fbclid=f%d&gclid=g">story</a>`, i, i)
						}
						b.WriteString(`</body></html>`)
						fmt.Fprint(w, b.String())
						return
					}
					fmt.Fprint(w, articlePage("Una sola storia", canonical))
				}
			},
			check: func(t *testing.T, h *hits, stats Stats, articles []*ottwatch.Article, errs []error) {
				if n := len(h.of("/story")); n != 1 {
					t.Errorf("the story was fetched %d times", n)
				}
				if len(articles) != 1 || !strings.HasSuffix(articles[0].CanonicalURL, "/story?id=7") {
					t.Errorf("%d articles (%v); want one, at its own URL: its canonical URL is on another site", len(articles), articles)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &hits{}
			handler := tt.handler(h)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					if tt.robots == "" {
						http.NotFound(w, r)
						return
					}
					fmt.Fprint(w, tt.robots)
					return
				}
				h.record(r.URL.Path)
				handler(w, r)
			}))
			defer srv.Close()
			opts := append([]Option{WithDelay(0), WithRetries(3, 50*time.Millisecond, 5*time.Second), WithTimeout(5 * time.Second)}, tt.opts...)
			var articles []*ottwatch.Article
			var errs []error
			seen := make(map[string]bool)
			stats, err := New(opts...).Pages(context.Background(), []string{srv.URL + "/"}, serially(func(r Result) {
				switch {
				case r.Err == nil:
					if seen[r.Article.CanonicalURL] {
						t.Errorf("two articles for %s", r.Article.CanonicalURL)
					}
					seen[r.Article.CanonicalURL] = true
					articles = append(articles, r.Article)
				case !errors.Is(r.Err, ErrNotArticle):
					errs = append(errs, r.Err)
				}
			}))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, h, stats, articles, errs)
		})
	}
}

// TestHostileMemory checks that a 50 MB answer is read no further than the
// body limit and that nothing of it stays in memory after the crawl.
func TestHostileMemory(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>telecomunicazioni</p>", 4096))
		for written.Load() < 50<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := New(WithDelay(0), WithMaxBodySize(2<<20)).Pages(context.Background(), []string{srv.URL + "/"}, func(Result) {})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close() // waits for the handler, which stops when the client hangs up
	if n := written.Load(); n > 16<<20 {
		t.Errorf("the server could send %d MB: the crawler read past its 2 MB limit", n>>20)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 16<<20 {
		t.Errorf("heap kept %d MB after the crawl", grown>>20)
	}
}

// gzipBomb returns a gzip stream, of a few hundred kilobytes, that inflates
// to size bytes: copies of one compressed block of zeros, one after the
// other (a gzip reader reads concatenated streams as one).
func gzipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	const block = 16 << 20
	var one bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, block)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return bytes.Repeat(one.Bytes(), int(size/block))
}

// TestGzipBombs serves a body that inflates to 1 GB in each of the ways a
// crawl may meet gzip: as the Content-Encoding of a page, and as a file
// with no Content-Encoding — a gzipped sitemap at a .xml.gz URL, a feed
// served as application/x-gzip. No crawl may inflate more than --max-body.
func TestGzipBombs(t *testing.T) {
	bomb := gzipBomb(t, 1<<30)
	tests := []struct {
		name, path string
		header     map[string]string
	}{
		{"page with Content-Encoding gzip", "/", map[string]string{"Content-Type": "text/html", "Content-Encoding": "gzip"}},
		{"sitemap at a .xml.gz URL", "/sitemap.xml.gz", map[string]string{"Content-Type": "application/octet-stream"}},
		{"feed served as application/x-gzip", "/feed", map[string]string{"Content-Type": "application/x-gzip"}},
		{"page served as application/gzip", "/page", map[string]string{"Content-Type": "application/gzip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != tt.path {
					http.NotFound(w, r)
					return
				}
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.Write(bomb)
			}))
			defer srv.Close()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			stats, err := New(WithDelay(0), WithMaxBodySize(1<<20)).Pages(context.Background(), []string{srv.URL + tt.path}, func(Result) {})
			if err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
				t.Errorf("the crawl allocated %d MB for a 1 MB limit: it inflated past --max-body", grown>>20)
			}
			if stats.Fetched != 1 || stats.Articles != 0 {
				t.Errorf("stats %+v, want one page fetched and no article", stats)
			}
		})
	}
}

// TestForeignCanonical crawls a page on one host that declares its
// canonical URL on another: the claim is ignored (the article keeps the
// URL it was fetched from, so its id is not the other site's article's),
// unless the other host is one of the source's hosts.
func TestForeignCanonical(t *testing.T) {
	victim := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, articlePage("Notizia vera", "http://"+r.Host+"/story"))
	}))
	defer victim.Close()
	spoofer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, articlePage("SPOOFED", victim.URL+"/story"))
	}))
	defer spoofer.Close()
	crawl := func(src *Source) *ottwatch.Article {
		t.Helper()
		var got *ottwatch.Article
		if _, err := New(WithDelay(0)).Crawl(context.Background(), src, serially(func(r Result) {
			if r.Article != nil {
				got = r.Article
			}
		})); err != nil {
			t.Fatal(err)
		}
		if got == nil {
			t.Fatalf("no article from %v", src.Start)
		}
		return got
	}
	real := crawl(&Source{Name: "victim", Start: []string{victim.URL + "/story"}})
	spoof := crawl(&Source{Name: "spoofer", Start: []string{spoofer.URL + "/story"}})
	if spoof.ID == real.ID || spoof.CanonicalURL != spoofer.URL+"/story" {
		t.Errorf("the spoofing page took the other site's article: id %s (victim's %s), canonical %s", spoof.ID, real.ID, spoof.CanonicalURL)
	}
	victimHost := strings.TrimPrefix(victim.URL, "http://")
	trusted := crawl(&Source{Name: "mirror", Start: []string{spoofer.URL + "/story"}, Hosts: []string{victimHost}})
	if trusted.ID != real.ID {
		t.Errorf("a canonical URL on one of the source's own hosts was not honoured: %s", trusted.CanonicalURL)
	}
}

// TestHugeFrontier crawls a page with 100,000 links to pages of its site:
// the links wait in a bounded queue (not a goroutine each), the page of
// links is no article, and when the crawl is stopped the requests it
// interrupts are counted as cancelled, not as errors, with no warning each.
func TestHugeFrontier(t *testing.T) {
	const links = 100_000
	var maxGoroutines, stalled atomic.Int64
	inFlight := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := int64(runtime.NumGoroutine()); n > maxGoroutines.Load() {
			maxGoroutines.Store(n)
		}
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/" {
			var b strings.Builder
			b.WriteString(`<!DOCTYPE html><html><head><title>links</title></head><body><ul>`)
			for i := range links {
				fmt.Fprintf(&b, `<li><a href="/p/%d">pagina %d</a></li>`, i, i)
			}
			b.WriteString(`</ul></body></html>`)
			fmt.Fprint(w, b.String())
			return
		}
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path != "/p/0" {
			if stalled.Add(1) == 2 {
				close(inFlight)
			}
			<-r.Context().Done() // a stalled page: the crawl is stopped before it answers
			return
		}
		// The first article answers once other pages are in flight, so
		// that stopping the crawl interrupts them.
		select {
		case <-inFlight:
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, articlePage("Pagina", "http://"+r.Host+r.URL.Path))
	}))
	defer srv.Close()
	var logs strings.Builder
	var logMu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var listing *Result
	stats, err := New(WithDelay(0), WithParallelism(4), WithMaxBodySize(16<<20), WithLogger(logger)).Pages(ctx, []string{srv.URL + "/"}, serially(func(r Result) {
		if r.URL == srv.URL+"/" {
			listing = &r
		}
		if r.Article != nil {
			cancel() // stop at the first article, the others stalled
		}
	}))
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the crawl interrupted", err)
	}
	if listing == nil || listing.Article != nil {
		t.Errorf("the page of links: %+v, want it refused as a listing", listing)
	}
	if n := maxGoroutines.Load(); n > 500 {
		t.Errorf("%d goroutines while 100,000 links were queued: a goroutine per link", n)
	}
	if stats.Errors != 0 || stats.Cancelled == 0 {
		t.Errorf("stats %+v, want interrupted requests counted as cancelled, not errors", stats)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if n := strings.Count(logs.String(), "level=WARN"); n > 3 {
		t.Errorf("%d warnings for an interrupted crawl:\n%s", n, logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
