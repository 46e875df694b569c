package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// clusterPage is an entry of testdata/clusters/manifest.json.
type clusterPage struct {
	Path      string `json:"path"`
	Canonical string `json:"canonical"`
	Story     string `json:"story"`
}

// clustersDir is the fixture of one story on three outlets and two other
// stories on the same company.
func clustersDir(t *testing.T) (string, []clusterPage) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "clusters")
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []clusterPage
	if err := json.Unmarshal(raw, &pages); err != nil {
		t.Fatal(err)
	}
	return dir, pages
}

// TestStoryClusters crawls one agency story published by three outlets and
// two other stories about Iliad: the copies share one cluster, the other
// stories have one each, and --collapse shows each story once, on both
// backends.
func TestStoryClusters(t *testing.T) {
	withMeili(t, meilitest.Shared(t))
	site, pages := clustersDir(t)
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", site); err != nil {
		t.Fatal(err)
	}
	if stdout, _, err := run(t, "", "--data-dir", dir, "--index", "meili", "sync"); err != nil || !strings.Contains(stdout, "5 articles delivered") {
		t.Fatalf("sync to Meilisearch: %v %s", err, stdout)
	}
	for _, backend := range []string{"bleve", "meili"} {
		t.Run(backend, func(t *testing.T) {
			search := func(args ...string) resultsJSON {
				t.Helper()
				stdout, _, err := run(t, "", append([]string{"--data-dir", dir, "--index", backend, "search", "Iliad", "--json", "--sort", "date"}, args...)...)
				if err != nil {
					t.Fatal(err)
				}
				return decode[resultsJSON](t, stdout)
			}
			all := search()
			if all.Total != 5 || len(all.Hits) != 5 {
				t.Fatalf("search Iliad: %d hits of %d, want 5", len(all.Hits), all.Total)
			}
			clusterOf := map[string]string{} // article id → cluster
			for _, h := range all.Hits {
				clusterOf[h.ID] = h.Cluster
			}
			storyCluster := map[string]string{} // story → cluster
			clusterStory := map[string]string{} // cluster → story
			for _, p := range pages {
				c := clusterOf[ottwatch.ArticleID(p.Canonical)]
				if c == "" {
					t.Errorf("%s: no cluster", p.Path)
					continue
				}
				if prev, ok := storyCluster[p.Story]; ok && prev != c {
					t.Errorf("%s: cluster %s, other copies of %s have %s", p.Path, c, p.Story, prev)
				}
				if prev, ok := clusterStory[c]; ok && prev != p.Story {
					t.Errorf("%s: cluster %s holds both %s and %s", p.Path, c, prev, p.Story)
				}
				storyCluster[p.Story], clusterStory[c] = c, p.Story
			}
			if len(storyCluster) != 3 {
				t.Errorf("%d stories have clusters, want 3: %v", len(storyCluster), storyCluster)
			}

			collapsed := search("--collapse")
			if collapsed.Total != 3 || len(collapsed.Hits) != 3 {
				t.Fatalf("search Iliad --collapse: %d hits of %d, want 3", len(collapsed.Hits), collapsed.Total)
			}
			// The table says how widely each story was covered.
			table, _, err := run(t, "", "--data-dir", dir, "--index", backend, "search", "Iliad", "--collapse")
			if err != nil || !strings.Contains(table, "ALSO") || !strings.Contains(table, "+2 outlets") {
				t.Errorf("search Iliad --collapse: %v\n%s", err, table)
			}
			// By date, the newest copy of the FiberCop story stands for it.
			newest := ottwatch.ArticleID(pages[2].Canonical)
			if got := collapsed.Hits[1].ID; got != newest {
				t.Errorf("second story is %s, want the newest copy %s", got, newest)
			}
			seen := map[string]bool{}
			for _, h := range collapsed.Hits {
				if seen[h.Cluster] {
					t.Errorf("cluster %s shown twice", h.Cluster)
				}
				seen[h.Cluster] = true
			}

			stdout, _, err := run(t, "", "--data-dir", dir, "--index", backend, "search", "Iliad", "--collapse", "--facets")
			if err != nil {
				t.Fatal(err)
			}
			// Facets count every copy.
			for _, want := range []string{`3 stories for "Iliad"`, "tlc-oggi.example (2)", "corrierecomunicazioni-news.example (2)", "mercatitelco.example (1)"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("table lacks %q:\n%s", want, stdout)
				}
			}
		})
	}
}
