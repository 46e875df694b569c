package bleve

import (
	"fmt"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// benchBatch is how many articles one Upsert of BenchmarkUpsert writes.
const benchBatch = 500

// BenchmarkUpsert indexes batches of new articles into a growing index.
func BenchmarkUpsert(b *testing.B) {
	corpus := indextest.Corpus(benchBatch)
	bytes := 0
	for _, a := range corpus {
		bytes += len(a.Title) + len(a.Description) + len(a.Body)
	}
	x, err := Open(b.TempDir())
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

// BenchmarkSearch runs typical queries over an index of benchSize articles.
func BenchmarkSearch(b *testing.B) {
	const benchSize = 5000
	x, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if err := x.Upsert(b.Context(), indextest.Corpus(benchSize)); err != nil {
		b.Fatal(err)
	}
	queries := []struct {
		name string
		q    ottwatch.Query
	}{
		{"word", ottwatch.Query{Text: "telecomunicazione"}},
		{"words", ottwatch.Query{Text: "fibra ottica rete unica"}},
		{"phrase", ottwatch.Query{Text: `"rete unica"`}},
		{"filtered", ottwatch.Query{Text: "streaming", Langs: []string{"en", "de"}, Entities: []string{"netflix"}}},
		{"facets", ottwatch.Query{Text: "operadores", Facets: true}},
		{"browse by date", ottwatch.Query{Sort: ottwatch.SortDate, Topics: []string{"fiber"}, Limit: 50}},
		{"deep page", ottwatch.Query{Text: "regulator", Offset: 500, Limit: 20}},
	}
	for _, tt := range queries {
		b.Run(tt.name, func(b *testing.B) {
			total := 0
			for range b.N {
				res, err := x.Search(b.Context(), tt.q)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}
