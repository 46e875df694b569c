package crawler

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"
)

// fixtureBodies returns the fixture site's article pages.
func fixtureBodies(b *testing.B) (bodies [][]byte, urls []*url.URL, size int64) {
	for _, p := range loadManifest(b) {
		if p.Kind != "article" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(siteDir, p.Path))
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse("https://fixture.example/" + p.Path)
		bodies, urls, size = append(bodies, body), append(urls, u), size+int64(len(body))
	}
	return bodies, urls, size
}

// BenchmarkExtract measures decoding, parsing and extracting the fixture
// articles: one op is the whole set.
func BenchmarkExtract(b *testing.B) {
	bodies, urls, size := fixtureBodies(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, body := range bodies {
			p, err := ParsePage(body, urls[i], "text/html")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Article(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(bodies))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkParseOnly measures html.Parse alone on the same pages, the floor
// extraction is compared with.
func BenchmarkParseOnly(b *testing.B) {
	bodies, _, size := fixtureBodies(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			if _, err := html.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(bodies))/b.Elapsed().Seconds(), "pages/s")
}
