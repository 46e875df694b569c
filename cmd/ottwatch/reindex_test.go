package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
