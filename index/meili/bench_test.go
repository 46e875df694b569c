package meili

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// benchBatch is how many articles one Upsert of BenchmarkUpsert writes.
const benchBatch = 500

// BenchmarkUpsert indexes batches of new articles into a growing index of
// a real Meilisearch, indexing included.
func BenchmarkUpsert(b *testing.B) {
	corpus := indextest.Corpus(benchBatch)
	bytes := 0
	for _, a := range corpus {
		bytes += len(a.Title) + len(a.Description) + len(a.Body)
	}
	x := openShared(b)
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

// BenchmarkSync delivers an archive of 2,000 articles to an index of a
// real Meilisearch through index.Sync, cursor updates included: one op is
// the whole archive.
func BenchmarkSync(b *testing.B) {
	ar, err := index.OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	corpus := indextest.Corpus(2000)
	pages := make([]index.Page, len(corpus))
	for i, a := range corpus {
		pages[i] = index.Page{Article: a}
	}
	if _, err := ar.Put(pages); err != nil {
		b.Fatal(err)
	}
	x := openShared(b)
	delivered := 0
	for i := 0; b.Loop(); i++ {
		name := fmt.Sprintf("bench-%d", i) // a new cursor: everything again
		st, err := index.Sync(b.Context(), ar, name, x, index.DefaultSyncBatch)
		if err != nil {
			b.Fatal(err)
		}
		delivered += st.Delivered
	}
	b.ReportMetric(float64(delivered)/b.Elapsed().Seconds(), "docs/s")
}
