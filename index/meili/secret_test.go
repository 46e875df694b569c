package meili

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// syncBuffer is a buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestKeyNeverShown(t *testing.T) {
	const secret = meilitest.MasterKey
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	jsonLogger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []error
	note := func(err error) {
		if err == nil {
			t.Errorf("expected an error")
			return
		}
		errs = append(errs, err)
	}
	opts := []Option{WithLogger(logger), WithRetry(3, time.Millisecond, 5*time.Millisecond)}

	s := meilitest.Shared(t)
	p := meilitest.NewProxy(t, s.URL)
	cfg := Config{URL: p.URL, APIKey: secret, IndexUID: newUID()}
	x, err := Open(t.Context(), cfg, opts...)
	if err != nil {
		t.Fatalf("Open with the right key: %v", err)
	}
	defer x.Close()
	fx := indextest.Fixtures()

	// The server refuses another key; the error must not show the key
	// sent either.
	_, err = Open(t.Context(), Config{URL: p.URL, APIKey: secret + "-not"}, opts...)
	note(err)
	// Retries, then unreachable.
	p.Fail(3, http.StatusBadGateway)
	_, err = x.Count(t.Context())
	note(err)
	// A failed task.
	changePrimaryKey(t, s, x)
	note(x.Upsert(t.Context(), []*ottwatch.Article{fx[indextest.It1]}))
	// An error answer: the index was deleted behind our back.
	if err := s.Await(s.Client().DeleteIndexWithContext(t.Context(), x.UID())); err != nil {
		t.Fatal(err)
	}
	_, err = x.Search(t.Context(), ottwatch.Query{Text: "x"})
	if !hasCode(err, "index_not_found") {
		t.Errorf("search on a deleted index: %v", err)
	}
	note(err)
	// A refused connection.
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	_, err = x.Search(t.Context(), ottwatch.Query{Text: "x"})
	note(err)
	_ = p.Refuse(false)
	// A URL with a password.
	_, err = Open(t.Context(), Config{URL: "http://user:" + secret + "@127.0.0.1:1", APIKey: secret}, opts...)
	note(err)
	_, err = Open(t.Context(), Config{URL: "http://user:" + secret + "@bad host", APIKey: secret}, opts...)
	note(err)
	// A closed index.
	x.Close()
	_, err = x.Get(t.Context(), fx[indextest.It1].ID)
	note(err)

	var shown []string
	for _, err := range errs {
		shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	// The configuration itself does not print it either.
	jsonCfg, _ := json.Marshal(cfg)
	shown = append(shown, fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), string(jsonCfg), cfg.APIKey.String())
	logger.Info("config", "cfg", cfg, "key", cfg.APIKey)
	jsonLogger.Info("config", "cfg", cfg, "key", cfg.APIKey)
	shown = append(shown, logs.String())
	if !strings.Contains(logs.String(), "retrying") {
		t.Errorf("no retry was logged:\n%s", logs.String())
	}
	for _, text := range shown {
		if strings.Contains(text, secret) {
			t.Errorf("the API key appears in %q", text)
		}
	}
	if got := fmt.Sprint(Secret("")); got != "" {
		t.Errorf("empty secret prints %q", got)
	}
}
