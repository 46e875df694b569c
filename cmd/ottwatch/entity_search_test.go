package main

import (
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	entitySiteOnce sync.Once
	entitySiteDir  string
	entitySiteErr  error
)

// entitySiteDataDir returns a data directory holding the small site of
// testdata/entities/site, crawled once: AGCM's fine on Amazon, a piece on
// the Amazon rainforest, and one naming only Prime Video.
func entitySiteDataDir(t *testing.T) string {
	t.Helper()
	entitySiteOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		site := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "entities", "site")
		if entitySiteDir, entitySiteErr = mkdirTemp(); entitySiteErr != nil {
			return
		}
		_, _, entitySiteErr = run(t, "", "--data-dir", entitySiteDir, "crawl", "--delay", "0", site)
	})
	if entitySiteErr != nil {
		t.Fatalf("crawl: %v", entitySiteErr)
	}
	return entitySiteDir
}

// hitTitles returns the titles of the hits of 'search --json' output.
func hitTitles(t *testing.T, out string) []string {
	t.Helper()
	var titles []string
	for _, h := range decode[resultsJSON](t, out).Hits {
		titles = append(titles, h.Title)
	}
	return titles
}

func hasTitle(titles []string, sub string) bool {
	return slices.ContainsFunc(titles, func(s string) bool { return strings.Contains(s, sub) })
}

func TestSearchEntityHierarchy(t *testing.T) {
	dir := entitySiteDataDir(t)
	tests := []struct {
		name        string
		args        []string
		prime, fine bool // whether the Prime Video piece and AGCM's fine are found
	}{
		{"amazon takes in Prime Video", []string{"--entity", "amazon"}, true, true},
		{"by name", []string{"--entity", "Amazon"}, true, true},
		{"exact", []string{"--entity", "amazon", "--exact"}, false, true},
		{"the child alone", []string{"--entity", "prime-video"}, true, false},
		{"words and the group", []string{"Italy", "--entity", "amazon"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "", append([]string{"--data-dir", dir, "search", "--json"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			titles := hitTitles(t, out)
			if hasTitle(titles, "Prime Video doubles") != tt.prime || hasTitle(titles, "AGCM fines Amazon") != tt.fine {
				t.Errorf("search %v = %q, want Prime Video piece %v, AGCM fine %v", tt.args, titles, tt.prime, tt.fine)
			}
			if hasTitle(titles, "rainforest") {
				t.Errorf("search %v finds the rainforest piece: %q", tt.args, titles)
			}
		})
	}
	t.Run("facets count the group", func(t *testing.T) {
		out, _, err := run(t, "", "--data-dir", dir, "search", "--json", "--facets", "--lang", "en")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range decode[resultsJSON](t, out).Facets["entity"] {
			if c.Value == "amazon" && c.Count != 2 {
				t.Errorf("amazon facet counts %d, want 2 (itself and Prime Video)", c.Count)
			}
		}
	})
}

func TestSearchRanksTaggedFirst(t *testing.T) {
	dir := entitySiteDataDir(t)
	for _, sort := range []string{"relevance", "mixed"} {
		out, _, err := run(t, "", "--data-dir", dir, "search", "--json", "--sort", sort, "Amazon")
		if err != nil {
			t.Fatal(err)
		}
		titles := hitTitles(t, out)
		if len(titles) != 2 || !strings.Contains(titles[0], "AGCM fines Amazon") || !strings.Contains(titles[1], "rainforest") {
			t.Errorf("search Amazon --sort %s = %q, want AGCM's fine on Amazon before the rainforest piece", sort, titles)
		}
	}
	out, _, err := run(t, "", "--data-dir", dir, "search", "--json", "--sort", "date", "Amazon")
	if err != nil {
		t.Fatal(err)
	}
	if titles := hitTitles(t, out); len(titles) != 2 || !strings.Contains(titles[0], "rainforest") {
		t.Errorf("search Amazon --sort date = %q, want the newer rainforest piece first", titles)
	}
}

func TestSearchUnknownFilters(t *testing.T) {
	dir := entitySiteDataDir(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--entity", "amazn"}, `--entity "amazn": no such entity; did you mean amazon`},
		{[]string{"x", "--topic", "satelite"}, `--topic "satelite": no such topic; did you mean satellite?`},
		{[]string{"x", "--topic", "nosuch"}, `--topic "nosuch": no such topic (see 'ottwatch topics')`},
		{nil, "empty query: give words to search for or a filter"},
	}
	for _, tt := range tests {
		_, _, err := run(t, "", append([]string{"--data-dir", dir, "search"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("search %v: error %v, want one line with %q", tt.args, err, tt.want)
		}
	}
}

func TestServeEntityHierarchy(t *testing.T) {
	dir := entitySiteDataDir(t)
	base, _, _ := startServe(t, "--data-dir", dir)
	for _, tt := range []struct {
		params string
		prime  bool
	}{
		{"entity=amazon", true},
		{"entity=amazon&exact=true", false},
	} {
		res, body := httpGet(t, base+"/api/search?"+tt.params)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.params, res.StatusCode, body)
		}
		titles := hitTitles(t, body)
		if hasTitle(titles, "Prime Video doubles") != tt.prime || !hasTitle(titles, "AGCM fines Amazon") {
			t.Errorf("/api/search?%s = %q, want the fine and Prime Video piece %v", tt.params, titles, tt.prime)
		}
	}
	// Errors name the API's parameters, not the command's flags.
	for params, want := range map[string]string{
		"entity=" + url.QueryEscape("amazn"): `"entity \"amazn\": no such entity`,
		"q=Amazon&since=zz":                  `"since: \"zz\" is neither`,
		"q=Amazon&sort=zz":                   `"sort \"zz\": want relevance`,
		"q=Amazon&limit=0":                   `"limit must be 1 to 1000 and offset 0 or more"`,
		"lang=italian":                       `"lang \"italian\": want a two-letter code`,
	} {
		res, body := httpGet(t, base+"/api/search?"+params)
		if res.StatusCode != 400 || !strings.Contains(body, want) {
			t.Errorf("/api/search?%s: %d %s, want 400 and %s", params, res.StatusCode, body, want)
		}
	}
}
