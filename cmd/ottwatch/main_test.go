package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

var tempRoot string

func TestMain(m *testing.M) {
	var err error
	tempRoot, err = os.MkdirTemp("", "ottwatch-cmd-test")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	meilitest.StopShared()
	os.RemoveAll(tempRoot)
	os.Exit(code)
}

func mkdirTemp() (string, error) { return os.MkdirTemp(tempRoot, "data") }

// run runs ottwatch with args and stdin, returning stdout, stderr and the
// error main would print.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCtx(context.Background(), stdin, args...)
}

// runCtx runs ottwatch like run, until ctx is done.
func runCtx(ctx context.Context, stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	cmd := newRootCmd(&streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut}, ottwatch.SystemClock{})
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// siteDir is the fixture news site.
func siteDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "site")
}

var (
	crawlOnce sync.Once
	crawlDir  string
	crawlErr  error
)

// crawledDataDir returns a data directory holding the fixture site, crawled
// once for all the tests of the package.
func crawledDataDir(t *testing.T) string {
	t.Helper()
	crawlOnce.Do(func() {
		dir, err := mkdirTemp()
		if err != nil {
			crawlErr = err
			return
		}
		crawlDir = dir
		_, _, crawlErr = run(t, "", "--data-dir", dir, "crawl", "--delay", "0", siteDir(t))
	})
	if crawlErr != nil {
		t.Fatalf("crawl: %v", crawlErr)
	}
	return crawlDir
}

// serveFixtureSite serves the fixture site on loopback and counts the
// requests it gets.
func serveFixtureSite(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	files := http.FileServer(http.Dir(siteDir(t)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, s)
	}
	return v
}
