package push

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/backoff"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// testClock is a clock whose waits end at once; it records them.
type testClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *testClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// receiver is a webhook receiver: answer decides each answer (by the
// number of the request, from 1); the notices it confirmed are kept.
type receiver struct {
	mu       sync.Mutex
	requests int
	answer   func(n int, w http.ResponseWriter, r *http.Request) int
	got      []Payload
	headers  []http.Header
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.requests++
	n := rc.requests
	answer := rc.answer
	rc.mu.Unlock()
	status := http.StatusOK
	if answer != nil {
		status = answer(n, w, r)
	}
	if status == 0 {
		return // the handler answered
	}
	if status/100 == 2 {
		var p Payload
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.got = append(rc.got, p)
		rc.headers = append(rc.headers, r.Header.Clone())
		rc.mu.Unlock()
	}
	w.WriteHeader(status)
}

// confirmed returns the notices the receiver confirmed, as "type story +added".
func (rc *receiver) confirmed() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, p := range rc.got {
		out = append(out, fmt.Sprintf("%s %s +%d", p.Type, p.Story.Headline, p.Story.Added))
	}
	return out
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.requests
}

// env is an archive and the Bleve index synced from it.
type env struct {
	t   testing.TB
	ar  *index.Archive
	idx *bleve.Index
	seq uint64
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dir := t.TempDir()
	ar, err := index.OpenArchive(filepath.Join(dir, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ar.Close() })
	idx, err := bleve.Open(filepath.Join(dir, "bleve"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return &env{t: t, ar: ar, idx: idx}
}

var day0 = time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)

// article is an article of source in lang naming entities, with a body
// made of topic: articles of one topic are near copies of each other.
func article(source, lang, title, topic string, day int, entities ...string) *ottwatch.Article {
	u := fmt.Sprintf("https://%s/%s", source, strings.ReplaceAll(strings.ToLower(title), " ", "-"))
	a := &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: source, Title: title, Lang: lang,
		Body:      strings.Repeat(topic+" ", 40),
		Published: day0.AddDate(0, 0, day), Fetched: day0.AddDate(0, 0, day).Add(time.Hour)}
	for _, e := range entities {
		a.Entities = append(a.Entities, ottwatch.Mention{ID: e, Name: e, Type: ottwatch.Company, Count: 2})
	}
	return a
}

// add archives articles and syncs the index.
func (e *env) add(articles ...*ottwatch.Article) {
	e.t.Helper()
	pages := make([]index.Page, len(articles))
	for i, a := range articles {
		pages[i] = index.Page{Article: a}
	}
	if _, err := e.ar.Put(pages); err != nil {
		e.t.Fatal(err)
	}
	st, err := index.Sync(context.Background(), e.ar, "bleve", e.idx, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	e.seq = st.Cursor
}

func (e *env) config(clock *testClock) Config {
	return Config{Archive: e.ar, Index: e.idx, Upto: e.seq, Timeout: 2 * time.Second, Attempts: 3,
		Backoff: backoff.Policy{Base: time.Second, Cap: 30 * time.Second}, Clock: clock}
}

func watchlist(url string) ottwatch.Watchlist {
	return ottwatch.Watchlist{Name: "iliad-watch", Title: "Iliad", Entities: []string{"iliad"},
		Webhooks: []ottwatch.Webhook{{URL: url, Format: ottwatch.WebhookJSON}}}
}

// Story bodies: each topic's articles are near copies, so one story.
const (
	fine  = "Agcom multa Iliad per le offerte mobili dopo le segnalazioni dei consumatori sul preavviso"
	tower = "Iliad vende le torri di telecomunicazione a un fondo infrastrutturale per un miliardo di euro"
	prime = "Amazon Prime Video porta lo sport in diretta in Italia con nuovi diritti per la stagione"
)

func TestDeliverNewStoriesThenNewCoverage(t *testing.T) {
	e := newEnv(t)
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	w := watchlist(srv.URL + "/hook")
	clock := &testClock{now: day0}

	if _, err := Start(e.ar, []ottwatch.Watchlist{w}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		add   []*ottwatch.Article
		want  []string
		delta Result
	}{
		{"two stories, one followed", []*ottwatch.Article{
			article("mobile.it", "it", "Agcom multa Iliad", fine, 0, "agcom", "iliad"),
			article("sport.it", "it", "Prime Video e lo sport", prime, 0, "amazon"),
		}, []string{"story.new Agcom multa Iliad +1"}, Result{New: 1}},
		{"nothing new", nil, nil, Result{}},
		{"another outlet reports it", []*ottwatch.Article{
			article("telecoms.fr", "fr", "Iliad sanctionné par Agcom", fine, 1, "agcom", "iliad"),
		}, []string{"story.updated Agcom multa Iliad +1"}, Result{Updated: 1}},
		{"a second story and coverage of a story not followed", []*ottwatch.Article{
			article("rete.it", "it", "Iliad vende le torri", tower, 2, "iliad"),
			article("calcio.it", "it", "Lo sport di Prime Video", prime, 2, "amazon"),
		}, []string{"story.new Iliad vende le torri +1"}, Result{New: 1}},
		{"the same page archived again", []*ottwatch.Article{
			article("rete.it", "it", "Iliad vende le torri", tower, 2, "iliad"),
		}, nil, Result{}},
	}
	seen := 0
	for _, s := range steps {
		if len(s.add) > 0 {
			e.add(s.add...)
		}
		res, err := Deliver(t.Context(), e.config(clock), []ottwatch.Watchlist{w})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(res) != 1 || res[0].New != s.delta.New || res[0].Updated != s.delta.Updated || res[0].Cursor != e.seq {
			t.Errorf("%s: result %+v, want %d new, %d updated, cursor %d", s.name, res, s.delta.New, s.delta.Updated, e.seq)
		}
		got := rc.confirmed()[seen:]
		seen += len(got)
		if !slices.Equal(got, s.want) {
			t.Errorf("%s: notices %q, want %q", s.name, got, s.want)
		}
	}
	if len(clock.Waits()) != 0 {
		t.Errorf("waited %v with a receiver that never failed", clock.Waits())
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if got := rc.headers[0].Get("X-Ottwatch-Notice"); got == "" || got != rc.got[0].Notice {
		t.Errorf("X-Ottwatch-Notice %q, body's notice %q", got, rc.got[0].Notice)
	}
	if got := rc.headers[0].Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
}

func TestNewWebhookStartsFromNow(t *testing.T) {
	e := newEnv(t)
	e.add(article("mobile.it", "it", "Agcom multa Iliad", fine, 0, "agcom", "iliad"))
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	w := watchlist(srv.URL)
	res, err := Deliver(t.Context(), e.config(&testClock{now: day0}), []ottwatch.Watchlist{w})
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Started || res[0].New != 0 || rc.count() != 0 {
		t.Errorf("a new webhook was told of %d stories archived before it (%+v)", rc.count(), res)
	}
	e.add(article("rete.it", "it", "Iliad vende le torri", tower, 2, "iliad"))
	if _, err := Deliver(t.Context(), e.config(&testClock{now: day0}), []ottwatch.Watchlist{w}); err != nil {
		t.Fatal(err)
	}
	if got, want := rc.confirmed(), []string{"story.new Iliad vende le torri +1"}; !slices.Equal(got, want) {
		t.Errorf("notices %q, want %q", got, want)
	}
}

// TestReceiverFaults runs receivers that fail in one way or another: a
// notice is recorded only once confirmed, is tried at most Attempts times
// in a run, and what was not confirmed is delivered, once, by the next run.
func TestReceiverFaults(t *testing.T) {
	fail := func(status int, header ...string) func(int, http.ResponseWriter, *http.Request) int {
		return func(_ int, w http.ResponseWriter, _ *http.Request) int {
			for i := 0; i+1 < len(header); i += 2 {
				w.Header().Set(header[i], header[i+1])
			}
			return status
		}
	}
	slow := func(_ int, w http.ResponseWriter, r *http.Request) int {
		// No answer before the client gives up: the body is read, so
		// that the server sees the client go away.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
		return 0
	}
	tests := []struct {
		name string
		// firstRun answers the first run's requests; the next run gets 200.
		firstRun func(n int, w http.ResponseWriter, r *http.Request) int
		// failFirst is how many requests fail before the receiver answers
		// 200 in the first run (all of them when 0).
		failFirst int
		requests  int             // requests in the first run
		delivered bool            // by the first run
		waits     []time.Duration // between its attempts
		err       string          // of the first run
	}{
		{"503 then OK", fail(http.StatusServiceUnavailable), 2, 3, true, nil, ""},
		{"429 with Retry-After", fail(http.StatusTooManyRequests, "Retry-After", "7"), 1, 2, true, []time.Duration{7 * time.Second}, ""},
		{"always 500", fail(http.StatusInternalServerError), 0, 3, false, nil, "answered 500 Internal Server Error (3 attempts)"},
		{"Retry-After beyond the cap", fail(http.StatusServiceUnavailable, "Retry-After", "3600"), 0, 1, false, nil, "asks to wait longer than 30s"},
		{"refused", fail(http.StatusBadRequest), 0, 1, false, nil, "answered 400 Bad Request"},
		{"redirect not followed", fail(http.StatusFound, "Location", "/elsewhere"), 0, 1, false, nil, "answered 302 Found"},
		{"slower than the timeout", slow, 0, 3, false, nil, "no answer within 200ms (3 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rc := &receiver{}
			var second atomic.Bool
			rc.answer = func(n int, w http.ResponseWriter, r *http.Request) int {
				if !second.Load() && (tt.failFirst == 0 || n <= tt.failFirst) {
					return tt.firstRun(n, w, r)
				}
				return http.StatusOK
			}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			w := watchlist(srv.URL)
			if _, err := Start(e.ar, []ottwatch.Watchlist{w}); err != nil {
				t.Fatal(err)
			}
			e.add(article("mobile.it", "it", "Agcom multa Iliad", fine, 0, "agcom", "iliad"),
				article("rete.it", "it", "Iliad vende le torri", tower, 2, "iliad"))
			clock := &testClock{now: day0}
			cfg := e.config(clock)
			cfg.Timeout = 200 * time.Millisecond
			res, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w})
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("first run: error %v, want %q", err, tt.err)
			}
			if got := rc.count(); got != tt.requests+1 && tt.delivered || !tt.delivered && got != tt.requests {
				t.Errorf("first run: %d requests, want %d for the first story", got, tt.requests)
			}
			if tt.delivered != (res[0].New == 2) || !tt.delivered && (res[0].New != 0 || res[0].Waiting != 2) {
				t.Errorf("first run: %+v", res[0])
			}
			if waits := clock.Waits(); tt.waits != nil && !slices.Equal(waits, tt.waits) || len(waits) != max(tt.requests-1, 0) && tt.err == "" {
				t.Errorf("first run waited %v, want %v", waits, tt.waits)
			}
			second.Store(true)
			if _, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w}); err != nil {
				t.Fatalf("second run: %v", err)
			}
			want := []string{"story.new Agcom multa Iliad +1", "story.new Iliad vende le torri +1"}
			if got := rc.confirmed(); !slices.Equal(got, want) {
				t.Errorf("confirmed %q, want each story once: %q", got, want)
			}
		})
	}
}

// TestReceiverRestarts stops the receiver between two runs and starts it
// again at the same address.
func TestReceiverRestarts(t *testing.T) {
	e := newEnv(t)
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	addr := srv.Listener.Addr().String()
	w := watchlist(srv.URL + "/in")
	if _, err := Start(e.ar, []ottwatch.Watchlist{w}); err != nil {
		t.Fatal(err)
	}
	e.add(article("mobile.it", "it", "Agcom multa Iliad", fine, 0, "agcom", "iliad"))
	cfg := e.config(&testClock{now: day0})
	if _, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w}); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	e.add(article("rete.it", "it", "Iliad vende le torri", tower, 2, "iliad"))
	cfg.Upto = e.seq
	res, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w})
	if err == nil || res[0].Waiting != 1 {
		t.Fatalf("receiver down: %+v, %v", res, err)
	}

	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen again on %s: %v", addr, err)
	}
	again := &httptest.Server{Listener: l, Config: &http.Server{Handler: rc}}
	again.Start()
	defer again.Close()
	e.add(article("telecoms.fr", "fr", "Iliad sanctionné par Agcom", fine, 1, "agcom", "iliad"))
	cfg.Upto = e.seq
	if _, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w}); err != nil {
		t.Fatal(err)
	}
	want := []string{"story.new Agcom multa Iliad +1", "story.new Iliad vende le torri +1", "story.updated Agcom multa Iliad +1"}
	if got := rc.confirmed(); !slices.Equal(got, want) {
		t.Errorf("confirmed %q, want %q", got, want)
	}
}

// TestSecretsStayOut fails deliveries to a webhook whose URL and headers
// hold tokens and looks for them in the error, the results and the logs.
func TestSecretsStayOut(t *testing.T) {
	const pathToken, queryToken, headerToken = "T0KENINPATH", "T0KENINQUERY", "T0KENINHEADER"
	e := newEnv(t)
	for _, status := range []int{http.StatusUnauthorized, 0} {
		rc := &receiver{answer: func(int, http.ResponseWriter, *http.Request) int { return http.StatusUnauthorized }}
		srv := httptest.NewServer(rc)
		u := srv.URL + "/services/" + pathToken + "?token=" + queryToken
		if status == 0 {
			srv.Close() // connection refused
		} else {
			defer srv.Close()
		}
		w := watchlist(u)
		w.Webhooks[0].Headers = map[string]string{"Authorization": "Bearer " + headerToken}
		if _, err := Start(e.ar, []ottwatch.Watchlist{w}); err != nil {
			t.Fatal(err)
		}
		e.add(article("mobile.it", "it", fmt.Sprintf("Agcom multa Iliad %d", status), fine+fmt.Sprint(status), status, "agcom", "iliad"))
		var logs bytes.Buffer
		cfg := e.config(&testClock{now: day0})
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		cfg.Attempts = 2
		res, err := Deliver(t.Context(), cfg, []ottwatch.Watchlist{w})
		if err == nil {
			t.Fatalf("status %d: no error", status)
		}
		shown, _ := json.Marshal(res)
		wl, _ := json.Marshal(w)
		for _, text := range []string{err.Error(), string(shown), logs.String(), string(wl), fmt.Sprintf("%v %+v %#v", w, w, w)} {
			for _, secret := range []string{pathToken, queryToken, headerToken} {
				if strings.Contains(text, secret) {
					t.Errorf("status %d: %s shown in %s", status, secret, text)
				}
			}
		}
		if !strings.Contains(logs.String(), "[redacted]") {
			t.Errorf("status %d: the logs do not name the webhook: %s", status, logs.String())
		}
	}
}

// BenchmarkDeliver measures a run that tells a new webhook of 200 stories
// (one article each) through a loopback receiver: the cost of finding the
// stories a watchlist follows, posting each and recording it.
func BenchmarkDeliver(b *testing.B) {
	const stories = 200
	e := newEnv(b)
	var articles []*ottwatch.Article
	for i := range stories {
		a := article(fmt.Sprintf("s%d.example", i), "it", fmt.Sprintf("Notizia %d", i),
			fmt.Sprintf("%s numero %d", fine, i*7919), i*30, "iliad")
		articles = append(articles, a)
	}
	pages := make([]index.Page, len(articles))
	for i, a := range articles {
		pages[i] = index.Page{Article: a}
	}
	if _, err := e.ar.Put(pages); err != nil {
		b.Fatal(err)
	}
	st, err := index.Sync(context.Background(), e.ar, "bleve", e.idx, 0)
	if err != nil {
		b.Fatal(err)
	}
	e.seq = st.Cursor
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	n, notices := 0, 0
	b.ResetTimer()
	for b.Loop() {
		n++
		w := watchlist(srv.URL)
		w.Webhooks[0].Name = fmt.Sprintf("hook-%d", n)
		// A webhook started before the stories were archived is owed all
		// of them.
		if _, err := e.ar.StartNotices(HookKey(w, w.Webhooks[0]), 0); err != nil {
			b.Fatal(err)
		}
		res, err := Deliver(context.Background(), e.config(&testClock{now: day0}), []ottwatch.Watchlist{w})
		if err != nil {
			b.Fatal(err)
		}
		notices += res[0].New
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(notices, 1)), "ns/notice")
	b.ReportMetric(float64(notices)/float64(n), "notices/run")
}

// TestWatchlistFinds checks that a webhook is told of the stories its
// watchlist finds, by its query, entities and filters, dated or not.
func TestWatchlistFinds(t *testing.T) {
	undated := article("blog.it", "it", "Prime Video senza data", prime, 0, "amazon")
	undated.Published = time.Time{}
	tests := []struct {
		name string
		w    ottwatch.Watchlist
		want []string
	}{
		{"entity", ottwatch.Watchlist{Entities: []string{"iliad"}}, []string{"Agcom multa Iliad", "Iliad vende le torri"}},
		{"query", ottwatch.Watchlist{Query: "torri"}, []string{"Iliad vende le torri"}},
		{"query and entity", ottwatch.Watchlist{Query: "multa", Entities: []string{"iliad"}}, []string{"Agcom multa Iliad"}},
		// The headline is in the watchlist's language.
		{"language", ottwatch.Watchlist{Langs: []string{"fr"}}, []string{"Iliad sanctionné par Agcom"}},
		{"undated articles", ottwatch.Watchlist{Entities: []string{"amazon"}}, []string{"Prime Video senza data"}},
		{"nothing", ottwatch.Watchlist{Entities: []string{"vodafone"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			rc := &receiver{}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			w := tt.w
			w.Name = "w"
			w.Webhooks = []ottwatch.Webhook{{URL: srv.URL}}
			if _, err := Start(e.ar, []ottwatch.Watchlist{w}); err != nil {
				t.Fatal(err)
			}
			e.add(article("mobile.it", "it", "Agcom multa Iliad", fine, 0, "agcom", "iliad"),
				article("telecoms.fr", "fr", "Iliad sanctionné par Agcom", fine, 1, "agcom", "iliad"),
				article("rete.it", "it", "Iliad vende le torri", tower, 20, "iliad"),
				undated)
			if _, err := Deliver(t.Context(), e.config(&testClock{now: day0}), []ottwatch.Watchlist{w}); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rc.got {
				got = append(got, p.Story.Headline)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("told of %q, want %q", got, tt.want)
			}
		})
	}
}
