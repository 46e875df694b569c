package main

import (
	"bufio"
	"bytes"
	"cmp"
	"io"
	"maps"
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

	"github.com/ottwatch/ottwatch/crawler/crawltest"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// Settings of the scale harness, from the environment.
const (
	scaleSizeEnv     = "OTTWATCH_SCALE_N"        // articles (default 10000)
	scaleDirEnv      = "OTTWATCH_SCALE_DIR"      // data directory kept between runs
	scaleBackendsEnv = "OTTWATCH_SCALE_BACKENDS" // "bleve", "meili" or "bleve,meili" (default)
	// scaleMeiliEnv names a Meilisearch server to use instead of starting
	// one (its key in MEILI_API_KEY): when its index "scale" already holds
	// the archive, it is searched without syncing again.
	scaleMeiliEnv = "OTTWATCH_SCALE_MEILI"
)

// scaleIndexUID is the Meilisearch index of the harness.
const scaleIndexUID = "scale"

// scaleQueries is how many requests of the fixed query mix each pass sends.
const scaleQueries = 200

// BenchmarkScale is the scale harness. It writes OTTWATCH_SCALE_N generated
// articles (indextest.Generator) straight into an archive, syncs them into
// each backend with 'ottwatch sync', serves them with 'ottwatch serve' and
// sends the same 200 mixed /api/search requests one at a time and then 4
// at a time, reporting:
//
//   - archive: articles written per second and bytes per article;
//   - sync: articles per second and the process's peak RSS while syncing,
//     and apart the largest anonymous (heap, stacks) and file-backed
//     (bbolt's map of the archive, the binary) resident memory sampled;
//     with Meilisearch, the share of the sync's time it spent processing
//     document tasks (100 %: it was the bottleneck);
//   - search: p50/p99 of the requests alone and at 4 concurrent, the
//     process's peak RSS while serving them (serve keeps no answers:
//     --cache-ttl=0s, since the mix repeats its requests) and the CPU time
//     it used per request alone, serve's and the client's, which the load
//     of other processes does not change as it changes latencies;
//   - Meilisearch only: p50/p99 of the same texts asked of Meilisearch
//     directly with only a limit (meili-direct), and of the very requests
//     serve sent Meilisearch for each search, recorded through a proxy and
//     replayed one after the other (meili-same), each timed right after
//     its search through serve so that both meet the same load; how many
//     requests a search takes; ottwatch's own time, the p50 and p99 of
//     each search's time less its meili-same time (ottwatch-added), and
//     the difference of the medians with meili-direct
//     (ottwatch-added-vs-direct).
//
// Run it with:
//
//	OTTWATCH_SCALE_N=100000 go test ./cmd/ottwatch -run '^$' -bench Scale -benchtime 1x -timeout 0
//
// OTTWATCH_SCALE_DIR names a data directory to keep: a later run with the
// same N reuses its archive (and skips writing it), so a 1M-article data
// set is written once. The Meilisearch backend needs a meilisearch binary
// (on PATH or $OTTWATCH_MEILISEARCH_BIN); it is skipped without one.
// OTTWATCH_SCALE_MEILI=URL (and MEILI_API_KEY) uses a running server
// instead, whose index is synced once and then only searched.
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
	var meiliURL, meiliKey string
	reuse := false
	switch name {
	case backendBleve:
		b.Setenv("OTTWATCH_INDEX", backendBleve)
		if err := os.RemoveAll(filepath.Join(dir, "bleve")); err != nil {
			b.Fatal(err)
		}
	case backendMeili:
		meiliURL, meiliKey = os.Getenv(scaleMeiliEnv), os.Getenv("MEILI_API_KEY")
		if meiliURL == "" {
			srv := meilitest.Start(b)
			meiliURL, meiliKey = srv.URL, srv.Key
		}
		b.Setenv("OTTWATCH_INDEX", backendMeili)
		b.Setenv("MEILI_URL", meiliURL)
		b.Setenv("MEILI_API_KEY", meiliKey)
		b.Setenv("MEILI_INDEX", scaleIndexUID)
		// Uncompressed, as serve asks: Meilisearch's gzip costs more than
		// the search.
		direct = meilisearch.New(meiliURL, meilisearch.WithAPIKey(meiliKey),
			meilisearch.WithCustomClient(&http.Client{Transport: &http.Transport{DisableCompression: true}})).Index(scaleIndexUID)
		if stats, err := direct.GetStatsWithContext(b.Context(), nil); err == nil {
			count, err := archiveCount(dir)
			if err != nil {
				b.Fatal(err)
			}
			reuse = int(stats.NumberOfDocuments) == count
		}
	default:
		b.Fatalf("$%s: unknown backend %q (want bleve or meili)", scaleBackendsEnv, name)
	}
	synced := map[string]float64{}
	if reuse {
		b.Logf("the index of %s holds the archive: not synced again", meiliURL)
	} else {
		start := time.Now()
		synced = scaleSync(b, dir)
		if direct != nil {
			busy := meiliBusy(b, meilisearch.New(meiliURL, meilisearch.WithAPIKey(meiliKey)), scaleIndexUID, start)
			synced["sync-meili-busy-%"] = 100 * busy.Seconds() / time.Since(start).Seconds()
		}
	}

	base, _, stop := startServe(b, "--data-dir", dir, "--cache-ttl=0s")
	defer stop()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	paths := scalePaths(scaleQueries)
	get(b, client, base+paths[0]) // the first request opens the index
	var sent [][]meiliRequest
	if direct != nil {
		sent = recordMeili(b, dir, meiliURL, paths)
	}
	// Alone, each search is timed through serve and, right after it, the
	// same requests sent straight to Meilisearch and Meilisearch asked
	// for the text only, so that all three meet the same load.
	resetPeakRSS()
	b.ResetTimer()
	alone := make([]time.Duration, len(paths))
	var same, ds []time.Duration
	// The replay sends the headers serve sent, and only those.
	replay := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 8}}
	var cpu time.Duration // of the process while serve answered
	for i, p := range paths {
		start, cpu0 := time.Now(), crawltest.CPUTime(b)
		get(b, client, base+p)
		alone[i] = time.Since(start)
		cpu += crawltest.CPUTime(b) - cpu0
		if direct == nil {
			continue
		}
		same = append(same, replayMeili(b, replay, meiliURL, sent[i]))
		u, _ := url.Parse(p)
		start = time.Now()
		if _, err := direct.SearchWithContext(b.Context(), u.Query().Get("q"), &meilisearch.SearchRequest{Limit: 10}); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	together := timeRequests(b, client, base, paths, 4)
	b.StopTimer()
	for unit, v := range synced {
		b.ReportMetric(v, unit)
	}
	b.ReportMetric(quantileMS(alone, 0.50), "p50-ms")
	b.ReportMetric(quantileMS(alone, 0.99), "p99-ms")
	b.ReportMetric(quantileMS(together, 0.50), "4conc-p50-ms")
	b.ReportMetric(quantileMS(together, 0.99), "4conc-p99-ms")
	b.ReportMetric(float64(peakRSS())/(1<<20), "serve-peak-RSS-MB")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(paths)), "serve-CPU-ms/search")
	logKinds(b, "alone", alone)
	if direct == nil {
		return
	}
	logKinds(b, "meili-same", same)
	added := make([]time.Duration, len(alone))
	requests := 0
	for i := range alone {
		added[i] = alone[i] - same[i]
		requests += len(sent[i])
	}
	b.ReportMetric(quantileMS(ds, 0.50), "meili-direct-p50-ms")
	b.ReportMetric(quantileMS(ds, 0.99), "meili-direct-p99-ms")
	b.ReportMetric(quantileMS(same, 0.50), "meili-same-p50-ms")
	b.ReportMetric(quantileMS(same, 0.99), "meili-same-p99-ms")
	b.ReportMetric(float64(requests)/float64(len(paths)), "meili-requests/search")
	b.ReportMetric(quantileMS(added, 0.50), "ottwatch-added-p50-ms")
	b.ReportMetric(quantileMS(added, 0.99), "ottwatch-added-p99-ms")
	b.ReportMetric(quantileMS(alone, 0.50)-quantileMS(ds, 0.50), "ottwatch-added-vs-direct-p50-ms")
}

// scaleSync syncs the archive of dir into the configured index from the
// start and returns the rate and the memory of the process, by unit.
func scaleSync(b *testing.B, dir string) map[string]float64 {
	b.Helper()
	s, err := loadSettings("", "")
	if err != nil {
		b.Fatal(err)
	}
	cursorReset(b, dir, cursorName(s))
	resetPeakRSS()
	stopSampling := sampleRSS()
	start := time.Now()
	if _, stderr, err := runCtx(b.Context(), "", "--data-dir", dir, "sync"); err != nil {
		b.Fatalf("sync: %v\n%s", err, stderr)
	}
	secs := time.Since(start).Seconds()
	anon, file := stopSampling()
	count, err := archiveCount(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("synced %d articles in %.1f s", count, secs)
	return map[string]float64{
		"sync-articles/s":  float64(count) / secs,
		"sync-peak-RSS-MB": float64(peakRSS()) / (1 << 20),
		"sync-RssAnon-MB":  anon,
		"sync-RssFile-MB":  file,
	}
}

// meiliBusy returns how long Meilisearch spent adding documents to the
// index uid since start: the union of the processing times of its tasks,
// which it processes several at a time.
func meiliBusy(b *testing.B, svc meilisearch.ServiceManager, uid string, since time.Time) time.Duration {
	b.Helper()
	type span struct{ start, end time.Time }
	var spans []span
	q := &meilisearch.TasksQuery{IndexUIDS: []string{uid}, Types: []meilisearch.TaskType{meilisearch.TaskTypeDocumentAdditionOrUpdate},
		AfterEnqueuedAt: since, Limit: 1000}
	for {
		res, err := svc.GetTasksWithContext(b.Context(), q)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range res.Results {
			spans = append(spans, span{t.StartedAt, t.FinishedAt})
		}
		if res.Next == 0 || len(res.Results) == 0 {
			break
		}
		q.From = res.Next
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start.Compare(b.start) })
	var busy time.Duration
	var end time.Time
	for _, sp := range spans {
		if sp.start.Before(end) {
			sp.start = end
		}
		if sp.end.After(sp.start) {
			busy += sp.end.Sub(sp.start)
			end = sp.end
		}
	}
	return busy
}

// logKinds logs the p50 and p99 of ds by kind of request (scaleKinds).
func logKinds(b *testing.B, what string, ds []time.Duration) {
	kinds := map[string][]time.Duration{}
	for i, d := range ds {
		k := scaleKinds[i%len(scaleKinds)]
		kinds[k] = append(kinds[k], d)
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		b.Logf("%-10s %-8s p50 %6.1f ms, p99 %6.1f ms", what, k, quantileMS(kinds[k], 0.5), quantileMS(kinds[k], 0.99))
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

// meiliRequest is a request serve sent Meilisearch.
type meiliRequest struct {
	method, uri string
	header      http.Header
	body        []byte
}

// recordMeili serves dir through a proxy in front of the Meilisearch
// server at meiliURL and returns, for each of paths, the requests serve
// sent Meilisearch to answer it.
func recordMeili(b *testing.B, dir, meiliURL string, paths []string) [][]meiliRequest {
	b.Helper()
	proxy := meilitest.NewProxy(b, meiliURL)
	var mu sync.Mutex
	var recording *[]meiliRequest
	proxy.OnRequest(func(r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		mu.Lock()
		defer mu.Unlock()
		if recording != nil {
			*recording = append(*recording, meiliRequest{method: r.Method, uri: r.URL.RequestURI(), header: r.Header.Clone(), body: body})
		}
	})
	defer proxy.OnRequest(nil)
	b.Setenv("MEILI_URL", proxy.URL)
	base, _, stop := startServe(b, "--data-dir", dir, "--cache-ttl=0s")
	defer stop()
	client := &http.Client{}
	sent := make([][]meiliRequest, len(paths))
	for i, p := range paths {
		mu.Lock()
		recording = &sent[i]
		mu.Unlock()
		get(b, client, base+p)
		mu.Lock()
		recording = nil
		mu.Unlock()
	}
	return sent
}

// replayMeili sends reqs straight to the Meilisearch server at meiliURL,
// one after the other, and returns how long they took.
func replayMeili(b *testing.B, client *http.Client, meiliURL string, reqs []meiliRequest) time.Duration {
	b.Helper()
	start := time.Now()
	for _, r := range reqs {
		req, err := http.NewRequestWithContext(b.Context(), r.method, meiliURL+r.uri, bytes.NewReader(r.body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header = r.header.Clone()
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: %s", r.method, r.uri, res.Status)
		}
	}
	return time.Since(start)
}

// sampleRSS samples the anonymous (heap, stacks) and file-backed (mapped
// files such as the archive, the binary) resident memory of the process
// every 20 ms until the returned func is called, which returns the largest
// of each in MB.
func sampleRSS() (stop func() (anonMB, fileMB float64)) {
	done := make(chan struct{})
	var peakAnon, peakFile int64
	var wg sync.WaitGroup
	sample := func() {
		anon, file := rssParts()
		peakAnon, peakFile = max(peakAnon, anon), max(peakFile, file)
	}
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (float64, float64) {
		close(done)
		wg.Wait()
		sample()
		return float64(peakAnon) / (1 << 20), float64(peakFile) / (1 << 20)
	}
}

// rssParts returns RssAnon and RssFile of /proc/self/status, in bytes (0
// where there is none).
func rssParts() (anon, file int64) {
	kb := procStatusKB("RssAnon", "RssFile")
	return kb[0] << 10, kb[1] << 10
}

// procStatusKB returns the values, in kB, of the named lines of
// /proc/self/status (0 for a line there is not).
func procStatusKB(names ...string) []int64 {
	out := make([]int64, len(names))
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, v, _ := strings.Cut(sc.Text(), ":")
		if i := slices.Index(names, name); i >= 0 {
			out[i], _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return out
}

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
