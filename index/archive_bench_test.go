package index

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkArchivePut measures durable archive writes: batches of 50 new
// articles of about 3 KB, one transaction (and fsync) each.
func BenchmarkArchivePut(b *testing.B) {
	ar, err := OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	body := strings.Repeat("L’Agcom ha avviato un’istruttoria sulle offerte degli operatori. ", 45)
	n := 0
	b.SetBytes(50 * int64(len(body)))
	for b.Loop() {
		pages := make([]Page, 50)
		for i := range pages {
			pages[i] = Page{Article: newArticle(n, fmt.Sprint(n, body))}
			n++
		}
		if _, err := ar.Put(pages); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}
