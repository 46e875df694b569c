package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/crawltest"
	"github.com/ottwatch/ottwatch/nlp"
)

// benchPage returns article page i of a generated site: about 100 KB, most
// of it navigation, related links, comments and scripts, as on real news
// sites, around an article of a few paragraphs.
func benchPage(i, n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Notizia %[1]d</title>
<link rel="canonical" href="https://bench.example/a/%[1]d"><meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-%02[2]dT10:00:00+01:00"><script>`, i, 1+i%28)
	b.WriteString(strings.Repeat("window.dataLayer=window.dataLayer||[];dataLayer.push({event:'pageview',section:'telecomunicazioni'});", 150))
	b.WriteString(`</script></head><body><header><nav><ul>`)
	for j := range 120 {
		fmt.Fprintf(&b, `<li class="menu-item"><a href="/s/%d">Sezione %d: mercati, regolazione e OTT</a></li>`, j%10, j)
	}
	b.WriteString(`</ul></nav></header><div id="cookie-banner" class="cookie-consent">Usiamo i cookie per migliorare la tua esperienza. Accetta tutti</div><main><article><h1>`)
	fmt.Fprintf(&b, "Notizia %d sul mercato delle telecomunicazioni</h1>", i)
	for p := range 8 {
		fmt.Fprintf(&b, `<p>Paragrafo %d della notizia %d: l’Agcom ha avviato un’istruttoria sulle offerte di Iliad, TIM e Vodafone, mentre Poste Italiane prepara il proprio ingresso nel mercato della fibra e Amazon attende il via libera del ministero per i servizi di comunicazione elettronica.</p>`, p, i)
	}
	b.WriteString(`</article><aside class="related"><h3>Leggi anche</h3><ul>`)
	for j := 1; j <= 6; j++ {
		fmt.Fprintf(&b, `<li><a href="/a/%d">Notizia %d</a></li>`, (i+j*7)%n, (i+j*7)%n)
	}
	b.WriteString(`</ul></aside><section id="comments" class="comments">`)
	for b.Len() < 95_000 {
		b.WriteString(`<div class="comment"><p class="author">Lettore</p><p>Ottimo articolo, ma le tariffe continuano a salire e il servizio clienti non risponde mai quando serve davvero.</p></div>`)
	}
	b.WriteString(`</section></main><footer>© 2026 Bench News · Privacy · Cookie</footer></body></html>`)
	return b.Bytes()
}

// BenchmarkPipeline crawls a generated loopback site of 1,000 article
// pages of about 100 KB (fetch, decode, parse, extract, enrich) and, in the
// same run, parses the same pages with html.Parse alone, for comparison.
func BenchmarkPipeline(b *testing.B) {
	const n = 1000
	pages := make([][]byte, n)
	size := 0
	for i := range pages {
		pages[i] = benchPage(i, n)
		size += len(pages[i])
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.URL.Path == "/":
			for i := range n {
				fmt.Fprintf(w, `<a href="/a/%d">%d</a> `, i, i)
			}
		case strings.HasPrefix(r.URL.Path, "/a/"):
			i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/a/"))
			if err != nil || i < 0 || i >= n {
				http.NotFound(w, r)
				return
			}
			w.Write(pages[i])
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	enricher, err := nlp.New()
	if err != nil {
		b.Fatal(err)
	}
	var crawlTime, parseTime, crawlCPU, parseCPU time.Duration
	articles := 0
	for b.Loop() {
		began, cpu := time.Now(), crawltest.CPUTime(b)
		stats, err := New(WithDelay(0), WithParallelism(8), WithDepth(1)).Run(context.Background(), []string{srv.URL + "/"},
			func(a *ottwatch.Article) { enricher.Enrich(a) })
		if err != nil {
			b.Fatal(err)
		}
		crawlTime += time.Since(began)
		crawlCPU += crawltest.CPUTime(b) - cpu
		articles += stats.Articles
		began, cpu = time.Now(), crawltest.CPUTime(b)
		for _, p := range pages {
			if _, err := html.Parse(bytes.NewReader(p)); err != nil {
				b.Fatal(err)
			}
		}
		parseTime += time.Since(began)
		parseCPU += crawltest.CPUTime(b) - cpu
	}
	if articles != n*b.N {
		b.Fatalf("%d articles, want %d", articles, n*b.N)
	}
	pipeline := float64(n*b.N) / crawlTime.Seconds()
	parse := float64(n*b.N) / parseTime.Seconds()
	b.ReportMetric(pipeline, "pages/s")
	b.ReportMetric(parse, "parse-pages/s")
	b.ReportMetric(parse/pipeline, "parse/pipeline")
	// CPU time does not depend on how many cores were idle: it is the
	// figure to compare across machines. The pipeline's includes serving
	// the pages from the in-process test server.
	pipelineCPU := ms(crawlCPU) / float64(n*b.N)
	parseOnlyCPU := ms(parseCPU) / float64(n*b.N)
	b.ReportMetric(pipelineCPU, "cpu-ms/page")
	b.ReportMetric(parseOnlyCPU, "parse-cpu-ms/page")
	b.ReportMetric(parseOnlyCPU/pipelineCPU, "parse/pipeline-cpu")
	b.ReportMetric(float64(size)/float64(n)/1024, "KB/page")
}
