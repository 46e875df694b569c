package crawler

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// BenchmarkExtractFolder extracts, in process and with the crawl's own
// verdict, every page of the folder $OTTWATCH_EXTRACT_PAGES (*.html or
// *.html.gz files, read as local files are: no charset from a header).
// It reports the median and 90th percentile time per page, pages/s, the
// same pages through html.Parse alone, and how many pages were refused and
// had a date, an author, a title and a canonical URL. With
// $OTTWATCH_EXTRACT_OUT set it writes each kept body to OUT/<id>.txt (an
// empty file for a refused page), the layout the extraction scorers read:
//
//	OTTWATCH_EXTRACT_PAGES=DIR OTTWATCH_EXTRACT_OUT=/tmp/out \
//	  go test ./crawler -run '^$' -bench ExtractFolder -benchtime 1x
func BenchmarkExtractFolder(b *testing.B) {
	dir := os.Getenv("OTTWATCH_EXTRACT_PAGES")
	if dir == "" {
		b.Skip("set OTTWATCH_EXTRACT_PAGES to a folder of pages")
	}
	out := os.Getenv("OTTWATCH_EXTRACT_OUT")
	if out != "" {
		if err := os.MkdirAll(out, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	ids, bodies := readPages(b, dir)
	var parse, extract []time.Duration
	b.ResetTimer()
	for b.Loop() {
		parse, extract = parse[:0], extract[:0]
		var refused, dated, authored, titled, canonical int
		reasons := map[string]int{}
		for i, body := range bodies {
			start := time.Now()
			if _, err := html.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
			parse = append(parse, time.Since(start))

			u := &url.URL{Scheme: "file", Path: filepath.Join(dir, ids[i]+".html")}
			start = time.Now()
			p, err := ParsePage(body, u, "text/html")
			if err != nil {
				b.Fatal(err)
			}
			a, err := p.Article()
			extract = append(extract, time.Since(start))
			text := ""
			switch {
			case err != nil:
				refused++
				reasons[reasonOf(err)]++
			default:
				text = a.Body
				if !a.Published.IsZero() {
					dated++
				}
				if len(a.Authors) > 0 {
					authored++
				}
				if a.Title != "" {
					titled++
				}
				if a.CanonicalURL != "" && !strings.HasPrefix(a.CanonicalURL, "file:") {
					canonical++
				}
			}
			if out != "" {
				if err := os.WriteFile(filepath.Join(out, ids[i]+".txt"), []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
		n := float64(len(bodies))
		b.ReportMetric(float64(refused), "refused")
		b.ReportMetric(100*float64(dated)/n, "%dated")
		b.ReportMetric(100*float64(authored)/n, "%authored")
		b.ReportMetric(100*float64(titled)/n, "%titled")
		b.ReportMetric(100*float64(canonical)/n, "%canonical")
		if len(reasons) > 0 {
			b.Logf("refused: %v", reasons)
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(median(extract)), "ms/page-median")
	b.ReportMetric(ms(percentile(extract, 90)), "ms/page-p90")
	b.ReportMetric(float64(len(extract))/sum(extract).Seconds(), "pages/s")
	b.ReportMetric(float64(len(parse))/sum(parse).Seconds(), "parse-pages/s")
}

// readPages reads the *.html and *.html.gz files of dir, sorted by name.
func readPages(b *testing.B, dir string) (ids []string, bodies [][]byte) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		id, gz := strings.CutSuffix(name, ".html.gz")
		if !gz {
			var ok bool
			if id, ok = strings.CutSuffix(name, ".html"); !ok {
				continue
			}
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		var r io.Reader = f
		if gz {
			if r, err = gzip.NewReader(f); err != nil {
				b.Fatal(fmt.Errorf("%s: %w", name, err))
			}
		}
		body, err := io.ReadAll(r)
		f.Close()
		if err != nil {
			b.Fatal(fmt.Errorf("%s: %w", name, err))
		}
		ids, bodies = append(ids, id), append(bodies, body)
	}
	if len(ids) == 0 {
		b.Fatalf("no *.html or *.html.gz pages in %s", dir)
	}
	return ids, bodies
}

// reasonOf shortens a refusal to its kind, for counting.
func reasonOf(err error) string {
	s := err.Error()
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "file:") {
		s = s[i+2:]
	}
	if i := strings.IndexAny(s, "0123456789"); i > 0 {
		s = s[:i]
	}
	return s
}

func median(d []time.Duration) time.Duration { return percentile(d, 50) }

func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func sum(d []time.Duration) (t time.Duration) {
	for _, x := range d {
		t += x
	}
	return t
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
