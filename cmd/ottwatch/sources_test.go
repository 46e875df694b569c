package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/ottwatch/ottwatch/index/ingest"
)

// writeSources writes a sources file with a working source (the fixture
// site) and one whose server refuses everything.
func writeSources(t *testing.T) (file string, good *httptest.Server) {
	t.Helper()
	good, _ = serveFixtureSite(t)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "go away", http.StatusForbidden)
	}))
	t.Cleanup(refusing.Close)
	file = filepath.Join(t.TempDir(), "sources.yaml")
	yaml := fmt.Sprintf(`sources:
  - {name: fixture, title: Fixture site, start: [%s/], lang: it, every: 200ms}
  - {name: refusing, start: [%s/]}
`, good.URL, refusing.URL)
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, good
}

func TestSourcesHealth(t *testing.T) {
	file, _ := writeSources(t)
	dir := t.TempDir()
	stdout, _, err := run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--sources", file, "--delay", "0")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fixture: ", "refusing: ", "14 articles kept"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("crawl output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, err = run(t, "", "--data-dir", dir, "sources", "--sources", file, "--health", "--json")
	if err != nil {
		t.Fatal(err)
	}
	type health struct {
		Name   string
		Health struct {
			Runs        int
			LastSuccess *time.Time `json:"last_success"`
			Recent      struct{ Fetched, Articles, Forbidden int }
			Problems    []string
		}
	}
	byName := make(map[string]health)
	for _, h := range decode[[]health](t, stdout) {
		byName[h.Name] = h
	}
	if h := byName["fixture"].Health; h.Runs != 1 || h.Recent.Articles != 14 || h.LastSuccess == nil || len(h.Problems) != 0 {
		t.Errorf("fixture health %+v", h)
	}
	if h := byName["refusing"].Health; h.Recent.Forbidden == 0 || h.LastSuccess != nil || !strings.Contains(strings.Join(h.Problems, ";"), "refused") {
		t.Errorf("refusing health %+v", h)
	}
	t.Setenv("COLUMNS", "200") // wide enough for the problems in full
	stdout, _, err = run(t, "", "--data-dir", dir, "sources", "--sources", file, "--health")
	if err != nil || !strings.Contains(stdout, "refused") || !strings.Contains(stdout, "FAILED") {
		t.Errorf("health table: %v\n%s", err, stdout)
	}
	// Crawling again fetches no archived article.
	stdout, _, err = run(t, "", "--data-dir", dir, "--index", "bleve", "crawl", "--sources", file, "--source", "fixture", "--delay", "0", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if s := decode[ingest.Summary](t, stdout); s.Articles != 0 || s.Fetched == 0 {
		t.Errorf("second crawl fetched %d articles again (%d pages)", s.Articles, s.Fetched)
	}
}

func TestSourcesList(t *testing.T) {
	stdout, _, err := run(t, "", "sources")
	if err != nil || !strings.Contains(stdout, "agcom") || !strings.Contains(stdout, "bundesnetzagentur") {
		t.Errorf("sources: %v\n%s", err, stdout)
	}
	if _, _, err := run(t, "", "crawl", "--source", "nowhere"); err == nil || !strings.Contains(err.Error(), "no such source") {
		t.Errorf("unknown source: %v", err)
	}
	if _, _, err := run(t, "", "sources", "--sources", "/no/such/file.yaml"); err == nil {
		t.Error("missing sources file: no error")
	}
}

// TestWatch runs crawl --watch on a fake clock: the fixture source, due
// every 200ms, is crawled once at the start and again only once the clock
// has moved on by its period.
func TestWatch(t *testing.T) {
	file, _ := writeSources(t)
	clock := clockwork.NewFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		cmd := newRootCmd(&streams{In: strings.NewReader(""), Out: &out, Err: io.Discard}, clock)
		cmd.SetArgs([]string{"--data-dir", t.TempDir(), "--index", "bleve", "crawl", "--watch", "--every", "1h",
			"--sources", file, "--source", "fixture", "--delay", "0"})
		done <- cmd.ExecuteContext(ctx)
	}()
	wctx, wcancel := context.WithTimeout(ctx, time.Minute)
	defer wcancel()
	// Asleep: the watch loop until the source is due, the index sync until
	// its period has passed.
	if err := clock.BlockUntilContext(wctx, 2); err != nil {
		t.Fatalf("the watch loop never slept: %v\n%s", err, out.String())
	}
	if n := strings.Count(out.String(), "fixture: "); n != 1 {
		t.Fatalf("crawled %d times before the clock moved:\n%s", n, out.String())
	}
	clock.Advance(200 * time.Millisecond)
	if err := clock.BlockUntilContext(wctx, 2); err != nil {
		t.Fatalf("the watch loop never slept again: %v\n%s", err, out.String())
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the cancellation", err)
	}
	if n := strings.Count(out.String(), "fixture: "); n != 2 {
		t.Errorf("crawled %d times after one period, want 2:\n%s", n, out.String())
	}
}
