package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/ingest"
)

// TestReindexAfterGazetteerChange crawls the fixture site from a loopback
// server, then reindexes with a gazetteer that knows one more entity: the
// new tags must be searchable, and nothing must be fetched.
func TestReindexAfterGazetteerChange(t *testing.T) {
	srv, requests := serveFixtureSite(t)
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", "--keep-html", srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(filepath.Join("..", "..", "nlp", "gazetteer.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	extended := strings.Replace(string(base), "entities:\n", `entities:
  - id: rete-unica
    name: Rete unica
    type: product
    country: IT
    aliases: [rete unica]
`, 1)
	gazFile := filepath.Join(t.TempDir(), "gazetteer.yaml")
	if err := os.WriteFile(gazFile, []byte(extended), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "--gazetteer", gazFile, "search", "Amazon", "--entity", "rete-unica"); err != nil {
		t.Fatalf("the new entity is not known: %v", err)
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "--gazetteer", gazFile, "search", "Amazon", "--entity", "rete-unica", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if res := decode[resultsJSON](t, stdout); res.Total != 0 {
		t.Fatalf("tagged before reindex: %s", stdout)
	}
	before := requests.Load()
	stdout, _, err = run(t, "", "--data-dir", dir, "--gazetteer", gazFile, "reindex")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "extracted again from their page") {
		t.Errorf("reindex output: %s", stdout)
	}
	if n := requests.Load(); n != before {
		t.Errorf("reindex made %d requests", n-before)
	}
	stdout, _, err = run(t, "", "--data-dir", dir, "--gazetteer", gazFile, "search", "Amazon", "--entity", "rete-unica", "--json")
	if err != nil {
		t.Fatal(err)
	}
	res := decode[resultsJSON](t, stdout)
	if res.Total != 1 || !strings.Contains(res.Hits[0].URL, italianSeed) {
		t.Errorf("after reindex, --entity rete-unica finds: %s", stdout)
	}
}

// TestReindexRepairsIndex damages the Bleve index and rebuilds it from the
// archive.
func TestReindexRepairsIndex(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bleve", "index_meta.json"), []byte("{damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "search", "Agcom")
	if err == nil || !strings.Contains(err.Error(), "ottwatch reindex") {
		t.Fatalf("search on a damaged index: err = %v", err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "reindex"); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "search", "Agcom", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if res := decode[resultsJSON](t, stdout); res.Total != 3 {
		t.Errorf("after reindex: %d results for Agcom, want 3", res.Total)
	}
}

// TestReindexInSourceContext crawls the fixture site as a source with a
// country, a language and a selector, keeping the pages, then reindexes:
// the articles keep their country, their text is still what the selector
// picks, and since nothing changed nothing is rewritten.
func TestReindexInSourceContext(t *testing.T) {
	srv, _ := serveFixtureSite(t)
	sources := filepath.Join(t.TempDir(), "sources.yaml")
	yaml := "sources:\n  - {name: fixture, start: [" + srv.URL + "/], lang: it, country: IT, selector: \".article__body p:first-of-type\"}\n"
	if err := os.WriteFile(sources, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stdout, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--sources", sources, "--keep-html", "--delay", "0", "--json")
	if err != nil {
		t.Fatal(err)
	}
	crawled := decode[ingest.Summary](t, stdout)
	if crawled.New == 0 {
		t.Fatalf("crawl archived nothing: %s", stdout)
	}
	check := func(when string) {
		t.Helper()
		stdout, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "search", "Amazon Mise", "--json")
		if err != nil {
			t.Fatal(err)
		}
		res := decode[resultsJSON](t, stdout)
		if res.Total == 0 {
			t.Fatalf("%s: nothing found", when)
		}
		for _, h := range res.Hits {
			if !strings.Contains(h.URL, italianSeed) {
				continue
			}
			stdout, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "show", h.ID, "--json")
			if err != nil {
				t.Fatal(err)
			}
			a := decode[ottwatch.Article](t, stdout)
			if a.Country != "IT" {
				t.Errorf("%s: country %q, want IT", when, a.Country)
			}
			if strings.Contains(a.Body, "Se ciò dovesse") || !strings.Contains(a.Body, "Ad Amazon non basta") {
				t.Errorf("%s: the body is not the paragraph the selector picks:\n%s", when, a.Body)
			}
			return
		}
		t.Fatalf("%s: the Italian seed is not found", when)
	}
	check("after the crawl")
	stdout, _, err = run(t, "", "--data-dir", dir, "--index", "bleve", "reindex", "--sources", sources, "--json")
	if err != nil {
		t.Fatal(err)
	}
	sum := decode[reindexSummary](t, stdout)
	if sum.Articles != crawled.New || sum.Reextracted != sum.Articles || sum.Changed != 0 {
		t.Errorf("reindex: %d articles, %d extracted again, %d changed; want %d, %d, 0", sum.Articles, sum.Reextracted, sum.Changed, crawled.New, crawled.New)
	}
	check("after reindex")
	stdout, _, err = run(t, "", "--data-dir", dir, "--index", "bleve", "reindex", "--sources", sources)
	if err != nil || !strings.Contains(stdout, ", 0 changed)") {
		t.Errorf("second reindex: %v\n%s", err, stdout)
	}
}

// Reindex unpacks kept pages only up to --max-body: a larger one keeps its
// archived article, and the index keeps every article.
func TestReindexMaxBody(t *testing.T) {
	srv, _ := serveFixtureSite(t)
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", "--keep-html", srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		stdout, _, err := run(t, "", "--data-dir", dir, "search", "--since", "2000-01-01", "--json", "--limit", "1")
		if err != nil {
			t.Fatal(err)
		}
		return decode[resultsJSON](t, stdout).Total
	}
	before := count()
	if _, _, err := run(t, "", "--data-dir", dir, "reindex", "--max-body", "0"); err == nil || !strings.Contains(err.Error(), "--max-body") {
		t.Errorf("reindex --max-body 0: %v, want an error naming the flag", err)
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "reindex", "--max-body", "100")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "(0 extracted again from their page") {
		t.Errorf("reindex --max-body 100 output: %s", stdout)
	}
	if after := count(); after != before || before == 0 {
		t.Errorf("index holds %d articles after reindex, %d before", after, before)
	}
}

// TestReindexReclusters reindexes a crawl of the fixture site: every article
// is assigned to its story again from scratch, and the same articles give
// the same stories, with the same headlines, that the reindex counts.
func TestReindexReclusters(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	stories := func() map[string]string {
		t.Helper()
		stdout, _, err := run(t, "", "--data-dir", dir, "stories", "--limit", "0", "--json")
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range decode[[]ottwatch.Story](t, stdout) {
			out[s.ID] = s.Headline + " " + strings.Join(s.Articles, ",")
		}
		return out
	}
	before := stories()
	if len(before) == 0 {
		t.Fatal("no stories after the crawl")
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "reindex")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("in %d stories", len(before)); !strings.Contains(stdout, want) {
		t.Errorf("reindex says %q, want %q", stdout, want)
	}
	if after := stories(); !maps.Equal(after, before) {
		t.Errorf("stories after reindex:\n%v\nbefore:\n%v", after, before)
	}
}
