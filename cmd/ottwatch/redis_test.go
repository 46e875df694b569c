package main

import (
	"fmt"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/crawler/redistest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// TestTwoCrawlersShareRedis runs two crawl processes, as on two machines,
// that share a frontier through a real Redis and write to one Meilisearch:
// every page must be fetched exactly once overall, and every article must
// reach Meilisearch exactly once.
func TestTwoCrawlersShareRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs two crawls of 500 pages")
	}
	redisURL := redistest.Start(t)
	bin := buildBinary(t)
	site := &generatedSite{n: 500, holdAfter: 1 << 30}
	srv := site.serve(t)
	// An index of this run's own: its articles' ids (from the server's
	// address) are new at each run.
	uid := "redis_crawl_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	meili := meilitest.Shared(t)
	proxy := meilitest.NewProxy(t, meili.URL)

	procs := make([]*exec.Cmd, 2)
	outs := make([][]byte, 2)
	errs := make(chan error, 2)
	for i := range procs {
		cmd := exec.CommandContext(t.Context(), bin, "--data-dir", t.TempDir(), "crawl", "--redis", redisURL,
			"--delay", "0", "--parallelism", "4", "--json", srv.URL+"/")
		cmd.Env = append(cmd.Environ(), "MEILI_URL="+proxy.URL, "MEILI_API_KEY="+meili.Key, "MEILI_INDEX="+uid, "OTTWATCH_INDEX=")
		procs[i] = cmd
		go func() {
			out, err := cmd.CombinedOutput()
			outs[i] = out
			errs <- err
		}()
	}
	for range procs {
		if err := <-errs; err != nil {
			t.Fatalf("a crawler failed: %v\n%s\n%s", err, outs[0], outs[1])
		}
	}
	hits := site.hits()
	for i := range site.n {
		if n := hits[fmt.Sprintf("/a/%d", i)]; n != 1 {
			t.Errorf("article %d fetched %d times", i, n)
		}
	}
	for path, n := range hits {
		if n != 1 && path != "/robots.txt" {
			t.Errorf("%s fetched %d times", path, n)
		}
	}
	checkDelivered(t, meili, proxy, uid, site.n)
	t.Logf("robots.txt asked %d times; outputs:\n%s\n%s", hits["/robots.txt"], outs[0], outs[1])
}
