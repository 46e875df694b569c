package main

import (
	"cmp"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// Settings of the scale harness, from the environment.
const (
	scaleSizeEnv     = "OTTWATCH_SCALE_N"        // articles (default 10000)
	scaleDirEnv      = "OTTWATCH_SCALE_DIR"      // data directory kept between runs
	scaleBackendsEnv = "OTTWATCH_SCALE_BACKENDS" // "bleve", "meili" or "bleve,meili" (default)
)

// scaleQueries is how many requests of the fixed query mix each pass sends.
const scaleQueries = 200

// BenchmarkScale is the scale harness. It writes OTTWATCH_SCALE_N generated
// articles (indextest.Generator) straight into an archive, syncs them into
// each backend with 'ottwatch sync', serves them with 'ottwatch serve' and
// sends the same 200 mixed /api/search requests one at a time and then 4
// at a time, reporting:
//
//   - archive: articles written per second and bytes per article;
//   - sync: articles per second and the process's peak RSS while syncing;
//   - search: p50/p99 of the requests alone and at 4 concurrent, and the
//     process's peak RSS while serving them;
//   - Meilisearch only: p50/p99 of the same texts asked of Meilisearch
//     directly, and the difference of the medians: ottwatch's own time.
//
// Run it with:
//
//	OTTWATCH_SCALE_N=100000 go test ./cmd/ottwatch -run '^$' -bench Scale -benchtime 1x -timeout 0
//
// OTTWATCH_SCALE_DIR names a data directory to keep: a later run with the
// same N reuses its archive (and skips writing it), so a 1M-article data
// set is written once. The Meilisearch backend needs a meilisearch binary
// (on PATH or $OTTWATCH_MEILISEARCH_BIN); it is skipped without one.
func BenchmarkScale(b *testing.B) {
	n := 10_000
	if v := os.Getenv(scaleSizeEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("$%s: want a positive number, got %q", scaleSizeEnv, v)
		}
	}
	dir := os.Getenv(scaleDirEnv)
	if dir == "" {
		dir = b.TempDir()
	}
	b.Logf("data directory %s, %d articles", dir, n)
	archived := writeScaleArchive(b, dir, n)
	backends := strings.Split(cmp.Or(os.Getenv(scaleBackendsEnv), "bleve,meili"), ",")
	for _, name := range backends {
		b.Run(name, func(b *testing.B) {
			for range b.N {
				scaleBackend(b, dir, name)
			}
			for unit, v := range archived {
				b.ReportMetric(v, unit)
			}
		})
	}
}

// writeScaleArchive writes n generated articles into the archive of dir,
// unless it already holds n articles, and returns the write rate (when it
// wrote them) and the archive's size per article, by unit.
func writeScaleArchive(b *testing.B, dir string, n int) map[string]float64 {
	b.Helper()
	path := filepath.Join(dir, "archive.db")
	ar, err := index.OpenArchive(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	have, err := ar.Count()
	if err != nil {
		b.Fatal(err)
	}
	if have != 0 && have != n {
		b.Fatalf("%s holds %d articles, not %d: use another $%s", path, have, n, scaleDirEnv)
	}
	out := map[string]float64{}
	if have == 0 {
		start := time.Now()
		g := indextest.NewGenerator(n)
		const batch = 1000
		pages := make([]index.Page, 0, batch)
		for i := range n {
			pages = append(pages, index.Page{Article: g.Next(), Origin: "generated"})
			if len(pages) == batch || i == n-1 {
				if _, err := ar.Put(pages); err != nil {
					b.Fatal(err)
				}
				pages = pages[:0]
			}
		}
		out["archive-articles/s"] = float64(n) / time.Since(start).Seconds()
	}
	if st, err := os.Stat(path); err == nil {
		out["archive-B/article"] = float64(st.Size()) / float64(n)
	}
	return out
}

// scaleBackend syncs the archive of dir into the backend called name (from
// scratch), serves it and measures searches.
func scaleBackend(b *testing.B, dir, name string) {
	b.Helper()
	var direct meilisearch.IndexManager
	switch name {
	case backendBleve:
		b.Setenv("OTTWATCH_INDEX", backendBleve)
		if err := os.RemoveAll(filepath.Join(dir, "bleve")); err != nil {
			b.Fatal(err)
		}
	case backendMeili:
		srv := meilitest.Start(b)
		uid := "scale"
		b.Setenv("OTTWATCH_INDEX", backendMeili)
		b.Setenv("MEILI_URL", srv.URL)
		b.Setenv("MEILI_API_KEY", srv.Key)
		b.Setenv("MEILI_INDEX", uid)
		m := meilisearch.New(srv.URL, meilisearch.WithAPIKey(srv.Key))
		direct = m.Index(uid)
	default:
		b.Fatalf("$%s: unknown backend %q (want bleve or meili)", scaleBackendsEnv, name)
	}
	// A new archive cursor for the fresh index: sync sends everything.
	cursorReset(b, dir, name)

	resetPeakRSS()
	start := time.Now()
	if _, stderr, err := runCtx(b.Context(), "", "--data-dir", dir, "sync"); err != nil {
		b.Fatalf("sync: %v\n%s", err, stderr)
	}
	secs := time.Since(start).Seconds()
	count, err := archiveCount(dir)
	if err != nil {
		b.Fatal(err)
	}
	syncRate, syncRSS := float64(count)/secs, float64(peakRSS())/(1<<20)

	base, _, stop := startServe(b, "--data-dir", dir)
	defer stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	paths := scalePaths(scaleQueries)
	get(b, client, base+paths[0]) // the first request opens the index
	resetPeakRSS()
	b.ResetTimer()
	alone := timeRequests(b, client, base, paths, 1)
	together := timeRequests(b, client, base, paths, 4)
	b.StopTimer()
	b.ReportMetric(syncRate, "sync-articles/s")
	b.ReportMetric(syncRSS, "sync-peak-RSS-MB")
	b.ReportMetric(quantileMS(alone, 0.50), "p50-ms")
	b.ReportMetric(quantileMS(alone, 0.99), "p99-ms")
	b.ReportMetric(quantileMS(together, 0.50), "4conc-p50-ms")
	b.ReportMetric(quantileMS(together, 0.99), "4conc-p99-ms")
	b.ReportMetric(float64(peakRSS())/(1<<20), "serve-peak-RSS-MB")
	kinds := map[string][]time.Duration{}
	for i, d := range alone {
		kinds[scaleKinds[i%len(scaleKinds)]] = append(kinds[scaleKinds[i%len(scaleKinds)]], d)
	}
	for _, k := range scaleKinds {
		b.Logf("%-8s alone p50 %6.1f ms, p99 %6.1f ms", k, quantileMS(kinds[k], 0.5), quantileMS(kinds[k], 0.99))
	}
	if direct != nil {
		var ds []time.Duration
		for _, p := range paths {
			u, _ := url.Parse(p)
			start := time.Now()
			if _, err := direct.SearchWithContext(b.Context(), u.Query().Get("q"), &meilisearch.SearchRequest{Limit: 10}); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		b.ReportMetric(quantileMS(ds, 0.50), "meili-direct-p50-ms")
		b.ReportMetric(quantileMS(ds, 0.99), "meili-direct-p99-ms")
		b.ReportMetric(quantileMS(alone, 0.50)-quantileMS(ds, 0.50), "ottwatch-added-p50-ms")
	}
}

// cursorReset forgets how far the index called name was synced.
func cursorReset(b *testing.B, dir, name string) {
	b.Helper()
	ar, err := index.OpenArchive(filepath.Join(dir, "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	if err := ar.SetCursor(name, 0); err != nil {
		b.Fatal(err)
	}
}

func archiveCount(dir string) (int, error) {
	ar, err := index.OpenArchive(filepath.Join(dir, "archive.db"), index.ReadOnly())
	if err != nil {
		return 0, err
	}
	defer ar.Close()
	return ar.Count()
}

// scaleKinds names the requests of scalePaths, by index modulo its length.
var scaleKinds = []string{"word", "words", "phrase", "entity", "lang", "newest", "facets", "since", "page 10", "word"}

// scalePaths returns n /api/search requests of a fixed mix: common and rare
// words in each language, several words, phrases, entity, language and
// date filters, newest first, facets and a deep page.
func scalePaths(n int) []string {
	words := []string{"fibra", "Arcep", "Glasfaser", "streaming", "roaming", "plantilla", "Anacom", "rete unica",
		"consolidation", "Netflix", "Preiserhöhungen", "tarifário", "régulateur", "5G", "sindacati"}
	entities := []string{"agcom", "arcep", "tim", "vodafone", "netflix"}
	out := make([]string, n)
	for i := range out {
		w := words[i%len(words)]
		q := url.Values{"q": {w}}
		switch i % 10 {
		case 1:
			q.Set("q", w+" "+words[(i+4)%len(words)])
		case 2:
			q.Set("q", `"`+w+`"`)
		case 3:
			q.Set("entity", entities[i%len(entities)])
		case 4:
			q.Set("lang", []string{"it", "fr", "es", "de", "en", "pt"}[i%6])
		case 5:
			q.Set("sort", "date")
		case 6:
			q.Set("facets", "true")
		case 7:
			q.Set("since", "2024-06-01")
		case 8:
			q.Set("offset", "100")
		}
		out[i] = "/api/search?" + q.Encode()
	}
	return out
}

// timeRequests sends every path to base, conc at a time, and returns the
// latency of each, in the order of paths.
func timeRequests(b *testing.B, client *http.Client, base string, paths []string, conc int) []time.Duration {
	b.Helper()
	out := make([]time.Duration, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for i := range next {
				start := time.Now()
				get(b, client, base+paths[i])
				out[i] = time.Since(start)
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// get fetches u and fails the benchmark unless it is answered 200.
func get(b *testing.B, client *http.Client, u string) {
	res, err := client.Get(u)
	if err != nil {
		b.Error(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Errorf("GET %s: %s: %.200s", u, res.Status, body)
	}
}

// quantileMS returns the q quantile of ds in milliseconds.
func quantileMS(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
}
