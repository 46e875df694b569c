package meili

import (
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// TestSyncThroughRestart kills the server as a sync sends its second batch
// and starts it again: the sync rides through on its retries, and every
// article reaches the index exactly once.
func TestSyncThroughRestart(t *testing.T) {
	srv := meilitest.Start(t)
	p := meilitest.NewProxy(t, srv.URL)
	x := openAt(t, p.URL, WithRetry(600, 10*time.Millisecond, 100*time.Millisecond))
	ar, err := index.OpenArchive(filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	list, _ := indextestAll()
	var pages []index.Page
	for _, a := range list {
		pages = append(pages, index.Page{Article: a})
	}
	if _, err := ar.Put(pages); err != nil {
		t.Fatal(err)
	}

	var posts atomic.Int64
	var once sync.Once
	restarted := make(chan error, 1)
	p.OnRequest(func(r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/indexes/"+x.UID()+"/documents" && posts.Add(1) == 2 {
			once.Do(func() {
				srv.Kill()
				go func() { restarted <- srv.Restart() }()
			})
		}
	})
	st, err := index.Sync(t.Context(), ar, "meili", x, 2)
	if err != nil {
		t.Fatalf("Sync through a restart: %v", err)
	}
	if err := <-restarted; err != nil {
		t.Fatal(err)
	}
	if st.Delivered != len(list) || st.Waiting != 0 {
		t.Errorf("Sync = %+v, want %d delivered", st, len(list))
	}
	received := p.Received(x.UID())
	if len(received) != len(list) {
		t.Errorf("%d articles received, want %d", len(received), len(list))
	}
	for id, n := range received {
		if n != 1 {
			t.Errorf("article %s received %d times", id, n)
		}
	}
	if n, err := x.Count(t.Context()); err != nil || n != len(list) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(list))
	}
	var failed int
	for _, r := range p.Requests() {
		if r.Status == http.StatusBadGateway {
			failed++
		}
	}
	if failed == 0 {
		t.Errorf("no request failed while the server was down")
	}
}
