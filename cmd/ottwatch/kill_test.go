package main

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// generatedSite serves a news site of n article pages, reached from the
// home page through sections of 25, and counts the article pages served.
// Past the first holdAfter article pages it holds every answer until hold
// is closed, so that a test can stop a crawl in its middle.
type generatedSite struct {
	n         int
	served    atomic.Int64
	holdAfter int64
	hold      chan struct{}
	base      string // the site's URL, set once it is served

	mu    sync.Mutex
	paths map[string]int // requests per page
}

// hits returns how many times each page was asked for.
func (s *generatedSite) hits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.paths)
}

// buildBinary builds the ottwatch command for tests that run it as a
// process.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ottwatch")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// serve serves the site on loopback until the test ends, its base URL
// set before the first request can read it.
func (s *generatedSite) serve(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(s)
	s.base = "http://" + srv.Listener.Addr().String()
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// canonical returns the canonical URL of article i: on the site itself,
// since a page may only name its own site's URLs.
func (s *generatedSite) canonical(i int) string {
	return fmt.Sprintf("%s/a/%d", s.base, i)
}

func (s *generatedSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	path := r.URL.Path
	s.mu.Lock()
	if s.paths == nil {
		s.paths = make(map[string]int)
	}
	s.paths[path]++
	s.mu.Unlock()
	switch {
	case path == "/":
		fmt.Fprint(w, `<!DOCTYPE html><html lang="it"><head><title>Generated News</title><meta property="og:type" content="website"></head><body><ul>`)
		for sec := 0; sec*25 < s.n; sec++ {
			fmt.Fprintf(w, `<li><a href="/s/%d">Sezione %d</a></li>`, sec, sec)
		}
		fmt.Fprint(w, `</ul></body></html>`)
	case strings.HasPrefix(path, "/s/"):
		sec, _ := strconv.Atoi(strings.TrimPrefix(path, "/s/"))
		fmt.Fprint(w, `<!DOCTYPE html><html lang="it"><head><title>Sezione</title><meta property="og:type" content="website"></head><body><ul>`)
		for i := sec * 25; i < min(sec*25+25, s.n); i++ {
			fmt.Fprintf(w, `<li><article class="teaser"><a href="/a/%d">Notizia %d</a></article></li>`, i, i)
		}
		fmt.Fprint(w, `</ul></body></html>`)
	case strings.HasPrefix(path, "/a/"):
		i, err := strconv.Atoi(strings.TrimPrefix(path, "/a/"))
		if err != nil || i < 0 || i >= s.n {
			http.NotFound(w, r)
			return
		}
		if s.served.Add(1) > s.holdAfter {
			select {
			case <-s.hold:
			case <-r.Context().Done():
				return
			}
		}
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Notizia %[1]d</title>
<link rel="canonical" href="%[2]s"><meta property="og:type" content="article">
<meta property="article:published_time" content="2026-11-%02[3]dT10:00:00+01:00"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Notizia numero %[1]d sul mercato delle telecomunicazioni</h1>
<p>L’Agcom ha avviato un’istruttoria numero %[1]d sulle offerte di Iliad e di TIM per la rete mobile, dopo le segnalazioni dei consumatori.</p>
<p>Secondo l’Autorità, gli operatori avrebbero modificato le condizioni contrattuali senza un preavviso adeguato ai clienti, in violazione delle regole di settore.</p>
<p>Poste Italiane, che con PosteMobile offre servizi di telefonia, ha annunciato che collaborerà con l’Autorità e che non ha modificato i propri listini.</p>
</article></body></html>`, i, s.canonical(i), 1+i%28)
	default:
		http.NotFound(w, r)
	}
}

// TestCrawlSurvivesSIGKILL kills a crawl in the middle, runs it again and
// checks that every article is archived exactly once, that the archive is
// sound, and that the index holds what the archive holds.
func TestCrawlSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and crawls 250 pages")
	}
	bin := buildBinary(t)
	site := &generatedSite{n: 250, holdAfter: 120, hold: make(chan struct{})}
	srv := site.serve(t)
	dataDir := t.TempDir()
	crawl := func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, "--data-dir", dataDir, "--index", "bleve", "crawl",
			"--delay", "0", "--parallelism", "4", "--batch", "10", "--sync-every", "1ns", srv.URL+"/")
		cmd.Env = append(cmd.Environ(), "MEILI_URL=")
		return cmd
	}

	first := crawl(t.Context())
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has archived and indexed a first batch: with
	// --sync-every 1ns the index directory appears with the first batch.
	deadline := time.Now().Add(time.Minute)
	for !exists(filepath.Join(dataDir, "bleve")) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	_ = first.Wait()
	close(site.hold)
	if first.ProcessState.Success() {
		t.Fatal("the first crawl finished before it was killed")
	}
	ar, err := index.OpenArchive(filepath.Join(dataDir, "archive.db"))
	if err != nil {
		t.Fatalf("archive after SIGKILL: %v", err)
	}
	if err := ar.Check(); err != nil {
		t.Errorf("archive damaged by SIGKILL: %v", err)
	}
	partial, _ := ar.Count()
	ar.Close()
	t.Logf("killed after %d article pages served, %d archived", site.served.Load(), partial)
	if partial == 0 || partial >= site.n {
		t.Fatalf("%d articles archived when killed: not in the middle of the crawl", partial)
	}

	if out, err := crawl(t.Context()).CombinedOutput(); err != nil {
		t.Fatalf("second crawl: %v\n%s", err, out)
	}
	ar, err = index.OpenArchive(filepath.Join(dataDir, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	if err := ar.Check(); err != nil {
		t.Errorf("archive check: %v", err)
	}
	n, _ := ar.Count()
	if n != site.n {
		t.Errorf("%d articles archived, want %d", n, site.n)
	}
	for i := range site.n {
		if _, err := ar.Get(ottwatch.ArticleID(site.canonical(i))); err != nil {
			t.Errorf("article %d: %v", i, err)
		}
	}
	if w, err := index.Waiting(ar, backendBleve); err != nil || w != 0 {
		t.Errorf("%d articles not delivered to the index (%v)", w, err)
	}
	idx, err := bleve.Open(filepath.Join(dataDir, "bleve"))
	if err != nil {
		t.Fatalf("index after SIGKILL and a second crawl: %v", err)
	}
	defer idx.Close()
	if c, _ := idx.Count(t.Context()); c != n {
		t.Errorf("index holds %d articles, archive %d", c, n)
	}
}
