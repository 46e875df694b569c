package main

import (
	"crypto/sha256"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// The reliability suite of the server and searches: items 5, 6, 10 and 11
// of the report, each reproduced and shown fixed on a crawled data
// directory. The rest of item 6 (turns, 429, the cache, one opening of the
// index) is in feeds' TestServerBusy, TestServerCache and
// TestServerDeadlineAndClientGone and in TestSharedIndexLinger.

// distinctWords returns n different words.
func distinctWords(n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = "w" + strings.Repeat("x", i%40) + string(rune('a'+i%26))
	}
	return strings.Join(words, " ")
}

// Item 5: a long query held the server for minutes, and the CLI as long.
func TestReliabilityLongQuery(t *testing.T) {
	dir := crawledDataDir(t)
	repeated := strings.TrimSpace(strings.Repeat("amazon ", 3000))
	// The same word repeated is one word, on the command line...
	out, _, err := run(t, "", "--data-dir", dir, "search", "--json", strings.Repeat("amazon ", ottwatch.MaxTextBytes/len("amazon ")))
	if err != nil {
		t.Fatalf("search of a repeated word: %v", err)
	}
	once, _, err := run(t, "", "--data-dir", dir, "search", "--json", "amazon")
	if err != nil {
		t.Fatal(err)
	}
	if res := decode[resultsJSON](t, out); res.Total == 0 || res.Total != decode[resultsJSON](t, once).Total {
		t.Errorf("search of a repeated word found %d, once %d", res.Total, decode[resultsJSON](t, once).Total)
	}
	// ...and 3,000 words, or too many different ones, are refused at once.
	if _, _, err := run(t, "", "--data-dir", dir, "search", repeated); err == nil || !strings.Contains(err.Error(), "bad query") {
		t.Errorf("search of 3,000 words: %v", err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "search", distinctWords(ottwatch.MaxWords+1)); err == nil ||
		!strings.Contains(err.Error(), "distinct words") {
		t.Errorf("search of too many words: %v", err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "search", strings.Repeat("x", ottwatch.MaxTextBytes+1)); err == nil ||
		!strings.Contains(err.Error(), "bytes long") {
		t.Errorf("search of a text too long: %v", err)
	}

	base, _, _ := startServe(t, "--data-dir", dir)
	for _, tt := range []struct {
		q      string
		status int
	}{
		{repeated[:ottwatch.MaxTextBytes-1], http.StatusOK},
		{distinctWords(ottwatch.MaxWords + 1), http.StatusBadRequest},
		{repeated, http.StatusBadRequest}, // longer than MaxTextBytes
	} {
		for _, path := range []string{"/api/search?q=", "/?q=", "/feeds/search.rss?q="} {
			res, body := httpGet(t, base+path+url.QueryEscape(tt.q))
			if res.StatusCode != tt.status {
				t.Errorf("%s(%d bytes): %d, want %d: %.200s", path, len(tt.q), res.StatusCode, tt.status, body)
			}
		}
	}
	// Item 6: no page of more than MaxLimit hits.
	if res, body := httpGet(t, base+"/api/search?q=amazon&limit=100000"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("limit=100000: %d %.200s", res.StatusCode, body)
	}
}

// Item 10: feed links came from the request's Host header, and feeds are
// cached publicly.
func TestReliabilityHostHeader(t *testing.T) {
	dir := crawledDataDir(t)
	cfg := writeConfig(t, readmeWatchlists)
	base, _, _ := startServe(t, "--data-dir", dir, "--config", cfg, "--base-url", "https://news.example.org")
	for _, tt := range []struct {
		host   string
		status int
	}{
		{"attacker.example", http.StatusMisdirectedRequest},
		{"attacker.example:80", http.StatusMisdirectedRequest},
		{"news.example.org", http.StatusOK},
		{"localhost", http.StatusOK},
		{strings.TrimPrefix(base, "http://"), http.StatusOK},
	} {
		req, err := http.NewRequest(http.MethodGet, base+"/feeds/amazon-telecom.rss", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tt.host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		_, err = io.Copy(&body, res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != tt.status {
			t.Errorf("Host %s: %d, want %d", tt.host, res.StatusCode, tt.status)
			continue
		}
		if tt.status == http.StatusOK && (!strings.Contains(body.String(), "https://news.example.org/feeds/amazon-telecom.rss") ||
			tt.host != "news.example.org" && strings.Contains(body.String(), tt.host+"/")) {
			t.Errorf("Host %s: the feed's links do not all start with the base URL:\n%.600s", tt.host, body.String())
		}
	}
	if _, _, err := run(t, "", "--data-dir", dir, "serve", "--base-url", "ftp://x"); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("serve --base-url ftp://x: %v", err)
	}
}

// Item 11: serve and search opened the index for writing, so its files
// changed on every request and a read-only copy could not be searched.
func TestReliabilityReadOnlyCopy(t *testing.T) {
	src := filepath.Join(crawledDataDir(t), "bleve")
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "bleve"), os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	sums := func() map[string][32]byte {
		out := make(map[string][32]byte)
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			out[path] = sha256.Sum256(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	setMode(t, dir, 0o444, 0o555)
	t.Cleanup(func() { setMode(t, dir, 0o644, 0o755) })
	before := sums()

	out, _, err := run(t, "", "--data-dir", dir, "search", "--json", "Amazon")
	if err != nil {
		t.Fatalf("search on a read-only copy: %v", err)
	}
	if decode[resultsJSON](t, out).Total == 0 {
		t.Error("search on a read-only copy found nothing")
	}
	base, _, stop := startServe(t, "--data-dir", dir)
	for _, path := range []string{"/api/search?q=Amazon", "/?q=Agcom", "/feeds/search.rss?q=Iliad", "/entities/amazon", "/healthz"} {
		if res, body := httpGet(t, base+path); res.StatusCode != http.StatusOK {
			t.Errorf("%s on a read-only copy: %d %.200s", path, res.StatusCode, body)
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	after := sums()
	for path, sum := range before {
		if after[path] != sum {
			t.Errorf("%s changed", path)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
}

// setMode sets the mode of every file under dir to file, and of every
// directory to directory.
func setMode(t *testing.T, dir string, file, directory fs.FileMode) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(path, directory)
		}
		return os.Chmod(path, file)
	})
	if err != nil {
		t.Fatal(err)
	}
}
