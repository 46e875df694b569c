package meili

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

func TestMain(m *testing.M) { meilitest.Main(m) }

// fastRetry retries quickly, for tests.
var fastRetry = WithRetry(3, 5*time.Millisecond, 20*time.Millisecond)

// testLogger logs to the test.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

var uidSeq atomic.Int64

// newUID returns an index uid no other test uses.
func newUID() string { return fmt.Sprintf("test_%d", uidSeq.Add(1)) }

// openAt opens a fresh index on the server at url, closed when the test
// ends.
func openAt(t testing.TB, url string, opts ...Option) *Index {
	t.Helper()
	opts = append([]Option{fastRetry, WithLogger(testLogger(t))}, opts...)
	x, err := Open(context.Background(), Config{URL: url, APIKey: meilitest.MasterKey, IndexUID: newUID()}, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
}

// openShared opens a fresh index on the shared server.
func openShared(t testing.TB, opts ...Option) *Index {
	t.Helper()
	return openAt(t, meilitest.Shared(t).URL, opts...)
}

// openProxied opens a fresh index on the shared server through a proxy
// that injects faults.
func openProxied(t testing.TB, opts ...Option) (*Index, *meilitest.Proxy) {
	t.Helper()
	p := meilitest.NewProxy(t, meilitest.Shared(t).URL)
	return openAt(t, p.URL, opts...), p
}

// indextestAll returns the fixtures of the suite, in a stable order.
func indextestAll() ([]*ottwatch.Article, map[string]string) {
	fx := indextest.Fixtures()
	names := []string{indextest.It1, indextest.It2, indextest.Fr1, indextest.Es1, indextest.De1, indextest.En1, indextest.En2, indextest.Xx1}
	list := make([]*ottwatch.Article, len(names))
	byID := map[string]string{}
	for i, n := range names {
		list[i] = fx[n]
		byID[fx[n].ID] = n
	}
	return list, byID
}

// TestSuite runs the backend suite against a real Meilisearch.
func TestSuite(t *testing.T) {
	meilitest.Shared(t)
	indextest.Run(t, func(t *testing.T) ottwatch.Index { return openShared(t) })
}

// TestDifferences checks the documented differences from Bleve.
func TestDifferences(t *testing.T) {
	meilitest.Shared(t)
	indextest.Differences(t, indextest.Meilisearch, func(t *testing.T) ottwatch.Index { return openShared(t) })
}
