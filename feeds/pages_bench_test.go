package feeds_test

import (
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// generatedArticles returns n articles over a year, in five languages from
// ten outlets, about a few entities, in stories of one to four articles.
func generatedArticles(n int) []*ottwatch.Article {
	langs := []string{"it", "fr", "es", "de", "en"}
	words := map[string]string{"it": "telecomunicazioni rete operatore", "fr": "télécoms réseau opérateur",
		"es": "telecomunicaciones red operador", "de": "Telekommunikation Netz Betreiber", "en": "telecoms network operator"}
	entities := []ottwatch.Mention{
		{ID: "amazon", Name: "Amazon", Type: ottwatch.Company, Count: 3},
		{ID: "prime-video", Name: "Prime Video", Type: ottwatch.Product, Count: 1},
		{ID: "agcom", Name: "Agcom", Type: ottwatch.Regulator, Count: 2},
		{ID: "iliad", Name: "Iliad", Type: ottwatch.Company, Count: 2},
		{ID: "tim", Name: "TIM", Type: ottwatch.Company, Count: 1},
	}
	out := make([]*ottwatch.Article, n)
	story := ""
	for i := range out {
		lang := langs[i%len(langs)]
		u := fmt.Sprintf("https://www.outlet%d.example/news/%d", i%10, i)
		a := &ottwatch.Article{
			ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: fmt.Sprintf("outlet%d.example", i%10),
			SiteName: fmt.Sprintf("Outlet %d", i%10), Lang: lang, LangConfidence: 1,
			Title:     fmt.Sprintf("Amazon %s %d", words[lang], i),
			Body:      fmt.Sprintf("Amazon e Agcom: %s, numero %d.", words[lang], i),
			Published: day.Add(-time.Duration(i%365) * 24 * time.Hour),
			Entities:  []ottwatch.Mention{entities[0], entities[1+i%4]},
		}
		if i%4 == 0 || story == "" {
			story = a.ID
		}
		a.Cluster = story
		out[i] = a
	}
	return out
}

// BenchmarkServerPages measures each page of the server over 2,000
// generated articles, rendered afresh for each request (no cache).
func BenchmarkServerPages(b *testing.B) {
	articles := generatedArticles(2000)
	var tick atomic.Int64
	clock := func() time.Time { return now.Add(time.Duration(tick.Add(1)) * time.Minute) }
	idx := scoped{openIndex(b, articles)}
	s, err := feeds.NewServer(idx, nil, lookup, feeds.WithClock(clock), feeds.WithCacheTTL(time.Nanosecond))
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{
		"/?q=Amazon",
		"/?q=Amazon&view=articles",
		"/?entity=amazon&sort=date",
		"/?entity=amazon&sort=date&view=articles",
		"/stories/" + articles[0].Cluster,
		"/entities/amazon",
	} {
		b.Run(path, func(b *testing.B) {
			for b.Loop() {
				w := &discard{header: http.Header{}}
				r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil)
				s.ServeHTTP(w, r)
				if w.status != 0 && w.status != http.StatusOK {
					b.Fatalf("%s: status %d", path, w.status)
				}
			}
		})
	}
}

// discard is a ResponseWriter that keeps only the status.
type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (d *discard) WriteHeader(status int)      { d.status = status }
