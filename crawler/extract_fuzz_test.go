package crawler

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// FuzzExtract decodes, parses and extracts arbitrary pages: no input may
// make extraction panic or give a verdict without a reason. The seeds are
// the pages of testdata/extract and a few broken ones.
func FuzzExtract(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("..", "testdata", "extract", "*", "*.html"))
	for _, p := range pages {
		body, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "text/html")
	}
	for _, seed := range []string{
		"", "<", "<html><body><article>", "\xef\xbb\xbf<p>bom</p>", "\xfe\xff\x00<\x00p",
		`<meta charset="utf-16"><p>x</p>`, `<script type="application/ld+json">{"@graph":[[[{"@type":"NewsArticle","articleBody":"<p>a"}]]]}</script>`,
		`<html><head><link rel=canonical href="http://[::1]:namedport"><meta property="og:url" content="%zz"></head><body><time datetime="2026-13-45">x</time></body></html>`,
		`<p>` + "31.12.1999 20-02-30 März 2024 de abril de 2025 " + `</p><ruby>子<rt>こ</rt></ruby>`,
	} {
		f.Add([]byte(seed), "text/html; charset=windows-1252")
	}
	u, _ := url.Parse("https://fuzz.example/story")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		p, err := ParsePage(body, u, contentType)
		if err != nil {
			return
		}
		a, v, err := p.Extract()
		if err != nil {
			return
		}
		if a == nil || v.Reason == "" {
			t.Fatalf("article %v, verdict %+v", a, v)
		}
	})
}
