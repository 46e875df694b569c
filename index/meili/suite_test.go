package meili

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// testKey is the master key of the doubles of the tests.
const testKey = "ottwatch-test-master-key-5f1c"

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

// openDouble opens a fresh index on s, closed when the test ends.
func openDouble(t testing.TB, s *meilitest.Server, opts ...Option) *Index {
	t.Helper()
	uid := fmt.Sprintf("test_%d", uidSeq.Add(1))
	opts = append([]Option{fastRetry, WithLogger(testLogger(t))}, opts...)
	x, err := Open(context.Background(), Config{URL: s.URL(), APIKey: testKey, IndexUID: uid}, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = x.Close() })
	return x
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

func TestSuite(t *testing.T) {
	s := meilitest.NewServer(meilitest.WithMasterKey(testKey))
	defer s.Close()
	indextest.Run(t, func(t *testing.T) ottwatch.Index { return openDouble(t, s) })
}

func TestSuiteSmallBatches(t *testing.T) {
	s := meilitest.NewServer(meilitest.WithMasterKey(testKey), meilitest.WithTaskDelay(time.Millisecond))
	defer s.Close()
	indextest.Run(t, func(t *testing.T) ottwatch.Index { return openDouble(t, s, WithBatch(3, 2000)) })
}

// TestRealMeilisearch runs the suite against the Meilisearch server at
// $OTTWATCH_MEILI_URL, with the key $OTTWATCH_MEILI_KEY, each subtest on an
// index of its own, deleted at the end.
func TestRealMeilisearch(t *testing.T) {
	url := os.Getenv("OTTWATCH_MEILI_URL")
	if url == "" {
		t.Skip("OTTWATCH_MEILI_URL not set: set it to a Meilisearch URL to run the suite against a real server")
	}
	key := os.Getenv("OTTWATCH_MEILI_KEY")
	admin := meilisearch.New(url, meilisearch.WithAPIKey(key))
	indextest.Run(t, func(t *testing.T) ottwatch.Index {
		var b [6]byte
		_, _ = rand.Read(b[:])
		uid := "ottwatch_test_" + hex.EncodeToString(b[:])
		x, err := Open(t.Context(), Config{URL: url, APIKey: Secret(key), IndexUID: uid}, WithLogger(testLogger(t)))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() {
			_ = x.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			task, err := admin.DeleteIndexWithContext(ctx, uid)
			if err != nil {
				t.Errorf("delete index %s: %v", uid, convert(err))
				return
			}
			if _, err := admin.WaitForTaskWithContext(ctx, task.TaskUID, 50*time.Millisecond); err != nil {
				t.Errorf("delete index %s: %v", uid, convert(err))
			}
		})
		return x
	})
}
