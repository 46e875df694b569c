package crawler

import (
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

var update = flag.Bool("update", false, "rewrite golden files")

const siteDir = "../testdata/site"

// fixturePage is one page of the fixture site as its manifest describes it.
type fixturePage struct {
	Path        string   `json:"path"`
	Kind        string   `json:"kind"`
	Lang        string   `json:"lang"`
	Canonical   string   `json:"canonical"`
	Title       string   `json:"title"`
	Published   string   `json:"published"`
	Entities    []string `json:"entities"`
	ClutterOnly []string `json:"clutter_only"`
}

func loadManifest(t testing.TB) []fixturePage {
	t.Helper()
	data, err := os.ReadFile("../testdata/site-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var pages []fixturePage
	if err := json.Unmarshal(data, &pages); err != nil {
		t.Fatal(err)
	}
	return pages
}

// extractFile extracts the article of a fixture page as a crawl of the
// local folder does: read as a file, without a charset from a header.
func extractFile(t testing.TB, path string) (*ottwatch.Article, error) {
	t.Helper()
	file, err := filepath.Abs(filepath.Join(siteDir, path))
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	u := &url.URL{Scheme: "file", Path: file}
	p, err := ParsePage(body, u, "text/html")
	if err != nil {
		t.Fatal(err)
	}
	return p.Article()
}

// goldenArticle is the part of an extracted article that golden files pin.
type goldenArticle struct {
	Title        string    `json:"title"`
	CanonicalURL string    `json:"canonical_url"`
	Source       string    `json:"source"`
	SiteName     string    `json:"site_name"`
	Description  string    `json:"description"`
	Authors      []string  `json:"authors"`
	Published    time.Time `json:"published"`
	HTMLLang     string    `json:"html_lang"`
	Body         string    `json:"body"`
}

func TestExtractFixtures(t *testing.T) {
	for _, fp := range loadManifest(t) {
		t.Run(fp.Path, func(t *testing.T) {
			a, err := extractFile(t, fp.Path)
			if fp.Kind != "article" {
				if fp.Kind == "disallowed" {
					return // never fetched; what it holds does not matter
				}
				if !errors.Is(err, ErrNotArticle) {
					t.Fatalf("a %s page: err = %v, want ErrNotArticle", fp.Kind, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != fp.Title {
				t.Errorf("title = %q, want %q", a.Title, fp.Title)
			}
			if a.CanonicalURL != fp.Canonical || a.ID != ottwatch.ArticleID(fp.Canonical) {
				t.Errorf("canonical = %q (id %s), want %q", a.CanonicalURL, a.ID, fp.Canonical)
			}
			if want, _ := time.Parse(time.RFC3339, fp.Published); !a.Published.Equal(want) {
				t.Errorf("published = %v, want %v", a.Published, want)
			}
			for _, name := range fp.ClutterOnly {
				if strings.Contains(a.Body, name) {
					t.Errorf("body has %q, which the page has only in clutter", name)
				}
			}
			for _, junk := range []string{"cookie", "Cookie", "Newsletter", "newsletter"} {
				if strings.Contains(a.Body, junk) {
					t.Errorf("body has %q", junk)
				}
			}
			if strings.Count(a.Body, "\n\n") < 2 {
				t.Errorf("body has no paragraph breaks")
			}
			g := goldenArticle{a.Title, a.CanonicalURL, a.Source, a.SiteName, a.Description, a.Authors, a.Published, a.HTMLLang, a.Body}
			checkGolden(t, filepath.Join("..", "testdata", "golden", "extract", strings.TrimSuffix(fp.Path, ".html")+".json"), g)
		})
	}
}

// checkGolden compares v, as indented JSON, with a golden file, or rewrites
// the file with -update.
func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from what was extracted (run go test -update and review the diff):\ngot:\n%s", path, got)
	}
}

func TestSeedBodies(t *testing.T) {
	seeds := map[string]string{
		"it/amazon-autorizzazione-mise-telecomunicazioni.html": "Ad Amazon non basta più avere inciso profondamente",
		"fr/amazon-support-client-cour-justice-ue.html":        "C’est officiel : la société de Jeff Bezos",
	}
	for path, start := range seeds {
		a, err := extractFile(t, path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(a.Body, start) {
			t.Errorf("%s: body starts %q, want %q", path, a.Body[:min(80, len(a.Body))], start)
		}
	}
}

func TestWindows1252Fixture(t *testing.T) {
	a, err := extractFile(t, "fr/tarifs-fibre-windows-1252.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"é", "’", "€"} {
		if !strings.Contains(a.Body+a.Title, want) {
			t.Errorf("decoded text lacks %q", want)
		}
	}
	if strings.ContainsRune(a.Body, '\uFFFD') || strings.Contains(a.Body, "Ã©") {
		t.Error("text is garbled")
	}
}

// TestVerdicts extracts the pages of testdata/extract: each class of page
// the verdict must keep (keep/) beside the look-alike it must refuse
// (refuse/), with golden files of what was extracted and why.
func TestVerdicts(t *testing.T) {
	for _, dir := range []string{"keep", "refuse"} {
		pages, err := filepath.Glob(filepath.Join("..", "testdata", "extract", dir, "*.html"))
		if err != nil || len(pages) == 0 {
			t.Fatalf("no pages in testdata/extract/%s: %v", dir, err)
		}
		for _, path := range pages {
			name := filepath.Base(path)
			t.Run(dir+"/"+name, func(t *testing.T) {
				body, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				u, _ := url.Parse("https://fixture.example/extract/" + name)
				p, err := ParsePage(body, u, "text/html")
				if err != nil {
					t.Fatal(err)
				}
				a, v, err := p.Extract()
				if err != nil {
					t.Fatal(err)
				}
				if v.Article != (dir == "keep") || v.Reason == "" {
					t.Errorf("verdict %+v, want article=%t with a reason", v, dir == "keep")
				}
				if dir == "keep" {
					for _, junk := range []string{"Cookie", "cookie", "Share on", "Condividi", "Related stories", "Read more", "Sign up", "comments", "Meistgelesen", "Priya Natarajan covers", "â€", "Ã", "\uFFFD"} {
						if strings.Contains(a.Body, junk) {
							t.Errorf("body has %q", junk)
						}
					}
				}
				g := struct {
					Verdict
					Title     string    `json:"title"`
					Published time.Time `json:"published"`
					Body      string    `json:"body"`
				}{v, a.Title, a.Published, a.Body}
				checkGolden(t, filepath.Join("..", "testdata", "golden", "verdict", dir, strings.TrimSuffix(name, ".html")+".json"), g)
			})
		}
	}
}
