package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

var meiliIndexSeq atomic.Int64

// withMeili points ottwatch at a fresh index of the real Meilisearch srv,
// through a proxy that injects faults, and returns the proxy and the
// index uid.
func withMeili(t *testing.T, srv *meilitest.Server) (*meilitest.Proxy, string) {
	t.Helper()
	p := meilitest.NewProxy(t, srv.URL)
	uid := fmt.Sprintf("cli_%d", meiliIndexSeq.Add(1))
	t.Setenv("MEILI_URL", p.URL)
	t.Setenv("MEILI_API_KEY", srv.Key)
	t.Setenv("MEILI_INDEX", uid)
	t.Setenv("OTTWATCH_INDEX", "")
	return p, uid
}

// checkDelivered checks that Meilisearch holds n articles in index uid,
// each delivered exactly once through p.
func checkDelivered(t *testing.T, srv *meilitest.Server, p *meilitest.Proxy, uid string, n int) {
	t.Helper()
	received := p.Received(uid)
	if len(received) != n {
		t.Errorf("%d articles delivered, want %d", len(received), n)
	}
	for id, c := range received {
		if c != 1 {
			t.Errorf("article %s delivered %d times", id, c)
		}
	}
	stats, err := srv.Client().Index(uid).GetStatsWithContext(t.Context(), nil)
	if err != nil || stats.NumberOfDocuments != int64(n) {
		t.Errorf("Meilisearch holds %v articles (%v), want %d", stats, err, n)
	}
}

// countIn returns the number that the group of pattern matches in text.
func countIn(t *testing.T, pattern, text string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%q not found in %q", pattern, text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestCrawlWhileMeiliDown crawls while Meilisearch refuses connections:
// the crawl archives everything and says sync will deliver it; once
// Meilisearch is back, sync delivers every article exactly once.
func TestCrawlWhileMeiliDown(t *testing.T) {
	srv := meilitest.Shared(t)
	p, uid := withMeili(t, srv)
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stdout, stderr, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", siteDir(t))
	if err == nil || !strings.Contains(err.Error(), "unreachable") || !strings.Contains(err.Error(), "'ottwatch sync' will deliver") {
		t.Fatalf("crawl with Meilisearch down: err = %v", err)
	}
	waiting := countIn(t, `(\d+) articles wait`, err.Error())
	for _, out := range []string{stdout, stderr, err.Error()} {
		if strings.Contains(out, srv.Key) {
			t.Fatalf("the API key was printed: %s", out)
		}
	}
	if err := p.Refuse(false); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = run(t, "", "--data-dir", dir, "sync")
	if err != nil {
		t.Fatal(err)
	}
	if n := countIn(t, `(\d+) articles delivered to the meili index`, stdout); n != waiting {
		t.Errorf("sync delivered %d articles, %d were waiting", n, waiting)
	}
	checkDelivered(t, srv, p, uid, waiting)
	stdout, _, err = run(t, "", "--data-dir", dir, "sync")
	if err != nil || !strings.Contains(stdout, "0 articles delivered") {
		t.Errorf("second sync: %v %s", err, stdout)
	}
}

// TestMeiliKilledDuringSync kills Meilisearch as the crawl's second sync
// sends its articles: the crawl goes on and reports what waits; after a
// restart, sync delivers the rest. Every article reaches Meilisearch
// exactly once.
func TestMeiliKilledDuringSync(t *testing.T) {
	srv := meilitest.Start(t)
	p, uid := withMeili(t, srv)
	var posts atomic.Int64
	var kill sync.Once
	p.OnRequest(func(r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/indexes/"+uid+"/documents" && posts.Add(1) == 2 {
			kill.Do(srv.Kill)
		}
	})
	dir := t.TempDir()
	_, _, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", "--batch", "4", "--sync-every", "1ns", siteDir(t))
	if err == nil || !strings.Contains(err.Error(), "articles wait in the archive") {
		t.Fatalf("crawl while Meilisearch was killed: err = %v", err)
	}
	before := len(p.Received(uid))
	waiting := countIn(t, `(\d+) articles wait`, err.Error())
	if before == 0 || waiting == 0 {
		t.Fatalf("%d articles delivered before the kill, %d waiting; want some of each", before, waiting)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "sync")
	if err != nil {
		t.Fatalf("sync after the restart: %v", err)
	}
	if n := countIn(t, `(\d+) articles delivered to the meili index`, stdout); n != waiting {
		t.Errorf("sync delivered %d articles, %d were waiting", n, waiting)
	}
	checkDelivered(t, srv, p, uid, before+waiting)
}

// TestSameResultsOnBothBackends feeds one archive to both indexes and
// checks that searches find the same articles.
func TestSameResultsOnBothBackends(t *testing.T) {
	withMeili(t, meilitest.Shared(t))
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "--index", "meili", "sync")
	if err != nil {
		t.Fatalf("sync to Meilisearch: %v", err)
	}
	if n := countIn(t, `(\d+) articles delivered`, stdout); n == 0 {
		t.Fatalf("sync to Meilisearch: %s", stdout)
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

// TestMeiliDocumentForReaders crawls a page with an og:image into a real
// Meilisearch and fetches its document over HTTP: it lists what a reader
// scans first, title first, and carries the image.
func TestMeiliDocumentForReaders(t *testing.T) {
	srv := meilitest.Shared(t)
	_, uid := withMeili(t, srv)
	page, err := os.ReadFile(filepath.Join(siteDir(t), "de", "bundeskartellamt-google-tv-youtube-meta.html"))
	if err != nil {
		t.Fatal(err)
	}
	const image = "https://www.netzmarkt-aktuell.example/bilder/google-tv.jpg"
	page = bytes.Replace(page, []byte(`<meta name="twitter:card"`), []byte(`<meta property="og:image" content="`+image+`"><meta name="twitter:card"`), 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "--data-dir", t.TempDir(), "crawl", "--delay", "0", file); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/indexes/"+uid+"/documents?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Results []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list.Results) != 1 {
		t.Fatalf("documents: %v, %d", err, len(list.Results))
	}
	raw := list.Results[0]
	want := []string{`{"title":"Bundeskartellamt: Google`, `"source":"netzmarkt-aktuell.example"`, `"published":"2026-11-19 14:45 UTC"`,
		`"lang":"de"`, `"entity_names":[`, `"summary":"Die Wettbewerbshüter`, `"url":"file://`, `"image":"` + image + `"`, `"id":"`}
	at := 0
	for _, w := range want {
		i := bytes.Index(raw[at:], []byte(w))
		if i < 0 {
			t.Fatalf("document lacks %s after offset %d, or has it out of order:\n%s", w, at, raw)
		}
		at += i + len(w)
	}
}

// TestMeiliReindexAnswers reindexes into Meilisearch while searching the
// live index each time the new one receives articles: the live index
// answers with every article throughout, and the new one takes its place.
func TestMeiliReindexAnswers(t *testing.T) {
	srv := meilitest.Shared(t)
	p, uid := withMeili(t, srv)
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	live := srv.Client().Index(uid)
	stats, err := live.GetStatsWithContext(t.Context(), nil)
	if err != nil || stats.NumberOfDocuments == 0 {
		t.Fatalf("after the crawl: %v, %v", stats, err)
	}
	var mu sync.Mutex
	var during []string
	p.OnRequest(func(r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/indexes/"+uid+"_rebuild/documents" {
			return
		}
		res, err := live.SearchWithContext(r.Context(), "", &meilisearch.SearchRequest{Limit: 1})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			during = append(during, err.Error())
		} else {
			during = append(during, strconv.FormatInt(res.EstimatedTotalHits, 10))
		}
	})
	stdout, _, err := run(t, "", "--data-dir", dir, "reindex", "--json")
	if err != nil {
		t.Fatal(err)
	}
	sum := decode[reindexSummary](t, stdout)
	if int64(sum.Delivered) != stats.NumberOfDocuments {
		t.Errorf("reindex delivered %d, want %d", sum.Delivered, stats.NumberOfDocuments)
	}
	mu.Lock()
	defer mu.Unlock()
	want := strconv.FormatInt(stats.NumberOfDocuments, 10)
	if len(during) == 0 {
		t.Fatal("no search during the reindex")
	}
	for _, got := range during {
		if got != want {
			t.Errorf("search during the reindex: %s, want %s hits", got, want)
		}
	}
	if after, err := live.GetStatsWithContext(t.Context(), nil); err != nil || after.NumberOfDocuments != stats.NumberOfDocuments {
		t.Errorf("after the reindex: %v, %v", after, err)
	}
	if _, err := srv.Client().GetIndexWithContext(t.Context(), uid+"_rebuild"); err == nil {
		t.Errorf("the old index is left as %s_rebuild", uid)
	}
}

// TestServedOnBothBackends serves the fixture site from Bleve and from the
// real Meilisearch and checks that the pages built from aggregates and
// story-by-story reading agree: entity feeds item by item, and entity
// pages week by week.
func TestServedOnBothBackends(t *testing.T) {
	withMeili(t, meilitest.Shared(t))
	dir := t.TempDir()
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--delay", "0", siteDir(t)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "--index", "meili", "sync"); err != nil {
		t.Fatalf("sync to Meilisearch: %v", err)
	}
	feedItems := func(body string) []string {
		var feed struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &feed); err != nil {
			t.Fatalf("feed: %v\n%s", err, body)
		}
		var ids []string
		for _, it := range feed.Items {
			ids = append(ids, it.ID)
		}
		return ids
	}
	weekRow := regexp.MustCompile(`<tr><td>([^<]+)</td><td>(\d+)</td></tr>`)
	weeks := func(body string) []string {
		var rows []string
		for _, m := range weekRow.FindAllStringSubmatch(body, -1) {
			rows = append(rows, m[1]+": "+m[2])
		}
		return rows
	}
	paths := []struct {
		path  string
		parts func(string) []string
	}{
		{"/feeds/search.json?entity=amazon", feedItems},
		{"/feeds/search.json?entity=agcom", feedItems},
		{"/feeds/search.json?lang=it", feedItems},
		{"/entities/amazon", weeks},
		{"/entities/iliad", weeks},
	}
	got := make(map[string]map[string][]string)
	for _, backend := range []string{"bleve", "meili"} {
		base, _, stop := startServe(t, "--data-dir", dir, "--index", backend)
		got[backend] = make(map[string][]string)
		for _, p := range paths {
			res, body := httpGet(t, base+p.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d\n%s", backend, p.path, res.StatusCode, body)
			}
			got[backend][p.path] = p.parts(body)
		}
		if err := stop(); err != nil {
			t.Fatalf("%s: serve: %v", backend, err)
		}
	}
	for _, p := range paths {
		b, m := got["bleve"][p.path], got["meili"][p.path]
		if len(b) == 0 {
			t.Errorf("%s: nothing on Bleve", p.path)
		}
		if !slices.Equal(b, m) {
			t.Errorf("%s:\n bleve %v\n meili %v", p.path, b, m)
		}
	}
}
