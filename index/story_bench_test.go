package index

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// BenchmarkStoryAssign measures what assigning one new article to its
// story costs (near-duplicate window, candidates from the entity index,
// scoring, story record), in a write transaction that is rolled back, in
// archives of 1,000 to 100,000 articles. The archives hold news as it
// comes: 300 articles a day, each naming 3 of 300 entities with amounts,
// so a bigger archive covers more days, not a busier week. The cost must
// not grow with the archive: candidates are the entries of the new
// article's entities within EventWindow, a few ranges of keys.
func BenchmarkStoryAssign(b *testing.B) {
	for _, size := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			ar, err := OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer ar.Close()
			rng := rand.New(rand.NewPCG(1, uint64(size)))
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			const perDay = 300
			for n := 0; n < size; n += 1000 {
				pages := make([]Page, min(1000, size-n))
				for i := range pages {
					pages[i] = Page{Article: syntheticArticle(rng, n+i, start.Add(time.Duration(n+i)*24*time.Hour/perDay))}
				}
				if _, err := ar.Put(pages); err != nil {
					b.Fatal(err)
				}
			}
			end := start.Add(time.Duration(size) * 24 * time.Hour / perDay)
			i := size
			for b.Loop() {
				a := syntheticArticle(rng, i, end.Add(-time.Duration(rng.IntN(48))*time.Hour))
				a.Fingerprint = fingerprint.SimHash(a.Body)
				i++
				tx, err := ar.db.Begin(true)
				if err != nil {
					b.Fatal(err)
				}
				if err := assign(tx, a, nil, uint64(i)); err != nil {
					b.Fatal(err)
				}
				if err := indexStory(tx, a, uint64(i)); err != nil {
					b.Fatal(err)
				}
				if err := tx.Rollback(); err != nil && !errors.Is(err, bolterrors.ErrTxClosed) {
					b.Fatal(err)
				}
			}
		})
	}
}

// syntheticArticle returns article n, published at pub, naming 3 of 300
// entities and giving an amount, with a body of 120 words out of 3,000.
func syntheticArticle(rng *rand.Rand, n int, pub time.Time) *ottwatch.Article {
	var body strings.Builder
	for range 120 {
		fmt.Fprintf(&body, "parola%d ", rng.IntN(3000))
	}
	fmt.Fprintf(&body, "per %d milioni di euro.", 1+rng.IntN(900))
	u := fmt.Sprintf("https://news.example/%d", n)
	a := &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: "news.example",
		Title: fmt.Sprintf("Articolo %d", n), Body: body.String(), Lang: "it", Published: pub, Fetched: pub}
	for range 3 {
		id := fmt.Sprintf("entity-%d", rng.IntN(300))
		a.Entities = append(a.Entities, ottwatch.Mention{ID: id, Name: id, Type: ottwatch.Company, Count: 1 + rng.IntN(3)})
	}
	return a
}
