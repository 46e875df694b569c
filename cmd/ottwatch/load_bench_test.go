package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/index/bleve"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// Sizes of the load benchmark: the load of item 6 of the reliability
// report.
const (
	loadArticles    = 10_000
	loadRequests    = 2_000
	loadConcurrency = 50
)

// loadConfig is the configuration of the served data directory: two
// watchlists over the generated articles.
const loadConfig = `watchlists:
  - name: regulators
    entities: [agcom, arcep]
  - name: fibre
    query: fibra OR fibre
`

// loadIndex writes loadArticles generated articles to a new Bleve index in
// a data directory, through the index API, and returns the directory.
func loadIndex(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	idx, err := bleve.Open(filepath.Join(dir, "bleve"))
	if err != nil {
		b.Fatal(err)
	}
	articles := indextest.Corpus(loadArticles)
	for start := 0; start < len(articles); start += 1000 {
		if err := idx.Upsert(context.Background(), articles[start:min(start+1000, len(articles))]); err != nil {
			b.Fatal(err)
		}
	}
	if err := idx.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(loadConfig), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// loadPaths returns n requests of the mix the server gets: API searches
// (some asking for 1,000 hits), search pages with facets, ad-hoc and
// watchlist feeds, entity pages, and long queries that must be refused.
func loadPaths(n int) []string {
	words := []string{"fibra", "fibre", "regulator", "Agcom", "TIM", "Netflix", "roaming", "5G", "tarifas", "Vodafone"}
	entities := []string{"agcom", "arcep", "tim", "vodafone"}
	long := url.QueryEscape(strings.TrimSpace(strings.Repeat("amazon ", 3000)))
	out := make([]string, n)
	for i := range out {
		w := url.QueryEscape(words[i%len(words)])
		switch i % 20 {
		case 0:
			out[i] = "/api/search?limit=1000&q=" + w
		case 1:
			out[i] = "/api/search?q=" + long
		case 2, 3, 4, 5, 6, 7, 8:
			out[i] = "/api/search?q=" + w
		case 9, 10, 11:
			out[i] = "/?q=" + w
		case 12, 13:
			out[i] = "/feeds/search.rss?q=" + w
		case 14, 15:
			out[i] = "/entities/" + entities[i%len(entities)]
		case 16:
			out[i] = "/feeds/regulators.atom"
		case 17:
			out[i] = "/feeds/fibre.rss"
		case 18:
			out[i] = "/?q=" + w + "&lang=it&sort=date"
		default:
			out[i] = "/api/search?facets=true&q=" + w + "+" + url.QueryEscape(words[(i+3)%len(words)])
		}
	}
	return out
}

// peakRSS returns the peak resident set size of the process, in bytes,
// from /proc (0 where there is none).
func peakRSS() int64 {
	return procStatusKB("VmHWM")[0] << 10
}

// resetPeakRSS makes the peak resident set size start from the current
// one (Linux: clear_refs 5), so that building the index does not count.
func resetPeakRSS() {
	runtime.GC()
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0o200)
}

// BenchmarkServeLoad runs 'ottwatch serve' over a 10,000-article Bleve
// index and sends it 2,000 mixed requests, 50 at a time, per iteration. It
// reports the median and 99th percentile latency of all requests and of
// those answered 200, the 99th percentile of the searches answered 200 (API
// searches of at most 100 hits and search pages: the goal is 200 ms), the
// slowest request, the requests answered 429, and the peak RSS of the
// process during the load:
//
//	go test ./cmd/ottwatch -run '^$' -bench ServeLoad -benchtime 1x
//
// OTTWATCH_LOAD_SERVE_FLAGS adds flags to serve, such as
// "--max-searches=2 --queue-wait=100ms" (with "=").
func BenchmarkServeLoad(b *testing.B) {
	dir := loadIndex(b)
	args := append([]string{"--data-dir", dir, "--config", filepath.Join(dir, "config.yaml")},
		strings.Fields(os.Getenv("OTTWATCH_LOAD_SERVE_FLAGS"))...)
	base, _, stop := startServe(b, args...)
	defer stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadConcurrency}}
	paths := loadPaths(loadRequests)
	resetPeakRSS()
	b.ResetTimer()
	var latencies, ok []time.Duration          // all, answered 200
	byKind := make(map[string][]time.Duration) // answered 200, by kind of request
	statuses := make(map[int]int)
	for range b.N {
		var mu sync.Mutex
		next := make(chan string)
		var wg sync.WaitGroup
		for range loadConcurrency {
			wg.Go(func() {
				for p := range next {
					start := time.Now()
					status := 0
					res, err := client.Get(base + p)
					if err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						status = res.StatusCode
					}
					d := time.Since(start)
					mu.Lock()
					latencies = append(latencies, d)
					if status == http.StatusOK {
						ok = append(ok, d)
						byKind[loadKind(p)] = append(byKind[loadKind(p)], d)
					}
					statuses[status]++
					mu.Unlock()
				}
			})
		}
		for _, p := range paths {
			next <- p
		}
		close(next)
		wg.Wait()
	}
	b.StopTimer()
	ms := quantileMS
	b.ReportMetric(ms(latencies, 0.50), "p50-ms")
	b.ReportMetric(ms(latencies, 0.99), "p99-ms")
	b.ReportMetric(ms(ok, 0.50), "p50-200-ms")
	b.ReportMetric(ms(ok, 0.99), "p99-200-ms")
	search := slices.Concat(byKind["api"], byKind["search page"])
	b.ReportMetric(ms(search, 0.99), "p99-search-ms")
	b.ReportMetric(ms(latencies, 1), "max-ms")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(statuses[http.StatusTooManyRequests]), "429s")
	b.Logf("statuses: %v", fmt.Sprint(statuses))
	for _, k := range slices.Sorted(maps.Keys(byKind)) {
		b.Logf("%-16s %4d answered, p50 %6.0f ms, p99 %6.0f ms", k, len(byKind[k]), ms(byKind[k], 0.5), ms(byKind[k], 0.99))
	}
}

// loadKind names the kind of a request of loadPaths.
func loadKind(path string) string {
	switch {
	case strings.Contains(path, "limit=1000"):
		return "api limit=1000"
	case strings.HasPrefix(path, "/api/"):
		return "api"
	case strings.HasPrefix(path, "/?"):
		return "search page"
	case strings.HasPrefix(path, "/feeds/search."):
		return "ad-hoc feed"
	case strings.HasPrefix(path, "/feeds/"):
		return "watchlist feed"
	}
	return "entity page"
}
