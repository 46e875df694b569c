package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

const testMasterKey = "test-master-key-0123456789"

// withMeili points ottwatch at a Meilisearch test double for the test.
func withMeili(t *testing.T) *meilitest.Server {
	t.Helper()
	srv := meilitest.NewServer(meilitest.WithMasterKey(testMasterKey))
	t.Cleanup(srv.Close)
	t.Setenv("MEILI_URL", srv.URL())
	t.Setenv("MEILI_API_KEY", testMasterKey)
	t.Setenv("MEILI_INDEX", "")
	t.Setenv("OTTWATCH_INDEX", "")
	return srv
}

// TestCrawlWhileMeiliDown crawls while Meilisearch refuses connections:
// the crawl archives everything and says sync will deliver it; once
// Meilisearch is back, sync delivers every article exactly once.
func TestCrawlWhileMeiliDown(t *testing.T) {
	srv := withMeili(t)
	if err := srv.RefuseConnections(true); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stdout, stderr, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", siteDir(t))
	if err == nil || !strings.Contains(err.Error(), "unreachable") || !strings.Contains(err.Error(), "'ottwatch sync' will deliver") {
		t.Fatalf("crawl with Meilisearch down: err = %v", err)
	}
	if !strings.Contains(err.Error(), "14 articles wait") {
		t.Errorf("error does not say how many articles wait: %v", err)
	}
	for _, out := range []string{stdout, stderr, err.Error()} {
		if strings.Contains(out, testMasterKey) {
			t.Fatalf("the API key was printed: %s", out)
		}
	}
	if err := srv.RefuseConnections(false); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = run(t, "", "--data-dir", dir, "sync")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "14 articles delivered to the meili index") {
		t.Errorf("sync: %s", stdout)
	}
	received := srv.Received("articles")
	if len(received) != 14 {
		t.Errorf("Meilisearch holds %d articles, want 14", len(received))
	}
	for id, n := range received {
		if n != 1 {
			t.Errorf("article %s arrived %d times", id, n)
		}
	}
	stdout, _, err = run(t, "", "--data-dir", dir, "sync")
	if err != nil || !strings.Contains(stdout, "0 articles delivered") {
		t.Errorf("second sync: %v %s", err, stdout)
	}
}

// TestSameResultsOnBothBackends feeds one archive to both indexes and
// checks that searches find the same articles.
func TestSameResultsOnBothBackends(t *testing.T) {
	withMeili(t)
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	if stdout, _, err := run(t, "", "--data-dir", dir, "--index", "meili", "sync"); err != nil || !strings.Contains(stdout, "14 articles delivered") {
		t.Fatalf("sync to Meilisearch: %v %s", err, stdout)
	}
	tests := []struct {
		q []string
		// wider: Meilisearch may find more. It does not stem but forgives
		// typos, so the Italian "telecomunicazione" also finds the Spanish
		// "telecomunicaciones", where Bleve's Italian stemmer stays Italian.
		wider bool
	}{
		{q: []string{"Agcom"}},
		{q: []string{"Amazon", "--lang", "fr"}},
		{q: []string{"telecomunicazione"}, wider: true},
		{q: []string{"telecomunicazione", "--lang", "it"}},
		{q: []string{"consommateurs"}},
		{q: []string{"Poste Italiane"}},
		{q: []string{"Iliad", "--sort", "date"}},
		{q: []string{"fibra", "--entity", "open-fiber"}},
		{q: []string{"Netflix", "--since", "2026-11-01"}},
		{q: []string{"Bundesnetzagentur", "--source", "netzmarkt-aktuell.example"}},
	}
	for _, tt := range tests {
		q := tt.q
		t.Run(strings.Join(q, " "), func(t *testing.T) {
			ids := make(map[string][]string)
			for _, backend := range []string{"bleve", "meili"} {
				stdout, _, err := run(t, "", append([]string{"--data-dir", dir, "--index", backend, "search", "--json", "--limit", "50"}, q...)...)
				if err != nil {
					t.Fatalf("%s: %v", backend, err)
				}
				for _, h := range decode[resultsJSON](t, stdout).Hits {
					ids[backend] = append(ids[backend], h.ID)
				}
			}
			if len(ids["bleve"]) == 0 {
				t.Fatal("no results")
			}
			if slices.Contains(q, "date") {
				if !slices.Equal(ids["bleve"], ids["meili"]) {
					t.Errorf("by date: bleve %v, meili %v", ids["bleve"], ids["meili"])
				}
				return
			}
			slices.Sort(ids["bleve"])
			slices.Sort(ids["meili"])
			if tt.wider {
				for _, id := range ids["bleve"] {
					if !slices.Contains(ids["meili"], id) {
						t.Errorf("meili lacks %s: bleve %v, meili %v", id, ids["bleve"], ids["meili"])
					}
				}
				return
			}
			if !slices.Equal(ids["bleve"], ids["meili"]) {
				t.Errorf("bleve %v, meili %v", ids["bleve"], ids["meili"])
			}
		})
	}
}
