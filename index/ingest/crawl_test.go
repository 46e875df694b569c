package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/meili"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
	"github.com/ottwatch/ottwatch/nlp"
)

func TestMain(m *testing.M) { meilitest.Main(m) }

// pageDelay is how long the test site takes to answer each page, so that
// a crawl lasts long enough for syncs to run during it.
const pageDelay = 60 * time.Millisecond

// serveSite serves the fixture news site on loopback, each answer after
// pageDelay.
func serveSite(t *testing.T) *httptest.Server {
	t.Helper()
	files := http.FileServer(http.Dir(filepath.Join("..", "..", "testdata", "site")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(pageDelay)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

var uidSeq atomic.Int64

// crawlRate crawls the fixture site into a new archive while syncing a
// new Meilisearch index, through a proxy that answers every request after
// delay, after each pair of articles archived. It returns the pages
// fetched per second during the crawl, and checks that every article
// reaches the index in the end.
func crawlRate(t *testing.T, srv *meilitest.Server, enricher *nlp.Enricher, delay time.Duration) float64 {
	t.Helper()
	ctx := context.Background()
	site := serveSite(t)
	proxy := meilitest.NewProxy(t, srv.URL)
	uid := fmt.Sprintf("ingest_rate_%d", uidSeq.Add(1))
	ar, err := index.OpenArchive(filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	var syncs atomic.Int64
	sync := func(ctx context.Context) (index.SyncStats, error) {
		syncs.Add(1)
		idx, err := meili.Open(ctx, meili.Config{URL: proxy.URL, APIKey: meili.Secret(srv.Key), IndexUID: uid})
		if err != nil {
			return index.SyncStats{}, err
		}
		defer idx.Close()
		return index.Sync(ctx, ar, uid, idx, 2)
	}
	proxy.Slow(delay)
	p := Start(ctx, Config{
		Archive:  ar,
		Ingester: NewIngester(ar, enricher, BatchSize(2)),
		Crawler:  []crawler.Option{crawler.WithDelay(0), crawler.WithParallelism(2)},
		Sync:     sync,
	})
	began := time.Now()
	if err := p.CrawlAll(ctx, crawler.Sources{{Name: "fixture", Start: []string{site.URL + "/"}}}); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(began)
	if syncs.Load() == 0 {
		t.Errorf("no sync started during the crawl (delay %v)", delay)
	}
	proxy.Slow(0) // only the crawl's rate is measured
	sum, err := p.Finish(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Waiting != 0 || len(proxy.Received(uid)) != sum.Archived {
		t.Errorf("%d of %d articles delivered, %d waiting", len(proxy.Received(uid)), sum.Archived, sum.Waiting)
	}
	rate := float64(sum.Fetched) / elapsed.Seconds()
	t.Logf("Meilisearch answering after %v: %d pages in %v, %.1f pages/s; %d syncs", delay, sum.Fetched, elapsed.Round(time.Millisecond), rate, syncs.Load())
	return rate
}

// TestSlowIndexDoesNotStallCrawl crawls against a Meilisearch that answers
// at once and against one that answers each request after 2 s: index sync
// runs beside the crawl, so pages are fetched at the same rate.
func TestSlowIndexDoesNotStallCrawl(t *testing.T) {
	srv := meilitest.Shared(t)
	enricher, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	fast := crawlRate(t, srv, enricher, 0)
	slow := crawlRate(t, srv, enricher, 2*time.Second)
	t.Logf("fetch rate: %.1f pages/s against a fast Meilisearch, %.1f pages/s against one answering in 2 s", fast, slow)
	if slow < 0.75*fast {
		t.Errorf("a slow Meilisearch slowed the crawl: %.1f pages/s, against %.1f", slow, fast)
	}
}
