package ingest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/crawler/crawltest"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// BenchmarkCrawlSite crawls a generated loopback news site of 1,000 and
// 10,000 article pages (or the sizes $OTTWATCH_CRAWL_SITE_PAGES lists,
// such as "10000,100000") of 50–90 KB into a new archive, the
// whole way from fetch to archive (decode, parse, links, extraction,
// enrichment, batched archive writes), with no politeness delay, and
// reports pages per second, CPU per page (the process's, test server
// included), the process's peak RSS, the peak of the memory the Go runtime
// holds (sampled every 100 pages: RSS less the archive's pages that bbolt
// maps from its file) and the archive's size per 1,000 articles. Peak RSS
// is the process's since it started: run one size per process to compare
// sizes, e.g.
//
//	go test ./index/ingest -run '^$' -bench 'CrawlSite/pages=10000$' -benchtime 1x
//	OTTWATCH_CRAWL_SITE_PAGES=100000 go test ./index/ingest -run '^$' -bench CrawlSite -benchtime 1x
func BenchmarkCrawlSite(b *testing.B) {
	sizes := []int{1000, 10_000}
	if env := os.Getenv("OTTWATCH_CRAWL_SITE_PAGES"); env != "" {
		sizes = nil
		for f := range strings.SplitSeq(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("OTTWATCH_CRAWL_SITE_PAGES=%q: want page counts separated by commas", env)
			}
			sizes = append(sizes, n)
		}
	}
	enricher, err := nlp.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			site := &crawltest.Site{N: n}
			srv := httptest.NewServer(site)
			defer srv.Close()
			var wall, cpu time.Duration
			var goPeak uint64
			var archived int64
			for b.Loop() {
				ar, err := index.OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
				if err != nil {
					b.Fatal(err)
				}
				began, cpuBegan := time.Now(), crawltest.CPUTime(b)
				p := Start(context.Background(), Config{
					Archive:  ar,
					Ingester: NewIngester(ar, enricher),
					Crawler:  []crawler.Option{crawler.WithDelay(0), crawler.WithParallelism(8), crawler.WithDepth(3)},
					Progress: func(_ string, st crawler.Stats) {
						if st.Fetched%100 == 0 {
							goPeak = max(goPeak, goMemory())
						}
					},
				})
				err = p.CrawlAll(context.Background(), crawler.Sources{{Name: CommandLine, Start: []string{srv.URL + "/"}}})
				sum, err := p.Finish(context.Background(), err)
				if err != nil {
					b.Fatal(err)
				}
				wall += time.Since(began)
				cpu += crawltest.CPUTime(b) - cpuBegan
				if sum.Archived != n || sum.New != n {
					b.Fatalf("%d articles archived (%d new), want %d", sum.Archived, sum.New, n)
				}
				if err := ar.Close(); err != nil {
					b.Fatal(err)
				}
				info, err := os.Stat(ar.Path())
				if err != nil {
					b.Fatal(err)
				}
				archived += info.Size()
			}
			pages := float64(n * b.N)
			b.ReportMetric(pages/wall.Seconds(), "pages/s")
			b.ReportMetric(float64(cpu.Microseconds())/1000/pages, "cpu-ms/page")
			b.ReportMetric(float64(crawltest.MaxRSS(b))/(1<<20), "peak-rss-MB")
			b.ReportMetric(float64(goPeak)/(1<<20), "peak-go-MB")
			b.ReportMetric(float64(archived)/pages*1000/(1<<20), "archive-MB/1k")
		})
	}
}

// goMemory returns the memory the Go runtime holds from the system and has
// not given back.
func goMemory() uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(samples)
	return samples[0].Value.Uint64() - samples[1].Value.Uint64()
}
