package main

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// TestEntitySearchOnMeili runs the searches of TestSearchEntityHierarchy
// and TestSearchRanksTaggedFirst against the real Meilisearch: --entity
// amazon with no words finds the Prime Video piece, --exact does not, and
// "Amazon" ranks AGCM's fine before the rainforest piece.
func TestEntitySearchOnMeili(t *testing.T) {
	withMeili(t, meilitest.Shared(t))
	_, file, _, _ := runtime.Caller(0)
	site := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "entities", "site")
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "meili", "crawl", "--delay", "0", site); err != nil {
		t.Fatal(err)
	}
	search := func(args ...string) []string {
		t.Helper()
		out, _, err := run(t, "", append([]string{"--data-dir", dir, "--index", "meili", "search", "--json"}, args...)...)
		if err != nil {
			t.Fatalf("search %v: %v", args, err)
		}
		return hitTitles(t, out)
	}
	if got := search("--entity", "amazon"); !hasTitle(got, "Prime Video doubles") || !hasTitle(got, "AGCM fines Amazon") || hasTitle(got, "rainforest") {
		t.Errorf("--entity amazon = %q, want the fine and the Prime Video piece", got)
	}
	if got := search("--entity", "amazon", "--exact"); hasTitle(got, "Prime Video doubles") || !hasTitle(got, "AGCM fines Amazon") {
		t.Errorf("--entity amazon --exact = %q, want the fine alone", got)
	}
	for _, sort := range []string{"relevance", "mixed"} {
		got := search("--sort", sort, "Amazon")
		if len(got) != 2 || !strings.Contains(got[0], "AGCM fines Amazon") || !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "rainforest") }) {
			t.Errorf("Amazon --sort %s = %q, want AGCM's fine first, then the rainforest piece", sort, got)
		}
	}
}
