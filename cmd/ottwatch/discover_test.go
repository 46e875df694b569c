package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp"
)

// discoverSite writes the articles of testdata/discover as the pages of a
// small news site and returns its directory.
func discoverSite(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "discover", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var articles []ottwatch.Article
	if err := json.Unmarshal(data, &articles); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, a := range articles {
		var body strings.Builder
		for _, p := range strings.SplitAfter(a.Body, ". ") {
			fmt.Fprintf(&body, "<p>%s</p>\n", html.EscapeString(p))
		}
		page := fmt.Sprintf(`<!DOCTYPE html>
<html lang="%s"><head><meta charset="utf-8"><title>%s</title>
<link rel="canonical" href="https://news.example/%s">
<meta property="article:published_time" content="%s"></head>
<body><nav><a href="/">Home</a></nav><article><h1>%s</h1>
%s</article><footer>© News</footer></body></html>
`, a.Lang, html.EscapeString(a.Title), a.ID, a.Published.Format("2006-01-02T15:04:05Z07:00"), html.EscapeString(a.Title), body.String())
		if err := os.WriteFile(filepath.Join(dir, a.ID+".html"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDiscoverAndAdopt(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", discoverSite(t)); err != nil {
		t.Fatal(err)
	}
	discover := func() []nlp.Candidate {
		out, _, err := run(t, "", "--data-dir", dir, "discover", "--since", "2026-01-01", "--json")
		if err != nil {
			t.Fatal(err)
		}
		return decode[[]nlp.Candidate](t, out)
	}
	names := func(cs []nlp.Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	found := names(discover())
	if !strings.Contains(strings.Join(found, "|"), "Nordlicht Netz") {
		t.Fatalf("discover = %q, want Nordlicht Netz", found)
	}
	out, _, err := run(t, "", "--data-dir", dir, "discover", "--since", "2026-01-01")
	if err != nil || !strings.Contains(out, "Nordlicht Netz *") {
		t.Errorf("discover table:\n%s (%v)", out, err)
	}

	if _, _, err := run(t, "", "--data-dir", dir, "gazetteer", "add", "Nordlicht Netz", "--country", "DE"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "gazetteer", "add", "Nordlicht Netz"); err == nil {
		t.Error("the same entity was added twice")
	}
	if _, _, err := run(t, "", "--data-dir", dir, "reindex"); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "", "--data-dir", dir, "search", "--entity", "nordlicht-netz", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if n := decode[resultsJSON](t, out).Total; n < 3 {
		t.Errorf("after reindex, %d articles are tagged nordlicht-netz, want 3", n)
	}
	if after := names(discover()); strings.Contains(strings.Join(after, "|"), "Nordlicht Netz") {
		t.Errorf("discover still lists the adopted name: %q", after)
	}
}
