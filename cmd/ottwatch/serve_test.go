package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// syncBuffer is a buffer that a running command writes to while a test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingOn = regexp.MustCompile(`serving the \w+ index on (http://[^/\s]+)/`)

// startServe runs 'ottwatch serve' with args on a free loopback port and
// returns its address, its output, and a stop func that interrupts it (as
// Ctrl-C does) and returns its error.
func startServe(t testing.TB, args ...string) (base string, stdout *syncBuffer, stop func() error) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd := newRootCmd(&streams{In: strings.NewReader(""), Out: stdout, Err: stderr}, ottwatch.SystemClock{})
	cmd.SetArgs(append(args, "serve", "--addr", "127.0.0.1:0"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingOn.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended: %v\n%s%s", err, stdout, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s%s", stdout, stderr)
		}
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return base, stdout, stop
}

func httpGet(t *testing.T, url string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestServe(t *testing.T) {
	dir := crawledDataDir(t)
	cfg := writeConfig(t, readmeWatchlists)
	// The same searches on the command line, before serve holds the index.
	searches := []struct{ args, params string }{
		{"Amazon --lang fr", "q=Amazon&lang=fr"},
		{"Agcom --facets --limit 3", "q=Agcom&facets=true&limit=3"},
		{"Iliad --collapse", "q=Iliad&collapse=1"},
		{"telecomunicazione --sort date --entity Poste_Italiane --since 2026-01-01", "q=telecomunicazione&sort=date&entity=Poste+Italiane&since=2026-01-01"},
	}
	want := make([]string, len(searches))
	for i, s := range searches {
		args := strings.Fields(strings.ReplaceAll(s.args, "Poste_Italiane", "poste-italiane"))
		out, _, err := run(t, "", append([]string{"--data-dir", dir, "--config", cfg, "search", "--json"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = out
	}

	base, stdout, stop := startServe(t, "--data-dir", dir, "--config", cfg)
	if !strings.Contains(stdout.String(), base+"/feeds/amazon-telecom.rss") {
		t.Errorf("the feeds of the watchlists are not listed:\n%s", stdout)
	}

	t.Run("api/search is search --json", func(t *testing.T) {
		for i, s := range searches {
			res, body := httpGet(t, base+"/api/search?"+s.params)
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
				t.Errorf("%s: status %d, %s", s.params, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if body != want[i] {
				t.Errorf("%s: the API answers\n%s\nsearch --json prints\n%s", s.params, body, want[i])
			}
		}
		res, body := httpGet(t, base+"/api/search?q=")
		if res.StatusCode != 400 || !strings.Contains(body, `"error": "empty query`) {
			t.Errorf("empty query: %d %s", res.StatusCode, body)
		}
		res, body = httpGet(t, base+"/api/search?q=x&limit=many")
		if res.StatusCode != 400 || !strings.Contains(body, "not a number") {
			t.Errorf("bad limit: %d %s", res.StatusCode, body)
		}
	})

	t.Run("feed with If-None-Match", func(t *testing.T) {
		first, body := httpGet(t, base+"/feeds/amazon-telecom.rss")
		if first.StatusCode != 200 || !strings.Contains(body, italianSeed) || !strings.Contains(body, frenchSeed) {
			t.Fatalf("status %d\n%s", first.StatusCode, body)
		}
		second, body2 := httpGet(t, base+"/feeds/amazon-telecom.rss", "If-None-Match", first.Header.Get("ETag"))
		if second.StatusCode != http.StatusNotModified || body2 != "" {
			t.Errorf("second request: status %d, want 304", second.StatusCode)
		}
	})

	t.Run("pages", func(t *testing.T) {
		for path, want := range map[string]string{
			"/healthz":                     "ok: 14 articles",
			"/?q=Agcom":                    "Rincari non comunicati",
			"/entities/agcom":              "<svg",
			"/feeds/italy-regulators.atom": "<feed",
			"/feeds/search.json?q=Iliad":   "jsonfeed.org",
		} {
			res, body := httpGet(t, base+path)
			if res.StatusCode != 200 || !strings.Contains(body, want) {
				t.Errorf("%s: status %d, no %q", path, res.StatusCode, want)
			}
		}
	})

	t.Run("entity briefing", func(t *testing.T) {
		res, body := httpGet(t, base+"/entities/amazon")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		for _, child := range []string{"Prime Video", "Amazon Web Services", "Amazon Leo"} {
			if !strings.Contains(body, `">`+child+`</a>`) {
				t.Errorf("no child %s on Amazon's page", child)
			}
		}
		_, section, _ := strings.Cut(body, `id="co-mentioned"`)
		section, _, _ = strings.Cut(section, "</section>")
		counted := regexp.MustCompile(`<a href="/\?entity=amazon&amp;entity=[a-z0-9-]+"[^>]*>[^<]+</a> <span class="count">[1-9][0-9]*</span>`)
		if n := len(counted.FindAllString(section, -1)); n < 3 {
			t.Errorf("%d entities named with Amazon, with counts; want at least 3:\n%s", n, section)
		}
	})

	t.Run("the index is free between requests", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if res, _ := httpGet(t, base+"/feeds/search.rss?q=Amazon"); res.StatusCode != 200 {
					t.Errorf("concurrent feed: status %d", res.StatusCode)
				}
			})
		}
		wg.Wait()
		if _, _, err := run(t, "", "--data-dir", dir, "--config", cfg, "search", "Agcom"); err != nil {
			t.Errorf("search while serve runs: %v", err)
		}
	})

	if err := stop(); err != nil {
		t.Errorf("serve ended with %v, want nil after Ctrl-C", err)
	}
	if !strings.Contains(stdout.String(), "stopped") {
		t.Errorf("no 'stopped' in\n%s", stdout)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second); err == nil {
		t.Error("still listening after stopping")
	}
}

func TestServeBadInput(t *testing.T) {
	dir := storyDataDir(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad address", []string{"--data-dir", dir, "--config", "", "serve", "--addr", "nowhere:-1"}, "serve:"},
		{"no feed items", []string{"--data-dir", dir, "--config", "", "serve", "--feed-items", "0"}, "--feed-items"},
		{"bad watchlist", []string{"--data-dir", dir, "--config", writeConfig(t, "watchlists:\n  - name: x\n    entities: [nobody]\n"), "serve"}, `entity "nobody"`},
		{"no index", []string{"--data-dir", t.TempDir(), "--config", "", "serve"}, "run 'ottwatch crawl' first"},
		{"no searches", []string{"--data-dir", dir, "--config", "", "serve", "--max-searches", "-1"}, "--max-searches"},
		{"negative queue wait", []string{"--data-dir", dir, "--config", "", "serve", "--queue-wait", "-1s"}, "--queue-wait"},
		{"no request time", []string{"--data-dir", dir, "--config", "", "serve", "--request-timeout", "0s"}, "--request-timeout"},
		{"negative cache TTL", []string{"--data-dir", dir, "--config", "", "serve", "--cache-ttl", "-1s"}, "--cache-ttl"},
		{"base URL not http", []string{"--data-dir", dir, "--config", "", "serve", "--base-url", "ftp://news.example.org"}, "--base-url"},
		{"base URL relative", []string{"--data-dir", dir, "--config", "", "serve", "--base-url", "news.example.org"}, "--base-url"},
		{"base URL with a password", []string{"--data-dir", dir, "--config", "", "serve", "--base-url", "https://u:secret@news.example.org"}, "without credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			} else if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %v shows the password", err)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		want bool
	}{{"127.0.0.1", true}, {"::1", true}, {"0.0.0.0", false}, {"192.168.1.10", false}, {"::", false}} {
		if got := isLoopback(&net.TCPAddr{IP: net.ParseIP(tt.ip)}); got != tt.want {
			t.Errorf("isLoopback(%s) = %v", tt.ip, got)
		}
	}
}
