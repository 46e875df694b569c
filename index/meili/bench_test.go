package meili

import (
	"fmt"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// benchBatch is how many articles one Upsert of BenchmarkUpsert writes.
const benchBatch = 500

// BenchmarkUpsert indexes batches of new articles into a growing index of
// the test double. It measures the backend's side — encoding, batching,
// HTTP, task polling — and the double's, not Meilisearch's indexing.
func BenchmarkUpsert(b *testing.B) {
	corpus := indextest.Corpus(benchBatch)
	bytes := 0
	for _, a := range corpus {
		bytes += len(a.Title) + len(a.Description) + len(a.Body)
	}
	s := meilitest.NewServer(meilitest.WithMasterKey(testKey))
	defer s.Close()
	x, err := Open(b.Context(), Config{URL: s.URL(), APIKey: testKey, IndexUID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	batch := make([]*ottwatch.Article, len(corpus))
	b.ResetTimer()
	for i := range b.N {
		for j, a := range corpus {
			c := *a
			c.ID = fmt.Sprintf("%s-%d", a.ID, i)
			batch[j] = &c
		}
		if err := x.Upsert(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(benchBatch*b.N)/secs, "articles/s")
	b.ReportMetric(float64(bytes*b.N)/secs/(1<<20), "MB/s")
}
