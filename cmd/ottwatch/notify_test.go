package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds/push"
	"github.com/ottwatch/ottwatch/index"
)

// hookReceiver is a webhook receiver that keeps the notices it confirmed.
// With onRequest set, it is called with the number of each request (from
// 1) before it is answered, and the request is answered 503 and not kept
// when it returns false.
type hookReceiver struct {
	mu        sync.Mutex
	requests  int
	notices   []push.Payload
	onRequest func(n int) bool
}

func (rc *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p push.Payload
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.requests++
	n, on := rc.requests, rc.onRequest
	rc.mu.Unlock()
	if on != nil && !on(n) {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	rc.mu.Lock()
	rc.notices = append(rc.notices, p)
	rc.mu.Unlock()
}

// confirmed returns the notices confirmed.
func (rc *hookReceiver) confirmed() []push.Payload {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.notices)
}

// checkOnce checks that the receiver was told of each story of the
// archive the watchlist follows exactly once as new, that no notice came
// twice, and that the last notice of each story lists all its articles.
func checkOnce(t *testing.T, notices []push.Payload, ar *index.Archive, follows func(articles []string) bool) {
	t.Helper()
	news := map[string]int{}
	last := map[string][]string{}
	seen := map[string]bool{}
	for _, p := range notices {
		if seen[p.Notice] {
			t.Errorf("notice %s (%s of story %s) confirmed twice", p.Notice, p.Type, p.Story.ID)
		}
		seen[p.Notice] = true
		if p.Type == push.TypeNew {
			news[p.Story.ID]++
		}
		last[p.Story.ID] = nil
		for _, a := range p.Story.Articles {
			last[p.Story.ID] = append(last[p.Story.ID], a.ID)
		}
	}
	stories, err := ar.StoriesAfter(0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	followed := 0
	for _, s := range stories {
		if !follows(s.Articles) {
			continue
		}
		followed++
		if news[s.ID] != 1 {
			t.Errorf("story %s (%q) notified %d times as new, want once", s.ID, s.Headline, news[s.ID])
		}
		if got, want := slices.Sorted(slices.Values(last[s.ID])), slices.Sorted(slices.Values(s.Articles)); !slices.Equal(got, want) {
			t.Errorf("story %s: the last notice lists %v, want its articles %v", s.ID, got, want)
		}
	}
	if followed == 0 {
		t.Fatal("the watchlist follows no story")
	}
	t.Logf("%d notices for %d stories followed (of %d)", len(notices), followed, len(stories))
}

func TestCrawlNotifiesWebhooks(t *testing.T) {
	rc := &hookReceiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	const token = "XOXB-S3CRET"
	t.Setenv("TEST_HOOK_TOKEN", token)
	cfg := writeConfig(t, fmt.Sprintf(`watchlists:
  - name: amazon
    entities: [amazon]
    webhooks:
      - url: %s/hooks/${TEST_HOOK_TOKEN}
        headers:
          Authorization: Bearer ${TEST_HOOK_TOKEN}
`, srv.URL))
	dataDir := t.TempDir()
	args := func(more ...string) []string {
		return append([]string{"--data-dir", dataDir, "--config", cfg, "--index", "bleve"}, more...)
	}
	out, _, err := run(t, "", args("crawl", siteDir(t))...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "webhooks: ") {
		t.Errorf("the crawl does not say what it notified:\n%s", out)
	}
	first := rc.confirmed()
	if len(first) == 0 {
		t.Fatalf("no notice after crawling the site:\n%s", out)
	}
	// Crawled again, and notify run: nothing new, nothing sent again.
	if _, _, err := run(t, "", args("crawl", "--refetch", siteDir(t))...); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "", args("notify", "--json")...)
	if err != nil {
		t.Fatal(err)
	}
	var res []push.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) != 1 || res[0].New+res[0].Updated != 0 {
		t.Errorf("notify after the crawl: %v, %s", err, out)
	}
	if got := rc.confirmed(); len(got) != len(first) {
		t.Errorf("%d notices after crawling again and notify, %d before", len(got), len(first))
	}
	ar, err := index.OpenArchive(filepath.Join(dataDir, "archive.db"), index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	checkOnce(t, rc.confirmed(), ar, func(ids []string) bool {
		for _, id := range ids {
			if a, err := ar.Get(id); err == nil && slices.Contains(a.EntityIDs(), "amazon") {
				return true
			}
		}
		return false
	})
	for _, p := range first {
		if p.Watchlist.Name != "amazon" || !slices.Contains(p.Story.Entities, "amazon") {
			t.Errorf("notice of story %s for %q names %v", p.Story.ID, p.Watchlist.Name, p.Story.Entities)
		}
	}
	ar.Close()
	// The token reaches the receiver but is never shown.
	for _, cmd := range [][]string{{"watchlists"}, {"watchlists", "--json"}, {"notify"}} {
		out, errOut, err := run(t, "", args(cmd...)...)
		if err != nil {
			t.Fatalf("%v: %v", cmd, err)
		}
		if strings.Contains(out+errOut, token) {
			t.Errorf("%v shows the token:\n%s%s", cmd, out, errOut)
		}
	}
}

func TestNotifyBadInput(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		args []string
		want string
	}{
		{"unknown format", "watchlists:\n  - name: a\n    entities: [amazon]\n    webhooks:\n      - url: https://x.example/S3CRET\n        format: teams\n",
			nil, `unknown format "teams"`},
		{"no url", "watchlists:\n  - name: a\n    entities: [amazon]\n    webhooks:\n      - url: ${OTTWATCH_TEST_UNSET_HOOK}\n",
			nil, "webhook without a url"},
		{"not a watchlist with webhooks", "watchlists:\n  - name: a\n    entities: [amazon]\n    webhooks:\n      - url: https://x.example/S3CRET\n",
			[]string{"--watchlist", "b"}, "--watchlist b: no watchlist of that name has webhooks"},
		{"attempts", readmeWatchlists, []string{"--attempts", "0"}, "--attempts 0: want at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeConfig(t, tt.yaml)
			_, _, err := run(t, "", append([]string{"--data-dir", t.TempDir(), "--config", cfg, "notify"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "S3CRET") {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestWebhookNoticesSurviveSIGKILL kills a crawl while its webhook
// receiver is being sent a notice, crawls again, and checks that every
// story the watchlist follows was notified exactly once as new, and that
// no notice was confirmed twice.
func TestWebhookNoticesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and crawls 120 pages twice")
	}
	bin := buildBinary(t)
	site := &storySite{n: 120, holdAfter: 60, hold: make(chan struct{})}
	siteSrv := httptest.NewServer(site)
	defer siteSrv.Close()
	dataDir := t.TempDir()

	var (
		mu     sync.Mutex
		killed = make(chan struct{})
		first  *exec.Cmd
	)
	rc := &hookReceiver{}
	const killAt = 5 // the request during which the crawl is killed
	rc.onRequest = func(n int) bool {
		if n != killAt {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		_ = first.Process.Kill() // SIGKILL while the notice waits for its answer
		<-killed
		return false
	}
	hookSrv := httptest.NewServer(rc)
	defer hookSrv.Close()
	cfg := writeConfig(t, fmt.Sprintf(`watchlists:
  - name: agcom
    entities: [agcom]
    webhooks:
      - url: %s/in
`, hookSrv.URL))
	crawl := func(ctx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, "--data-dir", dataDir, "--config", cfg, "--index", "bleve", "crawl",
			"--delay", "0", "--parallelism", "4", "--batch", "5", "--sync-every", "1ns", siteSrv.URL+"/")
		cmd.Env = append(cmd.Environ(), "MEILI_URL=")
		return cmd
	}
	mu.Lock()
	first = crawl(t.Context())
	if err := first.Start(); err != nil {
		mu.Unlock()
		t.Fatal(err)
	}
	mu.Unlock()
	began := time.Now()
	_ = first.Wait()
	close(killed)
	close(site.hold)
	if first.ProcessState.Success() {
		t.Fatalf("the first crawl ended before it was killed (%d notices)", len(rc.confirmed()))
	}
	before := len(rc.confirmed())
	if before != killAt-1 {
		t.Fatalf("%d notices confirmed before the kill, want %d", before, killAt-1)
	}
	ar, err := index.OpenArchive(filepath.Join(dataDir, "archive.db"))
	if err != nil {
		t.Fatalf("archive after SIGKILL: %v", err)
	}
	partial, _ := ar.Count()
	ar.Close()
	t.Logf("killed with %d articles archived and %d notices confirmed", partial, before)

	t.Logf("first crawl: %s", time.Since(began))
	began = time.Now()
	if out, err := crawl(t.Context()).CombinedOutput(); err != nil {
		t.Fatalf("crawl after the kill: %v\n%s", err, out)
	}
	t.Logf("second crawl: %s", time.Since(began))
	ar, err = index.OpenArchive(filepath.Join(dataDir, "archive.db"), index.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	if n, _ := ar.Count(); n != site.n {
		t.Errorf("%d articles archived, want %d", n, site.n)
	}
	checkOnce(t, rc.confirmed(), ar, func([]string) bool { return true })
}

// storySite serves n articles that report n/2 events, each by two near
// copies a few minutes apart, article i and article i+n/2; events are
// months apart and worded differently, so that each is a story of its own.
// Every article names Agcom.
type storySite struct {
	n int
	// Past the first holdAfter article pages, answers wait until hold is
	// closed.
	holdAfter int64
	hold      chan struct{}
	served    atomic.Int64
}

// storyWords are the words the articles are written with.
var storyWords = strings.Fields(`rete mercato operatori clienti offerte tariffe contratti fibra mobile
	antenne frequenze spettro gara asta licenza autorizzazione ministero consumatori reclami sanzione
	istruttoria ricorso tribunale sentenza accordo fusione acquisizione investimenti torri cavo satellite
	roaming portabilità numerazione servizi piattaforma streaming contenuti diritti calcio abbonamenti`)

func (s *storySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.URL.Path == "/" {
		fmt.Fprint(w, `<!DOCTYPE html><html lang="it"><head><title>Notizie</title></head><body><ul>`)
		for i := range s.n {
			fmt.Fprintf(w, `<li><a href="/a/%d">Notizia %d</a></li>`, i, i)
		}
		fmt.Fprint(w, `</ul></body></html>`)
		return
	}
	var i int
	if _, err := fmt.Sscanf(r.URL.Path, "/a/%d", &i); err != nil || i < 0 || i >= s.n {
		http.NotFound(w, r)
		return
	}
	if s.hold != nil && s.served.Add(1) > s.holdAfter {
		select {
		case <-s.hold:
		case <-r.Context().Done():
			return
		}
	}
	event, copy := i%(s.n/2), i/(s.n/2)
	h := fnv.New64a()
	var words []string
	for k := range 90 {
		h.Reset()
		fmt.Fprintf(h, "%d/%d", event, k)
		words = append(words, storyWords[h.Sum64()%uint64(len(storyWords))])
	}
	body := strings.Join(words[:30], " ") + ".</p><p>" + strings.Join(words[30:60], " ") + ".</p><p>" + strings.Join(words[60:], " ")
	published := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, event, 0).Add(time.Duration(copy) * 7 * time.Minute)
	fmt.Fprintf(w, `<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Evento %[1]d: Agcom e il mercato</title>
<link rel="canonical" href="http://%[2]s/a/%[3]d"><meta property="og:type" content="article">
<meta property="article:published_time" content="%[4]s"></head>
<body><article><h1>Evento %[1]d: l'Agcom e il mercato delle telecomunicazioni</h1>
<p>L'Agcom, con la delibera %[1]d00/%[5]d, interviene: %[6]s.</p><p>Copia %[7]d.</p></article></body></html>`,
		event, r.Host, i, published.Format(time.RFC3339), 2020+event/12, body, copy)
}

// TestReadmeWebhooks checks that the webhooks the README shows are valid
// and are shown redacted.
func TestReadmeWebhooks(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(filepath.Dir(siteDir(t)), "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```yaml\nwatchlists:\n  - name: amazon-telecom\n    entities: [amazon]\n    webhooks:")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no ```yaml block of webhooks in the README")
	}
	t.Setenv("HOOK_TOKEN", "S3CRET")
	t.Setenv("MATTERMOST_HOOK_URL", "https://chat.example.org/hooks/S3CRET")
	stdout, _, err := run(t, "", "--config", writeConfig(t, "watchlists:\n  - name: amazon-telecom\n    entities: [amazon]\n    webhooks:"+block), "watchlists", "--json")
	if err != nil {
		t.Fatal(err)
	}
	got := decode[[]ottwatch.Watchlist](t, stdout)
	want := []ottwatch.Webhook{
		{URL: "https://hooks.example.org/[redacted]", Format: ottwatch.WebhookJSON, Headers: map[string]string{"Authorization": "[redacted]"}},
		{Name: "team-chat", URL: "https://chat.example.org/[redacted]", Format: ottwatch.WebhookSlack},
	}
	if len(got) != 1 || !reflect.DeepEqual(got[0].Webhooks, want) || strings.Contains(stdout, "S3CRET") {
		t.Errorf("watchlists --json shows %s, want the webhooks %+v", stdout, want)
	}
}

// TestWatchNotifiesWebhooks runs crawl --watch until its webhook receiver
// is told of a story: the notices go out while it keeps running, not only
// when it stops.
func TestWatchNotifiesWebhooks(t *testing.T) {
	told := make(chan struct{})
	var once sync.Once
	rc := &hookReceiver{onRequest: func(int) bool { once.Do(func() { close(told) }); return true }}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	cfg := writeConfig(t, fmt.Sprintf("watchlists:\n  - name: amazon\n    entities: [amazon]\n    webhooks:\n      - url: %s/in\n        format: slack\n", srv.URL))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, _, err := runCtx(ctx, "", "--data-dir", t.TempDir(), "--config", cfg, "--index", "bleve",
			"crawl", "--watch", "--every", "1h", "--sync-every", "1ms", siteDir(t))
		done <- err
	}()
	select {
	case <-told:
	case err := <-done:
		t.Fatalf("crawl --watch ended before any notice: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("no notice from crawl --watch")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the cancellation", err)
	}
}
